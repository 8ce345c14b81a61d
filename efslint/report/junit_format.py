"""JUnit XML: one test case per rule and file, for CI systems that chart test results.

A case fails when the rule reported something at or above ``--fail-on`` in that file (the
message lists every finding); findings below the threshold and suppressed ones are kept in
``system-out`` so the case stays green, matching the exit code.  A file that cannot be read is an
``error`` in its EFS000 case.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from ..findings import Finding
from . import Report, summary_line

PARSE_ERROR = "EFS000"


def _line(finding: Finding) -> str:
    text = f"{finding.location}: {finding.rule_id} [{finding.severity}] {finding.message}"
    if finding.suppressed is not None:
        kind, reason = finding.suppressed
        text += f" (suppressed: {kind}{': ' + reason if reason else ''})"
    return text + "".join(f"\n    {rel.location}: note: {rel.message}" for rel in finding.related)


def render(report: Report) -> str:
    by_case: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in report.result.findings:
        by_case[(finding.location.file, finding.rule_id)].append(finding)
    files = sorted(set(report.result.files) | {file for file, _ in by_case})
    rule_ids = list(report.active_rules) or [rule.id for rule in report.catalog]
    names = {rule.id: rule.name for rule in report.catalog}

    suite = ET.Element("testsuite", name="efslint")
    counts = {"tests": 0, "failures": 0, "errors": 0}
    for file in files:
        if (file, PARSE_ERROR) in by_case:
            # No rule ran on a file that could not be read: one erroring case, not passing ones.
            ids = [PARSE_ERROR]
        else:
            ids = [r for r in rule_ids if r != PARSE_ERROR]
            ids += sorted({r for f, r in by_case if f == file} - set(ids))
        for rule_id in ids:
            counts["tests"] += 1
            case = ET.SubElement(
                suite,
                "testcase",
                classname=file,
                name=f"{rule_id} {names.get(rule_id, '')}".rstrip(),
                time="0",
            )
            found = by_case.get((file, rule_id), [])
            failing = [f for f in found if f.suppressed is None and f.severity >= report.fail_on]
            if rule_id == PARSE_ERROR and found:
                counts["errors"] += 1
                error = ET.SubElement(case, "error", message=found[0].message, type=PARSE_ERROR)
                error.text = "\n".join(_line(f) for f in found)
            elif failing:
                counts["failures"] += 1
                worst = max(f.severity for f in failing)
                failure = ET.SubElement(
                    case, "failure", message=failing[0].message, type=f"{rule_id} [{worst}]"
                )
                failure.text = "\n".join(_line(f) for f in failing)
            failed = {id(f) for f in failing}
            quiet = [f for f in found if id(f) not in failed and rule_id != PARSE_ERROR]
            if quiet:
                ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in quiet)
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("skipped", "0")
    suite.set("time", "0")
    ET.SubElement(suite, "system-out").text = summary_line(report)

    root = ET.Element("testsuites", name="efslint", **{k: str(v) for k, v in counts.items()})
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
