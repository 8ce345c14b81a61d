"""Per-finding severity: a rule's ``severity_when`` lets its check report a case at a lower severity
(EFS505 on a file system defined elsewhere is a warning); config overrides still set every finding,
and every report format and the exit code use the finding's own severity."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from efslint.cli.commands import cli
from efslint.engine.catalog import Catalog, Rule, RuleError, validate_rule_document
from efslint.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures"
EXTERNAL = [
    FIXTURES / "cloudformation" / "EFS505-external-fire.yaml",
    FIXTURES / "cloudformation" / "EFS505-external-fire.json",
    FIXTURES / "terraform" / "efs505-external-fire",
    FIXTURES / "plan" / "efs505-external-fire.json",
]
CREATED_HERE = FIXTURES / "cloudformation" / "EFS505-fire.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


def findings(*paths: Path, extra: tuple[str, ...] = ()) -> list[dict]:
    _, out = run("--format", "json", "--select", "EFS505", *extra, *map(str, paths))
    return json.loads(out)["findings"]


@pytest.mark.parametrize("path", EXTERNAL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_external_file_system_gives_warnings(path: Path) -> None:
    found = findings(path)
    assert found and {f["severity"] for f in found} == {"warning"}
    assert all("EFS will not create it" in f["message"] for f in found)


def test_file_system_created_here_stays_an_error() -> None:
    assert {f["severity"] for f in findings(CREATED_HERE)} == {"error"}


def test_config_severity_override_wins_for_every_case(tmp_path: Path) -> None:
    config = tmp_path / "efslint.yaml"
    config.write_text("severity:\n  EFS505: error\n")
    sev = {f["severity"] for f in findings(*EXTERNAL, CREATED_HERE, extra=("--config", str(config)))}
    assert sev == {"error"}
    config.write_text("severity:\n  access-point-path-not-created: info\n")
    sev = {f["severity"] for f in findings(*EXTERNAL, CREATED_HERE, extra=("--config", str(config)))}
    assert sev == {"info"}


def test_exit_code_uses_the_finding_severity() -> None:
    external = [str(p) for p in EXTERNAL]
    assert run("--select", "EFS505", "--fail-on", "error", *external)[0] == 0
    assert run("--select", "EFS505", "--fail-on", "warning", *external)[0] == 1
    assert run("--select", "EFS505", "--fail-on", "error", str(CREATED_HERE))[0] == 1


def test_every_format_shows_the_finding_severity() -> None:
    paths = (str(EXTERNAL[0]), str(CREATED_HERE))
    _, text = run("--select", "EFS505", *paths)
    assert "EFS505 [warning]" in text and "EFS505 [error]" in text
    _, github = run("--select", "EFS505", "--format", "github", *paths)
    assert any(line.startswith("::warning ") for line in github.splitlines())
    assert any(line.startswith("::error ") for line in github.splitlines())
    _, sarif = run("--select", "EFS505", "--format", "sarif", *paths)
    doc = json.loads(sarif)["runs"][0]
    assert sorted(r["level"] for r in doc["results"]) == ["error", "warning", "warning"]
    (descriptor,) = [d for d in doc["tool"]["driver"]["rules"] if d["id"] == "EFS505"]
    assert descriptor["defaultConfiguration"]["level"] == "error"
    _, junit = run("--select", "EFS505", "--format", "junit", *paths)
    texts = [el.text or "" for el in ET.fromstring(junit).iter() if el.tag in ("failure", "error")]
    assert any("[warning]" in t for t in texts) and any("[error]" in t for t in texts)


def test_rules_json_lists_the_cases() -> None:
    _, out = run("rules", "--format", "json")
    (rule,) = [r for r in json.loads(out) if r["id"] == "EFS505"]
    assert rule["severity"] == "error" and rule["severity_when"] == {"external": "warning"}


def _doc(**changes: object) -> dict:
    doc = yaml.safe_load(
        (Path(__file__).parents[1] / "rules" / "EFS505-access-point-path-not-created.yaml").read_text()
    )
    doc.update(id="ORG505", **changes)
    return doc


def test_schema_accepts_lower_cases_and_rejects_others(tmp_path: Path) -> None:
    validate_rule_document(_doc(), tmp_path / "ok.yaml")
    for bad in ({"external": "error"}, {"External": "warning"}, {}, {"external": "fatal"}):
        with pytest.raises(RuleError, match="severity_when"):
            validate_rule_document(_doc(severity_when=bad), tmp_path / "bad.yaml")


def test_a_case_must_lower_the_severity() -> None:
    with pytest.raises(RuleError, match="not lower than the rule's warning"):
        Rule.from_document(_doc(severity="warning"), None, builtin=False)
    rule = Rule.from_document(_doc(), None, builtin=False)
    assert rule.severity_when == {"external": Severity.WARNING}


def test_custom_rule_with_a_builtin_check_can_use_the_case(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    doc = _doc(name="org-access-point-path", severity_when={"external": "info"})
    (rules / "ORG505.yaml").write_text(yaml.safe_dump(doc))
    assert Catalog.load([rules]).get("ORG505").severity_when == {"external": Severity.INFO}
    _, out = run(
        "--format", "json", "--select", "ORG505", "--rules", str(rules), str(EXTERNAL[0]), str(CREATED_HERE)
    )
    assert sorted(f["severity"] for f in json.loads(out)["findings"]) == ["error", "info", "info"]


def test_builtin_cases_are_named_by_their_checks() -> None:
    from efslint.checks import check_cases

    with_cases = [rule for rule in Catalog.load() if rule.severity_when]
    assert [rule.id for rule in with_cases] == ["EFS505"]
    for rule in with_cases:
        assert set(rule.severity_when) <= set(check_cases(rule.condition["check"])), rule.id


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"severity_when": {"elsewhere": "warning"}}, "severity_when.elsewhere is not a case of check"),
        (
            {"severity_when": {"external": "warning"}, "condition": {"require": {"required": ["root_path"]}}},
            "only checks name cases",
        ),
    ],
)
def test_custom_rule_with_an_unknown_case_is_a_clear_error(
    tmp_path: Path, changes: dict, message: str
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "ORG505.yaml").write_text(yaml.safe_dump(_doc(name="org-access-point-path", **changes)))
    result = CliRunner().invoke(cli, ["--rules", str(rules), str(CREATED_HERE)])
    assert result.exit_code == 2
    assert message in result.stderr and "ORG505.yaml" in result.stderr
