"""Seed a moto server account with ECS + EFS setups, right and wrong (test helper).

Every function talks to the server only through ``endpoint_url`` with dummy credentials, the way
the scanner does.  ``Account`` remembers what it created so tests can assert on ids and ARNs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import boto3

REGION = "us-east-1"
ACCOUNT = "123456789012"


@dataclass
class Account:
    endpoint: str
    region: str = REGION
    clients: dict[str, Any] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        if service not in self.clients:
            self.clients[service] = boto3.client(
                service,
                region_name=self.region,
                endpoint_url=self.endpoint,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
        return self.clients[service]

    # ---- network ---------------------------------------------------------------------------

    def vpc(self, cidr: str = "10.0.0.0/16", dns_support: bool = True, dns_hostnames: bool = True) -> str:
        ec2 = self.client("ec2")
        vpc_id = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
        ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": dns_support})
        ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": dns_hostnames})
        return vpc_id

    def subnet(self, vpc_id: str, cidr: str, az: str) -> str:
        return self.client("ec2").create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=az)["Subnet"][
            "SubnetId"
        ]

    def group(self, vpc_id: str, name: str, ingress: list[dict[str, Any]] = ()) -> str:  # type: ignore[assignment]
        ec2 = self.client("ec2")
        group_id = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc_id)["GroupId"]
        if ingress:
            ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=list(ingress))
        return group_id

    # ---- EFS -------------------------------------------------------------------------------

    def file_system(self, encrypted: bool = True, backup: bool = True, policy: dict | None = None) -> str:
        efs = self.client("efs")
        token = f"token-{_n()}"
        fs_id = efs.create_file_system(CreationToken=token, Encrypted=encrypted, Backup=backup)[
            "FileSystemId"
        ]
        if policy is not None:
            efs.put_file_system_policy(FileSystemId=fs_id, Policy=json.dumps(policy))
        return fs_id

    def mount_target(self, fs_id: str, subnet_id: str, groups: list[str]) -> str:
        return self.client("efs").create_mount_target(
            FileSystemId=fs_id, SubnetId=subnet_id, SecurityGroups=groups
        )["MountTargetId"]

    def access_point(self, fs_id: str, path: str = "/app", uid: int = 1000) -> str:
        return self.client("efs").create_access_point(
            FileSystemId=fs_id,
            PosixUser={"Uid": uid, "Gid": uid},
            RootDirectory={
                "Path": path,
                "CreationInfo": {"OwnerUid": uid, "OwnerGid": uid, "Permissions": "755"},
            },
        )["AccessPointId"]

    # ---- ECS -------------------------------------------------------------------------------

    def cluster(self, name: str, default_strategy: list[dict[str, Any]] | None = None) -> str:
        kwargs: dict[str, Any] = {"clusterName": name}
        if default_strategy:
            kwargs["capacityProviders"] = [s["capacityProvider"] for s in default_strategy]
            kwargs["defaultCapacityProviderStrategy"] = default_strategy
        return self.client("ecs").create_cluster(**kwargs)["cluster"]["clusterArn"]

    def role(self, name: str, actions: list[str] | None = None) -> str:
        iam = self.client("iam")
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        if actions:
            doc = {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
            }
            iam.put_role_policy(RoleName=name, PolicyName="efs", PolicyDocument=json.dumps(doc))
        return arn

    def task_definition(
        self,
        family: str,
        fs_id: str,
        *,
        transit_encryption: str | None = "ENABLED",
        iam: str | None = None,
        access_point: str | None = None,
        task_role: str | None = None,
        compatibilities: tuple[str, ...] = ("FARGATE",),
        network_mode: str = "awsvpc",
    ) -> str:
        efs: dict[str, Any] = {"fileSystemId": fs_id}
        if transit_encryption:
            efs["transitEncryption"] = transit_encryption
        auth: dict[str, Any] = {}
        if iam:
            auth["iam"] = iam
        if access_point:
            auth["accessPointId"] = access_point
        if auth:
            efs["authorizationConfig"] = auth
        kwargs: dict[str, Any] = {
            "family": family,
            "networkMode": network_mode,
            "requiresCompatibilities": list(compatibilities),
            "cpu": "256",
            "memory": "512",
            "containerDefinitions": [
                {
                    "name": "app",
                    "image": "public.ecr.aws/docker/library/busybox:latest",
                    "essential": True,
                    "memory": 256,
                    "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"}],
                }
            ],
            "volumes": [{"name": "data", "efsVolumeConfiguration": efs}],
        }
        if task_role:
            kwargs["taskRoleArn"] = task_role
        return self.client("ecs").register_task_definition(**kwargs)["taskDefinition"]["taskDefinitionArn"]

    def service(
        self,
        cluster: str,
        name: str,
        task_definition: str,
        subnets: list[str] | None,
        groups: list[str] | None,
        *,
        launch_type: str | None = "FARGATE",
        platform_version: str | None = None,
        strategy: list[dict[str, Any]] | None = None,
    ) -> str:
        kwargs: dict[str, Any] = {
            "cluster": cluster,
            "serviceName": name,
            "taskDefinition": task_definition,
            "desiredCount": 1,
        }
        if launch_type:
            kwargs["launchType"] = launch_type
        if strategy:
            kwargs["capacityProviderStrategy"] = strategy
        if platform_version:
            kwargs["platformVersion"] = platform_version
        if subnets is not None:
            vpc_config: dict[str, Any] = {"subnets": subnets}
            if groups:
                vpc_config["securityGroups"] = groups
            kwargs["networkConfiguration"] = {"awsvpcConfiguration": vpc_config}
        return self.client("ecs").create_service(**kwargs)["service"]["serviceArn"]


_COUNTER = [0]


def _n() -> int:
    _COUNTER[0] += 1
    return _COUNTER[0]


NFS_FROM = lambda group_id: {  # noqa: E731
    "IpProtocol": "tcp",
    "FromPort": 2049,
    "ToPort": 2049,
    "UserIdGroupPairs": [{"GroupId": group_id}],
}


def healthy(account: Account, prefix: str = "good") -> dict[str, str]:
    """A correct setup: two AZs with mount targets, NFS open from the task group, TLS + IAM + AP."""
    vpc = account.vpc()
    a = account.subnet(vpc, "10.0.1.0/24", f"{account.region}a")
    b = account.subnet(vpc, "10.0.2.0/24", f"{account.region}b")
    task_sg = account.group(vpc, f"{prefix}-task")
    mt_sg = account.group(vpc, f"{prefix}-mt", [NFS_FROM(task_sg)])
    fs = account.file_system()
    account.mount_target(fs, a, [mt_sg])
    account.mount_target(fs, b, [mt_sg])
    ap = account.access_point(fs)
    role = account.role(f"{prefix}-role", ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"])
    cluster = account.cluster(f"{prefix}-cluster")
    td = account.task_definition(f"{prefix}-app", fs, iam="ENABLED", access_point=ap, task_role=role)
    service = account.service(cluster, f"{prefix}-svc", td, [a, b], [task_sg])
    return {"vpc": vpc, "a": a, "b": b, "task_sg": task_sg, "mt_sg": mt_sg, "fs": fs, "ap": ap, "role": role,
            "cluster": cluster, "td": td, "service": service}  # fmt: skip


def ec2_capacity(account: Account, cluster: str, subnet: str) -> str:
    """An EC2 instance registered as a container instance of ``cluster`` (moto reports agent 1.0.0)."""
    ec2 = account.client("ec2")
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    image = next(i["ImageId"] for i in images if i.get("Platform") != "windows")
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet)["Instances"][0]
    document = json.dumps({"instanceId": instance["InstanceId"]})
    return account.client("ecs").register_container_instance(
        cluster=cluster, instanceIdentityDocument=document
    )["containerInstance"]["containerInstanceArn"]
