"""Property: whatever (well-typed) responses the APIs return, mapping and the rules never crash,
and a read that failed (None) never produces a finding that needs it."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.sources.aws.inventory import RegionData
from efslint.sources.aws.mapping import RegionMapper
from efslint.sources.aws.reader import NOT_FOUND

CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/c"
ENGINE = Engine(Catalog.load())

ids = st.sampled_from(["fs-11111111", "fs-22222222", "fs-0123456789abcdef0"])
subnets = st.sampled_from(["subnet-a", "subnet-b", "subnet-c"])
groups = st.sampled_from(["sg-1", "sg-2", "sg-3"])
maybe = st.one_of(st.none(), st.sampled_from(["ENABLED", "DISABLED"]))

volume = st.fixed_dictionaries(
    {"name": st.sampled_from(["data", "logs"])},
    optional={
        "efsVolumeConfiguration": st.fixed_dictionaries(
            {"fileSystemId": ids},
            optional={
                "transitEncryption": maybe,
                "rootDirectory": st.sampled_from(["/", "/x"]),
                "transitEncryptionPort": st.integers(0, 70000),
                "authorizationConfig": st.fixed_dictionaries(
                    {},
                    optional={
                        "iam": maybe,
                        "accessPointId": st.sampled_from(["fsap-1", "fsap-0123456789abcdef0"]),
                    },
                ),
            },
        )
    },
)
task_definition = st.fixed_dictionaries(
    {
        "family": st.just("app"),
        "volumes": st.lists(volume, max_size=2),
        "containerDefinitions": st.lists(
            st.fixed_dictionaries(
                {"name": st.just("app")},
                optional={
                    "mountPoints": st.lists(
                        st.fixed_dictionaries({"sourceVolume": st.sampled_from(["data", "x"])}), max_size=2
                    )
                },
            ),
            max_size=2,
        ),
    },
    optional={
        "taskRoleArn": st.just("arn:aws:iam::123456789012:role/r"),
        "networkMode": st.sampled_from(["awsvpc", "bridge"]),
        "requiresCompatibilities": st.lists(st.sampled_from(["EC2", "FARGATE", "EXTERNAL"]), max_size=2),
    },
)
network = st.fixed_dictionaries(
    {
        "awsvpcConfiguration": st.fixed_dictionaries(
            {"subnets": st.lists(subnets, max_size=3)},
            optional={"securityGroups": st.lists(groups, max_size=2)},
        )
    }
)
service = st.fixed_dictionaries(
    {
        "serviceArn": st.just("arn:aws:ecs:us-east-1:123456789012:service/c/s"),
        "serviceName": st.just("s"),
        "clusterArn": st.just(CLUSTER),
    },
    optional={
        "taskDefinition": st.just("td1"),
        "launchType": st.sampled_from(["EC2", "FARGATE", "EXTERNAL"]),
        "platformVersion": st.sampled_from(["LATEST", "1.3.0", "1.4.0", "1.4"]),
        "capacityProviderStrategy": st.lists(
            st.fixed_dictionaries({"capacityProvider": st.sampled_from(["FARGATE", "cp"])}), max_size=2
        ),
        "networkConfiguration": network,
        "deploymentController": st.fixed_dictionaries(
            {"type": st.sampled_from(["ECS", "CODE_DEPLOY", "EXTERNAL"])}
        ),
        "taskSets": st.lists(
            st.fixed_dictionaries(
                {"taskSetArn": st.just("arn:ts/1"), "taskDefinition": st.just("td1")},
                optional={"networkConfiguration": network},
            ),
            max_size=1,
        ),
    },
)
permission = st.fixed_dictionaries(
    {"IpProtocol": st.sampled_from(["-1", "tcp", "6", "udp", "icmp", "50"])},
    optional={
        "FromPort": st.integers(-1, 65535),
        "ToPort": st.integers(-1, 65535),
        "IpRanges": st.lists(
            st.fixed_dictionaries({"CidrIp": st.sampled_from(["0.0.0.0/0", "10.0.0.0/8"])}), max_size=2
        ),
        "UserIdGroupPairs": st.lists(st.fixed_dictionaries({"GroupId": groups}), max_size=2),
        "PrefixListIds": st.lists(st.fixed_dictionaries({"PrefixListId": st.just("pl-1")}), max_size=1),
    },
)
read = lambda value: st.one_of(st.none(), st.just(NOT_FOUND), value)  # noqa: E731
policy_text = st.sampled_from([
    json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "elasticfilesystem:Client*", "Resource": "*"}]}),
    json.dumps({"Statement": {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}}),
    "not json",
])  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    services=st.lists(service, max_size=2),
    td=st.one_of(st.none(), task_definition),
    listing=st.one_of(st.none(), st.just({"fs-11111111": {"FileSystemId": "fs-11111111", "Encrypted": False}})),
    targets=st.one_of(st.none(), st.lists(st.fixed_dictionaries({"MountTargetId": st.just("fsmt-1"), "SubnetId": subnets, "NetworkInterfaceId": st.just("eni-1")}), max_size=2)),
    mt_groups=st.one_of(st.none(), st.lists(groups, max_size=2)),
    subnet=read(st.fixed_dictionaries({"SubnetId": st.just("subnet-a"), "VpcId": st.just("vpc-1"), "AvailabilityZone": st.sampled_from(["us-east-1a", "us-east-1b"])}, optional={"MapPublicIpOnLaunch": st.booleans(), "CidrBlock": st.just("10.0.1.0/24")})),
    group=read(st.fixed_dictionaries({"GroupId": st.just("sg-1"), "VpcId": st.just("vpc-1"), "IpPermissions": st.lists(permission, max_size=3), "IpPermissionsEgress": st.lists(permission, max_size=2)})),
    policy=read(st.fixed_dictionaries({"Policy": policy_text})),
    backup=read(st.fixed_dictionaries({"BackupPolicy": st.fixed_dictionaries({"Status": st.sampled_from(["ENABLED", "DISABLED", "ENABLING"])})})),
    routes=st.one_of(st.none(), st.lists(st.fixed_dictionaries({"Associations": st.lists(st.fixed_dictionaries({}, optional={"Main": st.booleans(), "SubnetId": subnets}), max_size=2), "Routes": st.lists(st.fixed_dictionaries({}, optional={"GatewayId": st.sampled_from(["igw-1", "local"]), "State": st.sampled_from(["active", "blackhole"])}), max_size=2)}), max_size=2)),
    cluster_unread=st.booleans(),
)  # fmt: skip
def test_mapping_never_crashes(
    services, td, listing, targets, mt_groups, subnet, group, policy, backup, routes, cluster_unread
) -> None:  # type: ignore[no-untyped-def]
    data = RegionData("us-east-1", "123456789012")
    data.clusters[CLUSTER] = (
        {"clusterArn": CLUSTER, "unread": True} if cluster_unread else {"clusterArn": CLUSTER}
    )
    data.services = services
    data.task_definitions = {"td1": td}
    data.file_systems = listing
    data.mount_targets = {"fs-11111111": targets}
    data.mount_target_groups = {"fsmt-1": mt_groups}
    data.subnets = {"subnet-a": subnet}
    data.security_groups = {"sg-1": group}
    data.policies = {"fs-11111111": policy}
    data.backups = {"fs-11111111": backup}
    data.route_tables = {"vpc-1": routes}
    model = RegionMapper(data, {}).build()
    findings = ENGINE.run(model)
    rules = {f.rule_id for f in findings}
    if policy is None:  # the policy was not read: no policy rule may claim anything
        assert not rules & {"EFS402", "EFS403", "EFS404", "EFS405", "EFS406"}
    if backup is None:
        assert "EFS506" not in rules
    if listing is None:  # the file systems were not listed: none can be "not found"
        assert "EFS901" not in rules
