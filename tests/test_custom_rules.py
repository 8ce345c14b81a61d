"""Custom rules: a folder of rule files in the built-in format, loaded with --rules or from config;
a malformed rule file is one clear error naming it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from efslint.cli.commands import cli
from efslint.engine.catalog import validate_rule_document

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "custom-rules"
RULE_FILE = EXAMPLE / "rules" / "ORG001-efs-volume-uses-access-point.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_example_policy_is_a_valid_rule_file() -> None:
    validate_rule_document(yaml.safe_load(RULE_FILE.read_text()), RULE_FILE)


def test_example_policy_fires_only_on_the_volume_without_access_point() -> None:
    code, out, _ = run(
        "--format", "json", "--rules", str(EXAMPLE / "rules"), str(EXAMPLE / "task-definition.json")
    )
    assert code == 1
    got = [(f["rule"], f["location"]["line"], f["severity"]) for f in json.loads(out)["findings"]]
    assert got == [("EFS112", 31, "info"), ("ORG001", 31, "error")]
    org = next(f for f in json.loads(out)["findings"] if f["rule"] == "ORG001")
    assert org["message"].startswith(
        "EFS volume 'output' in reports/volumes/output mounts file system fs-0a1b2c3d4e5f60718 without an access point"
    )


def test_example_config_loads_the_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE)
    code, out, _ = run("task-definition.json")
    assert code == 1
    assert [line.split()[1] for line in out.splitlines()[:-1]] == ["ORG001"], "EFS112 ignored by the config"


def test_builtin_rules_alone_leave_the_example_clean_at_warning() -> None:
    assert run(str(EXAMPLE / "task-definition.json"))[0] == 0


def test_unknown_value_stays_quiet(tmp_path: Path) -> None:
    doc = json.loads((EXAMPLE / "task-definition.json").read_text())
    doc["volumes"][1]["efsVolumeConfiguration"]["authorizationConfig"]["accessPointId"] = {"Ref": "Ap"}
    target = tmp_path / "td.json"
    target.write_text(json.dumps(doc, indent=2))
    _, out, _ = run("--format", "json", "--select", "ORG001", "--rules", str(EXAMPLE / "rules"), str(target))
    assert json.loads(out)["findings"] == []


def _rule_dir(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / name).write_text(text)
    return folder


def _variant(**changes: object) -> str:
    doc = yaml.safe_load(RULE_FILE.read_text())
    for key, value in changes.items():
        if value is None:
            doc.pop(key)
        else:
            doc[key] = value
    return yaml.safe_dump(doc)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: ORG001\nname: [unclosed\n", "ORG.yaml: cannot read rule file: "),
        (_variant(docs=None), "ORG.yaml: invalid rule at (top level): 'docs' is a required property"),
        (_variant(severity="fatal"), "ORG.yaml: invalid rule at severity: 'fatal' is not one of"),
        (_variant(entity="bucket"), "ORG.yaml: invalid rule at entity: 'bucket' is not one of"),
        (
            _variant(condition={"require": {"type": 5}}),
            "ORG.yaml: rule ORG001: condition.require is not valid JSON Schema at type: 5 is not valid",
        ),
        (
            _variant(condition={"check": "nope"}),
            "ORG.yaml: rule ORG001: condition.check names no efslint predicate 'nope'",
        ),
        (
            _variant(condition={"when": {"type": "object"}}),
            "ORG.yaml: rule ORG001: condition needs 'require'",
        ),
        (_variant(id="EFS101"), "ORG.yaml: rule id EFS101 is already defined"),
        (
            _variant(message="Volume {name is wrong"),
            "ORG.yaml: rule ORG001: message is not a valid template: expected '}' before end of string",
        ),
        (
            _variant(message="Volume {0} is wrong"),
            "ORG.yaml: rule ORG001: message field {0} is positional; name an entity field, e.g. {name}",
        ),
        (
            _variant(message="Volume {name!x} is wrong"),
            "ORG.yaml: rule ORG001: message field {name!x} has an unknown conversion; use !r, !s or !a",
        ),
    ],
)
def test_malformed_rule_file_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    folder = _rule_dir(tmp_path, "ORG.yaml", text)
    code, out, err = run("--rules", str(folder), str(EXAMPLE / "task-definition.json"))
    assert code == 2 and out == ""
    assert err.startswith(f"efslint: error: {folder / 'ORG.yaml'}"), err
    assert message in err, err
    assert len(err.strip().splitlines()) == 1


def test_missing_rule_folder_is_an_error(tmp_path: Path) -> None:
    code, _, err = run("--rules", str(tmp_path / "none"), str(EXAMPLE / "task-definition.json"))
    assert code == 2 and "rule directory does not exist" in err


def test_custom_rule_from_config_respects_select_and_severity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(EXAMPLE / "rules", tmp_path / "policies")
    shutil.copy(EXAMPLE / "task-definition.json", tmp_path / "td.json")
    (tmp_path / ".efslint.yaml").write_text(
        "rules: [policies]\nselect: [efs-volume-uses-access-point]\nseverity: {ORG001: info}\n"
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("td.json")
    assert code == 0
    assert out.splitlines()[0].startswith("td.json:31:7: ORG001 [info] EFS volume 'output'")


def test_config_and_custom_rules_give_the_same_report_in_parallel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from efslint.pipeline import parallel
    from efslint.pipeline.discovery import discover

    doc = json.loads((EXAMPLE / "task-definition.json").read_text())
    # Large enough (files and bytes) for the parallel path.
    doc["containerDefinitions"][0]["environment"] = [
        {"name": f"VAR_{i}", "value": "x" * 40} for i in range(150)
    ]
    for index in range(30):
        folder = tmp_path / ("legacy" if index % 2 else "current")
        folder.mkdir(exist_ok=True)
        (folder / f"td{index:02}.json").write_text(json.dumps({**doc, "family": f"app{index}"}, indent=2))
    shutil.copytree(EXAMPLE / "rules", tmp_path / "policies")
    (tmp_path / ".efslint.yaml").write_text(
        "rules: [policies]\nseverity: {EFS112: warning}\nper-path-ignores:\n  legacy/**: [ORG001]\n"
    )
    monkeypatch.chdir(tmp_path)
    assert parallel.worth_parallel(discover(["."]), 2)
    monkeypatch.setattr(parallel, "available_cpus", lambda: 2)
    code, fanned_out, _ = run("--format", "json", ".")
    monkeypatch.setattr(parallel, "available_cpus", lambda: 1)
    serial_code, serial, _ = run("--format", "json", ".")
    assert (code, json.loads(fanned_out)["findings"]) == (serial_code, json.loads(serial)["findings"])
    findings = json.loads(serial)["findings"]
    org = [
        (f["location"]["file"].split("/")[0], f["suppressed"] is None)
        for f in findings
        if f["rule"] == "ORG001"
    ]
    assert sorted(set(org)) == [("current", True), ("legacy", False)] and len(org) == 30
    assert {f["severity"] for f in findings if f["rule"] == "EFS112"} == {"warning"}


def test_rules_and_explain_include_custom_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run("rules", "--rules", str(EXAMPLE / "rules"))
    assert code == 0 and out.splitlines()[-1].startswith("ORG001  efs-volume-uses-access-point")
    monkeypatch.chdir(EXAMPLE)  # the example's .efslint.yaml names the folder
    code, out, _ = run("explain", "efs-volume-uses-access-point")
    assert code == 0
    assert out.startswith("# ORG001 efs-volume-uses-access-point\n")
    assert "## Why it matters" in out and "fsap-0123456789abcdef0" in out
