"""Raw API responses → model, without a server: the cases moto cannot produce."""

from __future__ import annotations

from efslint.model import Unknown
from efslint.sources.aws.inventory import RegionData
from efslint.sources.aws.mapping import RegionMapper
from efslint.sources.aws.reader import NOT_FOUND

CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/prod"
TD1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1"
TD2 = "arn:aws:ecs:us-east-1:123456789012:task-definition/app:2"
SERVICE = "arn:aws:ecs:us-east-1:123456789012:service/prod/web"


def _td(arn: str) -> dict:
    return {
        "taskDefinitionArn": arn,
        "family": "app",
        "containerDefinitions": [
            {"name": "app", "mountPoints": [{"sourceVolume": "data", "containerPath": "/d"}]}
        ],
        "volumes": [
            {
                "name": "data",
                "efsVolumeConfiguration": {"fileSystemId": "fs-12345678", "transitEncryption": "ENABLED"},
            }
        ],
    }


def _data(**services: dict) -> RegionData:
    data = RegionData("us-east-1", "123456789012")
    data.clusters[CLUSTER] = {
        "clusterArn": CLUSTER,
        "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT"}],
    }
    data.task_definitions = {TD1: _td(TD1), TD2: _td(TD2)}
    data.file_systems = {"fs-12345678": {"FileSystemId": "fs-12345678", "Encrypted": True}}
    data.services = [{"serviceArn": SERVICE, "serviceName": "web", "clusterArn": CLUSTER, **services}]
    return data


def test_rolling_deployment_of_an_older_revision_is_a_workload_too() -> None:
    data = _data(
        taskDefinition=TD2,
        launchType="FARGATE",
        deployments=[
            {"id": "ecs-svc/1", "taskDefinition": TD2, "status": "PRIMARY"},
            {"id": "ecs-svc/0", "taskDefinition": TD1, "status": "ACTIVE", "platformVersion": "1.3.0"},
        ],
    )
    model = RegionMapper(data, {}).build()
    assert [(w.loc.file, w.task_definition.loc.file, w.platform_version) for w in model.workloads] == [
        (SERVICE, TD2, None),
        (f"{SERVICE}#deployment/ecs-svc/0", TD1, "1.3.0"),
    ]
    # One entity per task definition revision, shared by the workloads that run it.
    assert len(model.task_definitions) == 2


def test_task_sets_and_cluster_default_capacity() -> None:
    task_set = "arn:aws:ecs:us-east-1:123456789012:task-set/prod/web/ecs-svc/42"
    data = _data(
        deploymentController={"type": "EXTERNAL"}, taskSets=[{"taskSetArn": task_set, "taskDefinition": TD1}]
    )
    [workload] = RegionMapper(data, {}).build().workloads
    assert workload.workload_type == "task_set" and workload.loc.file == task_set
    assert workload.capacity_providers == ["FARGATE_SPOT"]  # neither launch type nor strategy given


def test_unread_cluster_makes_capacity_unknown() -> None:
    data = _data(taskDefinition=TD1)
    data.clusters[CLUSTER] = {"clusterArn": CLUSTER, "unread": True}
    [workload] = RegionMapper(data, {}).build().workloads
    assert isinstance(workload.capacity_providers, Unknown)


def test_code_deploy_reported_platform_version_is_unknown_when_current() -> None:
    data = _data(
        taskDefinition=TD1,
        launchType="FARGATE",
        platformVersion="1.4.0",
        deploymentController={"type": "CODE_DEPLOY"},
    )
    assert isinstance(RegionMapper(data, {}).build().workloads[0].platform_version, Unknown)
    data = _data(
        taskDefinition=TD1,
        launchType="FARGATE",
        platformVersion="1.3.0",
        deploymentController={"type": "CODE_DEPLOY"},
    )
    assert RegionMapper(data, {}).build().workloads[0].platform_version == "1.3.0"


def test_security_group_rules_are_normalised() -> None:
    data = _data(
        taskDefinition=TD1,
        networkConfiguration={"awsvpcConfiguration": {"subnets": ["subnet-1"], "securityGroups": ["sg-1"]}},
    )
    data.security_groups["sg-1"] = {
        "GroupId": "sg-1",
        "VpcId": "vpc-1",
        "IpPermissions": [
            {"IpProtocol": "6", "FromPort": 2049, "ToPort": 2049, "UserIdGroupPairs": [{"GroupId": "sg-1"}]},
            {"IpProtocol": "-1", "FromPort": -1, "ToPort": -1, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
        ],
        "IpPermissionsEgress": [{"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}],
    }
    model = RegionMapper(data, {}).build()
    [group] = model.workloads[0].security_groups
    assert [
        (r.protocol, r.from_port, r.to_port, r.peer_group is group, r.cidr_ipv4) for r in group.ingress
    ] == [
        ("tcp", 2049, 2049, True, None),
        ("-1", None, None, False, "10.0.0.0/8"),
    ]
    assert [(r.direction, r.cidr_ipv6) for r in group.egress] == [("egress", "::/0")]
    # The subnet was never read: everything about it is unknown, nothing is assumed.
    [subnet] = model.workloads[0].subnets
    assert isinstance(subnet.availability_zone, Unknown) and isinstance(subnet.map_public_ip, Unknown)


def test_routes_main_table_and_explicit_association() -> None:
    data = _data(
        taskDefinition=TD1,
        networkConfiguration={"awsvpcConfiguration": {"subnets": ["subnet-pub", "subnet-priv"]}},
    )
    for subnet in ("subnet-pub", "subnet-priv"):
        data.subnets[subnet] = {"SubnetId": subnet, "VpcId": "vpc-1", "AvailabilityZone": "us-east-1a"}
    data.route_tables["vpc-1"] = [
        {"Associations": [{"Main": True}], "Routes": [{"GatewayId": "igw-1", "State": "active"}]},
        {"Associations": [{"SubnetId": "subnet-priv"}], "Routes": [{"GatewayId": "local"}]},
    ]
    data.vpc_attributes["vpc-1"] = {"enableDnsSupport": True, "enableDnsHostnames": None}
    model = RegionMapper(data, {}).build()
    pub, priv = model.workloads[0].subnets
    assert (pub.route_to_igw, priv.route_to_igw) == (True, False)
    assert pub.vpc.dns_support is True and isinstance(pub.vpc.dns_hostnames, Unknown)


def test_policy_and_backup_reads() -> None:
    data = _data(taskDefinition=TD1)
    data.policies["fs-12345678"] = NOT_FOUND
    data.backups["fs-12345678"] = None  # denied
    model = RegionMapper(data, {}).build()
    [fs] = model.file_systems
    assert fs.policy is None  # PolicyNotFound: the default policy
    assert isinstance(fs.backup, Unknown)
    assert fs.mount_targets_known is False  # DescribeMountTargets was not read
