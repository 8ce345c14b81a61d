"""One seeded account per live-rule scenario: the healthy setup with exactly one thing changed."""

from __future__ import annotations

import json
from typing import Any

from .seed import NFS_FROM, Account, ec2_capacity

ALL_NFS_EGRESS = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


def build(account: Account, **change: Any) -> dict[str, str]:
    """The healthy setup of ``seed.healthy`` with the knobs in ``change`` turned."""
    change.pop("read_back", None)
    c = change.get
    region = account.region
    vpc = account.vpc(dns_hostnames=c("dns_hostnames", True))
    a = account.subnet(vpc, "10.0.1.0/24", f"{region}a")
    b = account.subnet(vpc, "10.0.2.0/24", f"{region}b")
    ec2 = account.client("ec2")
    task_sg = account.group(vpc, "task")
    if c("task_egress") == "none":
        ec2.revoke_security_group_egress(GroupId=task_sg, IpPermissions=[ALL_NFS_EGRESS])
    mt_vpc, mt_a, mt_b = vpc, a, b
    if c("mount_targets_vpc") == "other":
        mt_vpc = account.vpc("10.1.0.0/16")
        mt_a = account.subnet(mt_vpc, "10.1.1.0/24", f"{region}a")
        mt_b = account.subnet(mt_vpc, "10.1.2.0/24", f"{region}b")
    ingress = {"task": [NFS_FROM(task_sg)], "none": [], "world": [
        {"IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    ]}[c("mt_ingress", "task")]  # fmt: skip
    if c("mount_targets_vpc") == "other":
        ingress = [
            {"IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}
        ]
    mt_sg = account.group(mt_vpc, "mt", ingress)
    if c("public_mount_target_subnet"):
        ec2.modify_subnet_attribute(SubnetId=mt_a, MapPublicIpOnLaunch={"Value": True})

    efs = account.client("efs")
    if c("one_zone"):
        fs = efs.create_file_system(
            CreationToken="one-zone", Encrypted=True, Backup=True, AvailabilityZoneName=f"{region}a"
        )["FileSystemId"]
    else:
        fs = account.file_system(encrypted=c("encrypted", True), backup=c("backup", True))
    if c("policy") is not None:
        efs.put_file_system_policy(FileSystemId=fs, Policy=json.dumps(c("policy")))
    account.mount_target(fs, mt_a, [mt_sg])
    if c("mount_target_azs", "ab") == "ab" and not c("one_zone"):
        account.mount_target(fs, mt_b, [mt_sg])

    ap_fs = fs
    if c("access_point") == "other_fs":
        ap_fs = account.file_system()
    ap = None
    if c("access_point", "yes") != "none":
        kwargs: dict[str, Any] = {"FileSystemId": ap_fs}
        if c("ap_posix", True):
            kwargs["PosixUser"] = {"Uid": 1000, "Gid": 1000}
        root: dict[str, Any] = {"Path": c("ap_path", "/app")}
        if c("ap_creation_info", True):
            root["CreationInfo"] = {"OwnerUid": 1000, "OwnerGid": 1000, "Permissions": "755"}
        kwargs["RootDirectory"] = root
        ap = efs.create_access_point(**kwargs)["AccessPointId"]
    if c("access_point") == "missing":
        ap = "fsap-0123456789abcdef0"

    role = None
    if c("task_role", True):
        role = account.role(
            "task-role", c("role_actions", ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"])
        )

    volume: dict[str, Any] = {"fileSystemId": c("fs_ref", fs)}
    if c("transit", "ENABLED"):
        volume["transitEncryption"] = c("transit", "ENABLED")
    if c("port"):
        volume["transitEncryptionPort"] = c("port")
    if c("root_directory"):
        volume["rootDirectory"] = c("root_directory")
    auth: dict[str, Any] = {}
    if c("iam", "ENABLED"):
        auth["iam"] = c("iam", "ENABLED")
    if ap:
        auth["accessPointId"] = ap
    if auth:
        volume["authorizationConfig"] = auth
    mount = {"yes": [{"sourceVolume": "data", "containerPath": "/data"}], "none": [],
             "typo": [{"sourceVolume": "date", "containerPath": "/data"}]}[c("mount", "yes")]  # fmt: skip
    td_kwargs: dict[str, Any] = {
        "family": "app",
        "networkMode": "awsvpc",
        "requiresCompatibilities": [c("compatibility", "FARGATE")],
        "cpu": "256",
        "memory": "512",
        "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 256, "mountPoints": mount}],
        "volumes": [{"name": "data", "efsVolumeConfiguration": volume}],
    }
    if role:
        td_kwargs["taskRoleArn"] = role
    if c("os_family"):
        td_kwargs["runtimePlatform"] = {"operatingSystemFamily": c("os_family")}
    ecs = account.client("ecs")
    td = ecs.register_task_definition(**td_kwargs)["taskDefinition"]["taskDefinitionArn"]

    cluster = account.cluster("prod")
    subnets = [a] if c("service_azs") == "a" else [a, b]
    service = account.service(
        cluster, "web", td, subnets, [task_sg], launch_type=c("launch_type", "FARGATE"),
        platform_version=c("platform_version"),
    )  # fmt: skip
    if c("launch_type") == "EC2":
        ec2_capacity(account, cluster, a)
    if c("stopped_reason"):
        task = ecs.run_task(
            cluster=cluster, taskDefinition=td, launchType="FARGATE", group="service:web",
            networkConfiguration={"awsvpcConfiguration": {"subnets": [a], "securityGroups": [task_sg]}},
        )["tasks"][0]  # fmt: skip
        ecs.stop_task(cluster=cluster, task=task["taskArn"], reason=c("stopped_reason"))
    return {
        "fs": fs,
        "td": td,
        "service": service,
        "cluster": cluster,
        "task_sg": task_sg,
        "mt_sg": mt_sg,
        "a": a,
        "b": b,
    }


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


ANYONE_MOUNTS = {
    "Effect": "Allow",
    "Principal": {"AWS": "*"},
    "Action": "elasticfilesystem:Client*",
    "Resource": "*",
}
DENY_NON_TLS = {
    "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "*", "Resource": "*",
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}  # fmt: skip
ONLY_OTHER_ROLE = {
    "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/other"},
    "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], "Resource": "*",
}  # fmt: skip
ONLY_THROUGH_AP = {
    "Effect": "Allow", "Principal": {"AWS": "*"},
    "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], "Resource": "*",
    "Condition": {"StringEquals": {
        "elasticfilesystem:AccessPointArn": "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0"
    }},
}  # fmt: skip
DNS_FAILURE = (
    "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to "
    'resolve "fs-12345678.efs.us-east-1.amazonaws.com" - check that your file system ID is correct. : '
    "unsuccessful EFS utils command execution; code: 1"
)

# rule -> the change that makes it fire (everything else is the healthy setup, where no rule fires)
FIRE: dict[str, dict[str, Any]] = {
    "EFS101": {"transit": "DISABLED", "access_point": "none"},
    "EFS102": {"transit": "DISABLED", "iam": None},
    "EFS103": {"root_directory": "/data"},
    "EFS104": {"transit": "DISABLED", "iam": None, "access_point": "none"},
    "EFS105": {"iam": None},
    "EFS106": {"transit": "DISABLED", "iam": None, "access_point": "none", "port": 20049},
    "EFS107": {"mount": "typo"},
    "EFS108": {"mount": "none"},
    "EFS110": {"os_family": "WINDOWS_SERVER_2019_FULL"},
    "EFS111": {"task_role": False},
    "EFS112": {"access_point": "none"},
    "EFS201": {"platform_version": "1.3.0"},
    "EFS202": {"platform_version": "1.4.0"},
    # moto accepts only EC2/FARGATE: the service is created as EC2 and read back as EXTERNAL.
    "EFS203": {
        "launch_type": "EC2",
        "compatibility": "EXTERNAL",
        "read_back": ("DescribeServices", "launchType", "EXTERNAL"),
    },
    "EFS204": {"launch_type": "EC2", "compatibility": "EC2"},
    "EFS205": {"platform_version": "1.4"},
    "EFS301": {"mount_target_azs": "a"},
    "EFS302": {"mount_target_azs": "a", "service_azs": "a"},
    "EFS303": {"one_zone": True},
    "EFS304": {"mt_ingress": "none"},
    "EFS305": {"task_egress": "none"},
    "EFS306": {"mt_ingress": "world"},
    "EFS307": {"dns_hostnames": False},
    "EFS308": {"public_mount_target_subnet": True},
    "EFS310": {"mount_targets_vpc": "other"},
    "EFS401": {"role_actions": [], "policy": policy(ONLY_OTHER_ROLE, DENY_NON_TLS)},
    "EFS402": {
        "policy": policy(ANYONE_MOUNTS, DENY_NON_TLS),
        "transit": "DISABLED",
        "iam": None,
        "access_point": "none",
    },
    "EFS403": {"policy": policy(ONLY_OTHER_ROLE, DENY_NON_TLS), "iam": None},
    "EFS404": {"policy": policy(ONLY_THROUGH_AP, DENY_NON_TLS), "access_point": "none", "role_actions": []},
    "EFS405": {"policy": policy(ANYONE_MOUNTS, DENY_NON_TLS)},
    "EFS406": {"policy": policy(ANYONE_MOUNTS)},
    "EFS501": {"encrypted": False},
    "EFS502": {"access_point": "other_fs"},
    "EFS503": {"ap_path": "/"},
    "EFS504": {"ap_posix": False},
    "EFS505": {"ap_creation_info": False},
    "EFS506": {"backup": False},
    "EFS901": {"fs_ref": "fs-0123456789abcdef0"},
    "EFS902": {"access_point": "missing"},
    "EFS903": {"stopped_reason": DNS_FAILURE},
}
