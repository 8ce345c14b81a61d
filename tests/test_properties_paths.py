"""Hypothesis properties of the paths the CLI is given and the trees it walks.

Whatever a folder holds — symlink loops, links to nowhere, FIFOs, sockets, devices, folders named
like templates, very long names, names with newlines or bytes that are not UTF-8 — ``efslint``
prints one EFS000 line per entry it cannot read (naming it), still lints every good file, exits 2,
and never hangs or prints a traceback.  Every run has a deadline (SIGALRM): opening a FIFO for
reading would wait for a writer forever, and the deadline turns that into a failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from efslint.cli.commands import cli
from efslint.sources.files import printable

GOOD = Path(__file__).parent / "fixtures" / "taskdef" / "EFS101-fire.json"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

# Entries that cannot be read, and how to make one at ``path``.
BAD_KINDS = ("loop", "loop_pair", "dangling", "fifo", "socket", "device")
if not AS_ROOT:
    # Root reads a file whatever its mode bits say, so this case only exists for other users.
    BAD_KINDS += ("unreadable",)
OK_KINDS = ("good", "folder", "link_to_parent", "not_ours")
SUFFIXES = (".json", ".yaml", ".yml", ".template", ".tf")

stem_chars = st.characters(
    blacklist_categories=("Cs",), blacklist_characters="/\x00", min_codepoint=1, max_codepoint=0x2FFF
)
stems = st.one_of(
    st.text(stem_chars, min_size=1, max_size=12),
    st.sampled_from(["a\nb", "tab\there", " spaced ", "-dash", "ünï", "\x1b[31mred"]),
    st.integers(100, 240).map(lambda n: "L" * n),  # with the suffix, up to the 255-byte limit
    st.just(os.fsdecode(b"latin1-\xff")),  # bytes that are not UTF-8 (surrogate-escaped)
).filter(lambda s: s not in (".", "..") and len(os.fsencode(s)) <= 245)

entries = st.lists(
    st.tuples(stems, st.sampled_from(SUFFIXES), st.sampled_from(BAD_KINDS + OK_KINDS), st.booleans()),
    max_size=8,
)


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"efslint did not finish within {seconds} s (did it open a FIFO?)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def make(path: Path, kind: str) -> None:
    if kind == "loop":
        path.symlink_to(path.name)
    elif kind == "loop_pair":
        partner = path.with_name(path.name[:200] + ".partner")
        path.symlink_to(partner.name)
        partner.symlink_to(path.name)
    elif kind == "dangling":
        path.symlink_to("missing-target")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        os.mknod(path, 0o600 | stat.S_IFSOCK)
    elif kind == "device":
        path.symlink_to(os.devnull)
    elif kind == "unreadable":
        shutil.copy(GOOD, path)
        path.chmod(0)
    elif kind == "good":
        shutil.copy(GOOD, path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "link_to_parent":
        path.symlink_to(".", target_is_directory=True)
    elif kind == "not_ours":
        path.write_bytes(b"\xff\xfe not text and not ours")


def shown(path: Path) -> str:
    return printable(os.path.relpath(path))


def run(*args: str) -> tuple[int, str]:
    with deadline(60):
        result = CliRunner().invoke(cli, ["--format", "text", *args], catch_exceptions=False)
    return result.exit_code, result.stdout


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries)
def test_every_bad_entry_gives_one_line_and_good_files_are_linted(tree: list) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp, "tree")
        (root / "sub").mkdir(parents=True)
        bad: list[Path] = []
        good: list[Path] = []
        made: set[tuple[bool, str]] = set()
        for stem, suffix, kind, nested in tree:
            if kind in ("good", "not_ours"):
                suffix = ".json"  # a task definition, or JSON that is not ours
            name = f"{stem}{suffix}"
            if {(nested, name.casefold()), (nested, f"{name[:200]}.partner".casefold())} & made:
                continue
            made |= {(nested, name.casefold()), (nested, f"{name[:200]}.partner".casefold())}
            path = (root / "sub" if nested else root) / name
            make(path, kind)
            if kind in BAD_KINDS:
                bad.append(path)
            elif kind == "good":
                good.append(path)
        code, out = run(str(root))

    assert "Traceback" not in out
    lines = out.splitlines()
    errors = [line for line in lines if " EFS000 [error] " in line]
    for path in bad:
        named = [line for line in errors if line.startswith(f"{shown(path)}:")]
        assert len(named) == 1, (shown(path), out)
    assert len(errors) == len(bad), out
    for path in good:
        assert any(line.startswith(f"{shown(path)}:") and " EFS101 " in line for line in lines), out
    assert code == (2 if bad else 1 if good else 0), out


NAMED_BAD = {
    "loop": "symbolic link loop",
    "dangling": "dangling symbolic link",
    "fifo": "is a FIFO",
    "socket": "is a socket",
    "device": "is a device",
}


@pytest.mark.parametrize("kind", sorted(NAMED_BAD))
def test_a_bad_path_named_on_the_command_line(tmp_path: Path, kind: str) -> None:
    bad = tmp_path / "bad.yaml"
    make(bad, kind)
    good = tmp_path / "good.json"
    shutil.copy(GOOD, good)
    code, out = run(str(bad), str(good))
    assert code == 2
    assert f"{shown(bad)}: EFS000 [error] {NAMED_BAD[kind]}" in out
    assert any(line.startswith(f"{shown(good)}:") and " EFS101 " in line for line in out.splitlines())


def test_a_name_too_long_for_the_file_system(tmp_path: Path) -> None:
    code, out = run(str(tmp_path / ("x" * 300 + ".json")))
    assert code == 2 and "EFS000 [error] file name too long" in out


def test_a_name_with_a_newline_stays_on_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "two\nlines.yaml"
    make(bad, "loop")
    code, out = run(str(tmp_path))
    assert code == 2
    assert [line for line in out.splitlines() if "EFS000" in line] == [
        f"{shown(bad)}: EFS000 [error] symbolic link loop"
    ]
    assert "two\\x0alines.yaml" in out


@pytest.mark.parametrize("kind", ["loop", "dangling", "fifo"])
def test_bad_paths_in_options(tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """--config, --baseline, --write-baseline and --rules: one line, exit 2, nothing opened."""
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad"
    make(bad, kind)
    shutil.copy(GOOD, tmp_path / "good.json")
    for option in ("--config", "--baseline", "--write-baseline", "--rules"):
        with deadline(60):
            result = CliRunner().invoke(cli, [option, "bad", "good.json"], catch_exceptions=False)
        assert result.exit_code == 2, (option, result.output)
        assert result.stderr.count("\n") == 1 and "bad" in result.stderr, (option, result.stderr)
        assert "Traceback" not in result.output


@pytest.mark.parametrize("kind", ["loop", "dangling", "fifo"])
def test_a_bad_configuration_file_found_upward(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    make(tmp_path / ".efslint.yaml", kind)
    shutil.copy(GOOD, tmp_path / "good.json")
    code, _ = run("good.json")
    with deadline(60):
        result = CliRunner().invoke(cli, ["good.json"], catch_exceptions=False)
    assert code == result.exit_code == 2
    assert result.stderr.startswith("efslint: error: .efslint.yaml: cannot read configuration file")


def test_an_output_file_that_cannot_be_written(tmp_path: Path) -> None:
    with deadline(60):
        result = CliRunner().invoke(
            cli, ["-o", str(tmp_path / "missing" / "report.txt"), str(GOOD)], catch_exceptions=False
        )
    assert result.exit_code == 2
    assert "cannot write report: no such file or directory" in result.stderr


def test_terraform_siblings_and_modules_that_cannot_be_read(tmp_path: Path) -> None:
    """A FIFO sibling and a module source that loops: named once, never opened, no traceback."""
    (tmp_path / "main.tf").write_text('module "m" {\n  source = "./loop"\n}\n')
    (tmp_path / "loop").symlink_to("loop")
    code, out = run(str(tmp_path / "main.tf"))
    assert code == 0 and "Traceback" not in out
    os.mkfifo(tmp_path / "pipe.tf")
    code, out = run(str(tmp_path / "main.tf"))
    assert code == 2
    assert [line for line in out.splitlines() if "EFS000" in line] == [
        f"{shown(tmp_path / 'pipe.tf')}: EFS000 [error] is a FIFO (named pipe), not a regular file"
    ]


def test_the_plain_command_line_in_a_subprocess(tmp_path: Path) -> None:
    """The console script (no click on this path) on `ln -s loop loop; efslint loop`."""
    import subprocess
    import sys

    (tmp_path / "loop").symlink_to("loop")
    done = subprocess.run(
        [sys.executable, "-m", "efslint", "loop"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stdout.splitlines()[0] == "loop: EFS000 [error] symbolic link loop"
    assert "Traceback" not in done.stderr
