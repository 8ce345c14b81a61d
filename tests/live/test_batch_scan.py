"""`efslint scan` reads AWS Batch: job definitions, compute environments, queues and their jobs."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import refuse, rewrite, run_scan
from .seed import Account

AZ_A, AZ_B = "us-east-1a", "us-east-1b"


def _batch_account(
    account: Account, *, platform_version: str, second_subnet_mount_target: bool
) -> dict[str, str]:
    vpc = account.vpc()
    subnet_a = account.subnet(vpc, "10.0.1.0/24", AZ_A)
    subnet_b = account.subnet(vpc, "10.0.2.0/24", AZ_B)
    jobs = account.group(vpc, "jobs")
    efs_sg = account.group(
        vpc,
        "efs",
        [{"IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049, "UserIdGroupPairs": [{"GroupId": jobs}]}],
    )
    fs = account.file_system()
    account.mount_target(fs, subnet_a, [efs_sg])
    if second_subnet_mount_target:
        account.mount_target(fs, subnet_b, [efs_sg])
    batch = account.client("batch")
    iam = account.client("iam")
    role = iam.create_role(RoleName="batch-service", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    ce = batch.create_compute_environment(
        computeEnvironmentName="ml-fargate",
        type="MANAGED",
        state="ENABLED",
        serviceRole=role,
        computeResources={
            "type": "FARGATE",
            "maxvCpus": 16,
            "subnets": [subnet_a, subnet_b],
            "securityGroupIds": [jobs],
        },
    )["computeEnvironmentArn"]
    queue = batch.create_job_queue(
        jobQueueName="ml",
        state="ENABLED",
        priority=1,
        computeEnvironmentOrder=[{"order": 1, "computeEnvironment": ce}],
    )["jobQueueArn"]
    jd = batch.register_job_definition(
        jobDefinitionName="train",
        type="container",
        platformCapabilities=["FARGATE"],
        containerProperties={
            "image": "public.ecr.aws/x/train:latest",
            "resourceRequirements": [{"type": "VCPU", "value": "1"}, {"type": "MEMORY", "value": "2048"}],
            "executionRoleArn": role,
            "fargatePlatformConfiguration": {"platformVersion": platform_version},
            "volumes": [
                {
                    "name": "dataset",
                    "efsVolumeConfiguration": {"fileSystemId": fs, "transitEncryption": "ENABLED"},
                }
            ],
            "mountPoints": [{"sourceVolume": "dataset", "containerPath": "/data", "readOnly": True}],
        },
    )["jobDefinitionArn"]
    return {"fs": fs, "ce": ce, "queue": queue, "jd": jd}


def _jobs_of(jd: str) -> Any:
    def change(parsed: dict[str, Any]) -> None:
        # moto runs no jobs: the queue reports one job of the job definition, as Batch would.
        parsed["jobSummaryList"] = [{"jobArn": "arn:aws:batch:us-east-1:123456789012:job/1", "jobId": "1",
                                     "jobName": "train-1", "jobDefinition": jd}]  # fmt: skip

    return change


def test_batch_job_definition_platform_version_and_network(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _batch_account(account, platform_version="1.3.0", second_subnet_mount_target=False)
    rewrite(monkeypatch, "ListJobs", _jobs_of(ids["jd"]))
    run = run_scan(account)
    (too_old,) = run.of("EFS201")
    assert too_old["location"]["file"] == ids["jd"]
    assert "fargatePlatformConfiguration.platformVersion" in too_old["message"]
    (no_mount_target,) = run.of("EFS301")
    assert "Batch compute environment 'ml-fargate' (job definition 'train')" in no_mount_target["message"]
    assert AZ_B in no_mount_target["message"]


def test_batch_fixed_account_is_quiet(account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _batch_account(account, platform_version="LATEST", second_subnet_mount_target=True)
    rewrite(monkeypatch, "ListJobs", _jobs_of(ids["jd"]))
    run = run_scan(account)
    assert not run.of("EFS201") and not run.of("EFS301") and not run.of("EFS304")
    # The volume was read: IAM authorization is off on it.
    assert [f["location"]["file"] for f in run.of("EFS105")] == [ids["jd"]]


def test_batch_queue_without_jobs_links_nothing(account: Account) -> None:
    _batch_account(account, platform_version="1.4.0", second_subnet_mount_target=False)
    run = run_scan(account)
    assert run.of("EFS202") and not run.of("EFS301")


def test_batch_denied_is_not_checked(account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    _batch_account(account, platform_version="1.3.0", second_subnet_mount_target=False)
    refuse(monkeypatch, {"DescribeJobDefinitions": "AccessDeniedException"})
    run = run_scan(account)
    assert not run.of("EFS201")
    assert any("batch:DescribeJobDefinitions" in f["message"] for f in run.of("EFS904"))


def test_multi_node_job_definition_is_noted_not_misread(account: Account) -> None:
    batch = account.client("batch")
    batch.register_job_definition(
        jobDefinitionName="mpi",
        type="multinode",
        nodeProperties={
            "numNodes": 2,
            "mainNode": 0,
            "nodeRangeProperties": [
                {
                    "targetNodes": "0:",
                    "container": {
                        "image": "public.ecr.aws/x/mpi:latest",
                        "vcpus": 1,
                        "memory": 512,
                        "volumes": [
                            {"name": "d", "efsVolumeConfiguration": {"fileSystemId": "fs-0123456789abcdef0"}}
                        ],
                    },
                }
            ],
        },
    )
    run = run_scan(account)
    (note,) = run.of("EFS002")
    assert "multi-node parallel job definition 'mpi'" in note["message"]
    assert not run.of("EFS104") and not run.of("EFS105")


def test_old_agent_in_a_batch_ec2_compute_environment(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .seed import ec2_capacity

    vpc = account.vpc()
    subnet = account.subnet(vpc, "10.0.1.0/24", AZ_A)
    instances = account.group(vpc, "instances")
    efs_sg = account.group(
        vpc,
        "efs",
        [
            {
                "IpProtocol": "tcp",
                "FromPort": 2049,
                "ToPort": 2049,
                "UserIdGroupPairs": [{"GroupId": instances}],
            }
        ],
    )
    fs = account.file_system()
    account.mount_target(fs, subnet, [efs_sg])
    batch = account.client("batch")
    role = account.client("iam").create_role(RoleName="batch-ec2", AssumeRolePolicyDocument="{}")["Role"][
        "Arn"
    ]
    profile = account.client("iam").create_instance_profile(InstanceProfileName="batch-ec2")[
        "InstanceProfile"
    ]
    ce = batch.create_compute_environment(
        computeEnvironmentName="ml-ec2",
        type="MANAGED",
        state="ENABLED",
        serviceRole=role,
        computeResources={
            "type": "EC2",
            "minvCpus": 0,
            "maxvCpus": 16,
            "desiredvCpus": 0,
            "instanceTypes": ["optimal"],
            "instanceRole": profile["Arn"],
            "subnets": [subnet],
            "securityGroupIds": [instances],
        },
    )["computeEnvironmentArn"]
    queue = batch.create_job_queue(
        jobQueueName="ml",
        state="ENABLED",
        priority=1,
        computeEnvironmentOrder=[{"order": 1, "computeEnvironment": ce}],
    )["jobQueueArn"]
    jd = batch.register_job_definition(
        jobDefinitionName="train",
        type="container",
        containerProperties={
            "image": "public.ecr.aws/x/train:latest",
            "vcpus": 1,
            "memory": 512,
            "volumes": [
                {"name": "d", "efsVolumeConfiguration": {"fileSystemId": fs, "transitEncryption": "ENABLED"}}
            ],
            "mountPoints": [{"sourceVolume": "d", "containerPath": "/d"}],
        },
    )["jobDefinitionArn"]
    cluster = batch.describe_compute_environments(computeEnvironments=[ce])["computeEnvironments"][0][
        "ecsClusterArn"
    ]
    ec2_capacity(account, cluster, subnet)  # moto's agent reports 1.0.0
    rewrite(monkeypatch, "ListJobs", _jobs_of(jd))
    run = run_scan(account)
    (old_agent,) = run.of("EFS204")
    assert "older than 1.38.0" in old_agent["message"] and "ml-ec2" in old_agent["message"]
    assert queue and not run.of("EFS304") and not run.of("EFS201")
