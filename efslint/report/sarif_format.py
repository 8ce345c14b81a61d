"""SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, any SARIF viewer).

Every catalog rule is described in ``tool.driver.rules`` from the same rule file that feeds
``efslint explain``; results carry physical and related locations and ``partialFingerprints``;
suppressed findings stay in the log with ``suppressions`` (``inSource`` for comments and template
metadata, ``external`` for the configuration and baselines).  Files that cannot be read (EFS000)
are tool execution notifications, not results: they are not problems in the user's design.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..engine.catalog import Rule
from ..engine.rule_docs import rule_markdown
from ..findings import Finding, Severity
from ..model import Location
from . import Report

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/efslint/efslint"
FINGERPRINT_KEY = "efslint/v1"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
NOTIFICATION_RULES = frozenset({"EFS000"})
SUPPRESSION_KINDS = {"inSource": "inSource"}  # every other source lives outside the file: "external"


# A URI scheme (``arn:``, ``aws://``) of two letters or more; one letter is a Windows drive.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def artifact_location(file: str) -> dict[str, Any]:
    """Relative paths stay relative to the working directory (the repository root in CI); resources
    of a live account keep their ARN (or ``aws://`` name), which is already a URI."""
    if _SCHEME.match(file):
        return {"uri": quote(file, safe=":/#@!$&'()*+,;=?~")}
    path = Path(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(path.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def physical_location(loc: Location) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(loc.file)}
    if loc.line > 0:
        region: dict[str, Any] = {"startLine": loc.line}
        if loc.column > 0:
            region["startColumn"] = loc.column
        physical["region"] = region
    return physical


def location(loc: Location) -> dict[str, Any]:
    result: dict[str, Any] = {"physicalLocation": physical_location(loc)}
    if loc.logical_name:
        result["logicalLocations"] = [{"fullyQualifiedName": loc.logical_name}]
    return result


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": " ".join(str(rule.docs.get("what", rule.title)).split())},
        "help": {"text": str(rule.docs.get("fix", rule.title)).strip(), "markdown": rule_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["efs", "ecs"], "applies": rule.applies},
    }
    help_uri = rule.help_uri if rule.builtin else next(iter(rule.references), None)
    if help_uri:
        descriptor["helpUri"] = help_uri
    return descriptor


def result(finding: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location(finding.location)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.rule_id in rule_index:
        item["ruleIndex"] = rule_index[finding.rule_id]
    if finding.related:
        item["relatedLocations"] = [
            {"id": number, **location(rel.location), "message": {"text": rel.message}}
            for number, rel in enumerate(finding.related, start=1)
        ]
    if finding.suppressed is not None:
        kind, reason = finding.suppressed
        suppression: dict[str, Any] = {
            "kind": SUPPRESSION_KINDS.get(kind, "external"),
            "status": "accepted",
            "properties": {"source": kind},
        }
        if reason:
            suppression["justification"] = reason
        item["suppressions"] = [suppression]
    return item


def notification(finding: Finding) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": f"{finding.location.file}: {finding.message}"},
        "locations": [location(finding.location)],
        "descriptor": {"id": finding.rule_id},
    }


def document(report: Report) -> dict[str, Any]:
    rules = list(report.catalog)
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    findings = report.result.findings
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "efslint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(rule) for rule in rules],
            }
        },
        "invocations": [
            {
                "executionSuccessful": report.exit_code != 2,
                "exitCode": report.exit_code,
                "exitCodeDescription": report.reason,
                "toolExecutionNotifications": [
                    notification(f) for f in findings if f.rule_id in NOTIFICATION_RULES
                ],
            }
        ],
        "originalUriBaseIds": {SRCROOT: {"uri": Path(os.getcwd()).as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [result(f, rule_index) for f in findings if f.rule_id not in NOTIFICATION_RULES],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2) + "\n"


def failed_run(message: str, exit_code: int) -> str:
    """A log for a run that could not start (bad configuration or rule file): no rules, no results."""
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "efslint", "version": __version__, "informationUri": INFORMATION_URI}},
        "invocations": [
            {
                "executionSuccessful": False,
                "exitCode": exit_code,
                "toolConfigurationNotifications": [{"level": "error", "message": {"text": message}}],
            }
        ],
        "results": [],
    }
    return json.dumps({"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"
