"""Baselines: accept today's findings, fail only on new ones.

``--write-baseline FILE`` records every unsuppressed finding; ``--baseline FILE`` then marks the
findings it lists as suppressed (kind ``baseline``) so only new ones count.  An entry is keyed by
rule, file (relative to the baseline's folder, so the baseline works from any working directory)
and the finding's anchor (entity logical name + field), never by line: edits above a finding do not
make it new.  Entries that match nothing in a file that was linted are reported as EFS001.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..findings import Finding
from ..model import Location, is_resource_id
from ..record import Record
from .suppressions import UNSUPPRESSIBLE, UNUSED_RULE, suppress, unused_finding

if TYPE_CHECKING:
    from .runner import Engine

BASELINE_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read; the message names the file (and line when known)."""


class Entry(Record):
    """One finding recorded in a baseline file."""

    key: str
    rule: str
    file: str
    line: int
    message: str
    # Where the entry sits in the baseline file, to point EFS001 at it.
    at_line: int = 0


def _relative(file: str, root: Path) -> str:
    if is_resource_id(file):
        return file  # a live finding: keyed by the resource's ARN, the same from any folder
    absolute = Path(file).absolute()
    rel = os.path.relpath(absolute, root.absolute())
    return Path(absolute).as_posix() if rel.startswith("..") else Path(rel).as_posix()


def baseline_key(finding: Finding, root: Path) -> str:
    anchor = finding.anchor or finding.location.logical_name
    basis = "\x1f".join((finding.rule_id, _relative(finding.location.file, root), anchor))
    import hashlib  # imported here: every lint imports this module, few runs use a baseline

    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def recordable(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.suppressed is None and f.rule_id not in UNSUPPRESSIBLE]


def write_baseline(path: Path, findings: list[Finding]) -> int:
    """Write the baseline; returns how many findings it records."""
    root = path.absolute().parent
    chosen = sorted(recordable(findings), key=Finding.sort_key)
    entries = [
        {
            "fingerprint": baseline_key(f, root),
            "rule": f.rule_id,
            "file": _relative(f.location.file, root),
            "line": f.location.line,
            "message": f.message,
        }
        for f in chosen
    ]
    document = {
        "version": BASELINE_VERSION,
        "tool": "efslint",
        "comment": "Accepted findings; efslint --baseline reports only findings not listed here.",
        "findings": entries,
    }
    from ..sources.files import file_problem

    problem = file_problem(path) if os.path.lexists(path) else None
    if problem is not None:  # a FIFO would block the run until someone reads it
        raise BaselineError(f"{path}: cannot write baseline: {problem}")
    try:
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
    return len(entries)


def load_baseline(path: Path) -> list[Entry]:
    from ..sources.errors import InputError
    from ..sources.files import file_problem, printable
    from ..sources.json_reader import loads
    from ..sources.located import pos_of

    if not os.path.lexists(path):
        shown = printable(str(path))
        raise BaselineError(f"{shown}: baseline file not found (create it with --write-baseline)")
    problem = file_problem(path)
    if problem is not None:  # checked before opening: a FIFO would wait for a writer forever
        raise BaselineError(f"{printable(str(path))}: cannot read baseline: {problem}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(
            f"{path}: cannot read baseline: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    try:
        doc = loads(text)
    except InputError as exc:
        raise BaselineError(f"{path}:{exc.line}: invalid JSON: {exc.message}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        raise BaselineError(f"{path}: not an efslint baseline (no 'findings' list)")
    if doc.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{path}: unsupported baseline version {doc.get('version')!r}")
    entries = []
    for index, item in enumerate(doc["findings"]):
        # The entry's "fingerprint" key: the line a reader looks for, and where a diff shows it.
        line = pos_of(item, "fingerprint")[0] if isinstance(item, dict) and "fingerprint" in item else 0
        line = line or pos_of(doc["findings"], index)[0]
        if not _valid_entry(item):
            raise BaselineError(f"{path}:{line}: findings[{index}]: needs fingerprint, rule and file strings")
        entries.append(
            Entry(
                key=item["fingerprint"],
                rule=item["rule"],
                file=item["file"],
                line=item.get("line", 0) if isinstance(item.get("line"), int) else 0,
                message=str(item.get("message", "")),
                at_line=line,
            )
        )
    return entries


def _valid_entry(item: Any) -> bool:
    return isinstance(item, dict) and all(
        isinstance(item.get(k), str) for k in ("fingerprint", "rule", "file")
    )


def apply_baseline(
    engine: Engine, path: Path, entries: list[Entry], findings: list[Finding], linted: list[str]
) -> list[Finding]:
    """Suppress findings the baseline lists; return EFS001 findings for entries matching nothing."""
    root = path.absolute().parent
    remaining = Counter(e.key for e in entries)
    for finding in recordable(findings):
        key = baseline_key(finding, root)
        if remaining[key] > 0:
            remaining[key] -= 1
            suppress(finding, "baseline", f"listed in baseline {path.name}")
    if UNUSED_RULE not in engine.active:
        return []
    # Only files linted in this run can prove an entry stale (pre-commit lints changed files only).
    linted_files = {_relative(f, root) for f in linted}
    stale: list[Finding] = []
    shown = _display(path)
    for entry in entries:
        if remaining[entry.key] <= 0 or entry.file not in linted_files or entry.rule not in engine.active:
            continue
        remaining[entry.key] -= 1
        stale.append(
            unused_finding(
                engine,
                f"baseline entry for {entry.rule} in {entry.file} matches no finding; "
                "rewrite the baseline with --write-baseline",
                Location(shown, entry.at_line, 1, entry.file),
                f"baseline|{entry.key}",
            )
        )
    return stale


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
