"""Reading input files and naming them for the user: shared by every front-end and the pipeline.

Front-ends read sibling files (Terraform modules, nested templates) through here, so none of them
needs the directory walker in :mod:`efslint.pipeline.discovery`.

Every path efslint is given or meets while walking (inputs, Terraform siblings and modules,
configuration, baselines, rule folders) is checked here first with ``stat``, so that a symlink loop,
a dangling link, a FIFO, a socket or a device gives one clear reason instead of a traceback or a
read that never ends.  Only the standard library.
"""

from __future__ import annotations

import errno
import os
import stat
from functools import lru_cache
from pathlib import Path

from .errors import InputError

MAX_FILE_BYTES = 64 * 1024 * 1024


def display_path(path: Path) -> str:
    """Paths as the user would type them: relative to the working directory when inside it, on one
    line (control characters and undecodable bytes escaped)."""
    # A Terraform module's files are named several times each while it loads.
    return _display(os.fspath(path), os.getcwd())


@lru_cache(maxsize=4096)
def _display(path: str, cwd: str) -> str:
    try:
        return printable(os.path.relpath(path, cwd))
    except ValueError:
        return printable(path)


def read_text(path: Path) -> str:
    """File text, or :class:`InputError` for unreadable, binary, non-UTF-8, empty or huge files."""
    problem = file_problem(path)
    if problem is not None:
        raise InputError(problem)
    try:
        data = read_regular_bytes(path, MAX_FILE_BYTES)
    except FileTooLarge as exc:
        raise InputError(
            f"file is too large ({exc.size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MiB)"
        ) from None
    except OSError as exc:
        raise InputError(os_problem(path, exc)) from None
    if b"\x00" in data[:8192]:
        raise InputError("binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at line {line})", line) from None
    if not text.strip():
        raise InputError("empty file")
    return text


# --------------------------------------------------------------------------------------------
# What a path is, found without opening it


def printable(text: str) -> str:
    """``text`` on one line: controls and line breaks (``\\n``, U+0085, U+2028), and file-name
    bytes that are not UTF-8, escaped as ``\\x0a``, ``\\u2028``, ``\\xff``."""
    if text.isprintable():
        return text
    try:
        # Undecodable bytes arrive as lone surrogates (PEP 383); UTF-8 output cannot hold them.
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def os_problem(path: Path | str, exc: OSError) -> str:
    """The reason ``exc`` gives for ``path``, as a user would want to read it."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return f"dangling symbolic link (to {printable(_link_target(path))!r}, which does not exist)"
        return "no such file or directory"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)


def _link_target(path: Path | str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def kind_problem(mode: int) -> str | None:
    """Why a file of this ``st_mode`` cannot be read as text, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    return "is not a regular file"


def file_problem(path: Path | str) -> str | None:
    """None when ``path`` is a regular file (through any links), else why it cannot be read.

    Only ``stat``: a FIFO is never opened, since opening one for reading waits for a writer.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return os_problem(path, exc)
    except ValueError:  # an embedded NUL byte
        return "invalid file name"
    return kind_problem(mode)


def is_directory(path: Path | str) -> bool:
    """``path`` is a directory (through links); False for loops, dangling links and bad names."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def read_regular_bytes(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; :class:`OSError` otherwise.

    The file is opened non-blocking and checked again after opening, so a file swapped for a FIFO
    between the check and the open cannot hang the run.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        problem = kind_problem(info.st_mode)
        if problem is not None:
            raise OSError(errno.EINVAL, problem)
        if info.st_size > limit:
            raise FileTooLarge(info.st_size)
        chunks = []
        while data := os.read(fd, 1 << 20):
            chunks.append(data)
        return b"".join(chunks)
    finally:
        os.close(fd)


class FileTooLarge(OSError):
    """A regular file above the size limit (``size`` in bytes)."""

    def __init__(self, size: int) -> None:
        super().__init__(errno.EFBIG, "file is too large")
        self.size = size


def safe_resolve(path: Path) -> Path:
    """``path`` made absolute with links resolved where possible; never raises on a loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        # A loop (RuntimeError before Python 3.13, OSError after) or a bad name: the absolute
        # path still identifies it well enough to de-duplicate and to report.
        return path.absolute()
