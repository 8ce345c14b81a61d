"""`efslint scan`: bridge/host tasks on EC2 mount EFS from the container instance's primary ENI, so
EFS304/EFS305 judge the instance's security groups (moto server, real HTTP)."""

from __future__ import annotations

import json

from .conftest import run_scan
from .seed import NFS_FROM, Account

IGNORE = ("--ignore", "EFS109,EFS204")  # moto: short ids, agent 1.0.0 without efsAuth


def _instance(account: Account, cluster: str, subnet: str, group: str) -> str:
    """An EC2 instance with ``group`` on its primary ENI, registered in ``cluster``."""
    ec2 = account.client("ec2")
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    image = next(i["ImageId"] for i in images if i.get("Platform") != "windows")
    instance = ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet, SecurityGroupIds=[group]
    )["Instances"][0]
    document = json.dumps({"instanceId": instance["InstanceId"]})
    account.client("ecs").register_container_instance(cluster=cluster, instanceIdentityDocument=document)
    return instance["InstanceId"]


def _setup(account: Account, admit_instances: bool, network_mode: str) -> dict[str, str]:
    vpc = account.vpc()
    a = account.subnet(vpc, "10.0.1.0/24", f"{account.region}a")
    b = account.subnet(vpc, "10.0.2.0/24", f"{account.region}b")
    instance_sg = account.group(vpc, "instances")
    other_sg = account.group(vpc, "load-balancer")
    mt_sg = account.group(vpc, "mount-targets", [NFS_FROM(instance_sg if admit_instances else other_sg)])
    fs = account.file_system()
    account.mount_target(fs, a, [mt_sg])
    account.mount_target(fs, b, [mt_sg])
    cluster = account.cluster("ec2-cluster")
    _instance(account, cluster, a, instance_sg)
    _instance(account, cluster, b, instance_sg)
    td = account.task_definition("bridge-app", fs, compatibilities=("EC2",), network_mode=network_mode)
    service = account.service(cluster, "bridge-svc", td, None, None, launch_type="EC2")
    return {"mt_sg": mt_sg, "instance_sg": instance_sg, "service": service}


def test_instance_group_not_admitted_by_the_mount_targets(account: Account) -> None:
    ids = _setup(account, admit_instances=False, network_mode="bridge")
    run = run_scan(account, *IGNORE)
    [finding] = run.of("EFS304")
    assert ids["mt_sg"] in finding["location"]["file"]
    assert "container instances of" in finding["message"] and "bridge network mode" in finding["message"]
    assert "instances" in finding["message"]
    # moto's groups allow all egress, so the instances can send; only the ingress side blocks.
    assert not run.of("EFS305")
    assert run.exit_code == 1


def test_instance_group_admitted_stays_quiet(account: Account) -> None:
    _setup(account, admit_instances=True, network_mode="host")
    run = run_scan(account, *IGNORE)
    assert not run.of("EFS304") and not run.of("EFS305"), run.findings


def test_instance_group_without_nfs_egress(account: Account) -> None:
    ids = _setup(account, admit_instances=True, network_mode="host")
    ec2 = account.client("ec2")
    ec2.revoke_security_group_egress(
        GroupId=ids["instance_sg"],
        IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    ec2.authorize_security_group_egress(
        GroupId=ids["instance_sg"],
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )
    run = run_scan(account, *IGNORE)
    [finding] = run.of("EFS305")
    assert ids["instance_sg"] in finding["location"]["file"]
    assert "host network mode" in finding["message"]
