"""``efslint lint --live``: resolve what files reference but do not define, from the account.

Front-ends model a literal id they cannot resolve as a placeholder: a volume's ``fs-…`` id with no
file system or an external ``FileSystem`` (``defined_here=False``, ``mount_targets_known=False``), an
``fsap-…`` id with no access point, a ``Subnet`` whose AZ is Unknown, a ``SecurityGroup`` with
``rules_known=False``.  Those are read from the account: file systems and access points are
replaced by the account's entities, subnets and groups are filled in place (workloads hold them).
Ids the account does not have go to ``model.missing_in_account`` (EFS901/EFS902).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import _COLLECTIONS, Entity, FileSystem, Model, SecurityGroup, Subnet, Unknown
from . import inventory as inv
from .mapping import RegionMapper, not_checked
from .mapping import literal_id as literal
from .scan import ScanOptions, crawl_efs_and_network, open_reader

_NETWORK_KINDS = ("file_system", "mount_target", "access_point", "security_group", "subnet", "vpc")


def is_placeholder(fs: FileSystem | None) -> bool:
    return fs is None or (not fs.defined_here and not fs.mount_targets_known and not fs.mount_targets)


@dataclass
class References:
    file_systems: dict[str, None] = field(default_factory=dict)
    access_points: dict[str, None] = field(default_factory=dict)
    subnets: dict[str, Subnet] = field(default_factory=dict)
    groups: dict[str, SecurityGroup] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.file_systems or self.access_points or self.subnets or self.groups)


def _subnets_and_groups(model: Model) -> tuple[list[Subnet], list[SecurityGroup]]:
    subnets: list[Subnet] = list(model.subnets)
    groups: list[SecurityGroup] = list(model.security_groups)
    holders = [*model.workloads, *model.mount_targets]
    for holder in holders:
        for name, into in (("subnets", subnets), ("subnet", subnets), ("security_groups", groups)):
            value = getattr(holder, name, None)
            into.extend(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, Entity))
    return subnets, groups


def external_references(models: list[Model]) -> References:
    refs = References()
    for model in models:
        for volume in model.efs_volumes:
            fs_id = literal(volume.file_system_id, "fs-")
            if fs_id and is_placeholder(volume.file_system):
                refs.file_systems[fs_id] = None
            ap_id = literal(volume.access_point_id, "fsap-")
            if ap_id and volume.access_point is None:
                refs.access_points[ap_id] = None
        subnets, groups = _subnets_and_groups(model)
        for subnet in subnets:
            subnet_id = literal(subnet.id, "subnet-")
            if subnet_id and isinstance(subnet.availability_zone, Unknown):
                refs.subnets[subnet_id] = subnet
        for group in groups:
            group_id = literal(group.id, "sg-")
            if group_id and not group.rules_known:
                refs.groups[group_id] = group
    return refs


def enrich(models: list[Model], options: ScanOptions) -> list[Model]:
    """The models with external references resolved, plus one model for EFS904 (reads not made)."""
    refs = external_references(models)
    if not refs:
        return models
    reader, regions, account, partition = open_reader(options)
    try:
        data = inv.RegionData(regions[0], account, partition)
        inv.list_file_systems(reader, data)
        crawl_efs_and_network(
            reader, data, list(refs.file_systems), options, [], list(refs.access_points), list(refs.subnets),
            list(refs.groups),
        )  # fmt: skip
    finally:
        reader.close()
    mapper = RegionMapper(data, {})
    # Placeholders become the account's entities first, so that mount targets and security group
    # rules read later point at the very objects the file's workloads hold.
    for model in models:
        _adopt(model, mapper, data)
    claimed: set[int] = set()
    for model in models:
        _link(model, mapper, data, claimed)
    gaps = Model(source=data.root)
    not_checked(gaps, data.root, reader.gaps)
    return [*models, gaps] if gaps.not_checked else models


def _adopt(model: Model, mapper: RegionMapper, data: inv.RegionData) -> None:
    subnets, groups = _subnets_and_groups(model)
    for subnet in subnets:
        subnet_id = literal(subnet.id, "subnet-")
        if (
            subnet_id
            and isinstance(subnet.availability_zone, Unknown)
            and isinstance(data.subnets.get(subnet_id), dict)
        ):
            adopted = mapper.subnet(subnet_id, into=subnet)
            if adopted is not subnet:  # another file's placeholder was adopted first
                _fill_subnet(subnet, adopted)
    for group in groups:
        group_id = literal(group.id, "sg-")
        if group_id and not group.rules_known and isinstance(data.security_groups.get(group_id), dict):
            adopted = mapper.security_group(group_id, into=group)
            if adopted is not group:
                _fill_group(group, adopted)


def _link(model: Model, mapper: RegionMapper, data: inv.RegionData, claimed: set[int]) -> None:
    roots: list[Entity] = []
    for volume in model.efs_volumes:
        fs_id = literal(volume.file_system_id, "fs-")
        if fs_id and is_placeholder(volume.file_system) and data.file_systems is not None:
            if fs_id in data.file_systems:
                volume.file_system = mapper.file_system(fs_id)
                roots.append(volume.file_system)
            else:
                model.missing_in_account.add(fs_id)
        ap_id = literal(volume.access_point_id, "fsap-")
        if ap_id and volume.access_point is None:
            found = mapper.access_point(ap_id)
            if found is not None:
                volume.access_point = found
                roots.append(found)
            elif isinstance(data.extra_access_points.get(ap_id), inv.NotFound):
                model.missing_in_account.add(ap_id)
    # Only what this file's references reach joins its model (no findings on unrelated resources),
    # and an account resource joins one model only: several files using it give one finding on it.
    for entity in _reachable(roots):
        if id(entity) in claimed:
            continue
        claimed.add(id(entity))
        collection = getattr(model, _COLLECTIONS[entity.kind])
        if all(e is not entity for e in collection):
            collection.append(entity)
            if model.report_files is not None:
                model.report_files.add(entity.loc.file)


def _fill_subnet(target: Subnet, source: Subnet) -> None:
    target.availability_zone = source.availability_zone
    target.vpc, target.cidr = source.vpc, source.cidr
    target.map_public_ip, target.route_to_igw = source.map_public_ip, source.route_to_igw


def _fill_group(target: SecurityGroup, source: SecurityGroup) -> None:
    """Give the file's placeholder for an external group the rules read from the account."""
    target.ingress, target.egress = source.ingress, source.egress
    target.vpc = source.vpc if not isinstance(source.vpc, Unknown) else target.vpc
    target.rules_known = source.rules_known


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
