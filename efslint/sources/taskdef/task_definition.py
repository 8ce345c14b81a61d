"""ECS task-definition JSON: `register-task-definition` input, `describe-task-definition` output,
or a JSON list of either."""

from __future__ import annotations

from typing import Any

from ...model import Container, EfsVolume, Location, Model, MountPoint, TaskDefinition, Unknown, Volume
from ..located import LList, LMap, pos_of

# Volume members other than `name` that configure a volume type (ECS `Volume` shape).
VOLUME_TYPES = (
    "host",
    "dockerVolumeConfiguration",
    "fsxWindowsFileServerVolumeConfiguration",
    "s3filesVolumeConfiguration",
    "configuredAtLaunch",
)


def is_task_definition(doc: Any) -> bool:
    return isinstance(doc, dict) and (
        "containerDefinitions" in doc
        or (isinstance(doc.get("taskDefinition"), dict) and "containerDefinitions" in doc["taskDefinition"])
    )


def looks_like_task_definitions(doc: Any) -> bool:
    """Classification by content: a task definition, or a non-empty list made only of them."""
    if isinstance(doc, list):
        return bool(doc) and all(is_task_definition(item) for item in doc)
    return is_task_definition(doc)


def build_model(path: str, doc: Any) -> Model:
    model = Model(source=path)
    items = doc if isinstance(doc, list) else [doc]
    for index, item in enumerate(items):
        pos = pos_of(doc, index) if isinstance(doc, list) else getattr(doc, "pos", (1, 1))
        body = item.get("taskDefinition", item) if "containerDefinitions" not in item else item
        body_pos = pos_of(item, "taskDefinition") if body is not item else pos
        model.task_definitions.append(_task_definition(path, body, body_pos, index))
    return model


def _loc(path: str, container: Any, key: Any, name: str) -> Location:
    line, col = pos_of(container, key)
    return Location(path, line, col, name)


def optional_str(value: Any) -> str | Unknown | None:
    if value is None or isinstance(value, str):
        return value
    return Unknown(f"expected a string, got {type(value).__name__}")


def role_arn(value: Any) -> str | Unknown | None:
    """A role ARN; an empty string means no role, a value of another type is not knowable."""
    return None if value == "" else optional_str(value)


def _task_definition(path: str, doc: LMap, pos: tuple[int, int], index: int) -> TaskDefinition:
    family = doc.get("family")
    name = family if isinstance(family, str) and family else f"taskDefinition[{index}]"
    runtime = doc.get("runtimePlatform")
    td = TaskDefinition(
        loc=Location(path, pos[0], pos[1], name),
        family=optional_str(family),
        requires_compatibilities=list(doc.get("requiresCompatibilities") or [])
        if isinstance(doc.get("requiresCompatibilities"), (list, type(None)))
        else Unknown("requiresCompatibilities is not a list"),
        network_mode=optional_str(doc.get("networkMode")),
        os_family=optional_str(runtime.get("operatingSystemFamily")) if isinstance(runtime, dict) else None,
        task_role=role_arn(doc.get("taskRoleArn")),
        execution_role=role_arn(doc.get("executionRoleArn")),
    )
    for key, attr in (("family", "family"), ("taskRoleArn", "task_role"), ("networkMode", "network_mode")):
        if key in doc:
            td.field_locs[attr] = _loc(path, doc, key, name)
    if isinstance(runtime, dict) and "operatingSystemFamily" in runtime:
        td.field_locs["os_family"] = _loc(path, runtime, "operatingSystemFamily", name)

    volumes = doc.get("volumes") or []
    td.volumes_known = isinstance(volumes, list)
    for i, vol in enumerate(volumes if isinstance(volumes, list) else []):
        if isinstance(vol, dict):
            read_volume(path, td, name, vol, pos_of(volumes, i))

    containers = doc.get("containerDefinitions") or []
    td.containers_known = isinstance(containers, list)
    for i, cdef in enumerate(containers if isinstance(containers, list) else []):
        if isinstance(cdef, dict):
            td.containers.append(read_container(path, name, cdef, pos_of(containers, i), i))
    return td


def read_volume(path: str, td: TaskDefinition, family: str, vol: LMap, pos: tuple[int, int]) -> None:
    vname = vol.get("name")
    logical = f"{family}/volumes/{vname}"
    others = [k for k in VOLUME_TYPES if k in vol and vol[k] not in (None, False, {})]
    efs = vol.get("efsVolumeConfiguration")
    if not isinstance(efs, dict):
        td.other_volumes.append(
            Volume(
                loc=Location(path, pos[0], pos[1], logical), name=optional_str(vname), configurations=others
            )
        )
        return
    epos = pos_of(vol, "efsVolumeConfiguration")
    auth = efs.get("authorizationConfig")
    auth = auth if isinstance(auth, dict) else LMap()
    volume = EfsVolume(
        loc=Location(path, epos[0], epos[1], logical),
        name=optional_str(vname),
        file_system_id=optional_str(efs.get("fileSystemId")),
        # Absent or null means "/"; an empty string is sent as is (and is not an absolute path).
        root_directory="/" if efs.get("rootDirectory") is None else optional_str(efs["rootDirectory"]),
        root_directory_set="rootDirectory" in efs,
        transit_encryption=efs.get("transitEncryption", "DISABLED"),
        transit_encryption_port=efs.get("transitEncryptionPort"),
        access_point_id=optional_str(auth.get("accessPointId")),
        iam=auth.get("iam", "DISABLED"),
        other_configurations=others,
        task_definition=td,
    )
    volume.field_locs["name"] = _loc(path, vol, "name", logical)
    for key, attr in (
        ("fileSystemId", "file_system_id"),
        ("rootDirectory", "root_directory"),
        ("transitEncryption", "transit_encryption"),
        ("transitEncryptionPort", "transit_encryption_port"),
    ):
        if key in efs:
            volume.field_locs[attr] = _loc(path, efs, key, logical)
    for key, attr in (("accessPointId", "access_point_id"), ("iam", "iam")):
        if key in auth:
            volume.field_locs[attr] = _loc(path, auth, key, logical)
    td.efs_volumes.append(volume)


def read_container(path: str, family: str, cdef: LMap, pos: tuple[int, int], index: int) -> Container:
    cname = cdef.get("name")
    label = cname if isinstance(cname, str) else f"container[{index}]"
    logical = f"{family}/containers/{label}"
    container = Container(
        loc=Location(path, pos[0], pos[1], logical), name=label, user=optional_str(cdef.get("user"))
    )
    mount_points = cdef.get("mountPoints") or []
    for i, mp in enumerate(mount_points if isinstance(mount_points, LList | list) else []):
        if not isinstance(mp, dict):
            continue
        line, col = pos_of(mount_points, i)
        source = mp.get("sourceVolume")
        point = MountPoint(
            loc=Location(path, line, col, f"{logical}/mountPoints/{source}"),
            container=label,
            source_volume=optional_str(source),
            container_path=optional_str(mp.get("containerPath")),
            read_only=mp.get("readOnly", False) if isinstance(mp.get("readOnly", False), bool) else False,
        )
        if "sourceVolume" in mp:
            point.field_locs["source_volume"] = _loc(path, mp, "sourceVolume", point.loc.logical_name)
        container.mount_points.append(point)
    return container
