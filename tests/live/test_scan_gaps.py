"""Denied and throttled reads: EFS904, never a pass or a fail, the rest of the scan goes on.

moto does not enforce IAM, so a denial is injected with a botocore ``before-call`` handler that
answers the chosen operations with an error response (the mechanism botocore's Stubber uses);
every other call still goes over HTTP to the moto server.
"""

from __future__ import annotations

import pytest

from .conftest import refuse, run_scan
from .seed import NFS_FROM, Account, healthy

IGNORE_MOTO_IDS = ("--ignore", "EFS109")


def test_denied_policy_read_is_not_checked_not_a_finding(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = healthy(account)
    plain = account.task_definition("plain", ids["fs"], transit_encryption=None)
    account.service(ids["cluster"], "plain-svc", plain, [ids["a"], ids["b"]], [ids["task_sg"]])
    refuse(monkeypatch, {"DescribeFileSystemPolicy": "AccessDeniedException"})
    run = run_scan(account, *IGNORE_MOTO_IDS)
    [gap] = run.of("EFS904")
    assert "elasticfilesystem:DescribeFileSystemPolicy" in gap["message"]
    assert "AccessDeniedException" in gap["message"] and ids["fs"] in gap["message"]
    assert gap["location"]["file"] == "aws://us-east-1/123456789012"
    # Policy rules cannot judge an unread policy ...
    assert not run.rules() & {"EFS402", "EFS403", "EFS404", "EFS405", "EFS406"}
    # ... and the rest of the scan went on.
    assert "EFS104" in run.rules()


def test_denied_security_groups_keep_network_rules_quiet(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = healthy(account)
    account.client("ec2").revoke_security_group_ingress(
        GroupId=ids["mt_sg"], IpPermissions=[NFS_FROM(ids["task_sg"])]
    )
    assert "EFS304" in run_scan(account, *IGNORE_MOTO_IDS).rules()
    refuse(monkeypatch, {"DescribeSecurityGroups": "UnauthorizedOperation"})
    run = run_scan(account, *IGNORE_MOTO_IDS)
    assert "EFS304" not in run.rules() and "EFS305" not in run.rules()
    [gap] = run.of("EFS904")
    assert gap["message"].startswith("Not checked: security group rules (EFS304-EFS306)")
    assert "ec2:DescribeSecurityGroups failed with UnauthorizedOperation" in gap["message"]
    assert run.exit_code == 0  # info only: a missing permission is not a failure of the account


def test_throttled_services_are_not_checked(account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    healthy(account)
    refuse(monkeypatch, {"DescribeServices": "ThrottlingException"})
    run = run_scan(account, *IGNORE_MOTO_IDS)
    [gap] = run.of("EFS904")
    assert "ecs:DescribeServices failed with ThrottlingException" in gap["message"]
    assert not [f for f in run.findings if f["rule"].startswith(("EFS2", "EFS3"))]


def test_denied_interfaces_fall_back_to_mount_target_groups(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = healthy(account)
    account.client("ec2").revoke_security_group_ingress(
        GroupId=ids["mt_sg"], IpPermissions=[NFS_FROM(ids["task_sg"])]
    )
    refuse(monkeypatch, {"DescribeNetworkInterfaces": "UnauthorizedOperation"})
    run = run_scan(account, *IGNORE_MOTO_IDS)
    assert "EFS904" not in run.rules()  # DescribeMountTargetSecurityGroups covered for it
    assert [f["location"]["file"].rsplit("/", 1)[-1] for f in run.of("EFS304")] == [ids["mt_sg"]]


def test_denied_cluster_listing(account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    healthy(account)
    refuse(monkeypatch, {"ListClusters": "AccessDeniedException"})
    run = run_scan(account)
    assert run.rules() == {"EFS904"}
    assert "ecs:ListClusters" in run.findings[0]["message"]
    assert "nothing to check" not in run.stderr


def test_denied_services_with_service_filter_is_not_checked(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    healthy(account)
    refuse(monkeypatch, {"DescribeServices": "AccessDeniedException"})
    run = run_scan(account, "--service", "good-svc")
    assert run.exit_code == 0 and run.rules() == {"EFS904"}  # not "service not found"


def test_rejected_credentials_stop_the_scan(account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from efslint.cli.commands import cli

    refuse(monkeypatch, {"GetCallerIdentity": "InvalidClientTokenId"})
    result = CliRunner().invoke(cli, ["scan", "--endpoint-url", account.endpoint, "--region", "us-east-1"])
    assert result.exit_code == 2
    assert result.stderr == (
        "efslint: error: AWS rejected the credentials (InvalidClientTokenId) when calling "
        "sts:GetCallerIdentity in us-east-1\n"
    )
