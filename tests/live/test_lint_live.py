"""`efslint lint --live`: ids that files reference but do not define are read from the account."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from efslint.cli.commands import cli

from .seed import NFS_FROM, Account, healthy

TASK_DEFINITION = {
    "family": "app",
    "networkMode": "awsvpc",
    "requiresCompatibilities": ["FARGATE"],
    "containerDefinitions": [
        {
            "name": "app",
            "image": "busybox",
            "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"}],
        }
    ],
    "volumes": [
        {"name": "data", "efsVolumeConfiguration": {"fileSystemId": "FS", "transitEncryption": "ENABLED"}}
    ],
}

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  TaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: app
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions:
        - Name: app
          Image: busybox
          MountPoints:
            - SourceVolume: data
              ContainerPath: /data
      Volumes:
        - Name: data
          EFSVolumeConfiguration:
            FilesystemId: {fs}
            TransitEncryption: ENABLED
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: prod
      LaunchType: FARGATE
      TaskDefinition: !Ref TaskDef
      NetworkConfiguration:
        AwsvpcConfiguration:
          Subnets: [{a}, {b}]
          SecurityGroups: [{sg}]
"""


def lint(account: Account, path: Path, *extra: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(
        cli,
        ["lint", str(path), "--format", "json", "--live", "--endpoint-url", account.endpoint, "--region", "us-east-1",
         *extra],
    )  # fmt: skip
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return (
        result.exit_code,
        json.loads(result.stdout)["findings"] if result.stdout.strip() else [],
        result.stderr,
    )


def _taskdef(tmp_path: Path, fs_id: str, ap_id: str | None = None) -> Path:
    doc = json.loads(json.dumps(TASK_DEFINITION).replace('"FS"', json.dumps(fs_id)))
    if ap_id:
        doc["volumes"][0]["efsVolumeConfiguration"]["authorizationConfig"] = {"accessPointId": ap_id}
    path = tmp_path / "taskdef.json"
    path.write_text(json.dumps(doc, indent=2))
    return path


def test_existing_file_system_is_not_reported_missing(account: Account, tmp_path: Path) -> None:
    ids = healthy(account)
    code, findings, _ = lint(account, _taskdef(tmp_path, ids["fs"]), "--select", "EFS9")
    assert findings == [] and code == 0


def test_missing_file_system_and_access_point(account: Account, tmp_path: Path) -> None:
    healthy(account)
    path = _taskdef(tmp_path, "fs-0123456789abcdef0", "fsap-0123456789abcdef0")
    code, findings, _ = lint(account, path, "--select", "EFS9")
    lines = path.read_text().splitlines()
    fs_line = next(i for i, line in enumerate(lines, 1) if '"fileSystemId"' in line)
    ap_line = next(i for i, line in enumerate(lines, 1) if '"accessPointId"' in line)
    assert [(f["rule"], Path(f["location"]["file"]).resolve(), f["location"]["line"]) for f in findings] == [
        ("EFS901", path.resolve(), fs_line),
        ("EFS902", path.resolve(), ap_line),
    ]
    assert code == 1


def test_without_live_nothing_is_read(account: Account, tmp_path: Path) -> None:
    path = _taskdef(tmp_path, "fs-0123456789abcdef0")
    result = CliRunner().invoke(cli, ["lint", str(path), "--format", "json", "--select", "EFS9"])
    assert json.loads(result.stdout)["findings"] == []


def _template(tmp_path: Path, ids: dict[str, str]) -> Path:
    pytest.importorskip("efslint.sources.cloudformation.yaml_loader")
    path = tmp_path / "stack.yaml"
    path.write_text(TEMPLATE.format(fs=ids["fs"], a=ids["a"], b=ids["b"], sg=ids["task_sg"]))
    return path


def test_template_using_existing_file_system_network_checks(account: Account, tmp_path: Path) -> None:
    ids = healthy(account)
    path = _template(tmp_path, ids)
    code, findings, _ = lint(account, path, "--select", "EFS3,EFS9")
    assert findings == [], findings
    efs = account.client("efs")
    targets = efs.describe_mount_targets(FileSystemId=ids["fs"])["MountTargets"]
    efs.delete_mount_target(
        MountTargetId=next(t for t in targets if t["SubnetId"] == ids["b"])["MountTargetId"]
    )
    account.client("ec2").revoke_security_group_ingress(
        GroupId=ids["mt_sg"], IpPermissions=[NFS_FROM(ids["task_sg"])]
    )
    code, findings, _ = lint(account, path, "--select", "EFS301,EFS304")
    assert {f["rule"] for f in findings} == {"EFS301", "EFS304"}, findings
    [missing_az] = [f for f in findings if f["rule"] == "EFS301"]
    assert (
        Path(missing_az["location"]["file"]).resolve() == path.resolve()
        and "us-east-1b" in missing_az["message"]
    )
    assert code == 1


def test_live_setup_errors_exit_2(account: Account, tmp_path: Path) -> None:
    path = _taskdef(tmp_path, "fs-0123456789abcdef0")
    result = CliRunner().invoke(
        cli, ["lint", str(path), "--live", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"]
    )
    assert result.exit_code == 2
    assert result.stderr == "efslint: error: cannot reach the AWS endpoint http://127.0.0.1:9/\n"


def test_shared_file_system_is_reported_once(account: Account, tmp_path: Path) -> None:
    ids = healthy(account)
    unencrypted = account.file_system(encrypted=False)
    first = _taskdef(tmp_path, unencrypted)
    second = tmp_path / "second.json"
    second.write_text(first.read_text().replace('"app"', '"other"'))
    code, findings, _ = lint(account, tmp_path, "--select", "EFS501")
    assert [f["location"]["file"].rsplit("/", 1)[-1] for f in findings] == [unencrypted]
    assert code == 1 and ids["fs"] != unencrypted


def test_markdown_draws_the_mount_targets_the_account_resolved(account: Account, tmp_path: Path) -> None:
    from report_checks import check_markdown

    ids = healthy(account)
    path = _template(tmp_path, ids)
    efs = account.client("efs")
    targets = efs.describe_mount_targets(FileSystemId=ids["fs"])["MountTargets"]
    efs.delete_mount_target(
        MountTargetId=next(t for t in targets if t["SubnetId"] == ids["b"])["MountTargetId"]
    )
    result = CliRunner().invoke(
        cli,
        ["lint", str(path), "--format", "markdown", "--live", "--endpoint-url", account.endpoint,
         "--region", "us-east-1", "--select", "EFS301"],
    )  # fmt: skip
    assert result.exit_code == 1, result.stderr
    [chart] = check_markdown(result.stdout)
    [mount_target] = [label for label in chart.nodes.values() if label.startswith("Mount target")]
    # Read from the account: the mount target's id, AZ and subnet.
    assert mount_target.startswith("Mount target<br/>fsmt-")
    assert "us-east-1a" in mount_target and ids["a"] in mount_target
    [lonely] = [
        n for n, label in chart.nodes.items() if label.startswith("Task subnet") and "EFS301" in label
    ]
    assert lonely in chart.classes["broken"]
