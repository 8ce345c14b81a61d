"""Predicates over file systems and access points that follow links (EFS502, EFS505).

EFS501, EFS503, EFS504 and EFS506 look at one entity and are JSON-Schema rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings import Related
from ..model import AccessPoint, EfsVolume, FileSystem, Maybe, Model, Unknown
from ..policy.tristate import Tri
from . import Violation, check

_FS_ID = re.compile(r"(fs-[0-9a-f]+)$")


def _bare_id(value: Maybe[str] | None) -> Maybe[str] | None:
    """``fs-…`` from an id or a file system ARN."""
    if isinstance(value, str):
        match = _FS_ID.search(value)
        return match.group(1) if match else value
    return value


def same_file_system(a: FileSystem | None, a_id: Maybe[str] | None, b: FileSystem | None,
                     b_id: Maybe[str] | None) -> Tri:  # fmt: skip
    """Whether two references name one file system (entities when linked, else literal ids)."""
    if a is not None and a is b:
        return True
    id_a = _bare_id(a.id if a is not None and a.id is not None else a_id)
    id_b = _bare_id(b.id if b is not None and b.id is not None else b_id)
    if isinstance(id_a, str) and isinstance(id_b, str):
        return id_a == id_b
    if a is not None and b is not None and (a.defined_here or b.defined_here):
        # A file system the input creates gets a new id: it is no other entity's file system.
        return False
    return Unknown("file system ids not known")


@check("access_point_of_other_file_system")
def access_point_of_other_file_system(volume: EfsVolume, model: Model) -> Iterator[Violation]:
    ap = volume.access_point
    if ap is None:
        return
    same = same_file_system(volume.file_system, volume.file_system_id, ap.file_system, ap.file_system_id)
    if same is not False:
        return
    fs_label = file_system_name(volume.file_system, volume.file_system_id)
    ap_fs_label = file_system_name(ap.file_system, ap.file_system_id)
    related = [Related(ap.loc, f"access point on file system {ap_fs_label}")]
    if volume.file_system is not None:
        related.append(Related(volume.file_system.loc, f"file system {fs_label} of the volume"))
    yield Violation(
        {
            "access_point": access_point_name(ap),
            "volume_file_system": fs_label,
            "ap_file_system": ap_fs_label,
        },
        location=volume.at("access_point_id") if "access_point_id" in volume.field_locs else volume.loc,
        related=related,
    )


def file_system_name(fs: FileSystem | None, literal: Maybe[str] | None = None) -> str:
    """How messages name a file system: its id when known, else its logical name in quotes."""
    if fs is not None:
        return fs.id if isinstance(fs.id, str) else f"'{fs.label}'"
    return literal if isinstance(literal, str) else "unknown"


def access_point_name(ap: AccessPoint) -> str:
    """How messages name an access point: its id when known, else its logical name in quotes."""
    return ap.id if isinstance(ap.id, str) else f"'{ap.label}'"


@check("access_point_path_not_created", cases=("external",))
def access_point_path_not_created(ap: AccessPoint, model: Model) -> Iterator[Violation]:
    path = ap.root_path
    if not isinstance(path, str) or path.rstrip("/") == "" or ap.creation_info is not False:
        return
    fs = ap.file_system
    values = {
        "access_point": access_point_name(ap),
        "path": path,
        "file_system": file_system_name(fs, ap.file_system_id),
    }
    if fs is not None and fs.defined_here is True:
        # A file system the input creates is empty: the path provably does not exist yet.
        yield Violation(
            {
                **values,
                "consequence": f"and file system {values['file_system']} is created by the same input, "
                "so the directory cannot exist yet: mounts through the access point fail",
            },
            related=[Related(fs.loc, "file system created in the same input")],
        )
        return
    # An existing file system may hold the path already; nothing can be proved, so the finding is
    # the rule's lower severity (`severity_when: {external: warning}`): EFS will never create it.
    name = values["file_system"]
    where = "a file system" if name == "unknown" else f"file system {name}, which"
    yield Violation(
        {
            **values,
            "consequence": f"and EFS will not create it on {where} this input does not create: unless the "
            "directory exists, mounts through the access point fail",
        },
        related=[Related(fs.loc, "file system defined outside this input")] if fs is not None else [],
        case="external",
    )
