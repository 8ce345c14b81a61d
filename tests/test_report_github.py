"""GitHub Actions annotations: one workflow command per unsuppressed finding, escaped as documented."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from efslint.cli.commands import cli
from efslint.engine.catalog import Catalog
from efslint.findings import Finding, Related, Severity
from efslint.model import Location
from efslint.pipeline.result import LintResult
from efslint.report import Report, render

BROKEN = Path(__file__).parent / "fixtures" / "taskdef" / "EFS101-fire.json"


def test_annotations_from_the_command_line() -> None:
    result = CliRunner().invoke(cli, ["--format", "github", str(BROKEN)])
    assert result.exit_code == 1
    path = os.path.relpath(BROKEN)
    assert result.stdout.splitlines() == [
        f"::notice file={path},line=25,col=7,title=EFS112::EFS volume 'data' mounts the file system directly, "
        "so no POSIX identity or root directory is enforced; consider an EFS access point per application. "
        "[no-access-point]",
        f"::error file={path},line=27,col=9,title=EFS101::EFS volume 'data' enables IAM authorization but "
        "transitEncryption is DISABLED (omitted means DISABLED); ECS rejects this. Set transitEncryption to "
        "ENABLED. [iam-requires-transit-encryption]",
    ]
    assert "exit 1" in result.stderr, "the summary goes to stderr, not into the annotations"


def test_escaping_levels_related_and_suppressed() -> None:
    findings = [
        Finding("EFS104", "transit-encryption-disabled", Severity.WARNING, "50% of\r\nvolumes",
                Location("dir,x/a:b.yaml", 3, 0), related=[Related(Location("b.yaml", 9, 2), "mount target")]),
        Finding("EFS000", "parse-error", Severity.ERROR, "empty file", Location("e.json")),
        Finding("EFS101", "iam-requires-transit-encryption", Severity.ERROR, "hidden", Location("c.json", 1, 1),
                suppressed=("inSource", "")),
    ]  # fmt: skip
    report = Report(LintResult(findings=findings), Catalog.load(), Severity.WARNING, 2, "x")
    assert render("github", report).splitlines() == [
        "::warning file=dir%2Cx/a%3Ab.yaml,line=3,title=EFS104::50%25 of%0D%0Avolumes "
        "[transit-encryption-disabled]%0Ab.yaml:9:2: mount target",
        "::error file=e.json,title=EFS000::empty file [parse-error]",
    ]
