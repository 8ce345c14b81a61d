"""Baselines: record today's findings, then report only new ones; survive line shifts and cwd."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from efslint.cli.commands import cli

TASKDEFS = Path(__file__).parent / "fixtures" / "taskdef"
BROKEN = TASKDEFS / "EFS101-fire.json"  # EFS101 error (transitEncryption line), EFS112 info


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def active(*args: str) -> list[tuple[str, str, int]]:
    code, out, err = run("--format", "json", *args)
    assert code in (0, 1), err
    return [
        (f["rule"], f["location"]["file"], f["location"]["line"])
        for f in json.loads(out)["findings"]
        if f["suppressed"] is None
    ]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / "infra").mkdir(parents=True)
    shutil.copy(BROKEN, root / "infra" / "td.json")
    monkeypatch.chdir(root)
    return root


def test_write_then_use_reports_nothing(repo: Path) -> None:
    code, out, err = run("--write-baseline", "baseline.json", "infra")
    assert code == 0 and out == ""
    assert "recorded 2 finding(s) in baseline baseline.json" in err
    doc = json.loads((repo / "baseline.json").read_text())
    assert doc["version"] == 1
    assert [(e["rule"], e["file"], e["line"]) for e in doc["findings"]] == [
        ("EFS112", "infra/td.json", 25),
        ("EFS101", "infra/td.json", 27),
    ]
    code, out, _ = run("--baseline", "baseline.json", "infra")
    assert code == 0
    assert out.strip().endswith("0 errors, 0 warnings, 0 info, 2 suppressed in 1 file linted; "
                                "exit 0: no findings at or above 'warning'")  # fmt: skip


def test_findings_survive_line_shifts_and_new_ones_are_reported(repo: Path) -> None:
    run("--write-baseline", "baseline.json", "infra")
    td = repo / "infra" / "td.json"
    doc = json.loads(td.read_text())
    # Unrelated edits above the findings: a new top-level key and reformatting shift every line.
    doc = {"cpu": "512", "tags": [{"key": "team", "value": "data"}], **doc}
    doc["volumes"].append(
        {"name": "cache", "efsVolumeConfiguration": {"fileSystemId": "fs-0123456789abcdef1",
                                                     "authorizationConfig": {"iam": "ENABLED"}}}
    )  # fmt: skip
    doc["containerDefinitions"][0]["mountPoints"].append({"sourceVolume": "cache", "containerPath": "/c"})
    td.write_text("\n\n\n" + json.dumps(doc, indent=4))
    found = active("--baseline", "baseline.json", "infra")
    assert {rule for rule, _, _ in found} == {"EFS101", "EFS112"}
    code, out, _ = run("--baseline", "baseline.json", "infra")
    assert code == 1
    # Only the new volume's findings: the baselined 'data' volume moved but is still recognised.
    assert all("'cache'" in line for line in out.splitlines()[:-1]), out


def test_baseline_works_from_another_working_directory(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run("--write-baseline", "baseline.json", "infra")
    monkeypatch.chdir(repo / "infra")
    assert active("--baseline", "../baseline.json", "td.json") == []


def test_stale_entry_is_reported_once_its_file_is_linted(repo: Path) -> None:
    shutil.copy(BROKEN, repo / "infra" / "other.json")
    run("--write-baseline", "baseline.json", "infra")
    fixed = json.loads((repo / "infra" / "td.json").read_text())
    fixed["volumes"][0]["efsVolumeConfiguration"]["transitEncryption"] = "ENABLED"
    (repo / "infra" / "td.json").write_text(json.dumps(fixed, indent=2))
    code, out, _ = run("--baseline", "baseline.json", "infra")
    assert code == 0, "EFS001 is informational"
    lines = [line for line in out.splitlines() if " EFS001 " in line]
    text = (repo / "baseline.json").read_text().splitlines()
    # The entry's "fingerprint" line: just above its "rule", which is followed by its "file".
    entry_line = next(
        number - 1
        for number, line in enumerate(text, start=1)
        if '"rule": "EFS101"' in line and '"file": "infra/td.json"' in text[number]
    )
    assert len(lines) == 1
    assert lines[0].startswith(f"baseline.json:{entry_line}:1: EFS001 [info] ")
    assert "baseline entry for EFS101 in infra/td.json matches no finding" in lines[0]
    # Linting only another file (as pre-commit does) cannot prove td.json's entry stale.
    assert active("--baseline", "baseline.json", "infra/other.json") == []


def test_parse_errors_are_not_baselined(repo: Path) -> None:
    (repo / "infra" / "bad.json").write_text('{"containerDefinitions": [}')
    code, _, err = run("--write-baseline", "baseline.json", "infra")
    assert code == 2
    assert "EFS000 [error]" in err and "infra/bad.json" in err
    assert {e["rule"] for e in json.loads((repo / "baseline.json").read_text())["findings"]} == {
        "EFS101",
        "EFS112",
    }
    code, out, _ = run("--baseline", "baseline.json", "infra")
    assert code == 2 and "EFS000" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline.json: baseline file not found (create it with --write-baseline)"),
        ('{"version": 1,\n "findings": [\n', "baseline.json:3: invalid JSON"),
        ('{"version": 1, "results": []}', "baseline.json: not an efslint baseline (no 'findings' list)"),
        ('{"version": 7, "findings": []}', "baseline.json: unsupported baseline version 7"),
        ('{"version": 1, "findings": [\n  {"rule": "EFS101"}\n]}', "baseline.json:2: findings[0]: needs"),
    ],
)
def test_bad_baseline_is_exit_2(repo: Path, content: str | None, message: str) -> None:
    if content is not None:
        (repo / "baseline.json").write_text(content)
    code, out, err = run("--baseline", "baseline.json", "infra")
    assert code == 2 and out == ""
    assert err.startswith(f"efslint: error: {message}"), err


CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: arn:aws:iam::111122223333:role/app-task
      ContainerDefinitions:
        - Name: app
          Image: public.ecr.aws/docker/library/nginx:latest
          MountPoints:
            - {SourceVolume: data, ContainerPath: /data}
      Volumes:
        - Name: data
          EFSVolumeConfiguration:
            FilesystemId: fs-0123456789abcdef0
            TransitEncryption: DISABLED
            AuthorizationConfig: {IAM: ENABLED}
"""

TF_SERVICE = """\
resource "aws_ecs_task_definition" "app" {
  family        = "app"
  network_mode  = "awsvpc"
  task_role_arn = "arn:aws:iam::111122223333:role/app"
  volume {
    name = "data"
    efs_volume_configuration {
      file_system_id = aws_efs_file_system.data.id
      authorization_config {
        iam = "ENABLED"
      }
    }
  }
  container_definitions = jsonencode([{ name = "app", image = "nginx", mountPoints = [{ sourceVolume = "data", containerPath = "/data" }] }])
}

resource "aws_efs_file_system" "data" {
  encrypted = false
}
"""


@pytest.mark.parametrize(
    ("name", "text", "unrelated"),
    [
        (
            "stack.yaml",
            CFN,
            (
                "Resources:\n",
                "Parameters:\n  Env: {Type: String, Default: dev}\n# a comment\nResources:\n"
                "  Log:\n    Type: AWS::Logs::LogGroup\n    Properties: {RetentionInDays: 7}\n",
            ),
        ),
        (
            "main.tf",
            TF_SERVICE,
            (
                'resource "aws_ecs_task_definition"',
                'locals {\n  env = "dev"\n}\n\nresource "aws_ecs_task_definition"',
            ),
        ),
    ],
)
def test_templates_and_modules_survive_unrelated_edits(
    repo: Path, name: str, text: str, unrelated: tuple[str, str]
) -> None:
    target = repo / "infra" / name
    target.write_text(text)
    (repo / "infra" / "td.json").unlink()
    before = active("infra")
    assert any(rule == "EFS101" for rule, _, _ in before), before
    run("--write-baseline", "baseline.json", "infra")
    target.write_text(text.replace(*unrelated, 1))
    after = active("infra")
    assert [line for _, _, line in after] != [line for _, _, line in before], "the edit moved the findings"
    assert active("--baseline", "baseline.json", "infra") == []
