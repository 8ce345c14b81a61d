"""The topology the Markdown and HTML reports draw: linted models and findings → small graphs.

One graph per *root* — a workload, a task definition no workload launches, or a file system no
task definition mounts — following the links front-ends resolved: workload → task definition →
EFS volume → (access point →) file system → mount targets, and workload → the subnets its tasks
run in → the mount targets in the same Availability Zone, with the security groups of both ends
on those network edges.

A finding *concerns* the entities its primary and related locations name (file and logical name,
or a field's location).  Nodes holding such an entity, and edges whose security groups are one of
them or whose two ends both are, are marked with the finding's rule id; what the model does not
know (an unresolved reference, an Unknown AZ, an external security group) is marked unknown and
drawn dashed.  Everything here is plain data, so both renderers and their tests read the same
graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from ..checks.usage import WORKLOAD_KINDS
from ..findings import Finding, Severity
from ..model import (
    ENTITY_KINDS,
    AccessPoint,
    EfsVolume,
    Entity,
    FileSystem,
    Location,
    Model,
    MountTarget,
    SecurityGroup,
    StoppedTask,
    Subnet,
    TaskDefinition,
    Unknown,
    Workload,
    same_az,
)
from ..record import Record, field

# Columns, left to right; empty ones are dropped when a graph is laid out.
LAYERS = {
    "workload": 0,
    "task_definition": 1,
    "efs_volume": 2,
    "access_point": 3,
    "file_system": 4,
    "subnet": 4,
    "mount_target": 5,
}
TITLES = {
    "task_definition": "Task definition",
    "efs_volume": "EFS volume",
    "access_point": "Access point",
    "file_system": "File system",
    "subnet": "Task subnet",
    "mount_target": "Mount target",
}
# More mount targets than this per file system are summarised in one node (a Region has at most
# a handful of AZs, so only generated inputs get there).
MAX_MOUNT_TARGETS = 8


class Mark(Record):
    """What the findings say about one node or edge."""

    rules: list[str] = field(default_factory=list)
    severity: Severity | None = None

    def add(self, finding: Finding) -> None:
        if finding.rule_id not in self.rules:
            self.rules.append(finding.rule_id)
            self.rules.sort()
        if self.severity is None or finding.severity > self.severity:
            self.severity = finding.severity

    @property
    def broken(self) -> bool:
        """Error or warning: drawn red.  Info-level advice is drawn, but not as broken."""
        return self.severity is not None and self.severity >= Severity.WARNING


class Node(Record):
    id: str
    kind: str
    title: str
    name: str
    detail: str = ""
    unknown: bool = False
    mark: Mark = field(default_factory=Mark)
    # Identities (``id()``) of the model entities this node stands for.
    entities: set[int] = field(default_factory=set, repr=False, compare=False)

    @property
    def layer(self) -> int:
        return LAYERS.get(self.kind, 0)


class Edge(Record):
    source: str
    target: str
    label: str = ""
    unknown: bool = False
    mark: Mark = field(default_factory=Mark)
    # Security groups on the path: a finding about one of them marks the edge.
    entities: set[int] = field(default_factory=set, repr=False, compare=False)


class Graph(Record):
    """One root's picture, and the findings grouped under it."""

    title: str
    file: str
    # What the graph starts from: workload, task_definition, access_point or file_system.
    root: str = "workload"
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def drawable(self) -> bool:
        """Worth a diagram: it reaches an EFS volume or a file system."""
        return any(n.kind in ("efs_volume", "file_system") for n in self.nodes)

    def weight(self) -> tuple[int, int]:
        """Sort key, heaviest first: worst severity, then number of findings."""
        worst = max((int(f.severity) for f in self.findings), default=0)
        return (-worst, -len(self.findings))


class Topology(Record):
    graphs: list[Graph] = field(default_factory=list)
    # Active findings no graph concerns (a role, a parse error, a custom rule on another entity).
    unplaced: list[Finding] = field(default_factory=list)


def az_text(value: object) -> str:
    """An AZ for people: symbolic ``GetAZs('')#1`` reads ``GetAZs('')[1]``, and the n-th name of
    Terraform's ``data.aws_availability_zones.available`` reads ``AZ available[n]``."""
    if not isinstance(value, str):
        return "AZ unknown"
    base, hash_, index = value.rpartition("#")
    if not (hash_ and index.isdigit()):
        return value
    if base.startswith("data.aws_availability_zones."):
        return f"AZ {base.split('.', 2)[2]}[{index}]"
    return f"{base}[{index}]"


def short_ref(ref: str) -> str:
    """A literal reference for a node: an ARN's resource id (``fs-…``), anything else as written."""
    return ref.rsplit("/", 1)[-1] if ref.startswith("arn:") and "/" in ref else ref


def display_name(entity: Entity) -> str:
    """The name people use: a known name, family or id, else the logical name (an ARN's resource id
    for a live account's entities)."""
    for attribute in ("name", "family", "id"):
        value = getattr(entity, attribute, None)
        if isinstance(value, str) and value:
            return short_ref(value)
    return short_ref(entity.label)


def _group_names(groups: object) -> tuple[str, bool]:
    """Security groups as one label, and whether any of them is unknown (or has unknown rules)."""
    if groups is None:
        return "VPC default SG", False
    if isinstance(groups, Unknown):
        return "SGs unknown", True
    names: list[str] = []
    unknown = False
    for group in groups:  # type: ignore[attr-defined]
        if isinstance(group, SecurityGroup):
            names.append(display_name(group))
            unknown = unknown or not group.rules_known
        else:
            names.append("unknown SG")
            unknown = True
    return ", ".join(names) or "no SG", unknown


def _groups(groups: object) -> set[int]:
    if groups is None or isinstance(groups, Unknown):
        return set()
    return {id(g) for g in groups if isinstance(g, SecurityGroup)}  # type: ignore[attr-defined]


class _Builder:
    """Builds one root's graph; a node per entity, each edge once."""

    def __init__(self, title: str, file: str, root: str) -> None:
        self.graph = Graph(title, file, root)
        self.by_entity: dict[int, Node] = {}
        self.edge_keys: set[tuple[str, str]] = set()
        self.mount_targets: list[tuple[Node, MountTarget]] = []
        self.placeholders: dict[tuple[str, str, str], Node] = {}

    def node(
        self, entity: Entity | None, kind: str, name: str, detail: str = "", unknown: bool = False
    ) -> Node:
        if entity is not None and id(entity) in self.by_entity:
            return self.by_entity[id(entity)]
        if entity is None and (kind, name, detail) in self.placeholders:
            return self.placeholders[(kind, name, detail)]
        title = TITLES.get(kind, kind)
        if isinstance(entity, Workload):
            title = WORKLOAD_KINDS.get(entity.workload_type, "Workload")
            title = title[0].upper() + title[1:]
        elif kind == "task_definition" and getattr(entity, "service", "ecs") == "batch":
            title = "Job definition"  # an AWS Batch job definition, in Batch's own terms
        node = Node(f"n{len(self.graph.nodes)}", kind, title, name, detail, unknown)
        if entity is not None:
            node.unknown = node.unknown or entity.conditional
            node.entities.add(id(entity))
            self.by_entity[id(entity)] = node
        else:
            # What the input names but does not define (an external fs-… id): one node per name.
            self.placeholders[(kind, name, detail)] = node
        self.graph.nodes.append(node)
        return node

    def edge(
        self, source: Node, target: Node, label: str = "", unknown: bool = False, entities: Iterable[int] = ()
    ) -> None:
        if (source.id, target.id) in self.edge_keys:
            return
        self.edge_keys.add((source.id, target.id))
        self.graph.edges.append(Edge(source.id, target.id, label, unknown, entities=set(entities)))

    # -- the chain ---------------------------------------------------------------------------

    def workload(self, workload: Workload) -> None:
        detail = workload.launch_type if isinstance(workload.launch_type, str) else ""
        node = self.node(workload, "workload", display_name(workload), detail)
        if workload.task_definition is not None:
            self.edge(node, self.task_definition(workload.task_definition))
        elif workload.task_definition_ref is not None:
            ref = workload.task_definition_ref
            name = short_ref(ref) if isinstance(ref, str) else "unknown"
            missing = self.node(None, "task_definition", name, "", True)
            self.edge(node, missing, unknown=True)
        self.task_subnets(workload, node)

    def task_definition(self, td: TaskDefinition) -> Node:
        if id(td) in self.by_entity:
            return self.by_entity[id(td)]
        node = self.node(td, "task_definition", display_name(td), unknown=not td.volumes_known)
        for container in td.containers:
            node.entities.add(id(container))
            node.entities.update(id(mp) for mp in container.mount_points)
        if td.task_role_entity is not None:
            node.entities.add(id(td.task_role_entity))
        for volume in td.efs_volumes:
            self.edge(node, self.volume(volume))
        return node

    def volume(self, volume: EfsVolume) -> Node:
        if id(volume) in self.by_entity:
            return self.by_entity[id(volume)]
        settings = []
        for label, value in (("TLS", volume.transit_encryption), ("IAM", volume.iam)):
            settings.append(f"{label} {value}" if isinstance(value, str) else f"{label} unknown")
        name = volume.name if isinstance(volume.name, str) else "unnamed"
        node = self.node(volume, "efs_volume", name, " · ".join(settings))
        target = node
        if volume.access_point is not None:
            target = self.access_point(volume.access_point)
            self.edge(node, target)
        elif volume.access_point_id is not None:
            ap = volume.access_point_id
            name = short_ref(ap) if isinstance(ap, str) else "unknown"
            target = self.node(None, "access_point", name, "", True)
            self.edge(node, target, unknown=isinstance(ap, Unknown))
        fs = volume.file_system or (volume.access_point.file_system if volume.access_point else None)
        if fs is not None:
            self.edge(target, self.file_system(fs))
        elif volume.file_system_id is not None:
            ref = volume.file_system_id
            if isinstance(ref, str):
                external = self.node(None, "file_system", short_ref(ref), "not in this input", True)
            else:
                external = self.node(None, "file_system", "unknown", "", True)
            self.edge(target, external, unknown=True)
        return node

    def access_point(self, ap: AccessPoint) -> Node:
        root = ap.root_path if isinstance(ap.root_path, str) else "path unknown"
        return self.node(ap, "access_point", display_name(ap), root)

    def file_system(self, fs: FileSystem) -> Node:
        if id(fs) in self.by_entity:
            return self.by_entity[id(fs)]
        if isinstance(fs.encrypted, Unknown):
            detail = "encryption unknown"
        else:
            detail = "encrypted" if fs.encrypted else "not encrypted"
        if fs.availability_zone is not None:
            detail += f" · One Zone {az_text(fs.availability_zone)}"
        node = self.node(fs, "file_system", display_name(fs), detail)
        targets = fs.mount_targets[:MAX_MOUNT_TARGETS]
        for mt in targets:
            self.edge(node, self.mount_target(mt))
        left = len(fs.mount_targets) - len(targets)
        if left:
            self.edge(node, self.node(None, "mount_target", f"{left} more", "not drawn"))
        if not fs.mount_targets_known or (not fs.mount_targets and not fs.defined_here):
            self.edge(node, self.node(None, "mount_target", "not in this input", "", True), unknown=True)
        return node

    def mount_target(self, mt: MountTarget) -> Node:
        subnet = mt.subnet
        if isinstance(subnet, Subnet):
            detail = f"{az_text(subnet.availability_zone)} · {display_name(subnet)}"
            unknown = isinstance(subnet.availability_zone, Unknown)
        else:
            detail, unknown = "subnet unknown", True
        node = self.node(mt, "mount_target", display_name(mt), detail, unknown)
        if isinstance(subnet, Subnet):
            node.entities.add(id(subnet))
        self.mount_targets.append((node, mt))
        return node

    # -- the network path --------------------------------------------------------------------

    def task_subnets(self, workload: Workload, node: Node) -> None:
        """workload → each task subnet → the mount targets in its AZ (only with EFS in the graph)."""
        subnets = workload.subnets
        if subnets is None or not self.mount_targets:
            return
        client_names, client_unknown = _group_names(workload.security_groups)
        client_groups = _groups(workload.security_groups)
        items: Sequence[Subnet | Unknown] = [Unknown()] if isinstance(subnets, Unknown) else subnets
        for item in items:
            if isinstance(item, Subnet):
                unknown_az = isinstance(item.availability_zone, Unknown)
                sub = self.node(
                    item, "subnet", display_name(item), az_text(item.availability_zone), unknown_az
                )
                if isinstance(item.vpc, Entity):
                    node.entities.add(id(item.vpc))
            else:
                sub = self.node(None, "subnet", "unknown", "", True)
            self.edge(node, sub, unknown=sub.unknown)
            for mt_node, mt in self.mount_targets:
                az = mt.subnet.availability_zone if isinstance(mt.subnet, Subnet) else Unknown()
                same = same_az(item.availability_zone, az) if isinstance(item, Subnet) else Unknown()
                if same is False:
                    continue
                server_names, server_unknown = _group_names(mt.security_groups)
                self.edge(
                    sub,
                    mt_node,
                    f"{client_names} → {server_names}",
                    unknown=isinstance(same, Unknown) or client_unknown or server_unknown,
                    entities=client_groups | _groups(mt.security_groups),
                )


def _roots(model: Model) -> list[tuple[Entity, str]]:
    """Workloads, then task definitions no workload launches, access points no volume uses, and
    file systems nothing mounts."""
    roots: list[tuple[Entity, str]] = [(w, "workload") for w in model.workloads]
    launched = {id(w.task_definition) for w in model.workloads if w.task_definition is not None}
    roots += [(td, "task_definition") for td in model.task_definitions if id(td) not in launched]
    used = {id(v.access_point) for v in model.efs_volumes if v.access_point is not None}
    roots += [(ap, "access_point") for ap in model.access_points if id(ap) not in used]
    mounted = {
        id(fs)
        for v in model.efs_volumes
        for fs in (v.file_system, v.access_point.file_system if v.access_point else None)
        if fs is not None
    } | {id(ap.file_system) for ap, kind in roots if kind == "access_point" and ap.file_system is not None}
    roots += [(fs, "file_system") for fs in model.file_systems if id(fs) not in mounted]
    return roots


def _graph(root: Entity, kind: str) -> Graph:
    if isinstance(root, Workload):
        title = f"{WORKLOAD_KINDS.get(root.workload_type, 'workload')} {display_name(root)}"
    else:
        title = f"{TITLES[kind].lower()} {display_name(root)}"
    builder = _Builder(title[0].upper() + title[1:], root.loc.file, kind)
    if isinstance(root, Workload):
        builder.workload(root)
    elif isinstance(root, TaskDefinition):
        builder.task_definition(root)
    elif isinstance(root, AccessPoint):
        node = builder.access_point(root)
        if root.file_system is not None:
            builder.edge(node, builder.file_system(root.file_system))
    elif isinstance(root, FileSystem):
        builder.file_system(root)
    # Nodes were numbered walking the chain from the root; edges read best in the same order.
    builder.graph.edges.sort(key=lambda e: (int(e.source[1:]), int(e.target[1:])))
    return builder.graph


def _linked(model: Model) -> Iterator[Entity]:
    """Entities reached through links that the model's lists may not hold (``--live`` resolves a
    literal subnet or file system id into an entity it attaches to the link only)."""
    for workload in model.workloads:
        for items in (workload.subnets, workload.security_groups):
            if isinstance(items, list):
                yield from (item for item in items if isinstance(item, Entity))
    for volume in model.efs_volumes:
        for fs in (volume.file_system, volume.access_point.file_system if volume.access_point else None):
            if fs is None:
                continue
            yield fs
            for mt in fs.mount_targets:
                yield mt
                if isinstance(mt.subnet, Entity):
                    yield mt.subnet
                if isinstance(mt.security_groups, list):
                    yield from (g for g in mt.security_groups if isinstance(g, Entity))
        if volume.access_point is not None:
            yield volume.access_point


class _Index:
    """Entities by the exact location of themselves or a field, else by (file, logical name), else
    by their AWS id when a location names one (``subnet-…`` in a finding about a live subnet)."""

    def __init__(self, models: Iterable[Model]) -> None:
        self.exact: dict[Location, Entity] = {}
        self.named: dict[tuple[str, str], Entity] = {}
        self.by_aws_id: dict[str, Entity] = {}
        field_names: dict[tuple[str, str], Entity] = {}
        seen: set[int] = set()
        for model in models:
            for kind in ENTITY_KINDS:
                for entity in model.entities(kind):
                    self._add(entity, field_names, seen)
            for entity in _linked(model):
                self._add(entity, field_names, seen)
        for key, entity in field_names.items():
            self.named.setdefault(key, entity)

    def _add(self, entity: Entity, field_names: dict[tuple[str, str], Entity], seen: set[int]) -> None:
        if id(entity) in seen:
            return
        seen.add(id(entity))
        aws_id = getattr(entity, "id", None)
        if isinstance(aws_id, str) and aws_id:
            self.by_aws_id.setdefault(aws_id, entity)
        self.exact.setdefault(entity.loc, entity)
        self.named.setdefault((entity.loc.file, entity.loc.logical_name), entity)
        locations = list(entity.field_locs.values())
        if isinstance(entity, SecurityGroup):
            # A rule declared as its own resource belongs to its group.
            locations += [rule.loc for rule in (*entity.ingress, *entity.egress)]
        for loc in locations:
            self.exact.setdefault(loc, entity)
            field_names.setdefault((loc.file, loc.logical_name), entity)

    def get(self, loc: Location) -> Entity | None:
        entity = (
            self.exact.get(loc)
            or self.named.get((loc.file, loc.logical_name))
            or self.by_aws_id.get(loc.logical_name)
        )
        if isinstance(entity, StoppedTask):
            # A live scan's stopped tasks are drawn as the workload (or task definition) they ran.
            return entity.workload or entity.task_definition
        return entity


def build(models: Sequence[Model], findings: Iterable[Finding]) -> Topology:
    """The graphs of ``models``, with every active finding marked where it belongs."""
    index = _Index(models)
    topology = Topology()
    for model in models:
        for root, kind in _roots(model):
            topology.graphs.append(_graph(root, kind))
    # Which graph elements stand for each entity.
    nodes_of: dict[int, list[tuple[Graph, Node]]] = {}
    edges_of: dict[int, list[tuple[Graph, Edge]]] = {}
    for graph in topology.graphs:
        for node in graph.nodes:
            for entity in node.entities:
                nodes_of.setdefault(entity, []).append((graph, node))
        for edge in graph.edges:
            for entity in edge.entities:
                edges_of.setdefault(entity, []).append((graph, edge))
    for finding in findings:
        if finding.suppressed is not None:
            continue
        concerned = []
        for loc in (finding.location, *(r.location for r in finding.related)):
            entity = index.get(loc)
            if entity is not None:
                concerned.append(id(entity))
        touched: dict[int, tuple[Graph, set[str]]] = {}
        for entity in concerned:
            for graph, node in nodes_of.get(entity, ()):
                node.mark.add(finding)
                touched.setdefault(id(graph), (graph, set()))[1].add(node.id)
            for graph, edge in edges_of.get(entity, ()):
                edge.mark.add(finding)
                touched.setdefault(id(graph), (graph, set()))
        for graph, node_ids in touched.values():
            for edge in graph.edges:
                if edge.source in node_ids and edge.target in node_ids:
                    edge.mark.add(finding)
        if touched:
            # Listed under the first graph it concerns, primary location's graph first.
            first = next(iter(touched.values()))[0]
            first.findings.append(finding)
        else:
            topology.unplaced.append(finding)
    return topology
