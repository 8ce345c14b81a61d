"""CloudFormation ``AWS::Batch::JobDefinition``, ``ComputeEnvironment`` and ``JobQueue``.

Called by the template mapper once its own entities exist, with the mapper itself (its ``props``,
``loc``, ``register``, ``file_system``, ``target``, ``role_of_arn``, ``subnet`` and
``security_group``), so links to the template's file systems, access points, roles, subnets and
security groups are the same objects ECS resources link to.  Spellings follow the Batch schema:
``EfsVolumeConfiguration`` with ``FileSystemId`` and ``AuthorizationConfig.Iam`` (not the ECS
``EFSVolumeConfiguration``/``FilesystemId``/``IAM``).  Which job definitions run where:
:mod:`..batch_links`.
"""

from __future__ import annotations

from typing import Any

from ...model import (
    Container,
    MountPoint,
    Role,
    TaskDefinition,
    Unknown,
    Volume,
)
from .. import batch_links as batch
from .resolve import ResourceRef
from .values import as_list, as_str, get_key

TYPES = ("AWS::Batch::JobDefinition", "AWS::Batch::ComputeEnvironment", "AWS::Batch::JobQueue")


# Batch spells these EFS properties differently from an ECS task definition.
_BATCH_KEYS = {"FilesystemId": "FileSystemId"}


def map_batch(mapper: Any) -> None:
    """Add the template's Batch job definitions and their workloads to ``mapper.model``."""
    envs = {name: _compute_environment(mapper, name) for name, _ in mapper.of_type(TYPES[1])}
    queues = [_queue(mapper, name, envs) for name, _ in mapper.of_type(TYPES[2])]
    by_name: dict[str, TaskDefinition] = {}
    for name, _ in mapper.of_type(TYPES[0]):
        td = _job_definition(mapper, name)
        if td is not None:
            by_name[name] = td
            mapper.model.task_definitions.append(td)
    _event_targets(mapper, dict(zip([n for n, _ in mapper.of_type(TYPES[2])], queues, strict=True)), by_name)
    batch.link(mapper.model, list(by_name.values()), queues, in_files=True)


def _event_targets(mapper: Any, queues: dict[str, batch.JobQueue], jobs: dict[str, TaskDefinition]) -> None:
    """EventBridge targets that submit a job definition of the template to one of its queues."""
    for name, _ in mapper.of_type("AWS::Events::Rule"):
        targets = as_list(get_key(mapper.props(name), "Targets"))
        for target in targets if isinstance(targets, list) else []:
            queue, job = get_key(target, "Arn"), get_key(get_key(target, "BatchParameters"), "JobDefinition")
            if (
                isinstance(queue, ResourceRef)
                and queue.logical_id in queues
                and isinstance(job, ResourceRef)
                and job.logical_id in jobs
            ):
                found = queues[queue.logical_id]
                found.job_definitions = [*(found.job_definitions or []), jobs[job.logical_id]]


def _job_definition(mapper: Any, name: str) -> TaskDefinition | None:
    p = mapper.props(name)
    loc = mapper.loc(name)
    skipped = batch.job_definition_kind(
        get_key(p, "Type"), "NodeProperties" in p, "EksProperties" in p, "EcsProperties" in p
    )
    if skipped is not None:
        batch.skipped_note(mapper.model, name, skipped, loc)
        return None
    props = get_key(p, "ContainerProperties")
    if not isinstance(props, dict):
        return None
    caps = as_list(get_key(p, "PlatformCapabilities"))
    fargate = get_key(props, "FargatePlatformConfiguration")
    runtime = get_key(props, "RuntimePlatform")
    role_value = get_key(props, "JobRoleArn")
    role = mapper.role_of_arn(role_value)
    family = as_str(get_key(p, "JobDefinitionName"))
    td = TaskDefinition(
        loc=loc,
        # Without a JobDefinitionName CloudFormation makes one up: the logical id names it here.
        family=family if family is not None else name,
        requires_compatibilities=caps if caps is not None else [],
        os_family=as_str(get_key(runtime, "OperatingSystemFamily")),
        task_role=as_str(role_value) if role is None else Unknown(f"the ARN of role {role.label}"),
        task_role_entity=role if isinstance(role, Role) else None,
        execution_role=as_str(get_key(props, "ExecutionRoleArn")),
        platform_version=as_str(get_key(fargate, "PlatformVersion")),
    )
    if "JobRoleArn" in props:
        td.field_locs["task_role"] = mapper.loc(name, props, "JobRoleArn")
    if isinstance(fargate, dict) and "PlatformVersion" in fargate:
        td.field_locs["platform_version"] = mapper.loc(name, fargate, "PlatformVersion")
    if isinstance(runtime, dict) and "OperatingSystemFamily" in runtime:
        td.field_locs["os_family"] = mapper.loc(name, runtime, "OperatingSystemFamily")
    mapper.register(name, td)
    volumes = as_list(get_key(props, "Volumes"))
    td.volumes_known = isinstance(volumes, list) or volumes is None
    for index, vol in enumerate(volumes if isinstance(volumes, list) else []):
        if isinstance(vol, dict):
            _volume(mapper, name, td, volumes, index, vol)
        else:
            td.volumes_known = False
    td.containers.append(_container(mapper, name, p, props))
    batch.mark_job_definition(td)
    return td


def _volume(mapper: Any, name: str, td: TaskDefinition, volumes: Any, index: int, vol: Any) -> None:
    vname = vol.get("Name")
    logical = f"{name}/Volumes/{vname}"
    efs = vol.get("EfsVolumeConfiguration")
    others = ["host"] if vol.get("Host") not in (None, {}) else []
    if not isinstance(efs, dict):
        other = Volume(
            loc=mapper.loc(name, volumes, index).named(logical), name=as_str(vname), configurations=others
        )
        td.other_volumes.append(mapper.register(name, other))
        if isinstance(efs, Unknown):
            td.volumes_known = False
        return
    auth = efs.get("AuthorizationConfig")
    mapper.efs_volume(name, td, vol, "EfsVolumeConfiguration", efs, auth, _BATCH_KEYS, {"IAM": "Iam"})


def _container(mapper: Any, name: str, p: Any, props: Any) -> Container:
    logical = f"{name}/ContainerProperties"
    container = Container(
        loc=mapper.loc(name, p, "ContainerProperties").named(logical),
        name="container",
        user=as_str(props.get("User")),
    )
    mapper.register(name, container)
    points = as_list(props.get("MountPoints"))
    if isinstance(points, Unknown):
        container.mount_points.append(
            MountPoint(loc=container.loc, container="container", source_volume=points)
        )
    for i, mp in enumerate(points if isinstance(points, list) else []):
        if not isinstance(mp, dict):
            container.mount_points.append(
                MountPoint(loc=container.loc, container="container", source_volume=Unknown("mount point"))
            )
            continue
        source = mp.get("SourceVolume")
        ro = mp.get("ReadOnly")
        point = MountPoint(
            loc=mapper.loc(name, points, i).named(f"{logical}/MountPoints/{source}"),
            container="container",
            source_volume=as_str(source),
            container_path=as_str(mp.get("ContainerPath")),
            read_only=ro
            if isinstance(ro, bool)
            else (ro.lower() == "true" if isinstance(ro, str) else False),
        )
        if "SourceVolume" in mp:
            point.field_locs["source_volume"] = mapper.loc(name, mp, "SourceVolume").named(
                point.loc.logical_name
            )
        container.mount_points.append(mapper.register(name, point))
    return container


def _compute_environment(mapper: Any, name: str) -> batch.ComputeEnvironment:
    p = mapper.props(name)
    resources = get_key(p, "ComputeResources")
    kind: Any = (
        as_str(get_key(resources, "Type")) if isinstance(resources, dict) else Unknown("no computeResources")
    )
    if get_key(p, "EksConfiguration") is not None or str(get_key(p, "Type")).upper() == "UNMANAGED":
        kind = Unknown("unmanaged or EKS compute environment")
    subnets = as_list(get_key(resources, "Subnets"))
    groups = as_list(get_key(resources, "SecurityGroupIds"))
    ce = batch.ComputeEnvironment(
        name=as_str(get_key(p, "ComputeEnvironmentName")) or name,
        loc=mapper.loc(name),
        type=kind if kind is not None else Unknown("computeResources.type not set"),
        subnets=[mapper.subnet(s) for s in subnets] if isinstance(subnets, list) else subnets,
        # No SecurityGroupIds: Batch uses the VPC's default group, which this model cannot see.
        security_groups=[mapper.security_group(g) for g in groups] if isinstance(groups, list) else groups,
        conditional="Condition" in mapper.resources[name],
        suppressions=mapper.suppressions(name),
    )
    if isinstance(resources, dict):
        for key, attr in (("Subnets", "subnets"), ("SecurityGroupIds", "security_groups")):
            if key in resources:
                ce.field_locs[attr] = mapper.loc(name, resources, key)
    return ce


def _queue(mapper: Any, name: str, envs: dict[str, batch.ComputeEnvironment]) -> batch.JobQueue:
    p = mapper.props(name)
    order = as_list(get_key(p, "ComputeEnvironmentOrder"))
    found: list[Any] = []
    for item in order if isinstance(order, list) else [Unknown("compute environment order not known")]:
        ref = get_key(item, "ComputeEnvironment")
        if (
            isinstance(ref, ResourceRef)
            and ref.logical_id in envs
            and ref.attribute in (None, "ComputeEnvironmentArn")
        ):
            found.append(envs[ref.logical_id])
        else:
            found.append(Unknown("a compute environment this template does not define"))
    return batch.JobQueue(
        name=as_str(get_key(p, "JobQueueName")) or name, loc=mapper.loc(name), compute_environments=found
    )
