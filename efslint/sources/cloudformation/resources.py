"""CloudFormation resources mapped into the model, with the links between them resolved.

One :class:`TemplateMapper` per template.  Properties are resolved once per resource
(:mod:`.resolve`); a ``Ref``/``GetAtt`` to a resource becomes a link to the entity built from
it, a literal id (``sg-…``, ``subnet-…``, ``fs-…``) that the template does not define becomes an
external entity whose unknown parts are :class:`Unknown`, and anything unresolvable is Unknown.

Spellings follow the CloudFormation schemas exactly (AWS-FACTS §8): ``FilesystemId`` and ``IAM``
in task definitions, ``AwsvpcConfiguration`` on services and schedules but ``AwsVpcConfiguration``
on task sets and EventBridge rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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
from ..located import LMap, pos_of
from .capacity import link_instance_capacity
from .resolve import Resolver, ResourceRef, RList, RMap, SubUnknown, references
from .values import CREATED, as_int, as_list, as_str, get_key, items_of

_PROTOCOLS = {
    "-1": "-1",
    "all": "-1",
    "6": "tcp",
    "tcp": "tcp",
    "17": "udp",
    "udp": "udp",
    "1": "icmp",
    "icmp": "icmp",
    "58": "icmpv6",
    "icmpv6": "icmpv6",
}
# CloudFormation volume keys (other than EFS) → the ECS API names the checks use.
_OTHER_VOLUME_TYPES = {
    "Host": "host",
    "DockerVolumeConfiguration": "dockerVolumeConfiguration",
    "FSxWindowsFileServerVolumeConfiguration": "fsxWindowsFileServerVolumeConfiguration",
    "S3FilesVolumeConfiguration": "s3filesVolumeConfiguration",
    "ConfiguredAtLaunch": "configuredAtLaunch",
}
_EFS_KEYS = (
    "FilesystemId",
    "RootDirectory",
    "TransitEncryption",
    "TransitEncryptionPort",
    "AuthorizationConfig",
)
_AUTH_KEYS = ("AccessPointId", "IAM")
# The awsvpc configuration key per resource type (AWS-FACTS §8, facts 66-69).
_AWSVPC_KEY = {
    "AWS::ECS::Service": "AwsvpcConfiguration",
    "AWS::ECS::TaskSet": "AwsVpcConfiguration",
    "AWS::Events::Rule": "AwsVpcConfiguration",
    "AWS::Scheduler::Schedule": "AwsvpcConfiguration",
}
_FS_ARN_SUB = re.compile(r"^arn:.*:elasticfilesystem:.*:(file-system|access-point)/\$\{([^}.!]+)\}$")


def _bool(value: Any, default: Any) -> Any:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if isinstance(value, Unknown):
        return value
    return Unknown(f"{value!r} is not a boolean")


def rule_key(text: str) -> str:
    """A rule id or name as the engine compares them: ``EFS104`` or ``transit-encryption-disabled``."""
    text = text.strip()
    return text.upper() if text[:3].upper() == "EFS" else text.lower()


def _protocol(value: Any) -> Any:
    if isinstance(value, Unknown):
        return value
    text = (
        str(value).strip().lower() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    )
    if text is None:
        return Unknown(f"IpProtocol {value!r}")
    return _PROTOCOLS.get(text, text)


class TemplateMapper:
    def __init__(self, path: str, doc: LMap) -> None:
        self.path = path
        self.resolver = Resolver(doc)
        self.resources: dict[str, Any] = self.resolver.resources
        self.model = Model(source=path)
        self.created: dict[str, list[Entity]] = {}
        self._props: dict[str, Any] = {}
        self._suppressions: dict[str, dict[str, str]] = {}
        # Entities for literal ids the template does not define, one per (kind, id).
        self.external: dict[tuple[str, str], Entity] = {}

    # ----------------------------------------------------------------------------------------
    # plumbing

    def of_type(self, *types: str) -> list[tuple[str, Any]]:
        return [
            (name, res)
            for name, res in self.resources.items()
            if isinstance(res, dict) and res.get("Type") in types
        ]

    def props(self, name: str) -> Any:
        if name not in self._props:
            raw = get_key(self.resources[name], "Properties")
            self._props[name] = self.resolver.resolve(raw) if raw is not None else RMap()
        return self._props[name]

    def loc(self, name: str, container: Any = None, key: Any = None) -> Location:
        res = self.resources.get(name)
        if container is None:
            line, col = pos_of(self.resources, name)
        else:
            line, col = pos_of(container, key)
            if not line:
                line, col = pos_of(self.resources, name)
        notes = []
        value_note = getattr(container, "notes", {}).get(key) if container is not None else None
        if value_note:
            notes.append(f"value {value_note}")
        cdk = get_key(get_key(res, "Metadata"), "aws:cdk:path")
        if isinstance(cdk, str):
            notes.append(f"CDK construct {cdk}")
        return Location(self.path, line, col, name, "; ".join(notes))

    def register(self, name: str, entity: Entity) -> Entity:
        res = self.resources.get(name)
        entity.conditional = entity.conditional or (isinstance(res, dict) and "Condition" in res)
        entity.suppressions.update(self.suppressions(name))
        self.created.setdefault(name, []).append(entity)
        return entity

    def suppressions(self, name: str) -> dict[str, str]:
        if name not in self._suppressions:
            found: dict[str, str] = {}
            ignore = get_key(get_key(get_key(self.resources.get(name), "Metadata"), "efslint"), "ignore")
            items: Iterable[Any] = (
                ignore.items()
                if isinstance(ignore, dict)
                else ((item, "") for item in ignore)
                if isinstance(ignore, list)
                else ()
            )
            for key, reason in items:
                if isinstance(key, dict):
                    key, reason = key.get("rule") or key.get("id"), key.get("reason", "")
                if isinstance(key, str):
                    found[rule_key(key)] = str(reason or "Metadata efslint ignore")
            self._suppressions[name] = found
        return self._suppressions[name]

    def note(self, rule: str, message: str, loc: Location) -> None:
        """A finding the front-end raises itself (structure the model cannot hold)."""
        text = f"{message} ({loc.note})" if loc.note else message
        self.model.notes.append((rule, text, loc))

    def target(self, value: Any, *types: str) -> Any:
        """The entity a ``Ref``/``GetAtt`` names when it is of one of ``types``, else None."""
        if isinstance(value, ResourceRef):
            res = self.resources.get(value.logical_id)
            if isinstance(res, dict) and res.get("Type") in types:
                made = self.created.get(value.logical_id)
                return made[0] if made else None
        return None

    def linked(self, value: Any, kind: str, types: tuple[str, ...], prefix: str, make: Any) -> Any:
        """An entity for a reference: the template's own, an external one for a literal id, or Unknown."""
        entity = self.target(value, *types)
        if entity is not None:
            return entity
        if isinstance(value, ResourceRef):
            return Unknown(f"{value.logical_id} is not a {kind} this template maps")
        if isinstance(value, str) and value.startswith(prefix):
            key = (kind, value)
            if key not in self.external:
                self.external[key] = make(value)
            return self.external[key]
        if isinstance(value, Unknown):
            return value
        return Unknown(f"{kind} {value!r} is not known")

    # ----------------------------------------------------------------------------------------

    def build(self) -> Model:
        self.vpcs()
        self.subnets()
        self.security_groups()
        self.role_entities()
        self.file_systems()
        self.mount_targets()
        self.access_points()
        # Policies name roles, file systems and access points, so they are read once all exist.
        self.file_system_policies()
        self.backup_selections()
        self.roles()
        self.task_definitions()
        self.workloads()
        link_instance_capacity(self)
        self.dependencies()
        if self.of_type("AWS::Batch::JobDefinition"):
            from .batch import map_batch  # Batch templates only: keeps the ECS path lean

            map_batch(self)
        if any(name.startswith("Fn::") for name in self.resources):
            self.unseen_resources()
        return self.model

    def unseen_resources(self) -> None:
        """``Fn::ForEach`` (AWS::LanguageExtensions) and ``Fn::Transform`` (AWS::Include) create
        resources we do not expand: any of them may add a mount target, a rule or a policy, so no
        list may be taken as complete."""
        for fs in self.model.file_systems:
            fs.mount_targets_known = False
        for group in self.model.security_groups:
            group.rules_known = False
        for role in self.model.roles:
            role.statements_known = False

    # network --------------------------------------------------------------------------------

    def vpcs(self) -> None:
        for name, _ in self.of_type("AWS::EC2::VPC"):
            p = self.props(name)
            vpc = Vpc(
                loc=self.loc(name),
                id=None,
                cidr=as_str(get_key(p, "CidrBlock")),
                dns_support=_bool(get_key(p, "EnableDnsSupport"), True),
                dns_hostnames=_bool(get_key(p, "EnableDnsHostnames"), False),
            )
            for key, attr in (("EnableDnsSupport", "dns_support"), ("EnableDnsHostnames", "dns_hostnames")):
                if key in p:
                    vpc.field_locs[attr] = self.loc(name, p, key)
            self.model.vpcs.append(self.register(name, vpc))  # type: ignore[arg-type]

    def vpc(self, value: Any) -> Any:
        if value is None:
            return None
        return self.linked(
            value,
            "vpc",
            ("AWS::EC2::VPC",),
            "vpc-",
            lambda v: Vpc(
                loc=Location(self.path, 0, 0, v),
                id=v,
                dns_support=Unknown("external VPC"),
                dns_hostnames=Unknown("external VPC"),
            ),
        )

    def subnets(self) -> None:
        routes = self._igw_route_tables()
        associations: dict[str, list[Any]] = {}
        for name, _ in self.of_type("AWS::EC2::SubnetRouteTableAssociation"):
            p = self.props(name)
            subnet = get_key(p, "SubnetId")
            key = subnet.logical_id if isinstance(subnet, ResourceRef) else "?"
            associations.setdefault(key, []).append((name, get_key(p, "RouteTableId")))
        for name, _ in self.of_type("AWS::EC2::Subnet"):
            p = self.props(name)
            az = get_key(p, "AvailabilityZone")
            az = az if az is not None else get_key(p, "AvailabilityZoneId")
            if az is None:
                az = Unknown("the subnet's Availability Zone is chosen by AWS")
            elif not isinstance(az, (str, Unknown)):
                az = Unknown("Availability Zone is not a string")
            vpc = self.vpc(get_key(p, "VpcId"))
            subnet = Subnet(
                loc=self.loc(name),
                id=None,
                availability_zone=az,
                vpc=vpc,
                cidr=as_str(get_key(p, "CidrBlock")),
                map_public_ip=_bool(get_key(p, "MapPublicIpOnLaunch"), False),
            )
            subnet.route_to_igw = self._route_to_igw(
                associations.get(name, []), routes, vpc, bool(associations.get("?"))
            )
            for key, attr in (
                ("AvailabilityZone", "availability_zone"),
                ("MapPublicIpOnLaunch", "map_public_ip"),
                ("CidrBlock", "cidr"),
                ("VpcId", "vpc"),
            ):
                if key in p:
                    subnet.field_locs[attr] = self.loc(name, p, key)
            self.model.subnets.append(self.register(name, subnet))  # type: ignore[arg-type]

    def _igw_route_tables(self) -> dict[str, Any]:
        """Route table logical id → True (a route to an internet gateway), False, or Unknown."""
        igws = {n for n, _ in self.of_type("AWS::EC2::InternetGateway")}
        tables: dict[str, Any] = {n: False for n, _ in self.of_type("AWS::EC2::RouteTable")}
        for name, res in self.of_type("AWS::EC2::Route"):
            p = self.props(name)
            table = get_key(p, "RouteTableId")
            gateway = get_key(p, "GatewayId")
            if isinstance(gateway, ResourceRef):
                to_igw: Any = gateway.logical_id in igws
            elif isinstance(gateway, str):
                to_igw = gateway.startswith("igw-")
            elif gateway is None:
                to_igw = False
            else:
                to_igw = Unknown("route gateway known only at deployment")
            if to_igw is True and "Condition" in res:
                to_igw = Unknown("the route exists only under a condition")
            keys = [table.logical_id] if isinstance(table, ResourceRef) else list(tables)
            for key in keys:
                if key not in tables or tables[key] is True:
                    continue
                if to_igw is True and isinstance(table, ResourceRef):
                    tables[key] = True
                elif to_igw is not False:
                    tables[key] = Unknown("a route of unknown destination")
        return tables

    def _route_to_igw(self, assoc: list[Any], tables: dict[str, Any], vpc: Any, stray: bool) -> Any:
        if not assoc:
            if stray:
                return Unknown("a route table association names a subnet known only at deployment")
            # The main route table of a VPC this template creates only has the local route.
            return False if isinstance(vpc, Vpc) and vpc.loc.line else Unknown("main route table not known")
        results = []
        for name, table in assoc:
            if isinstance(table, ResourceRef) and table.logical_id in tables:
                public = tables[table.logical_id]
                if public is True and "Condition" in self.resources[name]:
                    public = Unknown("the route table association exists only under a condition")
                results.append(public)
            else:
                results.append(Unknown("route table known only at deployment"))
        if True in results:
            return True
        return next((r for r in results if isinstance(r, Unknown)), False)

    def subnet(self, value: Any) -> Any:
        return self.linked(
            value,
            "subnet",
            ("AWS::EC2::Subnet",),
            "subnet-",
            lambda v: Subnet(
                loc=Location(self.path, 0, 0, v),
                id=v,
                availability_zone=Unknown(f"external subnet {v}"),
                vpc=Unknown("external subnet"),
                map_public_ip=Unknown("external subnet"),
                route_to_igw=Unknown("external subnet"),
            ),
        )

    def security_group(self, value: Any) -> Any:
        if isinstance(value, ResourceRef) and value.attribute not in (None, "GroupId"):
            return Unknown(f"{value.logical_id}.{value.attribute} is not a security group id")
        return self.linked(
            value,
            "security_group",
            ("AWS::EC2::SecurityGroup",),
            "sg-",
            lambda v: SecurityGroup(
                loc=Location(self.path, 0, 0, v),
                id=v,
                vpc=Unknown("external security group"),
                rules_known=False,
            ),
        )

    def security_groups(self) -> None:
        groups: dict[str, SecurityGroup] = {}
        for name, _ in self.of_type("AWS::EC2::SecurityGroup"):
            p = self.props(name)
            group = SecurityGroup(loc=self.loc(name), id=None, vpc=self.vpc(get_key(p, "VpcId")))
            self.register(name, group)
            groups[name] = group
            self.model.security_groups.append(group)
        explicit_egress: set[str] = set()
        # Groups whose only egress rules are separate resources under a Condition: EC2's default
        # allow-all egress is removed in some configurations and kept in others.
        maybe_egress: set[str] = set()
        for name, group in groups.items():
            p = self.props(name)
            for key, direction in (("SecurityGroupIngress", "ingress"), ("SecurityGroupEgress", "egress")):
                rules = as_list(get_key(p, key))
                if isinstance(rules, Unknown):
                    group.rules_known = False
                    if direction == "egress":
                        explicit_egress.add(name)  # whether EC2 adds its default is unknown too
                    continue
                for index, item in enumerate(items_of(rules)):
                    rule = self.rule(name, rules, index, item, direction)
                    getattr(group, direction).append(rule)
                if direction == "egress" and rules:
                    explicit_egress.add(name)
        for name, res in self.of_type("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"):
            p = self.props(name)
            direction = "ingress" if res["Type"].endswith("Ingress") else "egress"
            owner = get_key(p, "GroupId")
            group = self.security_group(owner) if owner is not None else Unknown("GroupName")
            rule = self.rule(name, None, None, p, direction)
            if isinstance(group, SecurityGroup):
                getattr(group, direction).append(rule)
                if direction == "egress" and isinstance(owner, ResourceRef):
                    (maybe_egress if "Condition" in res else explicit_egress).add(owner.logical_id)
            else:
                # The rule may belong to any group here: no group's rule list is complete.
                for other in groups.values():
                    other.rules_known = False
        for name, group in groups.items():
            if name not in explicit_egress:
                # EC2 adds allow-all egress to a group created without egress rules.
                for cidr_key, cidr in (("cidr_ipv4", "0.0.0.0/0"), ("cidr_ipv6", "::/0")):
                    rule = SecurityGroupRule(
                        loc=group.loc, direction="egress", protocol="-1", conditional=name in maybe_egress
                    )
                    setattr(rule, cidr_key, cidr)
                    group.egress.append(rule)

    def rule(self, name: str, rules: Any, index: Any, item: Any, direction: str) -> SecurityGroupRule:
        loc = self.loc(name, rules, index) if rules is not None else self.loc(name)
        if not isinstance(item, dict):
            return self.register(
                name,
                SecurityGroupRule(  # type: ignore[return-value]
                    loc=loc,
                    direction=direction,
                    protocol=Unknown("rule known only at deployment"),
                    cidr_ipv4=Unknown("rule known only at deployment"),
                ),
            )
        protocol = _protocol(item.get("IpProtocol", "-1"))
        ports = (None, None)
        if protocol != "-1":
            ports = (as_int(item.get("FromPort")), as_int(item.get("ToPort")))
        peer_key = "SourceSecurityGroupId" if direction == "ingress" else "DestinationSecurityGroupId"
        peer = item.get(peer_key)
        if peer is None and "SourceSecurityGroupName" in item:
            peer = Unknown("security group named, not referenced by id")
        rule = SecurityGroupRule(
            loc=loc,
            direction=direction,
            protocol=protocol,
            from_port=ports[0],
            to_port=ports[1],
            cidr_ipv4=as_str(item.get("CidrIp")),
            cidr_ipv6=as_str(item.get("CidrIpv6")),
            peer_group=self.security_group(peer) if peer is not None else None,
            prefix_list=as_str(item.get("SourcePrefixListId") or item.get("DestinationPrefixListId")),
        )
        for key, attr in (("IpProtocol", "protocol"), ("FromPort", "from_port"), ("CidrIp", "cidr_ipv4")):
            if key in item:
                rule.field_locs[attr] = self.loc(name, item, key)
        return self.register(name, rule)  # type: ignore[return-value]

    # EFS ------------------------------------------------------------------------------------

    def file_systems(self) -> None:
        for name, _ in self.of_type("AWS::EFS::FileSystem"):
            p = self.props(name)
            loc = self.loc(name)
            az = get_key(p, "AvailabilityZoneName")
            if az is not None and not isinstance(az, (str, Unknown)):
                az = Unknown("AvailabilityZoneName is not a string")
            status = get_key(get_key(p, "BackupPolicy"), "Status")
            if isinstance(status, str):
                backup: Any = status.upper() == "ENABLED"
            elif status is None and "BackupPolicy" not in p:
                # CreateFileSystem turns backups on by default for One Zone file systems only.
                backup = Unknown("One Zone unknown") if isinstance(az, Unknown) else az is not None
            else:
                backup = Unknown("backup status known only at deployment")
            policy: Any = Unknown("not read yet") if "FileSystemPolicy" in p else None
            fs = FileSystem(
                loc=loc,
                id=None,
                encrypted=_bool(get_key(p, "Encrypted"), False),
                availability_zone=az,
                policy=policy,
                backup=backup,
            )
            for key, attr in (
                ("Encrypted", "encrypted"),
                ("AvailabilityZoneName", "availability_zone"),
                ("FileSystemPolicy", "policy"),
                ("BackupPolicy", "backup"),
            ):
                if key in p:
                    fs.field_locs[attr] = self.loc(name, p, key)
            self.model.file_systems.append(self.register(name, fs))  # type: ignore[arg-type]

    def file_system(self, value: Any) -> Any:
        if isinstance(value, ResourceRef) and value.attribute not in (None, "FileSystemId"):
            return Unknown(f"{value.logical_id}.{value.attribute} is not a file system id")

        def external(fs_id: str) -> FileSystem:
            fs = FileSystem(
                loc=Location(self.path, 0, 0, fs_id),
                id=fs_id,
                encrypted=Unknown("external file system"),
                availability_zone=Unknown("external file system"),
                policy=Unknown("external file system"),
                backup=Unknown("external file system"),
                mount_targets_known=False,
                defined_here=False,
            )
            return fs

        return self.linked(value, "file_system", ("AWS::EFS::FileSystem",), "fs-", external)

    def mount_targets(self) -> None:
        for name, _ in self.of_type("AWS::EFS::MountTarget"):
            p = self.props(name)
            fs = self.file_system(get_key(p, "FileSystemId"))
            groups = as_list(get_key(p, "SecurityGroups"))
            mt = MountTarget(
                loc=self.loc(name),
                file_system=fs if isinstance(fs, FileSystem) else None,
                subnet=self.subnet(get_key(p, "SubnetId")),
                security_groups=[self.security_group(g) for g in groups]
                if isinstance(groups, list)
                else groups,
            )
            for key, attr in (
                ("SubnetId", "subnet"),
                ("SecurityGroups", "security_groups"),
                ("FileSystemId", "file_system"),
            ):
                if key in p:
                    mt.field_locs[attr] = self.loc(name, p, key)
            self.register(name, mt)
            self.model.mount_targets.append(mt)
            if isinstance(fs, FileSystem):
                fs.mount_targets.append(mt)
            else:
                # Unknown file system: it may be any of ours, so none has a complete list.
                for other in self.model.file_systems:
                    other.mount_targets_known = False

    def access_points(self) -> None:
        for name, _ in self.of_type("AWS::EFS::AccessPoint"):
            p = self.props(name)
            fs = self.file_system(get_key(p, "FileSystemId"))
            posix = get_key(p, "PosixUser")
            posix_user: Any = None
            if isinstance(posix, dict):
                posix_user = PosixUser(uid=as_int(posix.get("Uid")), gid=as_int(posix.get("Gid")))
            elif posix is not None:
                posix_user = Unknown("POSIX user known only at deployment")
            root = get_key(p, "RootDirectory")
            path = (
                get_key(root, "Path")
                if isinstance(root, dict)
                else (None if root is None else Unknown("root"))
            )
            creation = get_key(root, "CreationInfo") if isinstance(root, dict) else None
            ap = AccessPoint(
                loc=self.loc(name),
                id=None,
                file_system=fs if isinstance(fs, FileSystem) else None,
                file_system_id=(fs.id or Unknown(CREATED)) if isinstance(fs, FileSystem) else as_str(fs),
                posix_user=posix_user,
                root_path=as_str(path) if path is not None else "/",
                creation_info=(creation is not None) if not isinstance(creation, Unknown) else creation,
            )
            if "PosixUser" in p:
                ap.field_locs["posix_user"] = self.loc(name, p, "PosixUser")
            if isinstance(root, dict) and "Path" in root:
                ap.field_locs["root_path"] = self.loc(name, root, "Path")
            if "RootDirectory" in p:
                ap.field_locs["creation_info"] = self.loc(name, p, "RootDirectory")
            self.register(name, ap)
            self.model.access_points.append(ap)
            if isinstance(fs, FileSystem):
                fs.access_points.append(ap)

    # identity -------------------------------------------------------------------------------

    def policy_value(self, value: Any) -> Any:
        """Policy documents with resource references replaced by the entities they stand for."""
        if isinstance(value, ResourceRef):
            types = ("AWS::EFS::FileSystem", "AWS::EFS::AccessPoint", "AWS::IAM::Role")
            entity = self.target(value, *types)
            return entity if entity is not None else Unknown(f"a value of {value.logical_id}")
        if isinstance(value, SubUnknown):
            role = self.role_of_arn(value)
            if role is not None:
                return role
            match = _FS_ARN_SUB.match(value.template)
            if match:
                entity = self.target(
                    ResourceRef(match.group(2)), "AWS::EFS::FileSystem", "AWS::EFS::AccessPoint"
                )
                if entity is not None:
                    return entity
            return value
        if isinstance(value, dict):
            result = RMap(getattr(value, "pos", (0, 0)))
            for key, item in value.items():
                result.put(
                    key,
                    self.policy_value(item),
                    *(value.key_pos.get(key, (0, 0)), value.value_pos.get(key, (0, 0)))
                    if isinstance(value, LMap)
                    else ((0, 0), (0, 0)),
                )
            return result
        if isinstance(value, list):
            items = RList(getattr(value, "pos", (0, 0)))
            for index, item in enumerate(value):
                items.add(self.policy_value(item), pos_of(value, index))
            return items
        return value

    def policy(self, document: Any, loc: Location) -> Any:
        from ...policy import parse_policy

        return parse_policy(self.policy_value(document), loc)

    def file_system_policies(self) -> None:
        for fs in self.model.file_systems:
            name = fs.loc.logical_name
            p = self.props(name) if fs.defined_here else None
            if isinstance(p, dict) and "FileSystemPolicy" in p:
                fs.policy = self.policy(p["FileSystemPolicy"], self.loc(name, p, "FileSystemPolicy"))

    def backup_selections(self) -> None:
        """An AWS Backup selection naming a file system backs it up (what EFS506 asks for); a
        wildcard, tag or condition selection may cover any file system, so backup is unknown."""
        for name, res in self.of_type("AWS::Backup::BackupSelection"):
            selection = get_key(self.props(name), "BackupSelection")
            chosen = as_list(get_key(selection, "Resources"))
            broad = isinstance(chosen, Unknown) or any(
                get_key(selection, key) is not None for key in ("ListOfTags", "Conditions")
            )
            named: set[int] = set()
            for value in items_of(chosen):
                entity = self.policy_value(value)
                if isinstance(entity, FileSystem):
                    named.add(id(entity))
                elif not isinstance(value, str) or "*" in value or isinstance(entity, Unknown):
                    broad = True
            for fs in self.model.file_systems:
                if fs.backup is True:
                    continue
                if id(fs) in named and "Condition" not in res:
                    fs.backup = True
                elif id(fs) in named or broad:
                    fs.backup = Unknown("an AWS Backup selection may cover this file system")

    def role_entities(self) -> None:
        for name, _ in self.of_type("AWS::IAM::Role"):
            p = self.props(name)
            role_name, path = get_key(p, "RoleName"), get_key(p, "Path")
            role = Role(
                loc=self.loc(name),
                arn=None,
                # Without RoleName CloudFormation generates one: not known.
                name=role_name if isinstance(role_name, str) else None,
                path=path if isinstance(path, str) else "/" if path is None else None,
            )
            self.register(name, role)
            self.model.roles.append(role)

    def roles(self) -> None:
        from ...policy import managed_policy_statements

        roles: dict[str, Role] = {name: self.created[name][0] for name, _ in self.of_type("AWS::IAM::Role")}  # type: ignore[misc]
        managed: dict[str, Any] = {}
        for name, _ in self.of_type("AWS::IAM::ManagedPolicy"):
            p = self.props(name)
            managed[name] = self.policy(get_key(p, "PolicyDocument"), self.loc(name, p, "PolicyDocument"))

        def attach(role: Role, statements: Any) -> None:
            if isinstance(statements, list):
                role.statements.extend(statements)
            else:
                role.statements_known = False

        for name, role in roles.items():
            p = self.props(name)
            policies = as_list(get_key(p, "Policies"))
            if isinstance(policies, Unknown):
                role.statements_known = False
            for index, item in enumerate(items_of(policies)):
                document = get_key(item, "PolicyDocument")
                attach(
                    role,
                    self.policy(document, self.loc(name, policies, index))
                    if document is not None
                    else Unknown("policy"),
                )
            arns = as_list(get_key(p, "ManagedPolicyArns"))
            if isinstance(arns, Unknown):
                role.statements_known = False
            for index, arn in enumerate(items_of(arns)):
                if isinstance(arn, ResourceRef) and arn.logical_id in managed:
                    attach(role, managed[arn.logical_id])
                    continue
                statements = managed_policy_statements(arn, self.loc(name, arns, index))
                attach(role, statements if statements is not None else Unknown("managed policy"))
        # Separate policy resources name the roles they attach to.
        for name, res in self.of_type("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy"):
            p = self.props(name)
            targets = (
                as_list(get_key(p, "Roles"))
                if res["Type"] != "AWS::IAM::RolePolicy"
                else [get_key(p, "RoleName")]
            )
            if name in managed:
                statements = managed[name]
            else:
                statements = self.policy(get_key(p, "PolicyDocument"), self.loc(name, p, "PolicyDocument"))
            for target in targets if isinstance(targets, list) else [Unknown("roles")]:
                role = self.target(target, "AWS::IAM::Role")
                if isinstance(role, Role):
                    attach(role, statements)
                    if "Condition" in res:
                        role.statements_known = False  # the policy may or may not be attached
                elif isinstance(target, str):
                    # A role named literally: ours when its RoleName says so (or may say so).
                    for other_name, other in roles.items():
                        role_name = get_key(self.props(other_name), "RoleName")
                        if role_name == target and "Condition" not in res:
                            attach(other, statements)
                        elif role_name == target or isinstance(role_name, Unknown):
                            other.statements_known = False
                else:
                    # Attached to a role we cannot name: every role here may have more permissions.
                    for other in roles.values():
                        other.statements_known = False

    # task definitions -----------------------------------------------------------------------

    def role_of_arn(self, value: Any) -> Role | None:
        """The template's role a task role ARN names: ``!GetAtt Role.Arn``, an ARN ending in the
        role's ``RoleName``, or ``!Sub ...:role/${Role}`` (``Ref`` of a role is its name)."""
        found = self.target(value, "AWS::IAM::Role")
        if isinstance(found, Role):
            return found
        if isinstance(value, SubUnknown):
            match = re.search(r":role/(?:[^$]*/)?\$\{([^}.!]+)(\.Arn)?\}$", value.template)
            ref = ResourceRef(match.group(1)) if match and not match.group(2) else None
            found = self.target(ref, "AWS::IAM::Role")
        elif isinstance(value, str):
            match = re.search(r":role/(?:.*/)?([\w+=,.@-]+)$", value)
            for name, _ in self.of_type("AWS::IAM::Role") if match else []:
                if get_key(self.props(name), "RoleName") == match.group(1):  # type: ignore[union-attr]
                    found = self.created[name][0]
        return found if isinstance(found, Role) else None

    def task_definitions(self) -> None:
        for name, _ in self.of_type("AWS::ECS::TaskDefinition"):
            self.model.task_definitions.append(self.task_definition(name))

    def task_definition(self, name: str) -> TaskDefinition:
        p = self.props(name)
        runtime = get_key(p, "RuntimePlatform")
        compat = as_list(get_key(p, "RequiresCompatibilities"))
        role_value = get_key(p, "TaskRoleArn")
        role = self.role_of_arn(role_value)
        td = TaskDefinition(
            loc=self.loc(name),
            family=as_str(get_key(p, "Family")),
            requires_compatibilities=list(compat)
            if isinstance(compat, list)
            else (compat if compat is not None else []),
            network_mode=as_str(get_key(p, "NetworkMode")),
            os_family=as_str(get_key(runtime, "OperatingSystemFamily")),
            task_role=as_str(role_value) if role is None else Unknown(f"the ARN of role {role.label}"),
            task_role_entity=role if isinstance(role, Role) else None,
            execution_role=as_str(get_key(p, "ExecutionRoleArn")),
        )
        for key, attr in (
            ("Family", "family"),
            ("TaskRoleArn", "task_role"),
            ("NetworkMode", "network_mode"),
        ):
            if key in p:
                td.field_locs[attr] = self.loc(name, p, key)
        if isinstance(runtime, dict) and "OperatingSystemFamily" in runtime:
            td.field_locs["os_family"] = self.loc(name, runtime, "OperatingSystemFamily")
        self.register(name, td)

        volumes = as_list(get_key(p, "Volumes"))
        td.volumes_known = isinstance(volumes, list) or volumes is None
        for index, vol in enumerate(items_of(volumes)):
            if isinstance(vol, dict):
                self.volume(name, td, volumes, index, vol)
            else:
                td.volumes_known = False
        containers = as_list(get_key(p, "ContainerDefinitions"))
        td.containers_known = isinstance(containers, list) or containers is None
        for index, cdef in enumerate(items_of(containers)):
            if isinstance(cdef, dict):
                td.containers.append(self.container(name, containers, index, cdef))
            else:
                td.containers_known = False
        return td

    def _keyed(self, name: str, block: Any, known: tuple[str, ...], where: str) -> dict[str, str]:
        """Map each expected key to the key used; report mis-cased and unknown keys (EFS109)."""
        used: dict[str, str] = {}
        lower = {k.lower(): k for k in known}
        for key in block:
            if key in known:
                used[key] = key
            elif key.lower() in lower:
                right = lower[key.lower()]
                used.setdefault(right, key)
                self.note(
                    "EFS109",
                    f"{where}: '{key}' is not a property; CloudFormation spells it '{right}' "
                    "and rejects the template",
                    self.loc(name, block, key),
                )
            else:
                self.note(
                    "EFS109",
                    f"{where}: '{key}' is not a property of this block (expected {', '.join(known)})",
                    self.loc(name, block, key),
                )
        return used

    def volume(self, name: str, td: TaskDefinition, volumes: Any, index: int, vol: Any) -> None:
        vname = vol.get("Name")
        logical = f"{name}/Volumes/{vname}"
        others = [api for key, api in _OTHER_VOLUME_TYPES.items() if vol.get(key) not in (None, False, {})]
        efs = vol.get("EFSVolumeConfiguration")
        wrong = next(
            (k for k in vol if k.lower() == "efsvolumeconfiguration" and k != "EFSVolumeConfiguration"), None
        )
        if wrong is not None:
            self.note(
                "EFS109",
                f"EFS volume '{vname}': '{wrong}' is not a volume property; CloudFormation "
                "spells it 'EFSVolumeConfiguration' and rejects the template, so the volume is not an "
                "EFS volume as written",
                self.loc(name, vol, wrong),
            )
        if not isinstance(efs, dict):
            other = Volume(
                loc=self.loc(name, volumes, index).named(logical), name=as_str(vname), configurations=others
            )
            td.other_volumes.append(self.register(name, other))  # type: ignore[arg-type]
            if isinstance(efs, Unknown):
                td.volumes_known = False
            return
        where = f"EFS volume '{vname}'"
        keys = self._keyed(name, efs, _EFS_KEYS, where)
        auth = efs.get(keys.get("AuthorizationConfig", "AuthorizationConfig"))
        auth_keys = self._keyed(name, auth, _AUTH_KEYS, where) if isinstance(auth, dict) else {}
        fs_value = efs.get(keys.get("FilesystemId", "FilesystemId"))
        ap_value = get_key(auth, auth_keys.get("AccessPointId", "AccessPointId"))
        for value, key, attr, rtype in (
            (fs_value, "FilesystemId", "FileSystemId", "AWS::EFS::FileSystem"),
            (ap_value, "AccessPointId", "AccessPointId", "AWS::EFS::AccessPoint"),
        ):
            if (
                isinstance(value, ResourceRef)
                and value.attribute not in (None, attr)
                and get_key(self.resources.get(value.logical_id), "Type") == rtype
            ):
                self.note(
                    "EFS109",
                    f"{where}: {key} is {value.logical_id}.{value.attribute}, not an id; "
                    f"use !Ref {value.logical_id}",
                    self.loc(
                        name,
                        efs if key == "FilesystemId" else auth,
                        keys.get(key, key) if key == "FilesystemId" else auth_keys.get(key, key),
                    ),
                )
        self.efs_volume(name, td, vol, "EFSVolumeConfiguration", efs, auth, keys, auth_keys)

    def efs_volume(
        self,
        name: str,
        td: TaskDefinition,
        vol: Any,
        config_key: str,
        efs: dict[str, Any],
        auth: Any,
        keys: dict[str, str],
        auth_keys: dict[str, str],
    ) -> EfsVolume:
        """The EFS volume of ``vol`` (ECS and Batch alike) from its configuration block ``efs``.

        ``keys``/``auth_keys`` map the ECS task definition's spelling of a property to the one this
        input uses (Batch writes ``FileSystemId`` and ``Iam``; a mis-cased key is still read).
        """
        vname = vol.get("Name")
        logical = f"{name}/Volumes/{vname}"
        others = [api for key, api in _OTHER_VOLUME_TYPES.items() if vol.get(key) not in (None, False, {})]
        # A block we cannot read (e.g. chosen by Fn::If) hides its fields: they are not absent.
        hidden = auth if isinstance(auth, Unknown) else None

        def field(block: Any, used: dict[str, str], key: str) -> Any:
            return block.get(used.get(key, key)) if isinstance(block, dict) else None

        fs_value = field(efs, keys, "FilesystemId")
        ap_value = field(auth, auth_keys, "AccessPointId")
        fs = self.file_system(fs_value) if fs_value is not None else None
        ap = self.target(ap_value, "AWS::EFS::AccessPoint")
        root = field(efs, keys, "RootDirectory")
        transit = field(efs, keys, "TransitEncryption")
        port = field(efs, keys, "TransitEncryptionPort")
        iam = field(auth, auth_keys, "IAM")
        volume = EfsVolume(
            loc=self.loc(name, vol, config_key).named(logical),
            name=as_str(vname),
            file_system_id=(fs.id or Unknown(CREATED))
            if isinstance(fs, FileSystem)
            else Unknown(CREATED)
            if isinstance(fs_value, ResourceRef)
            else as_str(fs_value),
            file_system=fs if isinstance(fs, FileSystem) else None,
            root_directory=as_str(root) if root is not None else "/",
            root_directory_set=root is not None,
            transit_encryption=as_str(transit) if transit is not None else "DISABLED",
            # A float or boolean stays as written, for the schema rules to report.
            transit_encryption_port=as_int(port) if not isinstance(port, (float, bool)) else port,
            access_point_id=hidden
            if ap_value is None
            else Unknown(CREATED)
            if ap is not None
            else as_str(ap_value),
            access_point=ap if isinstance(ap, AccessPoint) else None,
            iam=as_str(iam) if iam is not None else hidden if hidden is not None else "DISABLED",
            other_configurations=others,
            task_definition=td,
        )
        volume.field_locs["name"] = self.loc(name, vol, "Name").named(logical)
        for block, used, key, attr in (
            (efs, keys, "FilesystemId", "file_system_id"),
            (efs, keys, "RootDirectory", "root_directory"),
            (efs, keys, "TransitEncryption", "transit_encryption"),
            (efs, keys, "TransitEncryptionPort", "transit_encryption_port"),
            (auth, auth_keys, "AccessPointId", "access_point_id"),
            (auth, auth_keys, "IAM", "iam"),
        ):
            if isinstance(block, dict) and used.get(key, key) in block:
                volume.field_locs[attr] = self.loc(name, block, used.get(key, key)).named(logical)
        td.efs_volumes.append(self.register(name, volume))  # type: ignore[arg-type]
        return volume

    def container(self, name: str, containers: Any, index: int, cdef: Any) -> Container:
        cname = cdef.get("Name")
        label = cname if isinstance(cname, str) else f"container[{index}]"
        logical = f"{name}/ContainerDefinitions/{label}"
        container = Container(
            loc=self.loc(name, containers, index).named(logical), name=label, user=as_str(cdef.get("User"))
        )
        self.register(name, container)
        points = as_list(cdef.get("MountPoints"))
        if isinstance(points, Unknown):
            # A mount point we cannot read might mount any volume.
            container.mount_points.append(
                MountPoint(loc=container.loc, container=label, source_volume=points)
            )
        for i, mp in enumerate(items_of(points)):
            if not isinstance(mp, dict):
                container.mount_points.append(
                    MountPoint(loc=container.loc, container=label, source_volume=Unknown("mount point"))
                )
                continue
            source = mp.get("SourceVolume")
            point = MountPoint(
                loc=self.loc(name, points, i).named(f"{logical}/MountPoints/{source}"),
                container=label,
                source_volume=as_str(source),
                container_path=as_str(mp.get("ContainerPath")),
                read_only=_bool(mp.get("ReadOnly"), False),
            )
            if "SourceVolume" in mp:
                point.field_locs["source_volume"] = self.loc(name, mp, "SourceVolume").named(
                    point.loc.logical_name
                )
            container.mount_points.append(self.register(name, point))  # type: ignore[arg-type]
        return container

    # workloads ------------------------------------------------------------------------------

    def cluster_defaults(self) -> dict[str, Any]:
        """Cluster logical id → provider names of its default strategy (None when it has none)."""
        defaults: dict[str, Any] = {}
        for name, _ in self.of_type("AWS::ECS::Cluster"):
            defaults[name] = self.strategy(get_key(self.props(name), "DefaultCapacityProviderStrategy"))
        for name, _ in self.of_type("AWS::ECS::ClusterCapacityProviderAssociations"):
            p = self.props(name)
            cluster = get_key(p, "Cluster")
            strategy = self.strategy(get_key(p, "DefaultCapacityProviderStrategy"))
            if isinstance(cluster, ResourceRef) and cluster.logical_id in defaults:
                defaults[cluster.logical_id] = strategy
            else:
                for key in defaults:
                    defaults[key] = Unknown(
                        "a capacity provider association names a cluster we cannot resolve"
                    )
        return defaults

    @staticmethod
    def strategy(value: Any) -> Any:
        items = as_list(value)
        if items is None or isinstance(items, Unknown):
            return items
        names = [as_str(get_key(item, "CapacityProvider")) for item in items]
        if any(not isinstance(n, str) for n in names):
            return Unknown("capacity provider known only at deployment")
        return names or None

    def workloads(self) -> None:
        defaults = self.cluster_defaults()
        for name, res in self.of_type("AWS::ECS::Service", "AWS::ECS::TaskSet"):
            p = self.props(name)
            kind = "service" if res["Type"] == "AWS::ECS::Service" else "task_set"
            workload = self.workload(
                name,
                res["Type"],
                kind,
                p,
                self.loc(name),
                defaults,
                task_definition=get_key(p, "TaskDefinition"),
                cluster=get_key(p, "Cluster"),
            )
            workload.name = as_str(get_key(p, "ServiceName"))
        for name, _ in self.of_type("AWS::Events::Rule"):
            p = self.props(name)
            targets = as_list(get_key(p, "Targets"))
            for index, target in enumerate(targets if isinstance(targets, list) else []):
                ecs = get_key(target, "EcsParameters")
                if isinstance(ecs, dict):
                    loc = self.loc(name, targets, index).named(f"{name}/Targets/{get_key(target, 'Id')}")
                    self.workload(
                        name,
                        "AWS::Events::Rule",
                        "events_rule",
                        ecs,
                        loc,
                        defaults,
                        task_definition=ecs.get("TaskDefinitionArn"),
                        cluster=get_key(target, "Arn"),
                    )
        for name, _ in self.of_type("AWS::Scheduler::Schedule"):
            p = self.props(name)
            target = get_key(p, "Target")
            ecs = get_key(target, "EcsParameters")
            if isinstance(ecs, dict):
                self.workload(
                    name,
                    "AWS::Scheduler::Schedule",
                    "schedule",
                    ecs,
                    self.loc(name, p, "Target"),
                    defaults,
                    task_definition=ecs.get("TaskDefinitionArn"),
                    cluster=get_key(target, "Arn"),
                )

    def workload(
        self,
        name: str,
        rtype: str,
        kind: str,
        p: Any,
        loc: Location,
        defaults: dict[str, Any],
        *,
        task_definition: Any,
        cluster: Any,
    ) -> Workload:
        td = self.target(task_definition, "AWS::ECS::TaskDefinition")
        launch = as_str(get_key(p, "LaunchType"))
        providers = self.strategy(get_key(p, "CapacityProviderStrategy"))
        if launch is None and providers is None:
            if isinstance(cluster, ResourceRef) and cluster.logical_id in defaults:
                providers = defaults[cluster.logical_id]
            else:
                providers = Unknown(
                    "the cluster's default capacity provider strategy is not in this template"
                )
        network = get_key(get_key(p, "NetworkConfiguration"), _AWSVPC_KEY[rtype])
        if network is None and isinstance(get_key(p, "NetworkConfiguration"), dict):
            # Wrong spelling for this resource type: CloudFormation rejects it; claim nothing.
            network = Unknown("awsvpc configuration under a key this resource type does not have")
        subnets = as_list(get_key(network, "Subnets")) if isinstance(network, dict) else network
        groups = as_list(get_key(network, "SecurityGroups")) if isinstance(network, dict) else network
        workload = Workload(
            loc=loc,
            workload_type=kind,
            task_definition=td if isinstance(td, TaskDefinition) else None,
            task_definition_ref=None if td is not None else as_str(task_definition),
            launch_type=launch,
            capacity_providers=providers,
            platform_version=as_str(get_key(p, "PlatformVersion")),
            platform_family=as_str(get_key(p, "PlatformFamily")),
            subnets=[self.subnet(s) for s in subnets] if isinstance(subnets, list) else subnets,
            security_groups=[self.security_group(g) for g in groups] if isinstance(groups, list) else groups,
            cluster=cluster.logical_id if isinstance(cluster, ResourceRef) else as_str(cluster),
        )
        for key, attr in (
            ("LaunchType", "launch_type"),
            ("PlatformVersion", "platform_version"),
            ("CapacityProviderStrategy", "capacity_providers"),
        ):
            if key in p:
                workload.field_locs[attr] = self.loc(name, p, key).named(loc.logical_name)
        if isinstance(network, dict):
            for key, attr in (("Subnets", "subnets"), ("SecurityGroups", "security_groups")):
                if key in network:
                    workload.field_locs[attr] = self.loc(name, network, key).named(loc.logical_name)
        self.register(name, workload)
        self.model.workloads.append(workload)
        return workload

    # dependencies ---------------------------------------------------------------------------

    def dependencies(self) -> None:
        """``Workload.waits_for``: everything created before it (DependsOn and references, transitively)."""
        direct: dict[str, set[str]] = {}
        for name, res in self.resources.items():
            if not isinstance(res, dict):
                continue
            found = references(res.get("Properties"), self.resources)
            depends = res.get("DependsOn")
            for item in (
                [depends] if isinstance(depends, str) else depends if isinstance(depends, list) else []
            ):
                if isinstance(item, str) and item in self.resources:
                    found.add(item)
            direct[name] = found
        for workload in self.model.workloads:
            start = workload.loc.logical_name.split("/", 1)[0]
            seen: set[str] = set()
            stack = list(direct.get(start, ()))
            while stack:
                item = stack.pop()
                if item in seen:
                    continue
                seen.add(item)
                stack.extend(direct.get(item, ()))
            workload.waits_for = {e for item in seen for e in self.created.get(item, [])}
