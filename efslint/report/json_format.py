"""The JSON report; its shape is documented by ``schemas/report.schema.json``."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..findings import Finding
from ..model import Location
from . import Report

REPORT_VERSION = "1"


def location(loc: Location) -> dict[str, Any]:
    return {"file": loc.file, "line": loc.line, "column": loc.column, "logical_name": loc.logical_name}


def finding(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule_id,
        "name": f.rule_name,
        "severity": str(f.severity),
        "message": f.message,
        "location": location(f.location),
        "related": [{"message": r.message, "location": location(r.location)} for r in f.related],
        "fingerprint": f.fingerprint,
        "suppressed": {"kind": f.suppressed[0], "reason": f.suppressed[1]} if f.suppressed else None,
    }


def document(report: Report) -> dict[str, Any]:
    counts = report.result.counts()
    return {
        "version": REPORT_VERSION,
        "tool": {"name": "efslint", "version": __version__},
        "summary": {
            "files": len(set(report.result.files)),
            **{str(sev): n for sev, n in counts.items()},
            "suppressed": len(report.result.findings) - len(report.result.active()),
            "fail_on": str(report.fail_on),
            "exit_code": report.exit_code,
            "reason": report.reason,
        },
        "files": sorted(set(report.result.files)),
        "findings": [finding(f) for f in report.result.findings],
    }


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2) + "\n"
