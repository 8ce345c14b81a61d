"""AWS Batch job-definition JSON: `register-job-definition` input, `describe-job-definitions`
output (``{"jobDefinitions": [...]}``), or a JSON list of job definitions.

A single-container job definition's ``containerProperties`` carries volumes and mount points in the
ECS task-definition shape, so they are read by :mod:`.task_definition`; the job role is the task role,
``platformCapabilities`` the compatibilities and ``fargatePlatformConfiguration.platformVersion``
the platform version.  Multi-node, EKS and multi-container job definitions are noted (EFS002) and
skipped.  INACTIVE revisions in describe output cannot run new jobs and are skipped silently.
"""

from __future__ import annotations

from typing import Any

from ...model import Location, Model, TaskDefinition, Unknown
from .. import batch_links as batch
from ..located import LMap, pos_of
from .task_definition import optional_str, read_container, read_volume, role_arn


def is_job_definition(doc: Any) -> bool:
    return (
        isinstance(doc, dict)
        and isinstance(doc.get("jobDefinitionName"), str)
        and any(
            key in doc
            for key in ("type", "containerProperties", "nodeProperties", "eksProperties", "ecsProperties")
        )
    )


def looks_like_job_definitions(doc: Any) -> bool:
    """Classification by content: describe output, a job definition, or a list made only of them."""
    if isinstance(doc, dict) and isinstance(doc.get("jobDefinitions"), list):
        return all(is_job_definition(item) for item in doc["jobDefinitions"])
    if isinstance(doc, list):
        return bool(doc) and all(is_job_definition(item) for item in doc)
    return is_job_definition(doc)


def build_model(path: str, doc: Any) -> Model:
    model = Model(source=path)
    items = doc["jobDefinitions"] if isinstance(doc, dict) and "jobDefinitions" in doc else doc
    holder = items if isinstance(items, list) else None
    job_definitions = []
    for index, item in enumerate(items if isinstance(items, list) else [items]):
        pos = pos_of(holder, index) if holder is not None else getattr(item, "pos", (1, 1))
        td = job_definition(path, item, pos, index, model)
        if td is not None:
            job_definitions.append(td)
    model.task_definitions.extend(job_definitions)
    batch.link(model, job_definitions, [], in_files=True)
    return model


def job_definition(
    path: str, doc: LMap, pos: tuple[int, int], index: int, model: Model
) -> TaskDefinition | None:
    """The job definition as a task definition, or None when it is skipped (noted if unsupported)."""
    name = doc.get("jobDefinitionName")
    label = name if isinstance(name, str) and name else f"jobDefinition[{index}]"
    loc = Location(path, pos[0], pos[1], label)
    if doc.get("status") == "INACTIVE":
        return None
    skipped = batch.job_definition_kind(
        doc.get("type"), "nodeProperties" in doc, "eksProperties" in doc, "ecsProperties" in doc
    )
    if skipped is not None:
        batch.skipped_note(model, label, skipped, loc)
        return None
    props = doc.get("containerProperties")
    if not isinstance(props, dict):
        return None
    caps = doc.get("platformCapabilities")
    fargate = props.get("fargatePlatformConfiguration")
    runtime = props.get("runtimePlatform")
    td = TaskDefinition(
        loc=loc,
        family=optional_str(name),
        requires_compatibilities=list(caps or [])
        if isinstance(caps, (list, type(None)))
        else Unknown("platformCapabilities is not a list"),
        os_family=optional_str(runtime.get("operatingSystemFamily")) if isinstance(runtime, dict) else None,
        task_role=role_arn(props.get("jobRoleArn")),
        execution_role=role_arn(props.get("executionRoleArn")),
        platform_version=optional_str(fargate.get("platformVersion")) if isinstance(fargate, dict) else None,
    )
    if "jobDefinitionName" in doc:
        td.field_locs["family"] = _loc(path, doc, "jobDefinitionName", label)
    if "jobRoleArn" in props:
        td.field_locs["task_role"] = _loc(path, props, "jobRoleArn", label)
    if isinstance(fargate, dict) and "platformVersion" in fargate:
        td.field_locs["platform_version"] = _loc(path, fargate, "platformVersion", label)
    if isinstance(runtime, dict) and "operatingSystemFamily" in runtime:
        td.field_locs["os_family"] = _loc(path, runtime, "operatingSystemFamily", label)
    volumes = props.get("volumes") or []
    td.volumes_known = isinstance(volumes, list)
    for i, vol in enumerate(volumes if isinstance(volumes, list) else []):
        if isinstance(vol, dict):
            read_volume(path, td, label, vol, pos_of(volumes, i))
    # One container: its mount points are containerProperties.mountPoints.
    td.containers.append(read_container(path, label, props, pos_of(doc, "containerProperties"), 0))
    batch.mark_job_definition(td)
    return td


def _loc(path: str, container: Any, key: str, name: str) -> Location:
    line, col = pos_of(container, key)
    return Location(path, line, col, name)
