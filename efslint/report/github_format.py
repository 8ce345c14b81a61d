"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

``::error file=…,line=…,col=…,title=EFS101::message`` (``warning`` and ``notice`` for the lower
severities).  Suppressed findings are not annotated.  Related locations are named in the message,
since an annotation has one position.
"""

from __future__ import annotations

from ..findings import Finding, Severity
from . import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    loc = finding.location
    props = [f"file={escape_property(loc.file)}"]
    if loc.line > 0:
        props.append(f"line={loc.line}")
        if loc.column > 0:
            props.append(f"col={loc.column}")
    props.append(f"title={escape_property(finding.rule_id)}")
    message = f"{finding.message} [{finding.rule_name}]"
    for rel in finding.related:
        message += f"\n{rel.location}: {rel.message}"
    return f"::{COMMANDS[finding.severity]} {','.join(props)}::{escape_data(message)}"


def render(report: Report) -> str:
    return "".join(annotation(f) + "\n" for f in report.result.active())
