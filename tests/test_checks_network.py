"""Model-level tests of the network rules (EFS301-EFS310), including the corpus traps."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from model_builders import (
    Stack,
    allow_all_egress,
    file_system,
    group,
    loc,
    model_of,
    mount_target,
    mounted,
    rule,
    run,
    stack,
    subnet,
    task_definition,
    vpc,
    workload,
)

from efslint.checks.reachability import allows_nfs_protocol, cidr_covers
from efslint.findings import Severity
from efslint.model import EfsVolume, Location, MountPoint, Unknown, symbolic_az

NETWORK_RULES = tuple(f"EFS3{n:02d}" for n in range(1, 11))
ALL_RULES = ("EFS201", "EFS202", "EFS203", "EFS205", *NETWORK_RULES)


def ids(findings: list[Any]) -> list[str]:
    return [f.rule_id for f in findings]


def test_correct_stack_is_quiet() -> None:
    assert run(stack().model(), *ALL_RULES) == []


def test_network_claims_need_a_mounted_volume() -> None:
    s = stack()
    s.fs.mount_targets.remove(s.mt_b)
    s.efs_sg.ingress = []
    s.vpc.dns_hostnames = False
    broken = ["EFS301", "EFS302", "EFS304", "EFS307", "EFS309"]
    s.service.waits_for = {s.td}
    assert sorted(ids(run(s.model(), *broken))) == broken
    s.td.containers[0].mount_points.clear()
    assert run(s.model(), *broken) == [], "no container mounts the volume (EFS108's finding)"
    s.td.containers_known = False
    assert sorted(ids(run(s.model(), *broken))) == broken, "containers unknown: may be mounted"


# --------------------------------------------------------------------------------------------
# EFS301


def test_efs301_names_the_uncovered_subnet_and_az() -> None:
    s = stack()
    s.fs.mount_targets.remove(s.mt_b)
    [finding] = run(s.model(), "EFS301")
    assert finding.severity is Severity.ERROR
    assert finding.location == s.service.at("subnets")
    assert "ECS service 'Service' runs tasks in subnet(s) PrivateSubnetB (us-east-1b)" in finding.message
    assert "file system 'FileSystem' has mount targets only in us-east-1a" in finding.message
    assert "tasks placed in us-east-1b fail to mount" in finding.message
    assert [r.location for r in finding.related] == [s.subnet_b.loc, s.fs.loc]


def test_efs301_subnet_listed_twice_is_named_once() -> None:
    s = stack()
    s.fs.mount_targets.remove(s.mt_b)
    s.service.subnets = [s.subnet_a, s.subnet_b, s.subnet_b]
    [finding] = run(s.model(), "EFS301")
    assert finding.message.count("PrivateSubnetB") == 1


def test_efs301_symbolic_azs_by_index_are_distinct() -> None:
    azs = "GetAZs('')"
    s = stack(symbolic_az(azs, 0), symbolic_az(azs, 1))
    assert run(s.model(), "EFS301") == []
    s.fs.mount_targets.remove(s.mt_b)
    [finding] = run(s.model(), "EFS301")
    assert "PrivateSubnetB (GetAZs('')[1])" in finding.message
    assert "tasks placed in GetAZs('')[1] fail to mount" in finding.message
    assert "mount targets only in GetAZs('')[0]" in finding.message


def test_efs301_same_symbolic_index_is_the_same_az() -> None:
    # Mount target in a different subnet of the same symbolic AZ: covered.
    s = stack(symbolic_az("GetAZs('')", 0), symbolic_az("GetAZs('')", 1))
    other = subnet("DataSubnetB", symbolic_az("GetAZs('')", 1), "10.0.12.0/24", s.vpc)
    s.mt_b.subnet = other
    assert run(s.model(), "EFS301") == []


@pytest.mark.parametrize(
    "change",
    [
        "unknown_task_az",
        "unknown_mt_az",
        "incomparable_azs",
        "unknown_mt_subnet",
        "mount_targets_unknown",
        "no_mount_targets",
        "subnets_unknown",
        "subnet_item_unknown",
    ],
)
def test_efs301_quiet_when_it_cannot_prove(change: str) -> None:
    s = stack()
    s.fs.mount_targets.remove(s.mt_b)
    if change == "unknown_task_az":
        s.subnet_b.availability_zone = Unknown()
    elif change == "unknown_mt_az":
        s.subnet_a.availability_zone = Unknown()
    elif change == "incomparable_azs":
        s.subnet_b.availability_zone = symbolic_az("GetAZs('')", 1)
    elif change == "unknown_mt_subnet":
        s.mt_a.subnet = Unknown()
    elif change == "mount_targets_unknown":
        s.fs.mount_targets_known = False
    elif change == "no_mount_targets":
        s.fs.mount_targets.clear()
    elif change == "subnets_unknown":
        s.service.subnets = Unknown()
    elif change == "subnet_item_unknown":
        s.service.subnets = [s.subnet_a, Unknown()]
    assert run(s.model(), "EFS301") == []


def test_efs301_conditional_mount_target_counts_as_present() -> None:
    s = stack()
    s.mt_b.conditional = True
    assert run(s.model(), "EFS301") == []


def test_efs301_one_zone_file_system_used_from_one_other_az() -> None:
    s = stack()
    s.fs.availability_zone = "us-east-1a"
    s.fs.mount_targets.remove(s.mt_b)
    s.service.subnets = [s.subnet_b]
    [finding] = run(s.model(), "EFS301", "EFS303")
    assert finding.rule_id == "EFS301"
    assert "One Zone file system 'FileSystem' lives in us-east-1a only" in finding.message


def test_efs301_one_zone_proves_absence_without_mount_target_list() -> None:
    s = stack()
    s.fs.availability_zone = "us-east-1a"
    s.fs.mount_targets.clear()
    s.fs.mount_targets_known = False
    s.service.subnets = [s.subnet_b]
    assert ids(run(s.model(), "EFS301")) == ["EFS301"]


def test_efs301_superseded_by_other_vpc() -> None:
    s = stack()
    other = vpc("OtherVpc")
    elsewhere = subnet("AppSubnetC", "us-east-1c", "172.16.0.0/24", other)
    s.service.subnets = [elsewhere]
    assert ids(run(s.model(), "EFS301", "EFS310")) == ["EFS310"]


def test_efs301_other_vpc_of_one_file_system_keeps_missing_az_of_another() -> None:
    # EFS310 on one file system must not hide EFS301 on another file system of the same workload.
    s = stack()
    s.fs.mount_targets.remove(s.mt_b)
    far = subnet("FarSubnet", "us-east-1a", "172.16.0.0/24", vpc("OtherVpc"))
    shared = file_system("SharedFs")
    mount_target(shared, far, [s.efs_sg], "FarMountTarget")
    volume = EfsVolume(loc("TaskDefinition/volumes/shared"), name="shared", file_system=shared,
                       transit_encryption="ENABLED", task_definition=s.td)  # fmt: skip
    s.td.efs_volumes.append(volume)
    s.td.containers[0].mount_points.append(
        MountPoint(
            loc("app/mountPoints/shared"), container="app", source_volume="shared", container_path="/s"
        )
    )
    findings = run(s.model(shared), "EFS301", "EFS310")
    assert [(f.rule_id, f.anchor.rsplit("|", 1)[-1]) for f in findings] == [
        ("EFS301", "FileSystem"),
        ("EFS310", "SharedFs"),
    ]
    assert "subnet(s) PrivateSubnetB" in findings[0].message


# --------------------------------------------------------------------------------------------
# EFS302 / EFS303


def test_efs302_single_mount_target() -> None:
    s = stack()
    s.fs.mount_targets.remove(s.mt_b)
    s.service.subnets = [s.subnet_a]
    [finding] = run(s.model(), "EFS302")
    assert finding.severity is Severity.WARNING
    assert finding.location == s.fs.loc
    assert (
        "Regional file system 'FileSystem' has mount targets in one Availability Zone only "
        "(us-east-1a: MountTargetA)" in finding.message
    )
    assert "used by ECS service 'Service'" in finding.message
    assert [r.location for r in finding.related] == [s.mt_a.loc, s.service.loc]


def test_efs302_quiet_without_workload_or_with_two_azs_or_unknowns() -> None:
    s = stack()
    assert run(s.model(), "EFS302") == []
    s.subnet_b.availability_zone = Unknown()
    assert run(s.model(), "EFS302") == [], "two mount targets, one AZ unknown"
    s.fs.mount_targets.remove(s.mt_b)
    assert run(model_of(s.fs), "EFS302") == [], "no workload uses it"
    s.fs.mount_targets_known = False
    assert run(s.model(), "EFS302") == []
    s.fs.mount_targets_known = True
    s.fs.availability_zone = Unknown()
    assert run(s.model(), "EFS302") == []


def test_efs302_single_mount_target_with_unknown_az() -> None:
    # kaidokert / ericdahl: one mount target, no count, in a subnet whose AZ is not pinned.
    s = stack()
    s.fs.mount_targets.remove(s.mt_b)
    s.subnet_a.availability_zone = Unknown()
    [finding] = run(s.model(), "EFS302")
    assert "in one Availability Zone only (MountTargetA)" in finding.message


def test_efs302_mount_targets_sharing_one_subnet() -> None:
    s = stack()
    s.mt_b.subnet = s.subnet_a
    s.subnet_a.availability_zone = Unknown()
    assert ids(run(s.model(), "EFS302")) == ["EFS302"]


def test_efs302_two_mount_targets_in_one_az() -> None:
    # AWS forbids it, but a template can say it; the claim "one AZ" still holds.
    s = stack()
    s.subnet_b.availability_zone = "us-east-1a"
    assert ids(run(s.model(), "EFS302")) == ["EFS302"]


def test_efs303_one_zone_used_across_azs_with_efs301_for_the_failing_subnets() -> None:
    s = stack()
    s.fs.availability_zone = "us-east-1a"
    s.fs.field_locs["availability_zone"] = Location("stack.yaml", 999, 7, "FileSystem")
    s.fs.mount_targets.remove(s.mt_b)
    found = run(s.model(), "EFS301", "EFS302", "EFS303")
    assert sorted((f.rule_id, str(f.severity)) for f in found) == [("EFS301", "error"), ("EFS303", "warning")]
    finding = next(f for f in found if f.rule_id == "EFS303")
    assert finding.location == s.fs.at("availability_zone")
    assert "One Zone file system 'FileSystem' lives in us-east-1a" in finding.message
    assert "runs in us-east-1a, us-east-1b" in finding.message
    assert "tasks placed in PrivateSubnetB (us-east-1b) cannot mount it" in finding.message
    assert finding.related[0].location == s.service.at("subnets")
    assert s.subnet_b.loc in [r.location for r in finding.related]
    # The outage is an error on the workload, naming only the subnet outside the file system's AZ.
    outage = next(f for f in found if f.rule_id == "EFS301")
    assert outage.location == s.service.at("subnets")
    assert "subnet(s) PrivateSubnetB (us-east-1b), but One Zone file system 'FileSystem'" in outage.message
    assert "tasks placed in us-east-1b fail to mount" in outage.message
    assert outage.message.endswith(
        "Keep the workload's subnets in us-east-1a, or use a Regional file system."
    )
    # Moving the workload into the file system's AZ removes both.
    s.service.subnets = [s.subnet_a]
    assert run(s.model(), "EFS301", "EFS303") == []


def test_efs303_quiet_when_workload_in_one_az_or_spread_unknown() -> None:
    s = stack()
    s.fs.availability_zone = "us-east-1a"
    s.service.subnets = [s.subnet_a]
    assert run(s.model(), "EFS303") == []
    s.service.subnets = [s.subnet_a, Unknown()]
    assert run(s.model(), "EFS303") == []
    s.service.subnets = [s.subnet_a, s.subnet_b]
    s.subnet_b.availability_zone = Unknown()
    assert run(s.model(), "EFS303") == []


def test_efs303_symbolic_spread_against_real_one_zone_az() -> None:
    # Which GetAZs index is us-east-1a is unknown, but two distinct indexes are two AZs.
    s = stack(symbolic_az("GetAZs('')", 0), symbolic_az("GetAZs('')", 1))
    s.fs.availability_zone = "us-east-1a"
    found = {f.rule_id: f for f in run(s.model(), "EFS301", "EFS303")}
    assert sorted(found) == ["EFS301", "EFS303"]
    assert "tasks placed in the subnets outside it cannot mount it" in found["EFS303"].message
    # At most one of the two AZs is the file system's: tasks in the other fail, an error.
    assert "tasks placed in every AZ but one of GetAZs('')[0], GetAZs('')[1] fail" in found["EFS301"].message


# --------------------------------------------------------------------------------------------
# EFS304


def test_efs304_wrong_port() -> None:
    s = stack()
    s.efs_sg.ingress = [rule(ports=(2048, 2048), peer=s.task_sg)]
    [finding] = run(s.model(), "EFS304")
    assert finding.severity is Severity.ERROR
    assert finding.location == s.efs_sg.loc
    assert "mount target(s) 'MountTargetA', 'MountTargetB' of file system 'FileSystem'" in finding.message
    assert "from ECS service 'Service' (security groups 'ServiceSecurityGroup'" in finding.message
    assert "Add an ingress rule to 'EfsSecurityGroup'" in finding.message
    assert [r.location for r in finding.related] == [s.mt_a.loc, s.mt_b.loc, s.service.at("security_groups")]


def test_efs304_one_finding_per_group_names_every_blocked_workload() -> None:
    s = stack()
    s.efs_sg.ingress = []
    worker_sg = group("WorkerSecurityGroup", egress=[allow_all_egress()])
    worker = workload(mounted(task_definition(s.fs, "WorkerTask")), [s.subnet_b], [worker_sg], "Worker")
    [finding] = run(s.model(worker), "EFS304")
    assert finding.location == s.efs_sg.loc
    assert "from ECS service 'Service' (security groups 'ServiceSecurityGroup'; tasks in" in finding.message
    assert "; ECS service 'Worker' (security groups 'WorkerSecurityGroup'; tasks in PrivateSubnetB" in (
        finding.message
    )
    assert [r.location for r in finding.related][-2:] == [
        s.service.at("security_groups"),
        worker.at("security_groups"),
    ]
    # Fixing the one rule for the first service leaves the worker blocked, and says so.
    s.efs_sg.ingress = [rule(peer=s.task_sg)]
    [finding] = run(s.model(worker), "EFS304")
    assert "Worker" in finding.message and "ECS service 'Service'" not in finding.message


def test_efs304_source_is_another_group() -> None:
    s = stack()
    other = group("BastionSecurityGroup")
    s.efs_sg.ingress = [rule(peer=other)]
    assert ids(run(s.model(), "EFS304")) == ["EFS304"]


@pytest.mark.parametrize(
    "ingress",
    [
        # copilot-cli trap: all traffic from the tasks' group.
        lambda s: rule(protocol="-1", ports=None, peer=s.task_sg),
        lambda s: rule(protocol="-1", ports=(-1, -1), peer=s.task_sg),
        # protocol number instead of name.
        lambda s: rule(protocol="6", peer=s.task_sg),
        lambda s: rule(protocol="TCP", ports=(0, 65535), peer=s.task_sg),
        lambda s: rule(ports=(2000, 2100), peer=s.task_sg),
        # midnight480 trap: the VPC CIDR covers the task subnets.
        lambda s: rule(cidr="10.0.0.0/16"),
        lambda s: rule(cidr="0.0.0.0/0"),
        # unknowns: quiet.
        lambda s: rule(peer=Unknown()),
        lambda s: rule(cidr=Unknown()),
        lambda s: rule(protocol=Unknown(), peer=s.task_sg),
        lambda s: rule(ports=(Unknown(), 2049), peer=s.task_sg),
        lambda s: rule(prefix_list="pl-0123456789abcdef0"),
        lambda s: rule(cidr_ipv6="::/0"),
        lambda s: rule(),  # no source at all: malformed, cannot tell
    ],
)
def test_efs304_quiet_when_a_rule_may_allow(ingress: Any) -> None:
    s = stack()
    s.efs_sg.ingress = [ingress(s)]
    assert run(s.model(), "EFS304") == []


def test_efs304_cidr_covering_one_subnet_only_blocks_the_other() -> None:
    s = stack()
    s.efs_sg.ingress = [rule(cidr="10.0.1.0/24")]
    [finding] = run(s.model(), "EFS304")
    assert "tasks in PrivateSubnetB (us-east-1b)" in finding.message
    assert "mount target(s) 'MountTargetB' of" in finding.message
    assert "PrivateSubnetA" not in finding.message


def test_efs304_cidr_covering_part_of_a_subnet_is_not_a_proof() -> None:
    s = stack()
    s.efs_sg.ingress = [rule(cidr="10.0.1.0/25"), rule(cidr="10.0.2.0/24")]
    assert run(s.model(), "EFS304") == []
    s.efs_sg.ingress = [rule(cidr="10.0.1.0/25")]
    [finding] = run(s.model(), "EFS304")
    assert "tasks in PrivateSubnetB (us-east-1b))" in finding.message, "only the subnet with no overlap"


def test_efs304_rule_from_separate_resource_counts() -> None:
    # eric-dahl trap: the group has no inline rule; a separate rule resource adds it.
    s = stack()
    s.efs_sg.ingress = []
    assert ids(run(s.model(), "EFS304")) == ["EFS304"]
    s.efs_sg.ingress.append(rule(peer=s.task_sg, name="SplunkEfsIngress2049"))
    assert run(s.model(), "EFS304") == []


def test_efs304_self_referencing_shared_group() -> None:
    # kaidokert trap: one group on tasks and mount targets, `self = true` on 2049.
    s = stack()
    shared = group("SharedSecurityGroup", egress=[allow_all_egress()])
    shared.ingress = [rule(peer=shared)]
    s.service.security_groups = [shared]
    s.mt_a.security_groups = [shared]
    s.mt_b.security_groups = [shared]
    assert run(s.model(), "EFS304", "EFS305") == []
    shared.ingress = [rule(ports=(80, 80), peer=shared)]
    [finding] = run(s.model(), "EFS304")
    assert finding.location == shared.loc


def test_efs304_conditional_allowing_rule_counts() -> None:
    s = stack()
    s.efs_sg.ingress[0].conditional = True
    assert run(s.model(), "EFS304") == []


def test_efs304_any_of_several_mount_target_groups_may_allow() -> None:
    s = stack()
    closed = group("ClosedSecurityGroup")
    s.mt_a.security_groups = [closed, s.efs_sg]
    s.mt_b.security_groups = [closed, s.efs_sg]
    assert run(s.model(), "EFS304") == []
    s.efs_sg.ingress = []
    [finding] = run(s.model(), "EFS304")
    assert finding.location == closed.loc, "reported on the mount targets' first group"


@pytest.mark.parametrize(
    "change",
    [
        lambda s: setattr(s.efs_sg, "rules_known", False),
        lambda s: setattr(s.mt_a, "security_groups", None),
        lambda s: setattr(s.mt_a, "security_groups", [Unknown()]),
        lambda s: setattr(s.td, "network_mode", "bridge"),
        lambda s: setattr(s.td, "network_mode", Unknown()),
        lambda s: s.td.efs_volumes[0].__setattr__("file_system", None),
    ],
)
def test_efs304_quiet_when_groups_or_mode_unknown(change: Any) -> None:
    s = stack()
    s.efs_sg.ingress = [rule(peer=s.task_sg, ports=(22, 22))]
    s.fs.mount_targets.remove(s.mt_b)
    s.service.subnets = [s.subnet_a]
    change(s)
    assert run(s.model(), "EFS304") == []


def test_efs304_unknown_client_groups_still_prove_cidr_blocks() -> None:
    # Task groups not given (VPC default group): a group-sourced rule might match it, a CIDR rule cannot.
    s = stack()
    s.service.security_groups = None
    assert run(s.model(), "EFS304") == []
    s.efs_sg.ingress = [rule(cidr="192.168.0.0/16")]
    assert ids(run(s.model(), "EFS304")) == ["EFS304"]


def test_efs304_transit_encryption_port_does_not_change_the_port() -> None:
    s = stack()
    s.td.efs_volumes[0].transit_encryption_port = 20049
    s.efs_sg.ingress = [rule(ports=(20049, 20049), peer=s.task_sg)]
    assert ids(run(s.model(), "EFS304")) == ["EFS304"]


# --------------------------------------------------------------------------------------------
# EFS305


def test_efs305_terraform_group_without_egress() -> None:
    s = stack()
    s.task_sg.egress = []
    [finding] = run(s.model(), "EFS305")
    assert finding.severity is Severity.ERROR
    assert finding.location == s.task_sg.loc
    assert (
        "The security group(s) 'ServiceSecurityGroup' of ECS service 'Service' allow no outbound TCP 2049"
        in (finding.message)
    )
    assert [r.location for r in finding.related] == [s.mt_a.loc, s.mt_b.loc]


def test_efs305_several_groups_point_at_the_workload() -> None:
    s = stack()
    s.task_sg.egress = []
    extra = group("MonitoringSecurityGroup", egress=[rule("egress", ports=(443, 443), cidr="0.0.0.0/0")])
    s.service.security_groups = [s.task_sg, extra]
    [finding] = run(s.model(), "EFS305")
    assert finding.location == s.service.at("security_groups")
    assert "'ServiceSecurityGroup', 'MonitoringSecurityGroup'" in finding.message


def test_efs305_egress_cidr_of_one_az_only() -> None:
    s = stack()
    s.task_sg.egress = [rule("egress", cidr="10.0.1.0/24")]
    [finding] = run(s.model(), "EFS305")
    assert "mount target(s) 'MountTargetB'" in finding.message
    assert "tasks in PrivateSubnetB (us-east-1b)" in finding.message


@pytest.mark.parametrize(
    "egress",
    [
        lambda s: [allow_all_egress()],
        lambda s: [rule("egress", peer=s.efs_sg)],
        lambda s: [rule("egress", protocol="6", cidr="10.0.0.0/16")],
        lambda s: [rule("egress", cidr=Unknown())],
        lambda s: [rule("egress", peer=Unknown())],
    ],
)
def test_efs305_quiet_when_egress_may_allow(egress: Any) -> None:
    s = stack()
    s.task_sg.egress = egress(s)
    assert run(s.model(), "EFS305") == []


def test_efs305_quiet_when_task_groups_unknown() -> None:
    s = stack()
    s.task_sg.egress = []
    s.service.security_groups = None
    assert run(s.model(), "EFS305") == []
    s.service.security_groups = [s.task_sg, Unknown()]
    assert run(s.model(), "EFS305") == []
    s.service.security_groups = [s.task_sg]
    s.task_sg.rules_known = False
    assert run(s.model(), "EFS305") == []


def test_efs305_egress_to_mount_target_group_with_unknown_mt_groups() -> None:
    s = stack()
    s.task_sg.egress = [rule("egress", peer=s.efs_sg)]
    s.mt_a.security_groups = None
    s.mt_b.security_groups = None
    assert run(s.model(), "EFS305") == [], "the default group might be that group"


# --------------------------------------------------------------------------------------------
# EFS306


def test_efs306_points_at_the_open_rule() -> None:
    s = stack()
    open_rule = rule(cidr="0.0.0.0/0", name="NfsFromAnywhere")
    s.efs_sg.ingress.append(open_rule)
    [finding] = run(s.model(), "EFS306")
    assert finding.severity is Severity.WARNING
    assert finding.location == open_rule.loc
    assert (
        "Security group 'EfsSecurityGroup' of mount target(s) 'MountTargetA', 'MountTargetB'"
        in finding.message
    )
    assert "allows TCP 2049 from 0.0.0.0/0" in finding.message


def test_efs306_all_traffic_from_ipv6_anywhere() -> None:
    s = stack()
    s.efs_sg.ingress.append(rule(protocol="-1", ports=None, cidr_ipv6="::/0"))
    [finding] = run(s.model(), "EFS306")
    assert "allows all traffic from ::/0" in finding.message


def test_efs306_applies_without_any_workload() -> None:
    fs = file_system()
    sg = group("EfsOnly", ingress=[rule(cidr="0.0.0.0/0")])
    mount_target(fs, subnet("S", "eu-west-1a", "10.1.0.0/24"), [sg])
    assert ids(run(model_of(fs), "EFS306")) == ["EFS306"]


@pytest.mark.parametrize(
    "ingress",
    [
        rule(cidr="10.0.0.0/8"),
        rule(ports=(443, 443), cidr="0.0.0.0/0"),
        rule(protocol="udp", cidr="0.0.0.0/0"),
        rule(cidr=Unknown()),
        rule(ports=(Unknown(), Unknown()), cidr="0.0.0.0/0"),
    ],
)
def test_efs306_quiet(ingress: Any) -> None:
    s = stack()
    s.efs_sg.ingress.append(ingress)
    assert run(s.model(), "EFS306") == []


def test_efs306_ignores_groups_not_on_a_mount_target() -> None:
    s = stack()
    s.task_sg.ingress.append(rule(cidr="0.0.0.0/0"))
    assert run(s.model(), "EFS306") == []


# --------------------------------------------------------------------------------------------
# EFS307


def test_efs307_dns_hostnames_disabled() -> None:
    s = stack()
    s.vpc.dns_hostnames = False
    s.vpc.field_locs["dns_hostnames"] = Location("stack.yaml", 500, 7, "Vpc")
    [finding] = run(s.model(), "EFS307")
    assert finding.severity is Severity.ERROR
    assert finding.location == s.vpc.at("dns_hostnames")
    assert (
        "VPC 'Vpc' has DNS hostnames disabled, so the file system's DNS name does not resolve for the EFS mounts of ECS service 'Service'"
        in finding.message
    )


def test_efs307_both_disabled_points_at_dns_support() -> None:
    s = stack()
    s.vpc.dns_hostnames = False
    s.vpc.dns_support = False
    [finding] = run(s.model(), "EFS307")
    assert "DNS support and DNS hostnames disabled" in finding.message
    assert finding.location == s.vpc.at("dns_support")


def test_efs307_quiet_when_unknown_or_unused() -> None:
    s = stack()
    s.vpc.dns_hostnames = Unknown()
    assert run(s.model(), "EFS307") == []
    lonely = vpc("LonelyVpc", dns_support=False)
    assert run(s.model(lonely), "EFS307") == []
    s.vpc.dns_hostnames = False
    s.td.efs_volumes.clear()
    assert run(s.model(), "EFS307") == []


# --------------------------------------------------------------------------------------------
# EFS308


@pytest.mark.parametrize(
    ("public", "why"),
    [
        ({"map_public_ip": True}, "maps public IPs on launch"),
        ({"route_to_igw": True}, "routes to an internet gateway"),
    ],
)
def test_efs308_public_subnet(public: dict[str, bool], why: str) -> None:
    s = stack()
    s.mt_b.field_locs["subnet"] = Location("stack.yaml", 700, 7, "MountTargetB")
    for key, value in public.items():
        setattr(s.subnet_b, key, value)
    [finding] = run(s.model(), "EFS308")
    assert finding.location == s.mt_b.at("subnet")
    assert (
        f"Mount target 'MountTargetB' of file system 'FileSystem' is in subnet 'PrivateSubnetB', which {why}"
        in (finding.message)
    )
    assert finding.related[0].location == s.subnet_b.loc


def test_efs308_quiet_on_unknown() -> None:
    s = stack()
    s.subnet_b.map_public_ip = Unknown()
    s.subnet_b.route_to_igw = Unknown()
    s.mt_a.subnet = Unknown()
    assert run(s.model(), "EFS308") == []


# --------------------------------------------------------------------------------------------
# EFS309


def test_efs309_missing_dependency() -> None:
    s = stack()
    s.service.waits_for = {s.td, s.mt_a}
    [finding] = run(s.model(), "EFS309")
    assert finding.severity is Severity.WARNING
    assert finding.location == s.service.loc
    assert "mount target(s) MountTargetB are created in the same stack/module" in finding.message
    assert [r.location for r in finding.related] == [s.mt_b.loc]


def test_efs309_quiet_when_order_unknown_or_not_computed() -> None:
    s = stack()
    s.service.waits_for = Unknown()
    assert run(s.model(), "EFS309") == []
    s.service.waits_for = set()
    assert run(s.model(), "EFS309") == [], "an empty set means the front-end did not compute it"


def test_efs309_quiet_for_mount_targets_outside_the_input() -> None:
    s = stack()
    s.service.waits_for = {s.td}
    # A file system defined elsewhere: its mount targets are linked but not part of this model.
    model = s.model()
    model.mount_targets.clear()
    assert run(model, "EFS309") == []


def test_efs309_quiet_for_live_account() -> None:
    s = stack()
    s.service.waits_for = {s.td}
    s.service.loc = Location("arn:aws:ecs:us-east-1:123456789012:service/c/app", 0, 0, "app")
    assert run(s.model(), "EFS309") == []


# --------------------------------------------------------------------------------------------
# EFS310


def test_efs310_other_vpc() -> None:
    s = stack()
    other = vpc("AppVpc", id="vpc-0aaaaaaaaaaaaaaaa")
    elsewhere = subnet("AppSubnet", "us-east-1a", "172.16.0.0/24", other)
    s.service.subnets = [elsewhere]
    [finding] = run(s.model(), *NETWORK_RULES)
    assert finding.rule_id == "EFS310"
    assert finding.location == s.service.at("subnets")
    assert "runs in subnet 'AppSubnet' of VPC 'vpc-0aaaaaaaaaaaaaaaa'" in finding.message
    assert "mount targets of file system 'FileSystem' are in VPC 'Vpc'" in finding.message
    assert [r.location for r in finding.related] == [elsewhere.loc, s.mt_a.loc]


def test_efs310_supersedes_sg_findings_on_the_same_workload() -> None:
    s = stack()
    other = vpc("AppVpc")
    s.service.subnets = [subnet("AppSubnet", "us-east-1a", "172.16.0.0/24", other)]
    s.efs_sg.ingress = []
    s.task_sg.egress = []
    assert ids(run(s.model(), *NETWORK_RULES)) == ["EFS310"]


def test_efs310_same_vpc_by_id_and_unknown() -> None:
    s = stack()
    s.vpc.id = "vpc-0123456789abcdef0"
    twin = vpc("SameVpcByLiteral", id="vpc-0123456789abcdef0")
    s.service.subnets = [subnet("LiteralSubnet", "us-east-1a", "10.0.1.0/24", twin)]
    assert run(s.model(), "EFS310") == []
    twin.id = Unknown()
    assert run(s.model(), "EFS310") == []
    s.service.subnets[0].vpc = Unknown()
    assert run(s.model(), "EFS310") == []


# --------------------------------------------------------------------------------------------
# Helpers


@pytest.mark.parametrize(
    ("protocol", "ports", "expected"),
    [
        ("-1", (None, None), True),
        ("all", (None, None), True),
        ("tcp", (2049, 2049), True),
        ("6", (2049, 2049), True),
        ("tcp", (2049, None), True),
        ("tcp", (111, 111), False),
        ("udp", (2049, 2049), False),
        ("17", (2049, 2049), False),
        ("tcp", (None, None), None),
    ],
)
def test_allows_nfs_protocol(protocol: str, ports: tuple[Any, Any], expected: bool | None) -> None:
    result = allows_nfs_protocol(rule(protocol=protocol, ports=ports))
    assert isinstance(result, Unknown) if expected is None else result is expected


@pytest.mark.parametrize(
    ("rule_cidr", "target", "expected"),
    [
        ("10.0.0.0/16", "10.0.1.0/24", True),
        ("10.0.1.0/24", "10.0.2.0/24", False),
        ("0.0.0.0/0", Unknown(), True),
        ("10.0.0.0/16", None, None),
        ("10.0.1.0/25", "10.0.1.0/24", None),
        ("not-a-cidr", "10.0.1.0/24", None),
        ("2001:db8::/32", "10.0.1.0/24", False),
    ],
)
def test_cidr_covers(rule_cidr: str, target: Any, expected: bool | None) -> None:
    result = cidr_covers(rule_cidr, target)
    assert isinstance(result, Unknown) if expected is None else result is expected


# --------------------------------------------------------------------------------------------
# Property: adding an unrelated entity never changes the findings about the others


BREAKAGES = {
    "one_mt": lambda s: s.fs.mount_targets.remove(s.mt_b),
    "old_platform": lambda s: setattr(s.service, "platform_version", "1.3.0"),
    "no_ingress": lambda s: setattr(s.efs_sg, "ingress", []),
    "no_egress": lambda s: setattr(s.task_sg, "egress", []),
    "open": lambda s: s.efs_sg.ingress.append(rule(cidr="0.0.0.0/0")),
    "dns": lambda s: setattr(s.vpc, "dns_hostnames", False),
    "public": lambda s: setattr(s.subnet_a, "map_public_ip", True),
    "order": lambda s: setattr(s.service, "waits_for", {s.td}),
    "one_zone": lambda s: setattr(s.fs, "availability_zone", "us-east-1a"),
}


def unrelated(kind: str, flag: bool) -> list[Any]:
    """Entities that share nothing with the stack (their own VPC, subnets, groups, file system)."""
    net = vpc("UnrelatedVpc", dns_hostnames=flag)
    sn = subnet("UnrelatedSubnet", "eu-west-1c", "192.168.0.0/24", net, map_public_ip=flag)
    sg = group("UnrelatedGroup", ingress=[rule(cidr="0.0.0.0/0" if flag else "192.168.0.0/24")])
    if kind == "group":
        return [sg]
    if kind == "subnet":
        return [sn]
    if kind == "vpc":
        return [net]
    fs = file_system("UnrelatedFileSystem")
    mount_target(fs, sn, [sg], "UnrelatedMountTarget")
    if kind == "file_system":
        return [fs]
    td = mounted(task_definition(fs, "UnrelatedTaskDefinition"))
    return [workload(td, [sn], [sg], "UnrelatedService", platform_version="1.3.0" if flag else None)]


def _key(findings: list[Any], boundary: int) -> list[tuple[str, str, int, str]]:
    return sorted(
        (f.rule_id, f.location.logical_name, f.location.line, f.message)
        for f in findings
        if f.location.line < boundary
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    breakages=st.sets(st.sampled_from(sorted(BREAKAGES))),
    kind=st.sampled_from(["group", "subnet", "vpc", "file_system", "workload"]),
    flag=st.booleans(),
    symbolic=st.booleans(),
)
def test_unrelated_entity_never_changes_findings(
    breakages: set[str], kind: str, flag: bool, symbolic: bool
) -> None:
    s: Stack = stack(symbolic_az("GetAZs('')", 0), symbolic_az("GetAZs('')", 1)) if symbolic else stack()
    for name in sorted(breakages):
        BREAKAGES[name](s)
    before = run(s.model(), *ALL_RULES)
    # Builders number lines in creation order: everything at or after the boundary is unrelated.
    boundary = loc("boundary").line
    after = run(s.model(*unrelated(kind, flag)), *ALL_RULES)
    assert _key(after, boundary) == _key(before, boundary)
    assert all(f.location.line < boundary for f in before)


# --------------------------------------------------------------------------------------------
# Fixing the reported value removes the finding


def _other_vpc(s: Stack) -> None:
    s.service.subnets = [subnet("AppSubnet", "us-east-1a", "172.16.0.0/24", vpc("AppVpc"))]


def _one_zone(s: Stack) -> None:
    s.fs.availability_zone = "us-east-1a"
    s.fs.mount_targets.remove(s.mt_b)


ROUND_TRIPS = [
    ("EFS201", lambda s: setattr(s.service, "platform_version", "1.3.0"),
     lambda s: setattr(s.service, "platform_version", "LATEST")),
    ("EFS203", lambda s: setattr(s.service, "launch_type", "EXTERNAL"),
     lambda s: setattr(s.service, "launch_type", "FARGATE")),
    ("EFS205", lambda s: setattr(s.service, "platform_version", "1.4"),
     lambda s: setattr(s.service, "platform_version", None)),
    ("EFS301", lambda s: s.fs.mount_targets.remove(s.mt_b), lambda s: s.fs.mount_targets.append(s.mt_b)),
    ("EFS303", _one_zone, lambda s: setattr(s.service, "subnets", [s.subnet_a])),
    ("EFS304", lambda s: setattr(s.efs_sg.ingress[0], "to_port", 2048),
     lambda s: setattr(s.efs_sg.ingress[0], "to_port", 2049)),
    ("EFS305", lambda s: setattr(s.task_sg, "egress", []),
     lambda s: s.task_sg.egress.append(rule("egress", peer=s.efs_sg))),
    ("EFS306", lambda s: s.efs_sg.ingress.append(rule(cidr="0.0.0.0/0")),
     lambda s: setattr(s.efs_sg.ingress[-1], "cidr_ipv4", "10.0.0.0/16")),
    ("EFS307", lambda s: setattr(s.vpc, "dns_support", False), lambda s: setattr(s.vpc, "dns_support", True)),
    ("EFS308", lambda s: setattr(s.subnet_b, "map_public_ip", True),
     lambda s: setattr(s.subnet_b, "map_public_ip", False)),
    ("EFS309", lambda s: setattr(s.service, "waits_for", {s.td}),
     lambda s: s.service.waits_for.update({s.mt_a, s.mt_b})),
    ("EFS310", _other_vpc, lambda s: setattr(s.service, "subnets", [s.subnet_a, s.subnet_b])),
]  # fmt: skip


@pytest.mark.parametrize(("rule_id", "breaking", "fixing"), ROUND_TRIPS, ids=[r[0] for r in ROUND_TRIPS])
def test_fixing_the_reported_value_removes_the_finding(rule_id: str, breaking: Any, fixing: Any) -> None:
    s = stack()
    breaking(s)
    assert rule_id in ids(run(s.model(), *ALL_RULES))
    fixing(s)
    assert run(s.model(), *ALL_RULES) == []
