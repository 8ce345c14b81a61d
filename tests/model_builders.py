"""Builders for model-level tests: entities with distinct locations, linked the way front-ends link them.

``stack()`` returns a correct two-AZ Fargate setup (every 2xx/3xx rule quiet); tests break one thing
and assert the finding.  ``model_of(*entities)`` collects every entity reachable from its arguments
into a :class:`Model`, so a test never has to list subnets, groups and mount targets by hand.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine, RunOptions
from efslint.findings import Finding
from efslint.model import (
    AccessPoint,
    Container,
    EfsVolume,
    Entity,
    FileSystem,
    Location,
    Model,
    MountPoint,
    MountTarget,
    PolicyStatement,
    PosixUser,
    Role,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    TaskDefinition,
    Vpc,
    Workload,
)
from efslint.policy import parse_policy
from efslint.record import fields_of

FILE = "stack.yaml"
_LINES = itertools.count(1)


def loc(name: str) -> Location:
    """A location with a fresh line number, so every entity's finding position is distinct."""
    return Location(FILE, next(_LINES), 1, name)


def vpc(name: str = "Vpc", **kw: Any) -> Vpc:
    kw.setdefault("dns_support", True)
    kw.setdefault("dns_hostnames", True)
    kw.setdefault("cidr", "10.0.0.0/16")
    return Vpc(loc(name), **kw)


def subnet(name: str, az: Any, cidr: Any = None, vpc: Any = None, **kw: Any) -> Subnet:
    return Subnet(loc(name), availability_zone=az, cidr=cidr, vpc=vpc, **kw)


def rule(direction: str = "ingress", protocol: Any = "tcp", ports: tuple[Any, Any] | None = (2049, 2049),
         cidr: Any = None, peer: Any = None, name: str = "Rule", **kw: Any) -> SecurityGroupRule:  # fmt: skip
    low, high = ports if ports is not None else (None, None)
    return SecurityGroupRule(loc(name), direction=direction, protocol=protocol, from_port=low, to_port=high,
                             cidr_ipv4=cidr, peer_group=peer, **kw)  # fmt: skip


def allow_all_egress() -> SecurityGroupRule:
    """What CloudFormation materialises for a group without egress rules."""
    return rule("egress", "-1", None, cidr="0.0.0.0/0", name="DefaultEgress")


def group(name: str, ingress: list[SecurityGroupRule] | None = None,
          egress: list[SecurityGroupRule] | None = None, **kw: Any) -> SecurityGroup:  # fmt: skip
    return SecurityGroup(loc(name), ingress=list(ingress or []), egress=list(egress or []), **kw)


def file_system(name: str = "FileSystem", **kw: Any) -> FileSystem:
    return FileSystem(loc(name), **kw)


def mount_target(fs: FileSystem, where: Any, groups: Any, name: str | None = None, **kw: Any) -> MountTarget:
    label = name or f"MountTarget{len(fs.mount_targets) + 1}"
    mt = MountTarget(loc(label), file_system=fs, subnet=where, security_groups=groups, **kw)
    fs.mount_targets.append(mt)
    return mt


def task_definition(fs: FileSystem | None, name: str = "TaskDefinition", network_mode: Any = "awsvpc",
                    **kw: Any) -> TaskDefinition:  # fmt: skip
    td = TaskDefinition(loc(name), family=name.lower(), network_mode=network_mode, **kw)
    volume = EfsVolume(loc(f"{name}/volumes/data"), name="data", file_system=fs, transit_encryption="ENABLED",
                       task_definition=td)  # fmt: skip
    td.efs_volumes.append(volume)
    return td


def workload(
    td: TaskDefinition | None, subnets: Any, groups: Any, name: str = "Service", **kw: Any
) -> Workload:
    kw.setdefault("launch_type", "FARGATE")
    where = loc(name)
    field_locs = {f: Location(where.file, next(_LINES), 5, name) for f in
                  ("subnets", "security_groups", "platform_version", "launch_type")}  # fmt: skip
    return Workload(where, name=name, task_definition=td, subnets=subnets, security_groups=groups,
                    field_locs=field_locs, **kw)  # fmt: skip


_COLLECTION = {
    TaskDefinition: "task_definitions",
    Workload: "workloads",
    FileSystem: "file_systems",
    MountTarget: "mount_targets",
    SecurityGroup: "security_groups",
    Subnet: "subnets",
    Vpc: "vpcs",
}


def model_of(*roots: Any) -> Model:
    """Every entity reachable from ``roots`` through links, in its model collection (each once)."""
    model = Model(FILE)
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple, set)):
            stack.extend(item)
            continue
        if not isinstance(item, Entity) or id(item) in seen:
            continue
        seen.add(id(item))
        collection = _COLLECTION.get(type(item))
        if collection:
            getattr(model, collection).append(item)
        for name in fields_of(item):
            if name not in ("loc", "field_locs", "suppressions"):
                stack.append(getattr(item, name))
    # Keep a stable order (entity creation order) whatever the walk order was.
    for collection in _COLLECTION.values():
        getattr(model, collection).sort(key=lambda e: e.loc.line)
    return model


def run(model: Model, *rule_ids: str) -> list[Finding]:
    engine = Engine(Catalog.load(), RunOptions(select=list(rule_ids)))
    return [f for f in engine.run(model) if f.rule_id in rule_ids]


@dataclass
class Stack:
    """A correct Fargate service with an EFS file system mounted in two AZs."""

    vpc: Vpc
    subnet_a: Subnet
    subnet_b: Subnet
    task_sg: SecurityGroup
    efs_sg: SecurityGroup
    fs: FileSystem
    mt_a: MountTarget
    mt_b: MountTarget
    td: TaskDefinition
    service: Workload

    def model(self, *extra: Any) -> Model:
        return model_of(self.service, self.fs, *extra)


def stack(az_a: Any = "us-east-1a", az_b: Any = "us-east-1b") -> Stack:
    network = vpc()
    subnet_a = subnet("PrivateSubnetA", az_a, "10.0.1.0/24", network)
    subnet_b = subnet("PrivateSubnetB", az_b, "10.0.2.0/24", network)
    task_sg = group("ServiceSecurityGroup", egress=[allow_all_egress()], vpc=network)
    efs_sg = group("EfsSecurityGroup", ingress=[rule(peer=task_sg, name="NfsFromService")],
                   egress=[allow_all_egress()], vpc=network)  # fmt: skip
    fs = file_system()
    mt_a = mount_target(fs, subnet_a, [efs_sg], "MountTargetA")
    mt_b = mount_target(fs, subnet_b, [efs_sg], "MountTargetB")
    td = mounted(task_definition(fs))
    service = workload(td, [subnet_a, subnet_b], [task_sg], waits_for={td, mt_a, mt_b})
    return Stack(network, subnet_a, subnet_b, task_sg, efs_sg, fs, mt_a, mt_b, td, service)


# ---------------------------------------------------------------------------------------------
# Identity and access points (4xx/5xx tests)


def role(name: str = "TaskRole", statements: list[dict[str, Any]] | None = None, **kw: Any) -> Role:
    """A task role whose inline policy holds ``statements`` (IAM JSON, parsed by efslint.policy)."""
    where = loc(name)
    parsed = parse_policy({"Statement": statements or []}, where)
    assert isinstance(parsed, list), parsed
    return Role(where, statements=parsed, **kw)


def fs_policy(*statements: dict[str, Any]) -> list[PolicyStatement]:
    parsed = parse_policy({"Statement": list(statements)}, loc("FileSystemPolicy"))
    assert isinstance(parsed, list), parsed
    return parsed


def access_point(fs: FileSystem | None, name: str = "AccessPoint", **kw: Any) -> AccessPoint:
    kw.setdefault("posix_user", PosixUser(1000, 1000))
    kw.setdefault("root_path", "/app")
    kw.setdefault("creation_info", True)
    ap = AccessPoint(loc(name), file_system=fs, **kw)
    if fs is not None:
        fs.access_points.append(ap)
    return ap


def mounted(td: TaskDefinition, read_only: Any = False, container: str = "app") -> TaskDefinition:
    """Give ``td`` a container that mounts its first EFS volume."""
    point = MountPoint(loc(f"{container}/mountPoints/data"), container=container, source_volume="data",
                       container_path="/data", read_only=read_only)  # fmt: skip
    td.containers.append(Container(loc(container), name=container, mount_points=[point]))
    return td


def identity_model(*roots: Any) -> Model:
    """``model_of`` plus the access points and task roles reachable from the roots."""
    model = model_of(*roots)
    points = [ap for fs in model.file_systems for ap in fs.access_points]
    points += [v.access_point for v in model.efs_volumes] + [r for r in roots if isinstance(r, AccessPoint)]
    for ap in points:
        if ap is not None and ap not in model.access_points:
            model.access_points.append(ap)
    roles = [td.task_role_entity for td in model.task_definitions] + [r for r in roots if isinstance(r, Role)]
    for entity in roles:
        if entity is not None and entity not in model.roles:
            model.roles.append(entity)
    return model
