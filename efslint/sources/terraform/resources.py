"""Terraform resources (from HCL or from a plan) mapped into the normalised model.

Both Terraform front-ends hand this module :class:`Record` objects: one per resource instance,
with its arguments as a document (attributes as values, nested blocks as lists of mappings — the
shape of a plan's ``values``), where a provider-computed attribute of another resource is a
:class:`Ref`.  Links between entities are made from those references; a literal id the input does
not define becomes an external entity whose contents are unknown.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...model import (
    AccessPoint,
    Container,
    EfsVolume,
    Entity,
    FileSystem,
    Location,
    Model,
    MountPoint,
    MountTarget,
    PartlyKnown,
    PosixUser,
    Role,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    TaskDefinition,
    Unknown,
    Volume,
    Vpc,
    Workload,
)
from ..errors import InputError
from ..located import LList, LMap, Pos
from .capacity import link_instance_capacity
from .evaluate import TEMPLATE_ATTR, AzList, JsonValue, Ref, SourceText, is_unknown

VOLUME_TYPES = {
    "host_path": "host",
    "docker_volume_configuration": "dockerVolumeConfiguration",
    "fsx_windows_file_server_volume_configuration": "fsxWindowsFileServerVolumeConfiguration",
    "configure_at_launch": "configuredAtLaunch",
}
_PROTOCOLS = {
    "tcp": "tcp",
    "6": "tcp",
    "udp": "udp",
    "17": "udp",
    "icmp": "icmp",
    "1": "icmp",
    "icmpv6": "icmpv6",
    "58": "icmpv6",
    "-1": "-1",
    "all": "-1",
}


_ROLE_POLICY_TYPES = frozenset(
    {"aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_iam_policy_attachment"}
)


@dataclass(eq=False)
class Record:
    """One resource instance, as both Terraform front-ends describe it."""

    address: str
    type: str
    mode: str  # managed | data
    doc: dict[str, Any]
    file: str
    # The object `Ref.target` points at for this instance.
    target: Any
    conditional: bool = False
    # Targets of the records this one refers to or names in depends_on (direct edges only);
    # None when the input does not tell (plans), which leaves `waits_for` Unknown.
    depends: set[Any] | None = field(default_factory=set)
    line: int = 0
    col: int = 0
    # (id(mapping in doc), key) -> provenance note for the value (a variable default, a tfvars file).
    notes: dict[tuple[int, str], str] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Helpers


def _first(value: Any) -> Any:
    """A MaxItems=1 nested block: the mapping, None when absent, Unknown when not knowable."""
    if isinstance(value, list):
        if not value:
            return None
        return value[0]
    if isinstance(value, dict):
        return value
    if value is None:
        return None
    return Unknown("nested block cannot be known")


def _blocks(value: Any) -> tuple[list[Any], bool]:
    """Repeated nested blocks, and whether the list is complete."""
    if value is None:
        return [], True
    if isinstance(value, dict):
        return [value], True
    if not isinstance(value, list):
        return [], False
    items = [v for v in value if isinstance(v, dict)]
    return items, len(items) == len(value)


def _str(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, Unknown):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return Unknown("value is computed by the provider" if isinstance(value, Ref) else "value cannot be known")


def _bool(value: Any, default: Any) -> Any:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    return Unknown("value cannot be known")


def _int(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return Unknown("not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return Unknown("value cannot be known")


def _list(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        return value
    if isinstance(value, Ref):
        # A plan's unknown list whose expression names exactly one resource attribute.
        return [value]
    if isinstance(value, AzList):
        return Unknown("list of availability zones")
    return Unknown("list cannot be known")


def _pos(container: Any, key: Any) -> Pos:
    if isinstance(container, (LMap, LList, _Folded)):
        return container.pos_of(key)
    return (0, 0)


class _Mapper:
    def __init__(self, model: Model, records: list[Record]) -> None:
        self.model = model
        self.records = records
        self.by_target: dict[int, Entity] = {}
        # Entities whose id the input states (a plan knows the ids of existing resources).
        self.by_id: dict[str, list[Entity]] = {}
        self.record_of: dict[int, Record] = {id(r.target): r for r in records}
        self.external_sgs: dict[str, SecurityGroup] = {}
        self.external_subnets: dict[str, Subnet] = {}
        self.clusters: dict[Any, Any] = {}

    # Locations --------------------------------------------------------------------------------

    def loc(self, rec: Record, container: Any = None, key: Any = None, suffix: str = "") -> Location:
        line, col = (rec.line, rec.col)
        note = ""
        if container is not None:
            p = _pos(container, key) if key is not None else getattr(container, "pos", (0, 0))
            if p[0]:
                line, col = p
            if key is not None and rec.notes:
                note = rec.notes.get((id(container), key), "")
        return Location(rec.file, line, col, rec.address + suffix, note)

    def field_locs(
        self, entity: Entity, rec: Record, doc: Any, names: dict[str, str], suffix: str = ""
    ) -> None:
        if not isinstance(doc, dict):
            return
        for key, attr in names.items():
            if key in doc:
                entity.field_locs[attr] = self.loc(rec, doc, key, suffix)

    def link(self, value: Any, *types: type, partial: bool = False) -> Any:
        """The entity a reference points at (any of ``types``), None when ``value`` is no reference.

        A literal id that an entity here has (a plan knows the ids of existing resources) links too.
        ``partial`` also follows a string built from one resource's attributes (``family:revision``).
        """
        if isinstance(value, str) and value:
            return next((e for e in self.by_id.get(value, ()) if isinstance(e, types)), None)
        if isinstance(value, Ref) and value.attr == TEMPLATE_ATTR and not partial:
            return Unknown("a string built from a computed attribute")
        if isinstance(value, Ref):
            entity = self.by_target.get(id(value.target))
            if entity is not None and isinstance(entity, types):
                return entity
            return Unknown(f"{value.target.address}.{value.attr} is not a supported resource")
        return None

    # Entry ------------------------------------------------------------------------------------

    def run(self) -> None:
        order = [
            ("aws_vpc", self.vpc),
            ("aws_default_vpc", self.vpc),
            ("aws_subnet", self.subnet),
            ("aws_security_group", self.security_group),
            ("aws_default_security_group", self.security_group),
            ("aws_efs_file_system", self.file_system),
            ("aws_efs_access_point", self.access_point),
            ("aws_efs_mount_target", self.mount_target),
            ("aws_iam_role", self.role),
            ("aws_ecs_task_definition", self.task_definition),
        ]
        managed = [r for r in self.records if r.mode == "managed"]
        of_type: dict[str, list[Record]] = {}
        for rec in managed:
            of_type.setdefault(rec.type, []).append(rec)
        for type_, handler in order:
            for rec in of_type.get(type_, ()):
                handler(rec)
        for rec in managed:
            if rec.type in ("aws_security_group", "aws_default_security_group"):
                self.security_group_inline_rules(rec)
        for rec in managed:
            if rec.type in (
                "aws_security_group_rule",
                "aws_vpc_security_group_ingress_rule",
                "aws_vpc_security_group_egress_rule",
            ):
                self.security_group_rule(rec)
        self.routes(managed)
        for rec in managed:
            if rec.type == "aws_efs_file_system_policy":
                self.file_system_policy(rec)
            elif rec.type == "aws_efs_backup_policy":
                self.backup_policy(rec)
        for rec in managed:
            if rec.type == "aws_backup_selection":
                self.backup_selection(rec)
        self.role_policies(managed)
        self.finish_file_systems(managed)
        self.cluster_defaults(managed)
        for rec in managed:
            if rec.type in ("aws_ecs_service", "aws_ecs_task_set"):
                self.service(rec)
            elif rec.type == "aws_cloudwatch_event_target":
                self.event_target(rec)
            elif rec.type == "aws_scheduler_schedule":
                self.schedule(rec)
        if any(rec.type == "aws_batch_job_definition" for rec in managed):
            from .batch import map_batch  # Batch modules only: keeps the ECS path lean

            map_batch(self, managed)
        self.wait_graph()

    def open_escaped(self, escaped: set[int]) -> None:
        for key in escaped:
            entity = self.by_target.get(key)
            if isinstance(entity, SecurityGroup):
                entity.rules_known = False
            elif isinstance(entity, Role):
                entity.statements_known = False
            elif isinstance(entity, FileSystem):
                entity.mount_targets_known = False
                if entity.policy is None:
                    entity.policy = Unknown("a module this one calls may attach a file system policy")
                if entity.backup is False:
                    entity.backup = Unknown("a module this one calls may enable backups")
            elif isinstance(entity, (Subnet, Vpc)):
                subnets = (
                    [entity]
                    if isinstance(entity, Subnet)
                    else [s for s in self.model.subnets if s.vpc is entity]
                )
                for subnet in subnets:
                    if subnet.route_to_igw is False:
                        subnet.route_to_igw = Unknown("a module this one calls may add routes")

    def add(self, rec: Record, entity: Entity, collection: list[Any]) -> None:
        entity.conditional = rec.conditional
        self.by_target[id(rec.target)] = entity
        ident = getattr(entity, "id", None)
        if isinstance(ident, str):
            self.by_id.setdefault(ident, []).append(entity)
        collection.append(entity)

    # Network ----------------------------------------------------------------------------------

    def vpc(self, rec: Record) -> None:
        doc = rec.doc
        vpc = Vpc(
            loc=self.loc(rec),
            # A VPC without a known id is created by this input (the default VPC's id is not known).
            id=doc["id"]
            if isinstance(doc.get("id"), str)
            else (Unknown("the default VPC's id") if rec.type == "aws_default_vpc" else None),
            cidr=_str(doc.get("cidr_block")),
            dns_support=_bool(doc.get("enable_dns_support"), True),
            # aws_default_vpc defaults to hostnames on, as the default VPC has them on.
            dns_hostnames=_bool(doc.get("enable_dns_hostnames"), rec.type == "aws_default_vpc"),
        )
        self.field_locs(
            vpc,
            rec,
            doc,
            {
                "enable_dns_support": "dns_support",
                "enable_dns_hostnames": "dns_hostnames",
                "cidr_block": "cidr",
            },
        )
        self.add(rec, vpc, self.model.vpcs)

    def subnet(self, rec: Record) -> None:
        doc = rec.doc
        az = doc.get("availability_zone")
        if az is None:
            az = doc.get("availability_zone_id")
        subnet = Subnet(
            loc=self.loc(rec),
            id=_str(doc["id"]) if isinstance(doc.get("id"), str) else None,
            availability_zone=_str(az) if az is not None else Unknown("AWS picks the subnet's AZ"),
            vpc=_or(self.link(doc.get("vpc_id"), Vpc), Unknown("VPC not defined here")),
            cidr=_str(doc.get("cidr_block")),
            map_public_ip=_bool(doc.get("map_public_ip_on_launch"), False),
            route_to_igw=Unknown("routes not resolved yet"),
        )
        self.field_locs(
            subnet,
            rec,
            doc,
            {
                "availability_zone": "availability_zone",
                "vpc_id": "vpc",
                "map_public_ip_on_launch": "map_public_ip",
            },
        )
        self.add(rec, subnet, self.model.subnets)

    def subnet_of(self, value: Any) -> Any:
        linked = self.link(value, Subnet)
        if linked is not None:
            return linked
        if isinstance(value, str) and value.startswith("subnet-"):
            if value not in self.external_subnets:
                self.external_subnets[value] = Subnet(loc=Location("", 0, 0, value), id=value)
            return self.external_subnets[value]
        return Unknown("subnet cannot be known")

    def subnets_of(self, value: Any) -> Any:
        items = _list(value)
        if not isinstance(items, list):
            return items
        return [self.subnet_of(v) for v in items]

    def group_of(self, value: Any, owner: SecurityGroup | None = None) -> Any:
        linked = self.link(value, SecurityGroup)
        if linked is not None:
            return linked
        if isinstance(value, str) and value.startswith("sg-"):
            if value not in self.external_sgs:
                group = SecurityGroup(loc=Location("", 0, 0, value), id=value, rules_known=False)
                self.external_sgs[value] = group
                self.model.security_groups.append(group)
            return self.external_sgs[value]
        return Unknown("security group cannot be known")

    def groups_of(self, value: Any) -> Any:
        items = _list(value)
        if not isinstance(items, list):
            return items
        return [self.group_of(v) for v in items]

    def security_group(self, rec: Record) -> None:
        doc = rec.doc
        group = SecurityGroup(
            loc=self.loc(rec),
            id=_str(doc["id"]) if isinstance(doc.get("id"), str) else None,
            vpc=_or(
                self.link(doc.get("vpc_id"), Vpc),
                None if doc.get("vpc_id") is None else Unknown("VPC not defined here"),
            ),
        )
        self.add(rec, group, self.model.security_groups)

    def security_group_inline_rules(self, rec: Record) -> None:
        """Second pass, once every group exists: inline rules may name groups declared later."""
        doc = rec.doc
        group = self.by_target[id(rec.target)]
        assert isinstance(group, SecurityGroup)
        # Terraform removes the allow-all egress rule AWS adds: only declared rules exist.
        for direction in ("ingress", "egress"):
            blocks, complete = _blocks(doc.get(direction))
            if not complete:
                group.rules_known = False
            for block in blocks:
                group_rules = self.inline_rules(rec, group, direction, block)
                getattr(group, direction).extend(group_rules)

    def inline_rules(
        self, rec: Record, group: SecurityGroup, direction: str, block: Any
    ) -> list[SecurityGroupRule]:
        loc = self.loc(rec, block)
        protocol, from_port, to_port = _ports(
            block.get("protocol"), block.get("from_port"), block.get("to_port")
        )

        def rule(**peer: Any) -> SecurityGroupRule:
            made = SecurityGroupRule(
                loc=loc, direction=direction, protocol=protocol, from_port=from_port, to_port=to_port, **peer
            )
            made.conditional = rec.conditional
            return made

        rules: list[SecurityGroupRule] = []
        for key, attr in (
            ("cidr_blocks", "cidr_ipv4"),
            ("ipv6_cidr_blocks", "cidr_ipv6"),
            ("prefix_list_ids", "prefix_list"),
        ):
            values = _list(block.get(key))
            if isinstance(values, Unknown):
                rules.append(rule(**{attr: values}))
            for value in values if isinstance(values, list) else []:
                rules.append(rule(**{attr: _str(value)}))
        groups = self.groups_of(block.get("security_groups"))
        if isinstance(groups, Unknown):
            rules.append(rule(peer_group=groups))
        for peer in groups if isinstance(groups, list) else []:
            rules.append(rule(peer_group=peer))
        is_self = _bool(block.get("self"), False)
        if is_self is True:
            rules.append(rule(peer_group=group))
        elif isinstance(is_self, Unknown):
            rules.append(rule(peer_group=is_self))
        return rules

    def security_group_rule(self, rec: Record) -> None:
        doc = rec.doc
        group = self.group_of(doc.get("security_group_id"))
        if not isinstance(group, SecurityGroup):
            # The rule may be on a group of ours whose id we cannot resolve (an unknown key, a value a
            # plan leaves unknown): the groups it refers to (any group, in a plan) lack a rule.
            candidates = (
                [self.by_target.get(id(t)) for t in rec.depends]
                if rec.depends is not None
                else self.model.security_groups
            )
            for candidate in candidates:
                if isinstance(candidate, SecurityGroup):
                    candidate.rules_known = False
            return
        loc = self.loc(rec)
        if rec.type == "aws_security_group_rule":
            direction = doc.get("type")
            if direction not in ("ingress", "egress"):
                group.rules_known = False
                return
            rules = self.inline_rules(
                rec,
                group,
                direction,
                {
                    **doc,
                    "security_groups": (
                        [doc["source_security_group_id"]]
                        if doc.get("source_security_group_id") is not None
                        else None
                    ),
                },
            )
        else:
            direction = "ingress" if rec.type.endswith("ingress_rule") else "egress"
            protocol, from_port, to_port = _ports(
                doc.get("ip_protocol"), doc.get("from_port"), doc.get("to_port")
            )
            peer: dict[str, Any] = {}
            if doc.get("cidr_ipv4") is not None:
                peer["cidr_ipv4"] = _str(doc["cidr_ipv4"])
            if doc.get("cidr_ipv6") is not None:
                peer["cidr_ipv6"] = _str(doc["cidr_ipv6"])
            if doc.get("prefix_list_id") is not None:
                peer["prefix_list"] = _str(doc["prefix_list_id"])
            if doc.get("referenced_security_group_id") is not None:
                peer["peer_group"] = self.group_of(doc["referenced_security_group_id"])
            rules = [
                SecurityGroupRule(
                    loc=loc,
                    direction=direction,
                    protocol=protocol,
                    from_port=from_port,
                    to_port=to_port,
                    **peer,
                )
            ]
            rules[0].conditional = rec.conditional
        getattr(group, direction).extend(rules)

    def routes(self, managed: list[Record]) -> None:
        """Each subnet's route to an internet gateway, through its (explicit or main) route table."""
        tables: dict[int, Any] = {}  # id(route table target) -> True/False/Unknown
        main: dict[int, Any] = {}  # id(vpc entity) -> table key
        igws = {id(r.target) for r in managed if r.type in ("aws_internet_gateway",)}

        def is_igw(value: Any) -> Any:
            if isinstance(value, Ref):
                return id(value.target) in igws
            if isinstance(value, str):
                return value.startswith("igw-")
            return Unknown("gateway cannot be known") if value is not None else False

        def add_route(key: int, route: Any) -> None:
            if not isinstance(route, dict):
                tables[key] = Unknown("route cannot be known")
                return
            hit = is_igw(route.get("gateway_id"))
            current = tables.get(key, False)
            if hit is True or current is True:
                tables[key] = True
            elif isinstance(hit, Unknown) or isinstance(current, Unknown):
                tables[key] = Unknown("route cannot be known")

        for rec in managed:
            if rec.type in ("aws_route_table", "aws_default_route_table"):
                tables.setdefault(id(rec.target), False)
                routes, complete = _blocks(rec.doc.get("route"))
                if not complete:
                    tables[id(rec.target)] = Unknown("routes cannot be known")
                for route in routes:
                    add_route(id(rec.target), route)
                if rec.type == "aws_default_route_table":
                    ref = rec.doc.get("default_route_table_id")
                    if isinstance(ref, Ref) and isinstance(self.by_target.get(id(ref.target)), Vpc):
                        main[id(self.by_target[id(ref.target)])] = id(rec.target)
        for rec in managed:
            if rec.type == "aws_route":
                table = rec.doc.get("route_table_id")
                if isinstance(table, Ref) and id(table.target) in tables:
                    add_route(id(table.target), rec.doc)
                elif isinstance(table, Ref) and isinstance(self.by_target.get(id(table.target)), Vpc):
                    vpc_key = id(self.by_target[id(table.target)])
                    main.setdefault(vpc_key, id(table.target))
                    tables.setdefault(id(table.target), False)
                    add_route(id(table.target), rec.doc)
            elif rec.type == "aws_main_route_table_association":
                vpc = self.link(rec.doc.get("vpc_id"), Vpc)
                table = rec.doc.get("route_table_id")
                if isinstance(vpc, Vpc) and isinstance(table, Ref):
                    main[id(vpc)] = id(table.target)
        explicit: dict[int, Any] = {}
        unknown_assoc = False
        for rec in managed:
            if rec.type == "aws_route_table_association":
                subnet = self.subnet_of(rec.doc.get("subnet_id"))
                table = rec.doc.get("route_table_id")
                if not isinstance(subnet, Subnet):
                    if rec.doc.get("gateway_id") is None:
                        unknown_assoc = True
                    continue
                explicit[id(subnet)] = (
                    tables.get(id(table.target), Unknown("route table not defined here"))
                    if (isinstance(table, Ref))
                    else Unknown("route table cannot be known")
                )
        for subnet in self.model.subnets:
            if id(subnet) in explicit:
                subnet.route_to_igw = explicit[id(subnet)]
            elif unknown_assoc:
                subnet.route_to_igw = Unknown("a route table association cannot be resolved")
            elif isinstance(subnet.vpc, Vpc):
                key = main.get(id(subnet.vpc))
                # A VPC created here starts with a main route table holding only the local route.
                subnet.route_to_igw = tables.get(key, False) if key is not None else False
            else:
                subnet.route_to_igw = Unknown("the subnet's VPC is not defined here")

    # EFS --------------------------------------------------------------------------------------

    def file_system(self, rec: Record) -> None:
        doc = rec.doc
        az = doc.get("availability_zone_name")
        fs = FileSystem(
            loc=self.loc(rec),
            id=_str(doc["id"]) if isinstance(doc.get("id"), str) else None,
            encrypted=_bool(doc.get("encrypted"), False),
            availability_zone=_str(az),
            # Automatic backups are on by default for One Zone file systems only (CreateFileSystem).
            backup=(True if isinstance(az, str) else Unknown("AZ cannot be known"))
            if az is not None
            else False,
        )
        self.field_locs(
            fs, rec, doc, {"encrypted": "encrypted", "availability_zone_name": "availability_zone"}
        )
        self.add(rec, fs, self.model.file_systems)

    def fs_of(self, value: Any) -> Any:
        linked = self.link(value, FileSystem)
        if linked is not None:
            return linked
        if isinstance(value, str):
            return next((fs for fs in self.model.file_systems if fs.id == value), None)
        return Unknown("file system cannot be known")

    def mount_target(self, rec: Record) -> None:
        doc = rec.doc
        fs = self.fs_of(doc.get("file_system_id"))
        groups = self.groups_of(doc.get("security_groups"))
        target = MountTarget(
            loc=self.loc(rec),
            file_system=fs if isinstance(fs, FileSystem) else None,
            subnet=self.subnet_of(doc.get("subnet_id")),
            # Omitted: the VPC's default security group, which the model cannot see.
            security_groups=groups if groups != [] else None,
        )
        self.field_locs(
            target,
            rec,
            doc,
            {"subnet_id": "subnet", "security_groups": "security_groups", "file_system_id": "file_system"},
        )
        self.add(rec, target, self.model.mount_targets)
        if isinstance(fs, FileSystem):
            fs.mount_targets.append(target)
            if rec.conditional:
                fs.mount_targets_known = False
        elif isinstance(fs, Unknown):
            # Any file system here may have this mount target.
            for other in self.model.file_systems:
                other.mount_targets_known = False

    def access_point(self, rec: Record) -> None:
        doc = rec.doc
        fs = self.fs_of(doc.get("file_system_id"))
        posix = _first(doc.get("posix_user"))
        root = _first(doc.get("root_directory"))
        posix_user: Any = None
        if isinstance(posix, dict):
            posix_user = PosixUser(uid=_int(posix.get("uid")), gid=_int(posix.get("gid")))
        elif isinstance(posix, Unknown):
            posix_user = posix
        root_path: Any = "/"
        creation: Any = False
        if isinstance(root, dict):
            root_path = _or(_str(root.get("path")), "/")
            info = _first(root.get("creation_info"))
            creation = True if isinstance(info, dict) else (info if isinstance(info, Unknown) else False)
        elif isinstance(root, Unknown):
            root_path, creation = root, root
        ap = AccessPoint(
            loc=self.loc(rec),
            id=_str(doc["id"]) if isinstance(doc.get("id"), str) else None,
            file_system=fs if isinstance(fs, FileSystem) else None,
            file_system_id=_str(doc.get("file_system_id"))
            if isinstance(doc.get("file_system_id"), str)
            else (None if isinstance(fs, FileSystem) else Unknown("file system cannot be known")),
            posix_user=posix_user,
            root_path=root_path,
            creation_info=creation,
        )
        self.field_locs(
            ap,
            rec,
            doc,
            {"posix_user": "posix_user", "root_directory": "root_path", "file_system_id": "file_system"},
        )
        if isinstance(root, dict) and "path" in root:
            ap.field_locs["root_path"] = self.loc(rec, root, "path")
        if isinstance(fs, FileSystem):
            fs.access_points.append(ap)
        self.add(rec, ap, self.model.access_points)

    def file_system_policy(self, rec: Record) -> None:
        fs = self.fs_of(rec.doc.get("file_system_id"))
        if not isinstance(fs, FileSystem):
            return
        fs.policy = self.policy(rec, rec.doc.get("policy"))
        fs.field_locs["policy"] = self.loc(rec)

    def backup_policy(self, rec: Record) -> None:
        fs = self.fs_of(rec.doc.get("file_system_id"))
        block = _first(rec.doc.get("backup_policy"))
        if not isinstance(fs, FileSystem):
            return
        status = block.get("status") if isinstance(block, dict) else block
        fs.backup = (
            status == "ENABLED" if isinstance(status, str) else Unknown("backup status cannot be known")
        )
        fs.field_locs["backup"] = self.loc(rec)

    def backup_selection(self, rec: Record) -> None:
        """An AWS Backup plan selecting a file system backs it up, which is what EFS506 asks for."""
        doc = rec.doc
        chosen = _list(doc.get("resources"))
        by_tag = any(_present(doc.get(k)) for k in ("selection_tag", "condition"))
        for fs in self.model.file_systems:
            if fs.backup is True:
                continue
            named = isinstance(chosen, list) and any(
                (isinstance(v, Ref) and self.by_target.get(id(v.target)) is fs)
                or (isinstance(v, str) and (v == "*" or (isinstance(fs.id, str) and v.endswith(fs.id))))
                for v in chosen
            )
            if named and not rec.conditional:
                fs.backup = True
            elif (
                named
                or by_tag
                or isinstance(chosen, Unknown)
                or (isinstance(chosen, list) and any(_may_match_any(v) for v in chosen))
            ):
                fs.backup = Unknown("an AWS Backup selection may cover this file system")

    def finish_file_systems(self, managed: list[Record]) -> None:
        # A mount target whose count cannot be known might exist zero or many times.
        for fs in self.model.file_systems:
            if any(mt.conditional for mt in fs.mount_targets):
                fs.mount_targets_known = False

    # Identity ---------------------------------------------------------------------------------

    def policy(self, rec: Record, value: Any) -> Any:
        document = self.policy_document(value)
        if isinstance(document, Unknown):
            return document
        from ...policy import parse_policy

        return parse_policy(document, self.loc(rec))

    def policy_document(self, value: Any) -> Any:
        if isinstance(value, JsonValue):
            return _plain(value.value, self)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return Unknown("policy is not valid JSON")
        if isinstance(value, Ref) and value.attr == "json":
            rec = self.record_of.get(id(value.target))
            if rec is not None and rec.type == "aws_iam_policy_document":
                return self.policy_document_data(rec)
        if isinstance(value, Ref):
            rec = self.record_of.get(id(value.target))
            if rec is not None and rec.type == "aws_iam_policy" and value.attr in ("policy",):
                return self.policy_document(rec.doc.get("policy"))
        return Unknown("policy document cannot be known")

    def policy_document_data(self, rec: Record) -> Any:
        """``data.aws_iam_policy_document`` as the JSON policy it renders."""
        doc = rec.doc
        if any(
            doc.get(k) is not None
            for k in ("source_policy_documents", "override_policy_documents", "source_json", "override_json")
        ):
            return Unknown("policy document merges other documents")
        statements, complete = _blocks(doc.get("statement"))
        if not complete:
            return Unknown("dynamic statements cannot be known")
        out = []
        for st in statements:
            item: dict[str, Any] = {"Effect": _or(st.get("effect"), "Allow")}
            for key, name in (
                ("actions", "Action"),
                ("not_actions", "NotAction"),
                ("resources", "Resource"),
                ("not_resources", "NotResource"),
            ):
                if st.get(key) is not None:
                    item[name] = _plain(st[key], self)
            for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
                blocks, ok = _blocks(st.get(key))
                if not ok:
                    return Unknown("dynamic principals cannot be known")
                if blocks:
                    principal: dict[str, Any] = {}
                    for block in blocks:
                        ids = _plain(block.get("identifiers"), self)
                        kind = block.get("type")
                        if not isinstance(kind, str) or not isinstance(ids, list):
                            return Unknown("principal cannot be known")
                        principal.setdefault(kind, []).extend(ids)
                    item[name] = "*" if principal == {"*": ["*"]} else principal
            conditions, ok = _blocks(st.get("condition"))
            if not ok:
                return Unknown("dynamic conditions cannot be known")
            if conditions:
                cond: dict[str, Any] = {}
                for c in conditions:
                    test, variable = c.get("test"), c.get("variable")
                    if not isinstance(test, str) or not isinstance(variable, str):
                        return Unknown("condition cannot be known")
                    cond.setdefault(test, {})[variable] = _plain(c.get("values"), self)
                item["Condition"] = cond
            out.append(item)
        return {"Version": "2012-10-17", "Statement": out}

    def role(self, rec: Record) -> None:
        doc = rec.doc
        name, path = doc.get("name"), doc.get("path")
        role = Role(
            loc=self.loc(rec),
            arn=_str(doc["arn"]) if isinstance(doc.get("arn"), str) else None,
            # Without `name` (or with `name_prefix`) the provider generates one: not known.
            name=_str(name) if isinstance(name, str) else None,
            path=_str(path) if isinstance(path, str) else "/" if path is None else None,
        )
        self.add(rec, role, self.model.roles)
        blocks, complete = _blocks(doc.get("inline_policy"))
        if not complete:
            role.statements_known = False
        for block in blocks:
            self.add_statements(role, self.policy(rec, block.get("policy")))
        arns = doc.get("managed_policy_arns")
        if arns is not None:
            self.attach(role, rec, arns)

    def add_statements(self, role: Role, statements: Any) -> None:
        if isinstance(statements, list):
            role.statements.extend(statements)
        else:
            role.statements_known = False

    def attach(self, role: Role, rec: Record, arns: Any) -> None:
        items = _list(arns)
        if not isinstance(items, list):
            role.statements_known = False
            return
        for arn in items:
            if isinstance(arn, Ref):
                target = self.record_of.get(id(arn.target))
                if target is not None and target.type == "aws_iam_policy":
                    self.add_statements(role, self.policy(target, target.doc.get("policy")))
                    continue
                role.statements_known = False
            elif isinstance(arn, str):
                self.add_statements(role, _managed(arn, self.loc(rec)))
            else:
                role.statements_known = False

    def role_of(self, value: Any) -> Any:
        linked = self.link(value, Role)
        if linked is not None:
            return linked
        if isinstance(value, str):
            # `role = aws_iam_role.x.name` evaluates to the configured name; match it.
            for rec in self.records:
                if rec.type == "aws_iam_role" and rec.doc.get("name") == value:
                    return self.by_target.get(id(rec.target))
        return None

    def role_policies(self, managed: list[Record]) -> None:
        for rec in managed:
            if rec.type not in _ROLE_POLICY_TYPES:
                continue  # reading the document of every other resource would evaluate it
            doc = rec.doc
            if rec.type == "aws_iam_role_policy":
                role = self.role_of(doc.get("role"))
                if isinstance(role, Role):
                    self.add_statements(role, self.policy(rec, doc.get("policy")))
                elif doc.get("role") is not None and not isinstance(doc.get("role"), str):
                    self._unknown_roles()
            elif rec.type == "aws_iam_role_policy_attachment":
                role = self.role_of(doc.get("role"))
                if isinstance(role, Role):
                    self.attach(role, rec, [doc.get("policy_arn")])
                elif not isinstance(doc.get("role"), str):
                    self._unknown_roles()
            elif rec.type == "aws_iam_policy_attachment":
                roles = _list(doc.get("roles"))
                if not isinstance(roles, list):
                    self._unknown_roles()
                    continue
                for value in roles:
                    role = self.role_of(value)
                    if isinstance(role, Role):
                        self.attach(role, rec, [doc.get("policy_arn")])
                    elif not isinstance(value, str):
                        self._unknown_roles()

    def _unknown_roles(self) -> None:
        # A policy attached to a role we cannot identify may grant any role here more.
        for role in self.model.roles:
            role.statements_known = False

    # Task definitions -------------------------------------------------------------------------

    def task_definition(self, rec: Record) -> None:
        doc = rec.doc
        runtime = _first(doc.get("runtime_platform"))
        role_value = doc.get("task_role_arn")
        role = self.role_of(role_value)
        compat = doc.get("requires_compatibilities")
        td = TaskDefinition(
            loc=self.loc(rec),
            family=_str(doc.get("family")),
            requires_compatibilities=[c for c in compat]
            if isinstance(compat, list)
            else ([] if compat is None else Unknown("requires_compatibilities cannot be known")),
            network_mode=_str(doc.get("network_mode")),
            os_family=_str(runtime.get("operating_system_family"))
            if isinstance(runtime, dict)
            else (runtime if isinstance(runtime, Unknown) else None),
            task_role=_str(role_value)
            if not isinstance(role_value, Ref)
            else Unknown("role ARN is computed"),
            task_role_entity=role if isinstance(role, Role) else None,
            execution_role=_str(doc.get("execution_role_arn"))
            if not isinstance(doc.get("execution_role_arn"), Ref)
            else Unknown("role ARN is computed"),
        )
        self.field_locs(
            td, rec, doc, {"family": "family", "task_role_arn": "task_role", "network_mode": "network_mode"}
        )
        if isinstance(runtime, dict) and "operating_system_family" in runtime:
            td.field_locs["os_family"] = self.loc(rec, runtime, "operating_system_family")
        volumes, td.volumes_known = _blocks(doc.get("volume"))
        for vol in volumes:
            self.volume(rec, td, vol)
        self.containers(rec, td, doc.get("container_definitions"))
        self.add(rec, td, self.model.task_definitions)

    def volume(self, rec: Record, td: TaskDefinition, vol: dict[str, Any]) -> None:
        name = _str(vol.get("name"))
        suffix = f"/volumes/{name}" if isinstance(name, str) else "/volumes/?"
        others = [api for key, api in VOLUME_TYPES.items() if _present(vol.get(key))]
        efs = _first(vol.get("efs_volume_configuration"))
        if not isinstance(efs, dict):
            volume = Volume(loc=self.loc(rec, vol, suffix=suffix), name=name, configurations=others)
            if isinstance(efs, Unknown):
                td.volumes_known = False
            td.other_volumes.append(volume)
            return
        auth = _first(efs.get("authorization_config"))
        auth_doc = auth if isinstance(auth, dict) else {}
        fs_value = efs.get("file_system_id")
        fs = self.fs_of(fs_value)
        ap_value = auth_doc.get("access_point_id")
        ap = self.link(ap_value, AccessPoint)
        root = efs.get("root_directory")
        port = _int(efs.get("transit_encryption_port"))
        volume = EfsVolume(
            loc=self.loc(rec, vol.get("efs_volume_configuration"), 0, suffix=suffix),
            name=name,
            file_system_id=_str(fs_value)
            if not isinstance(fs_value, Ref)
            else Unknown("file system id is computed"),
            file_system=fs if isinstance(fs, FileSystem) else None,
            root_directory=_or(_str(root), "/"),
            root_directory_set=root is not None,
            transit_encryption=_enum(efs.get("transit_encryption")),
            # The provider sends no port when it is 0 (its default).
            transit_encryption_port=None if port == 0 else port,
            access_point_id=_str(ap_value)
            if not isinstance(ap_value, Ref)
            else Unknown("access point id is computed"),
            access_point=ap if isinstance(ap, AccessPoint) else None,
            iam=_enum(auth_doc.get("iam")) if not isinstance(auth, Unknown) else auth,
            other_configurations=others,
            task_definition=td,
        )
        if isinstance(auth, Unknown):
            volume.access_point_id = auth
        volume.field_locs["name"] = self.loc(rec, vol, "name", suffix)
        self.field_locs(
            volume,
            rec,
            efs,
            {
                "file_system_id": "file_system_id",
                "root_directory": "root_directory",
                "transit_encryption": "transit_encryption",
                "transit_encryption_port": "transit_encryption_port",
            },
            suffix,
        )
        self.field_locs(volume, rec, auth_doc, {"access_point_id": "access_point_id", "iam": "iam"}, suffix)
        td.efs_volumes.append(volume)

    def containers(self, rec: Record, td: TaskDefinition, value: Any) -> None:
        file, line_offset = rec.file, 0
        # A JSON string whose own text has no place in a file (a quoted literal, a plan's value):
        # every container location is the container_definitions argument.
        anchor: Location | None = None
        if isinstance(value, JsonValue):
            data = value.value
        elif isinstance(value, str):
            from ..json_reader import loads

            if isinstance(value, SourceText):
                file = value.path or rec.file
                line_offset = value.line - 1
            else:
                anchor = self.loc(rec, rec.doc, "container_definitions")
            try:
                data = loads(str(value))
            except InputError:
                td.containers_known = False
                self.model.notes.append(
                    (
                        "EFS000",
                        f"{rec.address}: container_definitions is not valid JSON",
                        self.loc(rec, rec.doc, "container_definitions"),
                    )
                )
                return
        else:
            # Absent (the provider requires it) or not knowable: nothing can be said about mounts.
            td.containers_known = False
            return
        if not isinstance(data, list):
            td.containers_known = False
            return
        crec = Record(rec.address, rec.type, rec.mode, rec.doc, file, rec.target, line=rec.line, col=rec.col)
        for index, cdef in enumerate(data):
            cdef = _fold(cdef)
            if not isinstance(cdef, dict):
                td.containers_known = False
                continue
            cname = _str(cdef.get("name"))
            label = cname if isinstance(cname, str) else f"container[{index}]"
            suffix = f"/containers/{label}"
            container = Container(
                loc=self._shift(self.loc(crec, data, index, suffix), line_offset, anchor),
                name=label,
                user=_str(cdef.get("user")),
            )
            points = cdef.get("mountpoints")
            if points is not None and not isinstance(points, list):
                td.containers_known = False
            for i, mp in enumerate(points if isinstance(points, list) else []):
                mp = _fold(mp)
                if not isinstance(mp, dict):
                    td.containers_known = False
                    continue
                source = _str(mp.get("sourcevolume"))
                ro = _bool(mp.get("readonly"), False)
                psuffix = f"{suffix}/mountPoints/{source if isinstance(source, str) else '?'}"
                point = MountPoint(
                    loc=self._shift(self.loc(crec, points, i, psuffix), line_offset, anchor),
                    container=label,
                    source_volume=source,
                    container_path=_str(mp.get("containerpath")),
                    read_only=ro,
                )
                if "sourcevolume" in mp:
                    point.field_locs["source_volume"] = self._shift(
                        self.loc(crec, mp, mp.original_key("sourcevolume"), psuffix), line_offset, anchor
                    )
                container.mount_points.append(point)
            td.containers.append(container)

    def _shift(self, loc: Location, offset: int, anchor: Location | None) -> Location:
        if anchor is not None:
            return Location(anchor.file, anchor.line, anchor.column, loc.logical_name)
        if offset and loc.line:
            return Location(loc.file, loc.line + offset, loc.column, loc.logical_name)
        return loc

    # Workloads --------------------------------------------------------------------------------

    def cluster_key(self, value: Any) -> Any:
        if isinstance(value, Ref):
            return id(value.target)
        if isinstance(value, str):
            for rec in self.records:
                if rec.type == "aws_ecs_cluster" and rec.doc.get("name") == value:
                    return id(rec.target)
            return value
        return None

    def cluster_defaults(self, managed: list[Record]) -> None:
        for rec in managed:
            if rec.type == "aws_ecs_cluster":
                self.clusters.setdefault(id(rec.target), None)
                blocks, ok = _blocks(rec.doc.get("default_capacity_provider_strategy"))
                if blocks or not ok:
                    self.clusters[id(rec.target)] = _providers(blocks, ok)
        for rec in managed:
            if rec.type == "aws_ecs_cluster_capacity_providers":
                key = self.cluster_key(rec.doc.get("cluster_name"))
                if key is None:
                    # It may configure any cluster here: none of their defaults is known.
                    for cluster in self.clusters:
                        self.clusters[cluster] = Unknown(
                            "a capacity provider resource names an unknown cluster"
                        )
                    continue
                blocks, ok = _blocks(rec.doc.get("default_capacity_provider_strategy"))
                self.clusters[key] = _providers(blocks, ok) if (blocks or not ok) else None

    def workload(self, rec: Record, kind: str, params: Any, td_value: Any, cluster: Any, net: Any) -> None:
        if not isinstance(params, dict):
            return
        td = self.link(td_value, TaskDefinition, partial=True)
        if td is None and isinstance(td_value, str):
            td = _find_task_definition(self.model.task_definitions, td_value)
        launch = _str(params.get("launch_type"))
        strategy, ok = _blocks(params.get("capacity_provider_strategy"))
        providers: Any = _providers(strategy, ok) if (strategy or not ok) else None
        if providers is None and launch is None:
            key = self.cluster_key(cluster)
            if key in self.clusters:
                providers = self.clusters[key]
            else:
                providers = Unknown("the cluster's default capacity provider strategy is not defined here")
        net_doc = net if isinstance(net, dict) else None
        workload = Workload(
            loc=self.loc(rec),
            workload_type=kind,
            name=_str(rec.doc.get("name")),
            task_definition=td if isinstance(td, TaskDefinition) else None,
            task_definition_ref=_str(td_value) if not isinstance(td_value, Ref) else Unknown("computed"),
            launch_type=launch,
            capacity_providers=providers,
            platform_version=_str(params.get("platform_version")),
            platform_family=_str(params.get("platform_family")) if "platform_family" in params else None,
            subnets=self.subnets_of(net_doc.get("subnets"))
            if net_doc is not None
            else (net if isinstance(net, Unknown) else None),
            security_groups=self.groups_of(net_doc.get("security_groups"))
            if net_doc is not None
            else (net if isinstance(net, Unknown) else None),
            cluster=_str(cluster) if not isinstance(cluster, Ref) else Unknown("cluster is computed"),
        )
        if isinstance(workload.security_groups, list) and not workload.security_groups:
            workload.security_groups = None
        self.field_locs(
            workload,
            rec,
            params,
            {
                "platform_version": "platform_version",
                "launch_type": "launch_type",
                "capacity_provider_strategy": "capacity_providers",
            },
        )
        if isinstance(net_doc, dict):
            self.field_locs(
                workload, rec, net_doc, {"subnets": "subnets", "security_groups": "security_groups"}
            )
        self.add(rec, workload, self.model.workloads)

    def service(self, rec: Record) -> None:
        doc = rec.doc
        kind = "service" if rec.type == "aws_ecs_service" else "task_set"
        self.workload(
            rec,
            kind,
            doc,
            doc.get("task_definition"),
            doc.get("cluster"),
            _first(doc.get("network_configuration")),
        )

    def event_target(self, rec: Record) -> None:
        params = _first(rec.doc.get("ecs_target"))
        if params is None:
            return
        if isinstance(params, dict):
            self.workload(
                rec,
                "events_rule",
                params,
                params.get("task_definition_arn"),
                rec.doc.get("arn"),
                _first(params.get("network_configuration")),
            )

    def schedule(self, rec: Record) -> None:
        target = _first(rec.doc.get("target"))
        if not isinstance(target, dict):
            return
        params = _first(target.get("ecs_parameters"))
        if not isinstance(params, dict):
            return
        net = _first(params.get("network_configuration"))
        if isinstance(net, dict) and "awsvpc_configuration" in net:
            net = _first(net.get("awsvpc_configuration"))
        self.workload(rec, "schedule", params, params.get("task_definition_arn"), target.get("arn"), net)

    def wait_graph(self) -> None:
        """`waits_for`: everything a workload is created after, through references and depends_on."""
        # Followed only from the workloads: most resources' dependencies are never needed.
        record_of_entity: dict[int, Record] = {}
        for rec in self.records:
            entity = self.by_target.get(id(rec.target))
            if entity is not None:
                record_of_entity.setdefault(id(entity), rec)
        for workload in self.model.workloads:
            rec = record_of_entity.get(id(workload))
            if rec is None:
                continue
            if rec.depends is None:
                workload.waits_for = Unknown("creation order is not known")
                continue
            seen: set[int] = set()
            stack = [id(t) for t in rec.depends]
            while stack:
                key = stack.pop()
                if key in seen:
                    continue
                seen.add(key)
                found = self.record_of.get(key)
                if found is not None:
                    stack.extend(id(t) for t in found.depends or ())
            workload.waits_for = {self.by_target[k] for k in seen if k in self.by_target}


# --------------------------------------------------------------------------------------------


def _or(value: Any, default: Any) -> Any:
    """``value`` unless it is None (never truth-tests an Unknown)."""
    return default if value is None else value


def _may_match_any(value: Any) -> bool:
    """A backup selection entry that may name any file system: unknown, or an ARN with wildcards."""
    return (is_unknown(value) and not isinstance(value, Ref)) or (isinstance(value, str) and "*" in value)


def _present(value: Any) -> bool:
    """Whether a volume type is configured; an unknown value proves nothing, so it is not."""
    if is_unknown(value) or value in (None, "", False, [], {}):
        return False
    if isinstance(value, list):
        return any(_present(v) for v in value)
    return True


def _enum(value: Any) -> Any:
    if value is None or value == "":
        return "DISABLED"
    return value if isinstance(value, str) else Unknown("value cannot be known")


def _ports(protocol: Any, from_port: Any, to_port: Any) -> tuple[Any, Any, Any]:
    if isinstance(protocol, (int, float)) and not isinstance(protocol, bool):
        protocol = str(int(protocol))
    if isinstance(protocol, str):
        normal = _PROTOCOLS.get(protocol.lower(), protocol.lower())
    else:
        normal = Unknown("protocol cannot be known")
    if normal == "-1":
        return "-1", None, None
    return normal, _int(from_port), _int(to_port)


def _providers(blocks: list[Any], complete: bool) -> Any:
    if not complete:
        return Unknown("capacity provider strategy cannot be known")
    names = [b.get("capacity_provider") for b in blocks]
    if not all(isinstance(n, str) for n in names):
        return Unknown("capacity provider cannot be known")
    return names


def _find_task_definition(tds: list[TaskDefinition], value: str) -> TaskDefinition | None:
    family = value.rsplit("/", 1)[-1].split(":", 1)[0]
    matches = [td for td in tds if td.family == family]
    return matches[0] if len(matches) == 1 else None


class _Folded(dict[str, Any]):
    """Container-definition keys, case-folded: Terraform decodes them with Go's case-insensitive
    JSON matching, so ``mountpoints``/``containerpath`` work like ``mountPoints``."""

    def __init__(self, source: dict[str, Any]) -> None:
        super().__init__((k.lower(), v) for k, v in source.items())
        self.source = source
        self.originals = {k.lower(): k for k in source}
        self.pos = getattr(source, "pos", (0, 0))

    def original_key(self, key: str) -> str:
        return self.originals.get(key, key)

    def pos_of(self, key: str) -> Pos:
        return _pos(self.source, key)


def _fold(value: Any) -> Any:
    return _Folded(value) if isinstance(value, dict) else value


def _plain(value: Any, mapper: _Mapper) -> Any:
    """A policy document as JSON data: references become Unknown (policy.py keeps them quiet)."""
    if isinstance(value, JsonValue):
        return _plain(value.value, mapper)
    if isinstance(value, dict):
        return {k: _plain(v, mapper) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, mapper) for v in value]
    if isinstance(value, PartlyKnown):
        return value  # an ARN with the deployment's account or partition: policy matching reads it
    if is_unknown(value):
        return reference_value(value, mapper)
    return value


def reference_value(value: Any, mapper: _Mapper) -> Any:
    """In a policy, ``aws_efs_file_system.x.arn`` (or an access point's, a role's) is that entity:
    efslint.policy matches an entity against the resource or principal it stands for."""
    if isinstance(value, Ref) and value.attr == "arn":
        entity = mapper.by_target.get(id(value.target))
        if isinstance(entity, (FileSystem, AccessPoint, Role)):
            return entity
    return Unknown("value is computed by the provider")


def _managed(arn: str, loc: Location) -> Any:
    from ...policy import managed_policy_statements

    statements = managed_policy_statements(arn, loc)
    return Unknown(f"managed policy {arn} is not known to efslint") if statements is None else statements


def build(model: Model, records: Iterable[Record], escaped: Iterable[int] = ()) -> Model:
    """Map ``records`` into ``model``; ``escaped`` holds ``id()`` of targets that an unreadable
    module receives and may extend (rules, attachments, mount targets, routes)."""
    mapper = _Mapper(model, list(records))
    mapper.run()
    link_instance_capacity(mapper)
    mapper.open_escaped(set(escaped))
    return model


__all__ = ["Record", "build"]
