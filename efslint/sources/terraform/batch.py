"""Terraform ``aws_batch_job_definition``, ``aws_batch_compute_environment`` and ``aws_batch_job_queue``.

Called by the resource mapper of :mod:`.resources` (HCL and plans alike) once its own entities
exist, with the mapper itself, so links to file systems, access points, roles, subnets and security
groups are the ones ECS resources get.  ``container_properties`` is the API's JSON — written with
``jsonencode``, a heredoc or ``file()`` like ``container_definitions`` — and the provider decodes it
case-insensitively; its volumes are reshaped into the ``volume`` block the task-definition mapper
reads, keeping positions, and its mount points go through the container reader.  Which job
definitions run where: :mod:`..batch_links`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...model import Location, Role, TaskDefinition, Unknown
from .. import batch_links as batch
from ..errors import InputError
from ..located import LList, LMap, Pos
from .evaluate import JsonValue, Ref, SourceText

TYPES = ("aws_batch_job_definition", "aws_batch_compute_environment", "aws_batch_job_queue")
# containerProperties volume keys (lower-cased) → the aws_ecs_task_definition block names.
_VOLUME_KEYS = {
    "name": "name",
    "host": "host_path",
    "efsvolumeconfiguration": "efs_volume_configuration",
    "filesystemid": "file_system_id",
    "rootdirectory": "root_directory",
    "transitencryption": "transit_encryption",
    "transitencryptionport": "transit_encryption_port",
    "authorizationconfig": "authorization_config",
    "accesspointid": "access_point_id",
    "iam": "iam",
}


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _str(value: Any) -> Any:
    if value is None or isinstance(value, Unknown):
        return value
    if isinstance(value, str):
        return value or None
    return Unknown("value is computed by the provider" if isinstance(value, Ref) else "value cannot be known")


def _get(doc: Any, key: str) -> Any:
    """A case-insensitive key of decoded JSON (Go's encoding/json matches keys that way)."""
    if not isinstance(doc, dict):
        return None
    if key in doc:
        return doc[key]
    lower = key.lower()
    return next((v for k, v in doc.items() if isinstance(k, str) and k.lower() == lower), None)


def _key(doc: Any, key: str) -> str | None:
    if not isinstance(doc, dict):
        return None
    lower = key.lower()
    return next((k for k in doc if isinstance(k, str) and k.lower() == lower), None)


def map_batch(mapper: Any, managed: list[Any]) -> None:
    """Add the module's Batch job definitions and their workloads to ``mapper.model``."""
    envs = {id(r.target): _compute_environment(mapper, r) for r in managed if r.type == TYPES[1]}
    queues = {id(r.target): _queue(mapper, r, envs) for r in managed if r.type == TYPES[2]}
    jobs: dict[int, TaskDefinition] = {}
    for rec in managed:
        if rec.type == TYPES[0]:
            td = _job_definition(mapper, rec)
            if td is not None:
                jobs[id(rec.target)] = td
    for rec in managed:
        if rec.type == "aws_cloudwatch_event_target":
            _event_target(rec, queues, jobs)
    batch.link(mapper.model, list(jobs.values()), list(queues.values()), in_files=True)


def _event_target(rec: Any, queues: dict[int, batch.JobQueue], jobs: dict[int, TaskDefinition]) -> None:
    """An EventBridge target that submits a job definition of the module to one of its queues."""
    params = _first(rec.doc.get("batch_target"))
    queue, job = rec.doc.get("arn"), params.get("job_definition") if isinstance(params, dict) else None
    if (
        isinstance(queue, Ref)
        and isinstance(job, Ref)
        and id(queue.target) in queues
        and id(job.target) in jobs
    ):
        found = queues[id(queue.target)]
        found.job_definitions = [*(found.job_definitions or []), jobs[id(job.target)]]


def _decode(mapper: Any, rec: Any) -> tuple[Any, Any, Callable[[Pos], Pos]]:
    """``container_properties`` as data, the record its positions belong to, and a position mover."""
    value = rec.doc.get("container_properties")
    same: Callable[[Pos], Pos] = lambda pos: pos  # noqa: E731
    if isinstance(value, JsonValue):
        return value.value, rec, same
    if not isinstance(value, str):
        return Unknown("container_properties cannot be known"), rec, same
    from ..json_reader import loads

    try:
        data = loads(str(value))
    except InputError:
        mapper.model.notes.append(
            (
                "EFS000",
                f"{rec.address}: container_properties is not valid JSON",
                mapper.loc(rec, rec.doc, "container_properties"),
            )
        )
        return Unknown("container_properties is not valid JSON"), rec, same
    crec = rec
    if isinstance(value, SourceText):
        offset = value.line - 1
        crec = type(rec)(rec.address, rec.type, rec.mode, rec.doc, value.path or rec.file, rec.target,
                         line=rec.line, col=rec.col)  # fmt: skip
        return data, crec, lambda pos: (pos[0] + offset, pos[1]) if pos[0] else pos
    # A quoted literal: its text has no place in the file; everything points at the argument.
    anchor = mapper.loc(rec, rec.doc, "container_properties")
    return data, crec, lambda pos: (anchor.line, anchor.column)


def _reshape(node: Any, move: Callable[[Pos], Pos], keys: dict[str, str] | None = None) -> Any:
    """Volume JSON as a Terraform ``volume`` block: snake_case keys, positions moved into the file."""
    if isinstance(node, dict):
        out = LMap(move(getattr(node, "pos", (0, 0))))
        for k, v in node.items():
            name = (keys or _VOLUME_KEYS).get(k.lower(), k) if isinstance(k, str) else k
            key_pos = node.key_pos.get(k, out.pos) if isinstance(node, LMap) else out.pos
            value_pos = node.value_pos.get(k, out.pos) if isinstance(node, LMap) else out.pos
            out.put(name, _reshape(v, move, keys), move(key_pos), move(value_pos))
        return out
    if isinstance(node, list) and not isinstance(node, JsonValue):
        items = LList(move(getattr(node, "pos", (0, 0))))
        for i, item in enumerate(node):
            items.add(_reshape(item, move, keys), move(node.pos_of(i) if isinstance(node, LList) else (0, 0)))
        return items
    return node


def _job_definition(mapper: Any, rec: Any) -> TaskDefinition | None:
    doc = rec.doc
    loc = mapper.loc(rec)
    skipped = batch.job_definition_kind(
        doc.get("type"),
        doc.get("node_properties") is not None,
        doc.get("eks_properties") not in (None, []),
        doc.get("ecs_properties") is not None,
    )
    if skipped is not None:
        batch.skipped_note(mapper.model, rec.address, skipped, loc)
        return None
    data, crec, move = _decode(mapper, rec)
    if data is None:
        return None
    props = data if isinstance(data, dict) else {}
    caps = doc.get("platform_capabilities")
    fargate = _get(props, "fargatePlatformConfiguration")
    runtime = _get(props, "runtimePlatform")
    role_value = _get(props, "jobRoleArn")
    role = mapper.role_of(role_value)
    td = TaskDefinition(
        loc=loc,
        family=_str(doc.get("name")),
        requires_compatibilities=list(caps)
        if isinstance(caps, list)
        else ([] if caps is None else Unknown("platform_capabilities cannot be known")),
        os_family=_str(_get(runtime, "operatingSystemFamily")),
        task_role=_str(role_value) if not isinstance(role_value, Ref) else Unknown("role ARN is computed"),
        task_role_entity=role if isinstance(role, Role) else None,
        platform_version=_str(_get(fargate, "platformVersion")),
    )
    mapper.field_locs(td, rec, doc, {"name": "family"})
    for block, key, attr in (
        (props, "jobRoleArn", "task_role"),
        (fargate, "platformVersion", "platform_version"),
    ):
        found = _key(block, key)
        if found is not None:
            td.field_locs[attr] = _moved(mapper.loc(crec, block, found), move)
    if not isinstance(data, dict):
        # Unknown or not an object: nothing can be said about volumes or mounts.
        td.volumes_known = td.containers_known = False
    else:
        volumes = _get(props, "volumes")
        td.volumes_known = isinstance(volumes, list) or volumes is None
        for vol in volumes if isinstance(volumes, list) else []:
            if isinstance(vol, dict):
                mapper.volume(crec, td, _reshape(vol, move))
        _container(mapper, rec, crec, td, props, move)
    mapper.add(rec, td, mapper.model.task_definitions)
    batch.mark_job_definition(td)
    return td


def _container(
    mapper: Any, rec: Any, crec: Any, td: TaskDefinition, props: Any, move: Callable[[Pos], Pos]
) -> None:
    """The job's one container, read by the task-definition container reader."""
    body = _reshape(props, move, keys={})
    holder = LList(body.pos)
    holder.add(body, body.pos)
    mapper.containers(crec, td, JsonValue(holder))


def _moved(loc: Location, move: Callable[[Pos], Pos]) -> Location:
    line, col = move((loc.line, loc.column))
    return Location(loc.file, line, col, loc.logical_name, loc.note)


def _compute_environment(mapper: Any, rec: Any) -> batch.ComputeEnvironment:
    doc = rec.doc
    resources = _first(doc.get("compute_resources"))
    kind: Any = (
        _str(resources.get("type")) if isinstance(resources, dict) else Unknown("no compute_resources")
    )
    if doc.get("eks_configuration") not in (None, []) or str(doc.get("type")).upper() == "UNMANAGED":
        kind = Unknown("unmanaged or EKS compute environment")
    subnets = resources.get("subnets") if isinstance(resources, dict) else None
    groups = resources.get("security_group_ids") if isinstance(resources, dict) else None
    name = doc.get("compute_environment_name") or doc.get("name")
    ce = batch.ComputeEnvironment(
        name=name if isinstance(name, str) else rec.address,
        loc=mapper.loc(rec),
        type=kind if kind is not None else Unknown("compute_resources.type not set"),
        subnets=mapper.subnets_of(subnets) if subnets is not None else None,
        security_groups=mapper.groups_of(groups) if groups is not None else None,
        conditional=rec.conditional,
    )
    if isinstance(ce.security_groups, list) and not ce.security_groups:
        ce.security_groups = None
    if isinstance(resources, dict):
        for key, attr in (("subnets", "subnets"), ("security_group_ids", "security_groups")):
            if key in resources:
                ce.field_locs[attr] = mapper.loc(rec, resources, key)
    return ce


def _queue(mapper: Any, rec: Any, envs: dict[int, batch.ComputeEnvironment]) -> batch.JobQueue:
    doc = rec.doc
    refs: list[Any] = []
    order = doc.get("compute_environment_order")
    if isinstance(order, dict):
        order = [order]
    if isinstance(order, list):
        refs += [item.get("compute_environment") if isinstance(item, dict) else item for item in order]
    elif order is not None:
        refs.append(Unknown("compute_environment_order cannot be known"))
    legacy = doc.get("compute_environments")
    if isinstance(legacy, list):
        refs += legacy
    elif legacy is not None:
        refs.append(Unknown("compute_environments cannot be known"))
    found: list[Any] = []
    for ref in refs:
        env = envs.get(id(ref.target)) if isinstance(ref, Ref) and ref.attr == "arn" else None
        found.append(env if env is not None else Unknown("a compute environment this module does not define"))
    name = doc.get("name")
    return batch.JobQueue(
        name=name if isinstance(name, str) else rec.address, loc=mapper.loc(rec), compute_environments=found
    )
