"""The pre-commit hook end to end, with the real pre-commit framework and real git commits.

The hook repository is a snapshot of this working tree (committed into a temporary repository,
because pre-commit clones a revision); pre-commit builds its own virtualenv from it, exactly as a
user's machine does.  Skipped only when pre-commit or git is not installed.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TASKDEFS = ROOT / "tests" / "fixtures" / "taskdef"

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None, reason="pre-commit is not installed"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]

GIT_ENV = {
    "GIT_AUTHOR_NAME": "efslint tests",
    "GIT_AUTHOR_EMAIL": "tests@efslint.invalid",
    "GIT_COMMITTER_NAME": "efslint tests",
    "GIT_COMMITTER_EMAIL": "tests@efslint.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env or {**os.environ, **GIT_ENV}, capture_output=True, text=True
    )


def snapshot_hook_repo(target: Path) -> str:
    """Copy the working tree (tracked and untracked, not ignored) into a new repository; its sha."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if listed.returncode != 0:
        pytest.skip("the project is not a git checkout")
    target.mkdir()
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q")
    git(target, "add", "-A")
    assert git(target, "commit", "-q", "-m", "snapshot").returncode == 0
    return git(target, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("precommit")
    hook_repo = base / "hook-repo"
    rev = snapshot_hook_repo(hook_repo)
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(base / "cache")}
    env.pop("VIRTUAL_ENV", None)
    return {"repo": hook_repo, "rev": rev, "env": env}


@pytest.fixture
def project(tmp_path: Path, hook_env: dict[str, object]) -> Path:
    """A user's repository with efslint installed as its git pre-commit hook."""
    repo = tmp_path / "project"
    repo.mkdir()
    env = hook_env["env"]
    assert isinstance(env, dict)
    git(repo, "init", "-q", env=env)
    config = {
        "repos": [{"repo": str(hook_env["repo"]), "rev": hook_env["rev"], "hooks": [{"id": "efslint"}]}]
    }
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, check=True, capture_output=True
    )
    git(repo, "add", ".pre-commit-config.yaml", env=env)
    assert git(repo, "commit", "-q", "-m", "pre-commit config", env=env).returncode == 0
    return repo


def commit(repo: Path, env: dict[str, str], *files: str) -> subprocess.CompletedProcess[str]:
    git(repo, "add", *files, env=env)
    return git(repo, "commit", "-m", "change", env=env)


def head_subject(repo: Path, env: dict[str, str]) -> str:
    return git(repo, "log", "-1", "--format=%s", env=env).stdout.strip()


def test_hook_definition_selects_files_and_runs_serially() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "efslint")
    assert hook["types_or"] == ["yaml", "json", "terraform"]
    assert hook["require_serial"] is True
    assert hook["entry"] == "efslint" and hook["language"] == "python"


def test_broken_task_definition_blocks_the_commit(project: Path, hook_env: dict[str, object]) -> None:
    env = hook_env["env"]
    assert isinstance(env, dict)
    shutil.copy(TASKDEFS / "EFS101-fire.json", project / "taskdef.json")
    done = commit(project, env, "taskdef.json")
    assert done.returncode != 0, done.stdout + done.stderr
    output = done.stdout + done.stderr
    assert "efslint" in output and "Failed" in output
    assert "taskdef.json:27:9: EFS101 [error] EFS volume 'data' enables IAM authorization" in output
    assert head_subject(project, env) == "pre-commit config", "the commit must not have happened"


def test_fixed_task_definition_commits(project: Path, hook_env: dict[str, object]) -> None:
    env = hook_env["env"]
    assert isinstance(env, dict)
    shutil.copy(TASKDEFS / "EFS101-quiet.json", project / "taskdef.json")
    # A YAML file that is not ours (a CI workflow) is passed by pre-commit and skipped silently.
    (project / "workflow.yaml").write_text("on: push\njobs: {build: {runs-on: ubuntu-latest}}\n")
    done = commit(project, env, "taskdef.json", "workflow.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "efslint....." in done.stderr and "Passed" in done.stderr
    assert head_subject(project, env) == "change"


def test_config_exclude_applies_to_files_pre_commit_passes(
    project: Path, hook_env: dict[str, object]
) -> None:
    env = hook_env["env"]
    assert isinstance(env, dict)
    (project / ".efslint.yaml").write_text("exclude:\n  - legacy/**\n")
    (project / "legacy").mkdir()
    shutil.copy(TASKDEFS / "EFS101-fire.json", project / "legacy" / "taskdef.json")
    done = commit(project, env, ".efslint.yaml", "legacy/taskdef.json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert head_subject(project, env) == "change"


CFN_BROKEN = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: One Fargate task keeping its data on EFS.
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: app
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "512"
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
            AuthorizationConfig:
              AccessPointId: fsap-0123456789abcdef0
              IAM: ENABLED
"""


def test_cloudformation_template_blocked_then_fixed(project: Path, hook_env: dict[str, object]) -> None:
    env = hook_env["env"]
    assert isinstance(env, dict)
    (project / "stack.yaml").write_text(CFN_BROKEN)
    done = commit(project, env, "stack.yaml")
    assert done.returncode != 0
    assert "stack.yaml:22:13: EFS101 [error]" in done.stderr + done.stdout
    assert head_subject(project, env) == "pre-commit config"
    (project / "stack.yaml").write_text(
        CFN_BROKEN.replace("TransitEncryption: DISABLED", "TransitEncryption: ENABLED")
    )
    done = commit(project, env, "stack.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert head_subject(project, env) == "change"


NETWORK_TF = """\
resource "aws_vpc" "main" {
  cidr_block           = "10.3.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.3.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.3.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_subnet" "c" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.3.3.0/24"
  availability_zone = "us-east-1c"
}

resource "aws_efs_file_system" "data" {
  encrypted = true
}

resource "aws_efs_mount_target" "a" {
  file_system_id = aws_efs_file_system.data.id
  subnet_id      = aws_subnet.a.id
}

resource "aws_efs_mount_target" "b" {
  file_system_id = aws_efs_file_system.data.id
  subnet_id      = aws_subnet.b.id
}
"""

SERVICE_TF = """\
resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  task_role_arn            = "arn:aws:iam::111122223333:role/app"
  volume {
    name = "data"
    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.data.id
      transit_encryption = "ENABLED"
      authorization_config {
        iam = "ENABLED"
      }
    }
  }
  container_definitions = jsonencode([{ name = "app", image = "nginx", mountPoints = [{ sourceVolume = "data", containerPath = "/data" }] }])
}

resource "aws_ecs_service" "app" {
  name            = "app"
  launch_type     = "FARGATE"
  task_definition = aws_ecs_task_definition.app.arn
  network_configuration {
    subnets = [aws_subnet.a.id, aws_subnet.b.id]
  }
  depends_on = [aws_efs_mount_target.a, aws_efs_mount_target.b]
}
"""


def test_changed_tf_file_is_linted_with_its_unchanged_sibling(
    project: Path, hook_env: dict[str, object]
) -> None:
    env = hook_env["env"]
    assert isinstance(env, dict)
    (project / "infra").mkdir()
    (project / "infra" / "network.tf").write_text(NETWORK_TF)
    (project / "infra" / "service.tf").write_text(SERVICE_TF)
    done = commit(project, env, "infra/network.tf", "infra/service.tf")
    assert done.returncode == 0, done.stdout + done.stderr
    # Only service.tf changes: the service moves into us-east-1c, where the file system defined in
    # the unchanged network.tf has no mount target. Seeing it needs the sibling file.
    (project / "infra" / "service.tf").write_text(
        SERVICE_TF.replace("[aws_subnet.a.id, aws_subnet.b.id]", "[aws_subnet.a.id, aws_subnet.c.id]")
    )
    done = commit(project, env, "infra/service.tf")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert (
        "infra/service.tf:24:5: EFS301 [error] ECS service 'aws_ecs_service.app' runs tasks in subnet(s) aws_subnet.c (us-east-1c)"
        in output
    )
    assert (
        "infra/network.tf:19:1: note: subnet aws_subnet.c (us-east-1c) has no mount target in its AZ"
        in output
    )
    assert "1 file linted" in output, "findings are reported for the changed file only"
