"""What an ECS task's EFS mount looks like to IAM: actions, resources and request context."""

from __future__ import annotations

from typing import Any

from ..model import AccessPoint, EfsVolume, FileSystem, Maybe, Unknown
from .arn import ArnTarget, entity_target, parse_arn

CLIENT_MOUNT = "elasticfilesystem:ClientMount"
CLIENT_WRITE = "elasticfilesystem:ClientWrite"
CLIENT_ROOT_ACCESS = "elasticfilesystem:ClientRootAccess"
CLIENT_ACTIONS = (CLIENT_MOUNT, CLIENT_WRITE, CLIENT_ROOT_ACCESS)

SECURE_TRANSPORT = "aws:securetransport"
ACCESS_POINT_ARN = "elasticfilesystem:accesspointarn"
VIA_MOUNT_TARGET = "elasticfilesystem:accessedviamounttarget"
PRINCIPAL_ARN = "aws:principalarn"


def _target(entity: FileSystem | AccessPoint | None, literal: Maybe[str] | None, rtype: str) -> Any:
    if entity is not None:
        return entity_target(entity)
    if isinstance(literal, str):
        parsed = parse_arn(literal)
        return parsed or ArnTarget("elasticfilesystem", rtype, literal)
    return literal if isinstance(literal, Unknown) else Unknown(f"{rtype} not known")


def file_system_target(fs: FileSystem | None, fs_id: Maybe[str] | None = None) -> ArnTarget | Unknown:
    """``arn:<partition>:elasticfilesystem:<region>:<account>:file-system/<id>``, as far as known."""
    return _target(fs, fs_id, "file-system")


def access_point_target(
    ap: AccessPoint | None, ap_id: Maybe[str] | None = None
) -> ArnTarget | Unknown | None:
    """The access point a mount goes through; None when it uses none."""
    if ap is None and ap_id is None:
        return None
    return _target(ap, ap_id, "access-point")


def volume_file_system(volume: EfsVolume) -> ArnTarget | Unknown:
    return file_system_target(volume.file_system, volume.file_system_id)


_VOLUMES_OWN = object()


def mount_context(volume: EfsVolume, *, access_point: Any = _VOLUMES_OWN) -> dict[str, Any]:
    """The condition keys an ECS mount of ``volume`` carries.

    ECS always mounts through the file system's DNS name, i.e. through a mount target; TLS is on
    exactly when ``transitEncryption`` is ENABLED; the access point is the volume's.  Pass
    ``access_point`` to evaluate the same mount through another access point (or Unknown).
    """
    transit = volume.transit_encryption
    tls: Any = transit if isinstance(transit, Unknown) else transit == "ENABLED"
    ap = access_point
    if access_point is _VOLUMES_OWN:
        ap = access_point_target(volume.access_point, volume.access_point_id)
    return {SECURE_TRANSPORT: tls, ACCESS_POINT_ARN: ap, VIA_MOUNT_TARGET: True}
