"""Reading input files and naming them for the user: shared by every front-end and the pipeline.

Front-ends read sibling files (Terraform modules, nested templates) through here, so none of them
needs the directory walker in :mod:`efslint.pipeline.discovery`.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError

MAX_FILE_BYTES = 64 * 1024 * 1024


def display_path(path: Path) -> str:
    """Paths as the user would type them: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def read_text(path: Path) -> str:
    """File text, or :class:`InputError` for unreadable, binary, non-UTF-8, empty or huge files."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"file is too large ({size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MiB)"
            )
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None
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
