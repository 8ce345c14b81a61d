"""Security-group evaluation of the NFS path, task to mount target on TCP 2049 (EFS304-EFS306).

Every answer is three-valued (True / False / Unknown).  A finding claims that *no* rule allows the
traffic, so anything that might allow it — a rule with an unknown field, a prefix list, an IPv6 source,
an external group whose rules we cannot see, a group not given (the VPC default group) — makes the
answer Unknown and the check quiet.  Conditional rules count as present.

The port is always 2049: ``transitEncryptionPort`` is the local port of the TLS tunnel, not the
port the mount target listens on.

The NFS client is the task's ENI in ``awsvpc`` mode; in ``bridge``/``host`` mode (EC2 only) the
mount leaves from the container instance's own network interface, so the client is each set of
instances the tasks may be placed on (``Workload.instance_capacity``), with their subnets and
security groups.  A finding about one such set is a real failure: tasks placed there cannot mount.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from functools import lru_cache

from ..findings import Related
from ..model import (
    FileSystem,
    InstanceCapacity,
    Location,
    Maybe,
    Model,
    MountTarget,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Unknown,
    Vpc,
    Workload,
)
from ..record import Record, field
from . import Violation, check
from .usage import (
    all3,
    any3,
    describe,
    file_systems,
    same_vpc,
    serving_mount_targets,
    subnet_text,
)

NFS_PORT = 2049
_ALL_PROTOCOLS = {"-1", "all"}
_TCP = {"tcp", "6"}


# --------------------------------------------------------------------------------------------
# One rule


def allows_nfs_protocol(rule: SecurityGroupRule) -> Maybe[bool]:
    """Whether the rule's protocol and port range include TCP 2049."""
    protocol = rule.protocol
    if isinstance(protocol, Unknown):
        return protocol
    protocol = str(protocol).strip().lower()
    if protocol in _ALL_PROTOCOLS:
        return True
    if protocol not in _TCP:
        return False
    low, high = rule.from_port, rule.to_port
    if isinstance(low, Unknown) or isinstance(high, Unknown):
        return Unknown("port range not known")
    if low is None and high is None:
        return Unknown("no port range given")
    low = high if low is None else low
    high = low if high is None else high
    # -1 stands for "all ports" where a tool accepts it for TCP; reading it so can only silence.
    low = 0 if low == -1 else low
    high = 65535 if high == -1 else high
    return low <= NFS_PORT <= high  # type: ignore[operator]


def _network(text: object) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    return _parse_network(text) if isinstance(text, str) else None


@lru_cache(maxsize=1024)
def _parse_network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """A CIDR block, parsed once per run: rules compare the same few blocks for every path."""
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def cidr_covers(rule_cidr: object, target_cidr: object) -> Maybe[bool]:
    """Whether the rule's CIDR holds every address of ``target_cidr`` (an IPv4 subnet or client)."""
    rule_net = _network(rule_cidr)
    if rule_net is None:
        return Unknown("rule CIDR not known")
    if rule_net.version == 4 and rule_net.prefixlen == 0:
        return True
    target = _network(target_cidr)
    if target is None:
        return Unknown("subnet CIDR not known")
    if rule_net.version != target.version:
        return False
    if target.subnet_of(rule_net):  # type: ignore[arg-type]
        return True
    # Part of the subnet is allowed: some tasks would get through, so we cannot call it blocked.
    return Unknown("CIDR covers part of the subnet") if rule_net.overlaps(target) else False  # type: ignore[arg-type]


class Peer(Record):
    """The other end of the traffic: its security groups and its CIDR (each possibly unknown)."""

    groups: list[SecurityGroup] = field(default_factory=list)
    # False when some of the peer's groups are not known (unknown items, the VPC default group).
    groups_complete: bool = True
    cidr: Maybe[str] | None = None


def _same_group(a: SecurityGroup, b: SecurityGroup) -> bool:
    return a is b or (isinstance(a.id, str) and bool(a.id) and a.id == b.id)


def matches_peer(rule: SecurityGroupRule, peer: Peer) -> Maybe[bool]:
    """Whether the rule's source (ingress) or destination (egress) includes the peer."""
    verdicts: list[Maybe[bool]] = []
    group = rule.peer_group
    if isinstance(group, Unknown):
        verdicts.append(group)
    elif isinstance(group, SecurityGroup):
        if any(_same_group(group, g) for g in peer.groups):
            verdicts.append(True)
        else:
            verdicts.append(False if peer.groups_complete else Unknown("peer groups not all known"))
    if rule.cidr_ipv4 is not None:
        verdicts.append(cidr_covers(rule.cidr_ipv4, peer.cidr))
    if rule.cidr_ipv6 is not None:
        # Whether the NFS traffic goes over IPv6 depends on the mount target's address type.
        verdicts.append(Unknown("IPv6 source"))
    if rule.prefix_list is not None:
        verdicts.append(Unknown("prefix list contents not known"))
    if not verdicts:
        return Unknown("rule without a source or destination")
    return any3(verdicts)


def groups_allow(groups: object, direction: str, peer: Peer) -> Maybe[bool]:
    """Whether any of ``groups`` has a ``direction`` rule allowing TCP 2049 with ``peer``."""
    if not isinstance(groups, list):
        return Unknown("security groups not known (none given means the VPC default group)")
    verdicts: list[Maybe[bool]] = []
    for group in groups:
        if not isinstance(group, SecurityGroup) or not group.rules_known:
            return Unknown("a security group's rules are not known")
        for rule in group.ingress if direction == "ingress" else group.egress:
            verdicts.append(all3([allows_nfs_protocol(rule), matches_peer(rule, peer)]))
    return any3(verdicts)


# --------------------------------------------------------------------------------------------
# Workload to mount target


class Client(Record):
    """Where the NFS traffic of a workload's tasks leaves from: the task ENI (``awsvpc``) or the
    network interface of a set of container instances (``bridge``/``host``)."""

    subnets: object = None
    security_groups: object = None
    # Where a finding about the client's security groups points when it has several (or none).
    at: Location | None = None
    # For messages: None for the task ENI, else the container instances' text.
    instances: str | None = None


# Linux network modes in which tasks share the container instance's network stack.  An omitted
# network mode is `bridge` on Linux (docs/network.md).
_INSTANCE_MODES = frozenset({"bridge", "host", None})


def clients(workload: Workload) -> list[Client]:
    td = workload.task_definition
    if td is None:
        return []
    if td.network_mode == "awsvpc" or workload.workload_type == "batch_compute_environment":
        # A Batch compute environment's subnets and groups are the client in every mode: they are
        # given to the Fargate tasks, or to the EC2 instances whose agent mounts the volume.
        return [Client(workload.subnets, workload.security_groups, workload.at("security_groups"))]
    if td.network_mode not in _INSTANCE_MODES:
        return []
    return [_instance_client(workload, capacity, td.network_mode) for capacity in workload.instance_capacity]


def _instance_client(workload: Workload, capacity: InstanceCapacity, mode: object) -> Client:
    text = f"container instances of '{capacity.label}' ({mode or 'bridge'} network mode)"
    return Client(capacity.subnets, capacity.security_groups, capacity.loc, text)


def _subnet_items(client: Client) -> list[Subnet | Unknown]:
    subnets = client.subnets
    if not isinstance(subnets, list) or not subnets:
        return [Unknown("the client's subnets are not known")]
    return list(subnets)


def _other_vpc(client: Client, fs: FileSystem) -> bool:
    """A client subnet provably in another VPC than every mount target (EFS310's case)."""
    mts = [mt for mt in fs.mount_targets if isinstance(mt.subnet, Subnet) and isinstance(mt.subnet.vpc, Vpc)]
    return bool(mts) and any(
        all(same_vpc(subnet.vpc, mt.subnet.vpc) is False for mt in mts)  # type: ignore[union-attr]
        for subnet in _subnet_items(client)
        if isinstance(subnet, Subnet)
    )


def client_peer(client: Client, subnet: Subnet | Unknown) -> Peer:
    groups = client.security_groups
    known = [g for g in groups if isinstance(g, SecurityGroup)] if isinstance(groups, list) else []
    complete = isinstance(groups, list) and bool(groups) and len(known) == len(groups)
    cidr = subnet.cidr if isinstance(subnet, Subnet) else Unknown("subnet not known")
    return Peer(known, complete, cidr)


def mount_target_peer(mt: MountTarget) -> Peer:
    groups = mt.security_groups
    known = [g for g in groups if isinstance(g, SecurityGroup)] if isinstance(groups, list) else []
    complete = isinstance(groups, list) and bool(groups) and len(known) == len(groups)
    subnet = mt.subnet
    cidr = subnet.cidr if isinstance(subnet, Subnet) else Unknown("subnet not known")
    return Peer(known, complete, cidr)


class Blocked(Record):
    """Tasks of ``workload`` in ``subnets`` cannot reach ``mount_targets`` of ``fs`` on TCP 2049."""

    workload: Workload
    fs: FileSystem
    client: Client
    mount_targets: list[MountTarget] = field(default_factory=list)
    subnets: list[Subnet | Unknown] = field(default_factory=list)

    def add(self, mts: list[MountTarget], subnet: Subnet | Unknown) -> None:
        for mt in mts:
            if not any(mt is m for m in self.mount_targets):
                self.mount_targets.append(mt)
        self.subnets.append(subnet)


def blocked_paths(workload: Workload, direction: str) -> list[Blocked]:
    """Per client and file system, the subnets whose tasks provably cannot reach their mount target.

    ``ingress``: no group of the mount target admits the client; ``egress``: no group of the client
    lets the traffic out to the mount target.
    """
    found = []
    for client in clients(workload):
        for fs in file_systems(workload):
            if _other_vpc(client, fs):
                continue  # EFS310: nothing in another VPC reaches these mount targets anyway
            blocked = Blocked(workload, fs, client)
            for subnet in _subnet_items(client):
                mts = serving_mount_targets(fs, subnet)
                if not mts:
                    continue
                if direction == "ingress":
                    peer = client_peer(client, subnet)
                    verdicts = [groups_allow(mt.security_groups, "ingress", peer) for mt in mts]
                else:
                    verdicts = [
                        groups_allow(client.security_groups, "egress", mount_target_peer(mt)) for mt in mts
                    ]
                if all(v is False for v in verdicts):
                    blocked.add(mts, subnet)
            if blocked.subnets:
                found.append(blocked)
    return found


def _subnets_text(subnets: list[Subnet | Unknown]) -> str:
    names = [subnet_text(s) for s in subnets if isinstance(s, Subnet)]
    return ", ".join(names) if names else "any of its subnets"


def _mt_text(mts: list[MountTarget]) -> str:
    return ", ".join(f"'{mt.label}'" for mt in mts)


def _groups_text(groups: object) -> str:
    if not isinstance(groups, list):
        return "the VPC default group"
    return ", ".join(f"'{g.label}'" if isinstance(g, SecurityGroup) else "unknown" for g in groups)


def _client_text(blocked: Blocked) -> str:
    groups = _groups_text(blocked.client.security_groups)
    where = _subnets_text(blocked.subnets)
    if blocked.client.instances is not None:
        instances = blocked.client.instances
        return f"{describe(blocked.workload)} ({instances}: security groups {groups}; in {where})"
    return f"{describe(blocked.workload)} (security groups {groups}; tasks in {where})"


@check("mount_target_sg_blocks_nfs")
def mount_target_sg_blocks_nfs(group: SecurityGroup, model: Model) -> Iterator[Violation]:
    # One finding per group and file system, naming every workload it blocks: one rule fixes them all.
    # Only workloads using a file system this group guards can be blocked by it; an index built once
    # per run finds them, which keeps the rule linear in the model (not groups x workloads).
    guarded_by_group, users, order = _guard_index(model)
    guarded = guarded_by_group.get(id(group))
    if not guarded:
        return
    found = {id(w): w for fs in guarded for w in users.get(fs, ())}
    candidates = sorted(found.values(), key=lambda w: order[id(w)])
    by_fs: dict[int, list[tuple[Blocked, list[MountTarget]]]] = {}
    for workload in candidates:
        for blocked in blocked_paths(workload, "ingress"):
            # Reported on the first group of each blocking mount target, so each group once.
            mts = [mt for mt in blocked.mount_targets if _first_group(mt) is group]
            if mts:
                by_fs.setdefault(id(blocked.fs), []).append((blocked, mts))
    for entries in by_fs.values():
        fs = entries[0][0].fs
        mts: list[MountTarget] = []
        for _, some in entries:
            mts += [mt for mt in some if not any(mt is m for m in mts)]
        yield Violation(
            {
                "clients": "; ".join(_client_text(blocked) for blocked, _ in entries),
                "mount_targets": _mt_text(mts),
                "file_system": fs.label,
            },
            related=[Related(mt.loc, f"mount target '{mt.label}'") for mt in mts]
            + [Related(b.client.at or b.workload.loc, describe(b.workload)) for b, _ in entries],
            anchor=fs.label,
        )


_GuardIndex = tuple[dict[int, set[int]], dict[int, list[Workload]], dict[int, int]]


def _guard_index(model: Model) -> _GuardIndex:
    """Per run: the file systems each group guards (as first group of a mount target), the
    workloads using each file system, and each workload's place in the model."""
    index = model.derived.get("reachability.guard_index")
    if index is None:
        guarded: dict[int, set[int]] = {}
        for mt in model.mount_targets:
            first = _first_group(mt)
            if first is not None:
                guarded.setdefault(id(first), set()).add(id(mt.file_system))
        users: dict[int, list[Workload]] = {}
        for workload in model.workloads:
            for fs in file_systems(workload):
                users.setdefault(id(fs), []).append(workload)
        order = {id(w): i for i, w in enumerate(model.workloads)}
        index = model.derived["reachability.guard_index"] = (guarded, users, order)
    return index


def _first_group(mt: MountTarget) -> SecurityGroup | None:
    groups = mt.security_groups
    first = groups[0] if isinstance(groups, list) and groups else None
    return first if isinstance(first, SecurityGroup) else None


@check("task_sg_egress_blocks_nfs")
def task_sg_egress_blocks_nfs(workload: Workload, model: Model) -> Iterator[Violation]:
    for blocked in blocked_paths(workload, "egress"):
        groups = blocked.client.security_groups
        location = groups[0].loc if isinstance(groups, list) and len(groups) == 1 else None
        what, anchor = describe(workload), blocked.fs.label
        if blocked.client.instances is not None and blocked.client.at is not None:
            what = f"{what} on {blocked.client.instances}"
            anchor = f"{anchor}|{blocked.client.at.logical_name}"
        yield Violation(
            {
                "workload": what,
                "client_groups": _groups_text(groups),
                "subnets": _subnets_text(blocked.subnets),
                "mount_targets": _mt_text(blocked.mount_targets),
                "file_system": blocked.fs.label,
            },
            location=location or blocked.client.at or workload.at("security_groups"),
            related=[Related(mt.loc, f"mount target '{mt.label}'") for mt in blocked.mount_targets],
            anchor=anchor,
        )


# --------------------------------------------------------------------------------------------
# EFS306


def _world(rule: SecurityGroupRule) -> str | None:
    for cidr in (rule.cidr_ipv4, rule.cidr_ipv6):
        net = _network(cidr)
        if net is not None and net.prefixlen == 0:
            return str(net)
    return None


@check("nfs_open_to_world")
def nfs_open_to_world(group: SecurityGroup, model: Model) -> Iterator[Violation]:
    open_rules = [
        (r, world) for r in group.ingress if (world := _world(r)) and allows_nfs_protocol(r) is True
    ]
    if not open_rules:
        return
    mts = [
        mt
        for mt in model.mount_targets
        if isinstance(mt.security_groups, list) and any(g is group for g in mt.security_groups)
    ]
    if not mts:
        return
    for rule, world in open_rules:
        protocol = str(rule.protocol).strip().lower()
        what = "all traffic" if protocol in _ALL_PROTOCOLS else "TCP 2049"
        yield Violation(
            {"what": what, "cidr": world, "mount_targets": _mt_text(mts)},
            location=rule.loc,
            related=[Related(mt.loc, f"mount target '{mt.label}'") for mt in mts[:3]],
            anchor=f"{world}|{rule.label}",
        )
