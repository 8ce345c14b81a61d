"""EFS903: stopped reasons (AWS-FACTS §7) mapped to causes and to the rule that explains them."""

from __future__ import annotations

import pytest

from efslint.checks.live import classify

from .conftest import run_scan
from .scenarios import DNS_FAILURE, build
from .seed import Account

PREFIX = "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: "


@pytest.mark.parametrize(
    ("reason", "rules"),
    [
        (DNS_FAILURE, ("EFS901", "EFS301", "EFS307", "EFS310")),
        (
            "Error response from daemon: create ecs-app-1-data: VolumeDriver.Create: mounting volume failed: "
            'Failed to resolve "fs-0123abcd.efs.us-east-1.amazonaws.com"',
            ("EFS901", "EFS301", "EFS307", "EFS310"),
        ),
        (PREFIX + "mount.nfs4: Connection reset by peer : unsuccessful EFS utils command execution; code: 32",
         ("EFS304", "EFS305", "EFS301")),
        (PREFIX + "b'mount.nfs4: access denied by server while mounting 127.0.0.1:/' : unsuccessful EFS utils "
         "command execution; code: 32", ("EFS401", "EFS402", "EFS403", "EFS404")),
        (PREFIX + "b'mount.nfs4: mounting 127.0.0.1:fsap-0123456789abcdef0 failed, reason given by server: No such "
         "file or directory' : unsuccessful EFS utils command execution; code: 32", ("EFS505", "EFS902")),
    ],
)  # fmt: skip
def test_reasons_map_to_rules(reason: str, rules: tuple[str, ...]) -> None:
    found = classify(reason)
    assert found is not None and found[1] == rules


@pytest.mark.parametrize(
    "reason",
    [
        "Scaling activity initiated by (deployment ecs-svc/123)",
        "Essential container in task exited",
        "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:...)",
        "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
    ],
)
def test_other_reasons_are_not_efs_failures(reason: str) -> None:
    assert classify(reason) is None


def test_stopped_service_task_names_the_explaining_rule(account: Account) -> None:
    ids = build(account, mount_target_azs="a", stopped_reason=DNS_FAILURE)
    run = run_scan(account, "--select", "EFS903,EFS301")
    [finding] = run.of("EFS903")
    assert finding["message"].startswith(
        'A task of service web stopped with an EFS mount failure: "ResourceInit'
    )
    assert finding["message"].endswith(
        "Cause: EFS301 (no-mount-target-in-task-az) fires for this workload; fix that finding."
    )
    assert [r["location"]["file"] for r in finding["related"]] == [ids["service"], ids["td"]]


def test_repeated_failures_are_one_finding(account: Account) -> None:
    ids = build(account, stopped_reason=DNS_FAILURE)
    ecs = account.client("ecs")
    for _ in range(2):
        task = ecs.run_task(
            cluster=ids["cluster"], taskDefinition=ids["td"], launchType="FARGATE", group="service:web",
            networkConfiguration={"awsvpcConfiguration": {"subnets": [ids["a"]], "securityGroups": [ids["task_sg"]]}},
        )["tasks"][0]  # fmt: skip
        ecs.stop_task(cluster=ids["cluster"], task=task["taskArn"], reason=DNS_FAILURE)
    [finding] = run_scan(account, "--select", "EFS903").of("EFS903")
    assert "(3 recent tasks with this reason)" in finding["message"]
    # No rule fires for this healthy workload, so the message falls back to the likely cause.
    assert "Likely cause: the file system's DNS name did not resolve" in finding["message"]
