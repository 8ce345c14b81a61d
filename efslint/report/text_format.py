"""Compiler-style text: ``path:line:col: EFSnnn [severity] message``, coloured only on a TTY."""

from __future__ import annotations

from ..findings import Severity
from . import Report, summary_line

_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_RESET = "\x1b[0m"
_DIM = "\x1b[2m"


def render(report: Report) -> str:
    lines = []
    for f in report.result.active():
        sev = str(f.severity)
        if report.color:
            sev = f"{_COLORS[f.severity]}{sev}{_RESET}"
        lines.append(f"{f.location}: {f.rule_id} [{sev}] {f.message}")
        for rel in f.related:
            note = f"    {rel.location}: note: {rel.message}"
            lines.append(f"{_DIM}{note}{_RESET}" if report.color else note)
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
