"""Predicates over where the tasks and the mount targets sit: AZs, VPCs, DNS, subnets (EFS301-303, 307-310).

Security-group reachability (EFS304-306) is in :mod:`efslint.checks.reachability`.

Root causes, one finding each:

* One Zone file system, workload provably spread over several AZs: EFS303 (warning) on the file
  system says the design gives no AZ resilience, and EFS301 (error) on the workload names the
  subnets whose tasks fail to mount, since that is an outage and not only a risk.  When no subnet is
  provably outside the file system's AZ (symbolic AZs on one side), EFS301 still fires: of several
  distinct AZs at most one is the file system's.  A One Zone file system used from a single other AZ
  is EFS301 alone.
* Mount targets in another VPC: EFS310; EFS301, EFS304 and EFS305 skip that workload and file system,
  as AZs and security groups say nothing across VPCs.
* Regional file system with mount targets in one AZ only: EFS302 (superseded by EFS303, which can only
  apply to One Zone file systems, so in practice never).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Related
from ..model import Entity, FileSystem, Model, MountTarget, Subnet, Unknown, Vpc, Workload, same_az
from . import Violation, check
from .usage import (
    az_text,
    describe,
    distinct_azs,
    file_systems,
    known_subnets,
    mount_target_az,
    mount_target_azs,
    mounted_efs_volumes,
    one_zone,
    same_vpc,
    spans_several_azs,
    subnet_in_other_vpc,
    subnet_text,
    workloads_using,
)


def _join(items: list[str]) -> str:
    return ", ".join(items) if items else "none"


# --------------------------------------------------------------------------------------------
# EFS301


def uncovered_subnets(workload: Workload, fs: FileSystem) -> list[Subnet]:
    """The workload's subnets whose AZ provably has no mount target of ``fs``."""
    azs = mount_target_azs(fs)
    if azs is None:
        return []
    missing = []
    for subnet in known_subnets(workload):
        verdicts = [same_az(subnet.availability_zone, az) for az in azs]
        if verdicts and all(v is False for v in verdicts):
            missing.append(subnet)
    return missing


@check("no_mount_target_in_task_az")
def no_mount_target_in_task_az(workload: Workload, model: Model) -> Iterator[Violation]:
    subnets = known_subnets(workload)
    if not subnets:
        return
    for fs in file_systems(workload):
        zone = one_zone(fs)
        if subnet_in_other_vpc(workload, fs) is not None:
            # EFS310 reports this pair. Not `superseded_by` in the rule: that would also drop this
            # workload's findings about its other file systems.
            continue
        missing = uncovered_subnets(workload, fs)
        azs = _join([az_text(az) for az in distinct_azs(missing)])
        if not missing and zone is True and spans_several_azs(subnets):
            # Which of the AZs is the file system's is unknown, but it is one AZ: the others fail.
            missing = [s for s in subnets if same_az(s.availability_zone, fs.availability_zone) is not True]
            azs = "every AZ but one of " + _join([az_text(az) for az in distinct_azs(subnets)])
        if not missing:
            continue
        if zone is True:
            where = f"One Zone file system '{fs.label}' lives in {az_text(fs.availability_zone)} only"
            # A One Zone file system can have no mount target in another AZ.
            home = az_text(fs.availability_zone)
            fix = f"Keep the workload's subnets in {home}, or use a Regional file system."
        else:
            mt_azs = sorted({az_text(mount_target_az(mt)) for mt in fs.mount_targets})
            where = f"file system '{fs.label}' has mount targets only in {_join(mt_azs)}"
            fix = (
                f"Add a mount target of '{fs.label}' in each of those AZs, or remove those subnets from the "
                "workload."
            )
        yield Violation(
            {
                "workload": describe(workload),
                "subnets": _join([subnet_text(s) for s in missing]),
                "file_system": fs.label,
                "where": where,
                "azs": azs,
                "fix": fix,
            },
            location=workload.at("subnets"),
            related=[
                Related(s.loc, f"subnet {subnet_text(s)} has no mount target in its AZ") for s in missing
            ]
            + [Related(fs.loc, f"file system '{fs.label}'")],
            anchor=fs.label,
        )


# --------------------------------------------------------------------------------------------
# EFS302 / EFS303 (on the file system)


def _all_in_one_az(mts: list[MountTarget]) -> bool:
    """Provably one AZ: a single mount target, or all in one subnet, or all AZs provably equal."""
    first = mts[0]
    if len(mts) == 1:
        return True
    if all(mt.subnet is first.subnet and isinstance(mt.subnet, Subnet) for mt in mts):
        return True
    return all(same_az(mount_target_az(first), mount_target_az(mt)) is True for mt in mts)


@check("single_az_mount_targets")
def single_az_mount_targets(fs: FileSystem, model: Model) -> Iterator[Violation]:
    mts = fs.mount_targets
    if fs.availability_zone is not None or not fs.mount_targets_known or not mts or not _all_in_one_az(mts):
        return
    users = workloads_using(model, fs)
    if not users:
        return
    az = mount_target_az(mts[0])
    names = _join([mt.label for mt in mts])
    yield Violation(
        {
            "where": f"{az_text(az)}: {names}" if isinstance(az, str) else names,
            "workloads": _join([describe(w) for w in users]),
        },
        related=[Related(mt.loc, f"mount target '{mt.label}'") for mt in mts]
        + [Related(w.loc, describe(w)) for w in users[:3]],
    )


@check("one_zone_file_system_multi_az_workload")
def one_zone_file_system_multi_az_workload(fs: FileSystem, model: Model) -> Iterator[Violation]:
    if one_zone(fs) is not True:
        return
    for workload in workloads_using(model, fs):
        subnets = known_subnets(workload)
        if not spans_several_azs(subnets):
            continue
        outside = [s for s in subnets if same_az(s.availability_zone, fs.availability_zone) is False]
        yield Violation(
            {
                "az": az_text(fs.availability_zone),
                "workload": describe(workload),
                "workload_azs": _join([az_text(az) for az in distinct_azs(subnets)]),
                "outside": _join([subnet_text(s) for s in outside]) if outside else "the subnets outside it",
            },
            location=fs.at("availability_zone"),
            related=[Related(workload.at("subnets"), describe(workload))]
            + [Related(s.loc, f"subnet {subnet_text(s)}") for s in (outside or subnets)],
            anchor=workload.label,
        )


# --------------------------------------------------------------------------------------------
# EFS307 / EFS308 (on the VPC, on the mount target)


@check("vpc_dns_disabled")
def vpc_dns_disabled(vpc: Vpc, model: Model) -> Iterator[Violation]:
    attributes = (("DNS support", vpc.dns_support), ("DNS hostnames", vpc.dns_hostnames))
    disabled = [name for name, value in attributes if value is False]
    if not disabled:
        return
    users = [
        w
        for w in model.workloads
        if mounted_efs_volumes(w) and any(same_vpc(s.vpc, vpc) is True for s in known_subnets(w))
    ]
    if not users:
        return
    field = "dns_support" if vpc.dns_support is False else "dns_hostnames"
    yield Violation(
        {"disabled": " and ".join(disabled), "workloads": _join([describe(w) for w in users])},
        location=vpc.at(field),
        related=[Related(w.loc, describe(w)) for w in users[:3]],
    )


@check("mount_target_in_public_subnet")
def mount_target_in_public_subnet(mt: MountTarget, model: Model) -> Iterator[Violation]:
    subnet = mt.subnet
    if not isinstance(subnet, Subnet):
        return
    reasons = []
    if subnet.route_to_igw is True:
        reasons.append("routes to an internet gateway")
    if subnet.map_public_ip is True:
        reasons.append("maps public IPs on launch")
    if reasons:
        fs = mt.file_system
        yield Violation(
            {"subnet": subnet.label, "why": " and ".join(reasons), "file_system": fs.label if fs else "?"},
            related=[Related(subnet.loc, f"subnet '{subnet.label}'")],
        )


# --------------------------------------------------------------------------------------------
# EFS309 / EFS310 (on the workload)


def _in_input(entity: Entity) -> bool:
    """False for entities read from a live account (their location is an ARN or an aws:// URL)."""
    file = entity.loc.file
    return not (file.startswith("arn:") or "://" in file)


@check("workload_not_waiting_for_mount_targets")
def workload_not_waiting_for_mount_targets(workload: Workload, model: Model) -> Iterator[Violation]:
    waits = workload.waits_for
    # An empty set means the front-end did not compute the order (every CloudFormation or Terraform
    # workload references at least its task definition), so it proves nothing.
    if isinstance(waits, Unknown) or not waits or not _in_input(workload):
        return
    # Built once per run (model.derived), not per workload: keeps the rule linear in the model.
    in_model = model.derived.get("network.mount_target_ids")
    if in_model is None:
        in_model = model.derived["network.mount_target_ids"] = {id(mt) for mt in model.mount_targets}
    for fs in file_systems(workload):
        missing = [mt for mt in fs.mount_targets if id(mt) in in_model and _in_input(mt) and mt not in waits]
        if not missing:
            continue
        yield Violation(
            {
                "workload": describe(workload),
                "file_system": fs.label,
                "mount_targets": _join([mt.label for mt in missing]),
            },
            related=[Related(mt.loc, f"mount target '{mt.label}'") for mt in missing],
            anchor=fs.label,
        )


@check("file_system_in_other_vpc")
def file_system_in_other_vpc(workload: Workload, model: Model) -> Iterator[Violation]:
    for fs in file_systems(workload):
        found = subnet_in_other_vpc(workload, fs)
        if found is None:
            continue
        subnet, mt = found
        mt_vpc = mt.subnet.vpc  # type: ignore[union-attr]
        yield Violation(
            {
                "workload": describe(workload),
                "subnet": subnet.label,
                "vpc": _vpc_text(subnet.vpc),
                "file_system": fs.label,
                "mt_vpc": _vpc_text(mt_vpc),
            },
            location=workload.at("subnets"),
            related=[
                Related(subnet.loc, f"subnet '{subnet.label}' in VPC {_vpc_text(subnet.vpc)}"),
                Related(mt.loc, f"mount target '{mt.label}' in VPC {_vpc_text(mt_vpc)}"),
            ],
            anchor=fs.label,
        )


def _vpc_text(vpc: object) -> str:
    if isinstance(vpc, Vpc):
        return f"'{vpc.id}'" if isinstance(vpc.id, str) else f"'{vpc.label}'"
    return "unknown"
