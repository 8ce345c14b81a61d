"""Predicates over a task definition's volumes and containers (EFS106–EFS110)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import EfsVolume, Model, MountPoint, Unknown, is_known
from . import Violation, check

FILE_SYSTEM_ID = re.compile(r"^fs-[0-9a-f]{8,40}$")
ACCESS_POINT_ID = re.compile(r"^fsap-[0-9a-f]{17}$")
ENUM = ("ENABLED", "DISABLED")
# Volume types that cannot be combined with EFS in one volume (`configuredAtLaunch: false` is fine).
_EXCLUSIVE = {"host", "dockerVolumeConfiguration", "fsxWindowsFileServerVolumeConfiguration",
              "s3filesVolumeConfiguration", "configuredAtLaunch"}  # fmt: skip


@check("transit_encryption_port")
def transit_encryption_port(volume: EfsVolume, model: Model) -> Iterator[Violation]:
    port = volume.transit_encryption_port
    if port is None or isinstance(port, Unknown):
        return
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        yield Violation({"problem": f"transitEncryptionPort {port!r} is not a port number (1-65535)"})
    elif volume.transit_encryption == "DISABLED":
        yield Violation(
            {
                "problem": f"transitEncryptionPort {port} is ignored because transit encryption is "
                "DISABLED; enable transit encryption or remove the port (it is a local port, the NFS "
                "port stays 2049)"
            }
        )


@check("mount_point_unknown_volume")
def mount_point_unknown_volume(point: MountPoint, model: Model) -> Iterator[Violation]:
    source = point.source_volume
    if not isinstance(source, str):
        return
    td = next((t for t in model.task_definitions for c in t.containers if point in c.mount_points), None)
    if td is None or not td.volumes_known:
        return
    names = td.volume_names
    if not all(isinstance(n, str) for n in names) or source in names:
        return
    yield Violation({"container": point.container, "source_volume": source, "volumes": sorted(names)})


@check("efs_volume_not_mounted")
def efs_volume_not_mounted(volume: EfsVolume, model: Model) -> Iterator[Violation]:
    td = volume.task_definition
    if td is None or not td.containers_known or not isinstance(volume.name, str):
        return
    points = [mp for c in td.containers for mp in c.mount_points]
    if any(not isinstance(mp.source_volume, str) for mp in points):
        return
    if not volume.mounted_by():
        yield Violation({"name": volume.name})


@check("efs_on_windows")
def efs_on_windows(volume: EfsVolume, model: Model) -> Iterator[Violation]:
    td = volume.task_definition
    family = td.os_family if td else None
    if isinstance(family, str) and family.upper().startswith("WINDOWS"):
        yield Violation({"name": volume.name, "os_family": family}, location=td.at("os_family"))


@check("invalid_efs_volume")
def invalid_efs_volume(volume: EfsVolume, model: Model) -> Iterator[Violation]:
    def problem(text: str, field: str, anchor: str) -> Violation:
        return Violation({"name": volume.name, "problem": text}, location=volume.at(field), anchor=anchor)

    if volume.name is None or volume.name == "":
        yield problem("the volume has no name; ECS requires a name for an EFS volume", "name", "name")

    fs_id = volume.file_system_id
    if fs_id is None and volume.file_system is None:
        yield problem("fileSystemId is missing; ECS requires it", "file_system_id", "fileSystemId")
    elif isinstance(fs_id, str) and not FILE_SYSTEM_ID.match(fs_id):
        hint = (
            " (an ARN is treated as a DNS name and fails to resolve; use the bare id)"
            if fs_id.startswith("arn:")
            else ""
        )
        yield problem(f"fileSystemId '{fs_id}' is not a file system id like fs-0123456789abcdef0{hint}",
                      "file_system_id", "fileSystemId")  # fmt: skip

    root = volume.root_directory
    if isinstance(root, str) and (not root.startswith("/") or len(root) > 4096):
        yield problem(f"rootDirectory '{root[:80]}' must be an absolute path of at most 4096 characters",
                      "root_directory", "rootDirectory")  # fmt: skip

    for field, label in (("transit_encryption", "transitEncryption"), ("iam", "authorizationConfig.iam")):
        value = getattr(volume, field)
        if is_known(value) and value not in ENUM:
            yield problem(f"{label} is {value!r}; it must be ENABLED or DISABLED (upper case)", field, label)

    ap_id = volume.access_point_id
    if isinstance(ap_id, str) and not ACCESS_POINT_ID.match(ap_id):
        yield problem(f"accessPointId '{ap_id}' is not an access point id like fsap-0123456789abcdef0 "
                      "(fsap- and 17 hex digits)", "access_point_id", "accessPointId")  # fmt: skip

    mixed = sorted(set(volume.other_configurations) & _EXCLUSIVE)
    if mixed:
        yield problem(f"combines efsVolumeConfiguration with {', '.join(mixed)}; a volume may use only one "
                      "volume type", "name", "volumeTypes")  # fmt: skip

    td = volume.task_definition
    if td is not None and isinstance(volume.name, str):
        same = [v for v in (*td.efs_volumes, *td.other_volumes) if v.name == volume.name]
        last_efs = [v for v in td.efs_volumes if v.name == volume.name][-1]
        if len(same) > 1 and last_efs is volume:
            yield problem(f"volume name '{volume.name}' is used by {len(same)} volumes; names must be unique",
                          "name", "duplicateName")  # fmt: skip
