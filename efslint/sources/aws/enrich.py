"""``efslint lint --live``: resolve what files reference but do not define, from the account.

A literal ``fs-…`` id, a literal ``fsap-…`` id and an external security group (``rules_known =
False``) are read from the account and linked into each file's model, so the network, identity and
9xx rules can judge them.  Ids the account does not have go to ``model.missing_in_account``.
"""

from __future__ import annotations

from ...model import _COLLECTIONS as _COLLECTION
from ...model import Entity, Model, SecurityGroup, Unknown
from . import inventory as inv
from .mapping import RegionMapper, not_checked
from .scan import ScanOptions, crawl_efs_and_network, open_reader


def _literal(value: object, prefix: str) -> str | None:
    if isinstance(value, str) and value.startswith(prefix) and "/" not in value and ":" not in value:
        return value
    return None


def external_references(models: list[Model]) -> tuple[list[str], list[str], list[str]]:
    fs_ids: dict[str, None] = {}
    ap_ids: dict[str, None] = {}
    group_ids: dict[str, None] = {}
    for model in models:
        for volume in model.efs_volumes:
            fs_id = _literal(volume.file_system_id, "fs-")
            if volume.file_system is None and fs_id:
                fs_ids[fs_id] = None
            ap_id = _literal(volume.access_point_id, "fsap-")
            if volume.access_point is None and ap_id:
                ap_ids[ap_id] = None
        for group in model.security_groups:
            group_id = _literal(group.id, "sg-")
            if not group.rules_known and group_id:
                group_ids[group_id] = None
    return list(fs_ids), list(ap_ids), list(group_ids)


def enrich(models: list[Model], options: ScanOptions) -> list[Model]:
    """The models with external references resolved, plus one model for EFS904 (reads not made)."""
    fs_ids, ap_ids, group_ids = external_references(models)
    if not (fs_ids or ap_ids or group_ids):
        return models
    reader, regions, account, partition = open_reader(options)
    try:
        data = inv.RegionData(regions[0], account, partition)
        inv.list_file_systems(reader, data)
        crawl_efs_and_network(reader, data, fs_ids, options, [], ap_ids, [], group_ids)
    finally:
        reader.close()
    mapper = RegionMapper(data, {})
    for model in models:
        _link(model, mapper, data)
    gaps = Model(source=data.root)
    not_checked(gaps, data.root, reader.gaps)
    return [*models, gaps] if gaps.not_checked else models


def _link(model: Model, mapper: RegionMapper, data: inv.RegionData) -> None:
    roots: list[Entity] = []
    for volume in model.efs_volumes:
        fs_id = _literal(volume.file_system_id, "fs-")
        if volume.file_system is None and fs_id:
            if data.file_systems is not None and fs_id in data.file_systems:
                volume.file_system = mapper.file_system(fs_id)
                roots.append(volume.file_system)
            elif data.file_systems is not None:
                model.missing_in_account.add(fs_id)
        ap_id = _literal(volume.access_point_id, "fsap-")
        if volume.access_point is None and ap_id:
            found = mapper.access_point(ap_id)
            if found is not None:
                volume.access_point = found
                roots.append(found)
            elif isinstance(data.extra_access_points.get(ap_id), inv.NotFound):
                model.missing_in_account.add(ap_id)
    for group in model.security_groups:
        group_id = _literal(group.id, "sg-")
        if not group.rules_known and group_id and isinstance(data.security_groups.get(group_id), dict):
            _fill_group(group, mapper.security_group(group_id))
    # Only what this file's references reach joins its model (no findings on unrelated resources).
    for entity in _reachable(roots):
        collection = getattr(model, _COLLECTION[entity.kind])
        if all(e is not entity for e in collection):
            collection.append(entity)
            if model.report_files is not None:
                model.report_files.add(entity.loc.file)


_NETWORK_KINDS = ("file_system", "mount_target", "access_point", "security_group", "subnet", "vpc")


def _reachable(roots: list[Entity]) -> list[Entity]:
    seen: dict[int, Entity] = {}
    stack = list(roots)
    while stack:
        entity = stack.pop()
        if id(entity) in seen or entity.kind not in _NETWORK_KINDS:
            continue
        seen[id(entity)] = entity
        for name in ("file_system", "mount_targets", "access_points", "subnet", "security_groups", "vpc"):
            value = getattr(entity, name, None)
            items = value if isinstance(value, list) else [value]
            stack.extend(v for v in items if isinstance(v, Entity))
        for rule in [*getattr(entity, "ingress", []), *getattr(entity, "egress", [])]:
            if isinstance(rule.peer_group, Entity):
                stack.append(rule.peer_group)
    return list(seen.values())


def _fill_group(target: SecurityGroup, source: SecurityGroup) -> None:
    """Give the file's placeholder for an external group the rules read from the account."""
    target.ingress, target.egress = source.ingress, source.egress
    target.vpc = source.vpc if not isinstance(source.vpc, Unknown) else target.vpc
    target.rules_known = source.rules_known
