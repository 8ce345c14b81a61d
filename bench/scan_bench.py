"""Benchmark `efslint scan` on a moto server: wall time, API calls made, and the minimum needed.

Seeds one account (default: 500 services over 10 clusters, 100 task definitions, 50 file systems
with two mount targets and an access point each, 10 IAM-authorized task roles), then scans it
sequentially (one worker) and concurrently (a bounded pool), through `--endpoint-url`-style
configuration only, exactly as users point the scanner at an emulator.

The minimum is computed from the seeded inventory, not from the scanner: the calls a scanner that
batches to every API limit and reads each resource once must make (see `minimum_calls`).

    .venv/bin/python bench/scan_bench.py                  # the default account
    .venv/bin/python bench/scan_bench.py --services 50    # a quick run
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REGION = "us-east-1"


@dataclass
class Inventory:
    clusters: int
    services: int
    task_definitions: int
    file_systems: int
    mount_targets: int
    vpcs: int
    roles: int
    inline_policies_per_role: int
    stopped_tasks: int = 0
    extra: dict[str, int] = field(default_factory=dict)


def _client(endpoint: str, service: str) -> Any:
    import boto3

    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )


def seed(endpoint: str, clusters: int, services: int, task_definitions: int, file_systems: int) -> Inventory:
    ec2, efs, ecs, iam = (_client(endpoint, s) for s in ("ec2", "efs", "ecs", "iam"))
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for attribute in ("EnableDnsSupport", "EnableDnsHostnames"):
        ec2.modify_vpc_attribute(VpcId=vpc, **{attribute: {"Value": True}})
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{az}")["Subnet"][
            "SubnetId"
        ]
        for i, az in enumerate("ab", start=1)
    ]
    task_sg = ec2.create_security_group(GroupName="task", Description="task", VpcId=vpc)["GroupId"]
    mt_sg = ec2.create_security_group(GroupName="mt", Description="mt", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=mt_sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 2049,
                "ToPort": 2049,
                "UserIdGroupPairs": [{"GroupId": task_sg}],
            }
        ],
    )
    fs_ids, ap_ids = [], []
    for i in range(file_systems):
        fs = efs.create_file_system(CreationToken=f"bench-{i}", Encrypted=True, Backup=True)["FileSystemId"]
        for subnet in subnets:
            efs.create_mount_target(FileSystemId=fs, SubnetId=subnet, SecurityGroups=[mt_sg])
        ap = efs.create_access_point(
            FileSystemId=fs,
            PosixUser={"Uid": 1000, "Gid": 1000},
            RootDirectory={
                "Path": "/app",
                "CreationInfo": {"OwnerUid": 1000, "OwnerGid": 1000, "Permissions": "755"},
            },
        )["AccessPointId"]
        fs_ids.append(fs)
        ap_ids.append(ap)
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )
    allow = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                    "Resource": "*",
                }
            ],
        }
    )
    roles = []
    role_count = min(10, task_definitions)
    for i in range(role_count):
        arn = iam.create_role(RoleName=f"bench-task-{i}", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        iam.put_role_policy(RoleName=f"bench-task-{i}", PolicyName="efs", PolicyDocument=allow)
        roles.append(arn)
    tds = []
    for i in range(task_definitions):
        volume = {
            "fileSystemId": fs_ids[i % file_systems],
            "transitEncryption": "ENABLED",
            "authorizationConfig": {"iam": "ENABLED", "accessPointId": ap_ids[i % file_systems]},
        }
        tds.append(
            ecs.register_task_definition(
                family=f"bench-{i}",
                networkMode="awsvpc",
                requiresCompatibilities=["FARGATE"],
                cpu="256",
                memory="512",
                taskRoleArn=roles[i % role_count],
                containerDefinitions=[
                    {
                        "name": "app",
                        "image": "busybox",
                        "memory": 256,
                        "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"}],
                    }
                ],
                volumes=[{"name": "data", "efsVolumeConfiguration": volume}],
            )["taskDefinition"]["taskDefinitionArn"]
        )
    cluster_arns = [
        ecs.create_cluster(clusterName=f"bench-{i}")["cluster"]["clusterArn"] for i in range(clusters)
    ]
    for i in range(services):
        ecs.create_service(
            cluster=cluster_arns[i % clusters],
            serviceName=f"svc-{i}",
            taskDefinition=tds[i % task_definitions],
            desiredCount=0,
            launchType="FARGATE",
            networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [task_sg]}},
        )
    return Inventory(
        clusters=clusters,
        services=services,
        task_definitions=min(task_definitions, services),
        file_systems=len({fs_ids[i % file_systems] for i in range(min(task_definitions, services))}),
        mount_targets=2 * file_systems,
        vpcs=1,
        roles=role_count,
        inline_policies_per_role=1,
    )


def minimum_calls(inv: Inventory) -> int:
    """Calls an ideal scanner must make for this account (every batch full, every resource once).

    ECS: ListClusters and DescribeClusters (100 a call), per cluster ListServices (100 a page) and
    ListTasks for stopped tasks, DescribeServices (10 a call), DescribeTaskDefinition (one each,
    no batch API). EventBridge: ListRuleNamesByTarget per cluster, ListSchedules (100 a page),
    then the targets of those rules and schedules only (none here). EFS: DescribeFileSystems (100 a page), per used file system DescribeMountTargets,
    DescribeAccessPoints, DescribeFileSystemPolicy and DescribeBackupPolicy (no batch APIs). EC2:
    the mount targets' interfaces, the subnets and the security groups by id (one batch each
    here), two DescribeVpcAttribute per VPC, DescribeRouteTables by VPC. IAM (task roles with IAM
    authorization only): ListRolePolicies, ListAttachedRolePolicies and GetRolePolicy per inline
    policy. STS: GetCallerIdentity once.
    """
    per_cluster = inv.services / inv.clusters
    ecs = 1 + math.ceil(inv.clusters / 100)
    ecs += inv.clusters * (math.ceil(per_cluster / 100) + 1 + math.ceil(per_cluster / 10))
    ecs += inv.task_definitions + math.ceil(inv.stopped_tasks / 100)
    scheduled = inv.clusters + 1  # ListRuleNamesByTarget per cluster, ListSchedules (no schedules here)
    efs = math.ceil(inv.file_systems / 100) + 4 * inv.file_systems
    ec2 = 3 * max(1, math.ceil(inv.mount_targets / 200)) + 2 * inv.vpcs + math.ceil(inv.vpcs / 200)
    iam = inv.roles * (2 + inv.inline_policies_per_role)
    return 1 + ecs + scheduled + efs + ec2 + iam


def add_latency(seconds: float) -> None:
    """Make every scanner request wait ``seconds`` before it is sent: a stand-in for the network
    round trip to AWS, which the in-process moto server does not have."""
    from efslint.sources.aws import session

    original = session.ClientFactory._create

    def create(self: session.ClientFactory, service: str, region: str) -> Any:
        client = original(self, service, region)
        client.meta.events.register("before-send", lambda **_: time.sleep(seconds))
        return client

    session.ClientFactory._create = create  # type: ignore[method-assign]


def run_scan(endpoint: str, workers: int) -> tuple[float, Counter[str], int]:
    from efslint.sources.aws.scan import ScanOptions, scan

    options = ScanOptions(regions=[REGION], endpoint_url=endpoint, workers=workers, concurrent=workers > 1)
    start = time.perf_counter()
    result = scan(options)
    elapsed = time.perf_counter() - start
    workloads = sum(len(m.workloads) for m in result.models)
    return elapsed, result.calls, workloads


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--clusters", type=int, default=10)
    parser.add_argument("--task-definitions", type=int, default=100)
    parser.add_argument("--file-systems", type=int, default=50)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--latency-ms", type=float, default=0, help="simulated round trip per request")
    parser.add_argument("--out", type=Path, help="also write the numbers as JSON here")
    args = parser.parse_args()

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION=REGION)
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        start = time.perf_counter()
        inv = seed(endpoint, args.clusters, args.services, args.task_definitions, args.file_systems)
        seeded = time.perf_counter() - start
        minimum = minimum_calls(inv)
        if args.latency_ms:
            add_latency(args.latency_ms / 1000)
        rows = []
        for label, workers in (("sequential", 1), (f"concurrent ({args.workers} workers)", args.workers)):
            elapsed, calls, workloads = run_scan(endpoint, workers)
            total = sum(calls.values())
            rows.append({"mode": label, "seconds": round(elapsed, 2), "calls": total, "minimum": minimum,
                         "ratio": round(total / minimum, 3), "workloads": workloads, "by_action": dict(calls)})  # fmt: skip
    finally:
        server.stop()

    print(f"account: {inv.services} services / {inv.clusters} clusters / {inv.task_definitions} task definitions / "
          f"{inv.file_systems} file systems ({inv.mount_targets} mount targets) / {inv.roles} task roles; "
          f"seeded in {seeded:.1f} s; simulated latency {args.latency_ms:g} ms a request")  # fmt: skip
    print()
    print("| mode | wall time (s) | API calls | minimum | calls / minimum |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['mode']} | {row['seconds']:.2f} | {row['calls']} | {row['minimum']} | {row['ratio']:.3f} |"
        )
    print()
    print("calls by action (concurrent run):")
    for action, count in sorted(rows[-1]["by_action"].items()):
        print(f"  {action:<52} {count}")
    if args.out:
        args.out.write_text(json.dumps({"inventory": inv.__dict__, "runs": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
