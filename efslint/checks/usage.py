"""Which workloads use which EFS file systems, and where their tasks run.

Shared by the workload (2xx) and network (3xx) predicates.  Everything here answers with
:class:`~efslint.model.Unknown` (or an empty result) when the model cannot tell, so the predicates
built on it stay quiet rather than guess.
"""

from __future__ import annotations

from ..model import EfsVolume, FileSystem, Maybe, Model, MountTarget, Subnet, Unknown, Vpc, Workload, same_az

WORKLOAD_KINDS = {
    "service": "ECS service",
    "task_set": "ECS task set",
    "events_rule": "EventBridge rule target",
    "schedule": "EventBridge Scheduler target",
    "run_task": "RunTask call",
    "task": "task",
    "batch_job_definition": "Batch job definition",
    "batch_compute_environment": "Batch compute environment",
}


def describe(workload: Workload) -> str:
    """``ECS service 'Api'``: the workload's kind and name, for messages."""
    kind = WORKLOAD_KINDS.get(workload.workload_type, "workload")
    if workload.workload_type == "batch_compute_environment":
        # One workload per compute environment and job definition: name both.
        td = workload.task_definition
        name = workload.name if isinstance(workload.name, str) else workload.label
        family = td.family if td is not None and isinstance(td.family, str) else "?"
        return f"{kind} '{name}' (job definition '{family}')"
    if workload.workload_type == "batch_job_definition" and isinstance(workload.name, str):
        return f"{kind} '{workload.name}'"
    return f"{kind} '{workload.label}'"


def efs_volumes(workload: Workload) -> list[EfsVolume]:
    td = workload.task_definition
    return list(td.efs_volumes) if td is not None else []


def mounted_efs_volumes(workload: Workload) -> list[EfsVolume]:
    """The EFS volumes a container mounts, or may mount (mount points not all known).

    Network claims ("tasks fail to mount") are made only for these: a volume no container mounts
    is EFS108's finding, and whether the agent still mounts it is not documented.
    """
    td = workload.task_definition
    if td is None:
        return []
    points = [mp for c in td.containers for mp in c.mount_points]
    if not td.containers_known or any(not isinstance(mp.source_volume, str) for mp in points):
        return list(td.efs_volumes)
    return [v for v in td.efs_volumes if not isinstance(v.name, str) or v.mounted_by()]


def file_systems(workload: Workload) -> list[FileSystem]:
    """The file systems the workload's mounted EFS volumes are linked to (each once, in order).

    None for a Batch job definition on its own: its network is that of the compute environments
    it is linked to, which are workloads of their own.
    """
    if workload.workload_type == "batch_job_definition":
        return []
    found: dict[int, FileSystem] = {}
    for volume in mounted_efs_volumes(workload):
        fs = volume.file_system
        if fs is not None:
            found.setdefault(id(fs), fs)
    return list(found.values())


def workloads_using(model: Model, fs: FileSystem) -> list[Workload]:
    return [w for w in model.workloads if any(f is fs for f in file_systems(w))]


def subnet_items(workload: Workload) -> list[Subnet | Unknown]:
    """The workload's subnets; an unknown list (or none given) is one unknown subnet."""
    subnets = workload.subnets
    if not isinstance(subnets, list) or not subnets:
        return [Unknown("the workload's subnets are not known")]
    return list(subnets)


def known_subnets(workload: Workload) -> list[Subnet]:
    """The workload's subnets that are entities, each once (a list may name one twice)."""
    subnets = workload.subnets
    found: dict[int, Subnet] = {}
    for subnet in subnets if isinstance(subnets, list) else []:
        if isinstance(subnet, Subnet):
            found.setdefault(id(subnet), subnet)
    return list(found.values())


def subnet_az(subnet: Subnet | Unknown | None) -> Maybe[str]:
    if isinstance(subnet, Subnet):
        return subnet.availability_zone
    return Unknown("subnet not known")


def mount_target_az(mt: MountTarget) -> Maybe[str]:
    return subnet_az(mt.subnet)


def az_text(az: Maybe[str]) -> str:
    """A readable AZ: symbolic AZs (``GetAZs('')#1``) read like the expression that made them."""
    if not isinstance(az, str):
        return "an unknown AZ"
    if "#" in az:
        base, index = az.rsplit("#", 1)
        return f"{base}[{index}]"
    return az


def subnet_text(subnet: Subnet) -> str:
    az = subnet.availability_zone
    return f"{subnet.label} ({az_text(az)})"


def distinct_azs(subnets: list[Subnet]) -> list[str]:
    """Known AZ values of the subnets, each once, in order (textual; see :func:`spans_several_azs`)."""
    seen: list[str] = []
    for subnet in subnets:
        az = subnet.availability_zone
        if isinstance(az, str) and az not in seen:
            seen.append(az)
    return seen


def spans_several_azs(subnets: list[Subnet]) -> bool:
    """True when two of the subnets are provably in different Availability Zones."""
    azs = [s.availability_zone for s in subnets]
    return any(same_az(a, b) is False for i, a in enumerate(azs) for b in azs[i + 1 :])


def one_zone(fs: FileSystem) -> Maybe[bool]:
    az = fs.availability_zone
    if isinstance(az, Unknown):
        return az
    return az is not None


def mount_target_azs(fs: FileSystem) -> list[Maybe[str]] | None:
    """The AZs in which the file system has (or can have) a mount target; None when unknowable.

    A One Zone file system can only ever have its mount target in its own AZ (AWS rejects any other),
    so its AZ answers even when the mount targets are not in the model.  Mount targets that are
    conditional count as present: a claim of absence must hold in every configuration.
    """
    if isinstance(fs.availability_zone, str):
        return [fs.availability_zone]
    if not fs.mount_targets_known or not fs.mount_targets:
        return None
    return [mount_target_az(mt) for mt in fs.mount_targets]


def serving_mount_targets(fs: FileSystem, subnet: Subnet | Unknown) -> list[MountTarget] | None:
    """The mount targets that tasks in ``subnet`` may mount through (one per AZ, the task's AZ).

    ``[]`` when the subnet's AZ provably has none (EFS301's case); None when it cannot be told.
    When the AZs cannot be compared, every mount target that may be in the subnet's AZ is returned:
    a claim that holds for all of them holds for the one the task really uses.
    """
    mts = fs.mount_targets
    if not mts:
        return None
    az = subnet_az(subnet)
    verdicts = [(mt, same_az(az, mount_target_az(mt))) for mt in mts]
    exact = [mt for mt, same in verdicts if same is True]
    if exact:
        return exact
    maybe = [mt for mt, same in verdicts if same is not False]
    if not fs.mount_targets_known:
        return None
    return maybe


def same_vpc(a: Vpc | Unknown | None, b: Vpc | Unknown | None) -> Maybe[bool]:
    """Whether two VPC links denote one VPC: entities by identity, ids when both are known strings.

    A VPC entity without an id is created by the input itself, so it is no other VPC.
    """
    if not isinstance(a, Vpc) or not isinstance(b, Vpc):
        return Unknown("vpc not known")
    if a is b:
        return True
    if isinstance(a.id, Unknown) or isinstance(b.id, Unknown):
        return Unknown("vpc id not known")
    if isinstance(a.id, str) and isinstance(b.id, str):
        return a.id == b.id
    return False


def subnet_in_other_vpc(workload: Workload, fs: FileSystem) -> tuple[Subnet, MountTarget] | None:
    """A workload subnet whose VPC provably differs from the VPC of every mount target of ``fs``.

    Returns the subnet and a mount target to show, or None.  AWS keeps all mount targets of a file
    system in one VPC, and a file system's DNS name resolves only there.
    """
    mts = [mt for mt in fs.mount_targets if isinstance(mt.subnet, Subnet) and isinstance(mt.subnet.vpc, Vpc)]
    if not mts:
        return None
    for subnet in known_subnets(workload):
        if all(same_vpc(subnet.vpc, mt.subnet.vpc) is False for mt in mts):  # type: ignore[union-attr]
            return subnet, mts[0]
    return None


def any3(values: list[Maybe[bool]]) -> Maybe[bool]:
    """Three-valued OR: True if any is True, Unknown if any is Unknown, else False."""
    if any(v is True for v in values):
        return True
    unknown = next((v for v in values if isinstance(v, Unknown)), None)
    return unknown if unknown is not None else False


def all3(values: list[Maybe[bool]]) -> Maybe[bool]:
    """Three-valued AND: False if any is False, Unknown if any is Unknown, else True."""
    if any(v is False for v in values):
        return False
    unknown = next((v for v in values if isinstance(v, Unknown)), None)
    return unknown if unknown is not None else True
