"""The normalised model every front-end produces and every rule reads.

Front-ends (task-definition JSON, CloudFormation, Terraform, a live account) translate their input
into these entities and resolve the links between them once; rules never see raw syntax.

Two conventions carry the whole design:

* A value that cannot be known statically is an :class:`Unknown`, never ``None``.  ``None`` means
  "absent", which has a documented AWS meaning (usually a default); ``Unknown`` means "we cannot
  tell", and rules stay quiet on it.
* Every entity has a :class:`Location`, and every field it was read from has one too
  (``entity.at("field")``), so findings point at the exact line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar, TypeVar

from .record import Record, field, fields_of

T = TypeVar("T")

# A live account locates findings at resources: an ARN, or ``aws://region/account/...``.
RESOURCE_PREFIXES = ("arn:", "aws://")


def is_resource_id(file: str) -> bool:
    """``file`` (a :class:`Location`'s) names an AWS resource, not a file on disk."""
    return file.startswith(RESOURCE_PREFIXES)


class Location:
    """Where a value came from: a file position, plus the logical name of the resource.

    ``logical_name`` is a CloudFormation logical id, a Terraform address, an ARN, or for task
    definitions ``family/volumes/name``; it anchors fingerprints that survive line shifts.
    Immutable and compared by value.  Written out rather than a :class:`Record` because front-ends
    make one for nearly every value they read.
    """

    __slots__ = ("column", "file", "line", "logical_name", "note")

    file: str
    line: int
    column: int
    logical_name: str
    # Provenance a reader needs to trust the value, appended to messages by the engine: e.g. "value
    # from the default of parameter X: 'DISABLED'" or "CDK construct Stack/Service/TaskDef".
    note: str

    def __init__(
        self, file: str, line: int = 0, column: int = 0, logical_name: str = "", note: str = ""
    ) -> None:
        set_field = object.__setattr__
        set_field(self, "file", file)
        set_field(self, "line", line)
        set_field(self, "column", column)
        set_field(self, "logical_name", logical_name)
        set_field(self, "note", note)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Location is immutable: cannot assign to {name!r}")

    def _key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.logical_name, self.note)

    def __eq__(self, other: object) -> bool:
        return self._key() == other._key() if isinstance(other, Location) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return "Location({!r}, {!r}, {!r}, {!r}, {!r})".format(*self._key())

    def __reduce__(self) -> tuple[type[Location], tuple[str, int, int, str, str]]:
        # Worker processes send findings back pickled; rebuild through __init__, not __setattr__.
        return (Location, self._key())

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file

    def named(self, logical_name: str) -> Location:
        return Location(self.file, self.line, self.column, logical_name, self.note)


class Unknown:
    """A value that exists but cannot be determined from the input (parameter, import, ...)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str = "cannot be determined statically") -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown)

    def __hash__(self) -> int:
        return hash(Unknown)

    def __bool__(self) -> bool:
        # Truth-testing an unknown is almost always a bug that would silently pick a branch.
        raise TypeError("the truth value of Unknown is undefined; test with is_known() first")


class PartlyKnown(Unknown):
    """Text known but for ``${...}`` placeholders: a CloudFormation ``Fn::Sub`` of deployment values,
    or a Terraform ARN built from ``data.aws_caller_identity`` / ``data.aws_partition``.

    The deployment's own partition, Region and account are written ``${AWS::Partition}``,
    ``${AWS::Region}`` and ``${AWS::AccountId}``; any other ``${name}`` is a value not known at all.
    Still an :class:`Unknown` everywhere, except where policy matching reads ``template``.
    """

    __slots__ = ("template",)

    def __init__(self, template: str, reason: str) -> None:
        super().__init__(reason)
        self.template = template


Maybe = T | Unknown


def is_known(value: object) -> bool:
    """True when ``value`` is not :class:`Unknown` and contains no Unknown at its top level."""
    if isinstance(value, Unknown):
        return False
    if isinstance(value, (list, tuple)):
        return not any(isinstance(v, Unknown) for v in value)
    return True


class Entity(Record, eq=False):
    """Base of every model entity. Identity is object identity (links are object references)."""

    kind: ClassVar[str] = "entity"

    loc: Location
    field_locs: dict[str, Location] = field(default_factory=dict, repr=False, kw_only=True)
    # CloudFormation `Condition:` or a Terraform count that may be zero: the entity may not exist.
    conditional: bool = field(default=False, kw_only=True)
    # Rule ids or names suppressed on this entity by the source (CloudFormation Metadata, comments).
    suppressions: dict[str, str] = field(default_factory=dict, repr=False, kw_only=True)
    # The AWS service whose terms the entity's messages use: "ecs", or "batch" for what a Batch job
    # definition or compute environment became (rules may carry a message per service).
    service: str = field(default="ecs", kw_only=True)

    def __repr__(self) -> str:
        # Entities link to each other in cycles; name the entity rather than print the graph.
        return f"<{type(self).__name__} {self.label} at {self.loc}>"

    def at(self, name: str) -> Location:
        """The location of field ``name``, or of the entity when the field was absent."""
        return self.field_locs.get(name, self.loc)

    @property
    def label(self) -> str:
        return self.loc.logical_name or self.kind


# --------------------------------------------------------------------------------------------
# Task definitions


class MountPoint(Entity):
    """A container's mount of a task-definition volume (``mountPoints`` item)."""

    kind: ClassVar[str] = "mount_point"

    container: str = ""
    source_volume: Maybe[str] | None = None
    container_path: Maybe[str] | None = None
    read_only: Maybe[bool] = False


class Container(Entity):
    """A container definition, reduced to what EFS rules read: its user and mount points."""

    kind: ClassVar[str] = "container"

    name: Maybe[str] = ""
    user: Maybe[str] | None = None
    mount_points: list[MountPoint] = field(default_factory=list)


class EfsVolume(Entity):
    """A task-definition volume with an EFS volume configuration (defaults already applied)."""

    kind: ClassVar[str] = "efs_volume"

    name: Maybe[str] | None = None
    # The literal id as written (``fs-...``), or Unknown when it is a reference; see `file_system`.
    file_system_id: Maybe[str] | None = None
    file_system: FileSystem | None = None
    root_directory: Maybe[str] = "/"
    root_directory_set: bool = False
    transit_encryption: Maybe[str] = "DISABLED"
    transit_encryption_port: Maybe[int] | None = None
    access_point_id: Maybe[str] | None = None
    access_point: AccessPoint | None = None
    iam: Maybe[str] = "DISABLED"
    # Other volume types configured in the same volume (`host`, `dockerVolumeConfiguration`, ...).
    other_configurations: list[str] = field(default_factory=list)
    task_definition: TaskDefinition | None = field(default=None, repr=False)

    @property
    def uses_access_point(self) -> Maybe[bool]:
        if isinstance(self.access_point_id, Unknown):
            return self.access_point_id if self.access_point is None else True
        return self.access_point_id is not None or self.access_point is not None

    def mounted_by(self) -> list[MountPoint]:
        if self.task_definition is None or not isinstance(self.name, str):
            return []
        return [
            mp
            for c in self.task_definition.containers
            for mp in c.mount_points
            if mp.source_volume == self.name
        ]


class Volume(Entity):
    """A task-definition volume that is not EFS (host, docker, FSx, ...), kept for name checks."""

    kind: ClassVar[str] = "volume"

    name: Maybe[str] | None = None
    configurations: list[str] = field(default_factory=list)


class TaskDefinition(Entity):
    """An ECS task definition: launch compatibility, roles, volumes and containers.

    An AWS Batch job definition is one too (``service`` "batch"): its job role is the task role,
    ``platformCapabilities`` the compatibilities, and its Fargate platform version is kept here
    because Batch sets it on the job definition, not on what launches the job.
    """

    kind: ClassVar[str] = "task_definition"

    family: Maybe[str] | None = None
    requires_compatibilities: Maybe[list[str]] = field(default_factory=list)
    network_mode: Maybe[str] | None = None
    os_family: Maybe[str] | None = None
    task_role: Maybe[str] | None = None
    task_role_entity: Role | None = None
    execution_role: Maybe[str] | None = None
    efs_volumes: list[EfsVolume] = field(default_factory=list)
    other_volumes: list[Volume] = field(default_factory=list)
    # False when the volume list itself is unknown (e.g. built by an unresolvable function).
    volumes_known: bool = True
    containers: list[Container] = field(default_factory=list)
    containers_known: bool = True
    # Batch only: ``fargatePlatformConfiguration.platformVersion``.
    platform_version: Maybe[str] | None = None

    @property
    def volume_names(self) -> list[Maybe[str] | None]:
        return [v.name for v in self.efs_volumes] + [v.name for v in self.other_volumes]


# --------------------------------------------------------------------------------------------
# Workloads: whatever launches tasks


class InstanceCapacity(Record):
    """EC2 container instances that may run a workload's tasks, as their network interface sees it.

    In ``bridge``/``host`` network mode a task has no ENI of its own: the EFS mount leaves from the
    instance's network interface, so the instance's subnets and security groups are the NFS client
    (see docs/network.md).  Made from an Auto Scaling group and its launch template or launch
    configuration, or in a live account from the instances' ENIs.
    """

    loc: Location
    label: str
    # None: not given (the VPC's default security group applies, which we cannot see).
    subnets: Maybe[list[Subnet | Unknown]] | None = None
    security_groups: Maybe[list[SecurityGroup | Unknown]] | None = None


class Workload(Entity):
    """An ECS service, task set, EventBridge rule/Scheduler target or RunTask call, or an AWS Batch
    compute environment that runs a job definition (see :mod:`efslint.sources.batch_links`)."""

    kind: ClassVar[str] = "workload"

    # service | task_set | events_rule | schedule | run_task | task
    # | batch_compute_environment (one per compute environment and job definition it may run)
    # | batch_job_definition (a Fargate job definition on its own: its platform version)
    workload_type: str = "service"
    name: Maybe[str] | None = None
    task_definition: TaskDefinition | None = None
    task_definition_ref: Maybe[str] | None = None
    launch_type: Maybe[str] | None = None
    # Capacity provider names from the workload, or the cluster default when the workload has none
    # (launch type and strategy are exclusive; neither given means the cluster default strategy).
    capacity_providers: Maybe[list[str]] | None = None
    platform_version: Maybe[str] | None = None
    platform_family: Maybe[str] | None = None
    # None: no awsvpc configuration at all. A list may hold Unknown items.
    subnets: Maybe[list[Subnet | Unknown]] | None = None
    # None: not given (the VPC's default security group applies).
    security_groups: Maybe[list[SecurityGroup | Unknown]] | None = None
    # Entities this workload is guaranteed to be created after (DependsOn / references), transitively.
    waits_for: Maybe[set[Entity]] = field(default_factory=set)
    # The cluster the tasks run in (name, ARN or logical id), for matching container instances.
    cluster: Maybe[str] | None = None
    # EC2 capacity the tasks may be placed on (bridge/host mode reaches EFS through it); each entry
    # is a set of instances some tasks may land on.  Empty: not known, and the checks stay quiet.
    instance_capacity: list[InstanceCapacity] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# EFS


class PolicyStatement(Record, eq=False):
    """One IAM statement (identity or resource policy), parsed by :mod:`efslint.policy`.

    Values from the input that cannot be resolved are Unknown; ``principals`` is ``["*"]`` for
    ``"*"`` and ``{"AWS": "*"}``.
    """

    effect: Maybe[str] = "Allow"
    actions: Maybe[list[str]] | None = None
    not_actions: Maybe[list[str]] | None = None
    resources: Maybe[list[Maybe[str]]] | None = None
    not_resources: Maybe[list[Maybe[str]]] | None = None
    # "*" for anonymous/everyone, a list of ARNs/accounts, or Unknown. None for identity policies.
    principals: Maybe[list[str]] | None = None
    not_principals: Maybe[list[str]] | None = None
    conditions: Maybe[dict[str, Any]] = field(default_factory=dict)
    loc: Location | None = None


class FileSystem(Entity):
    """An EFS file system with its mount targets, access points and policy."""

    kind: ClassVar[str] = "file_system"

    id: Maybe[str] | None = None
    encrypted: Maybe[bool] = False
    # Set for One Zone file systems only.
    availability_zone: Maybe[str] | None = None
    # None: no explicit policy (the default policy allows anonymous access). Unknown: can't tell.
    policy: Maybe[list[PolicyStatement]] | None = None
    backup: Maybe[bool] = False
    mount_targets: list[MountTarget] = field(default_factory=list)
    # False when some mount target may exist that the model does not list (unknown count, ...).
    mount_targets_known: bool = True
    access_points: list[AccessPoint] = field(default_factory=list)
    # True when the input creates the file system (vs. referencing an existing one).
    defined_here: bool = True


class MountTarget(Entity):
    """An EFS mount target: the file system's network endpoint in one subnet."""

    kind: ClassVar[str] = "mount_target"

    file_system: FileSystem | None = None
    subnet: Subnet | Unknown | None = None
    # None: not given (the VPC's default security group applies).
    security_groups: Maybe[list[SecurityGroup | Unknown]] | None = None


class PosixUser(Record, eq=False):
    """The POSIX identity an access point enforces."""

    uid: Maybe[int]
    gid: Maybe[int]


class AccessPoint(Entity):
    """An EFS access point: the root directory and POSIX identity it enforces."""

    kind: ClassVar[str] = "access_point"

    id: Maybe[str] | None = None
    file_system: FileSystem | None = None
    file_system_id: Maybe[str] | None = None
    posix_user: Maybe[PosixUser] | None = None
    root_path: Maybe[str] = "/"
    creation_info: Maybe[bool] = False


# --------------------------------------------------------------------------------------------
# Network


class SecurityGroupRule(Entity):
    """One permission, from an inline rule or a separate rule resource."""

    kind: ClassVar[str] = "security_group_rule"

    direction: str = "ingress"  # ingress | egress
    # Normalised: "-1" (all), "tcp", "udp", "icmp", "icmpv6" or another protocol number as a string.
    protocol: Maybe[str] = "-1"
    from_port: Maybe[int] | None = None
    to_port: Maybe[int] | None = None
    cidr_ipv4: Maybe[str] | None = None
    cidr_ipv6: Maybe[str] | None = None
    peer_group: SecurityGroup | Unknown | None = None
    prefix_list: Maybe[str] | None = None


class SecurityGroup(Entity):
    """A security group with every rule that applies to it, inline or from separate resources.

    Front-ends materialise implicit rules so checks need not know the tool: CloudFormation (and
    the EC2 API) add an allow-all egress rule (IPv4 and IPv6) when a group declares no egress;
    Terraform's ``aws_security_group`` removes it.  A group the input does not define (a literal
    ``sg-`` id, an import) has ``rules_known = False``.
    """

    kind: ClassVar[str] = "security_group"

    id: Maybe[str] | None = None
    vpc: Vpc | Unknown | None = None
    ingress: list[SecurityGroupRule] = field(default_factory=list)
    egress: list[SecurityGroupRule] = field(default_factory=list)
    # False when rules may exist that the model does not see (external group, unknown rule list).
    rules_known: bool = True


class Vpc(Entity):
    """A VPC, for the DNS attributes the EFS mount helper relies on."""

    kind: ClassVar[str] = "vpc"

    id: Maybe[str] | None = None
    cidr: Maybe[str] | None = None
    dns_support: Maybe[bool] = True
    dns_hostnames: Maybe[bool] = False


class Subnet(Entity):
    """A subnet: its Availability Zone, VPC and whether it is public."""

    kind: ClassVar[str] = "subnet"

    id: Maybe[str] | None = None
    # A real AZ name, or a symbolic one such as "GetAZs[0]" that is distinct per index.
    availability_zone: Maybe[str] = field(default_factory=Unknown)
    vpc: Vpc | Unknown | None = None
    cidr: Maybe[str] | None = None
    map_public_ip: Maybe[bool] = False
    route_to_igw: Maybe[bool] = False


# --------------------------------------------------------------------------------------------
# Identity


class Role(Entity):
    """An IAM role (a task role) with the policy statements attached to it."""

    kind: ClassVar[str] = "role"

    arn: Maybe[str] | None = None
    statements: list[PolicyStatement] = field(default_factory=list)
    # False when policies may be attached that the model cannot read (external managed policy, ...).
    statements_known: bool = True
    # The role's name and path (``/`` or ``/a/b/``) when the input sets them; None when not known
    # (a generated name). Role names are unique in an account: a known name tells roles apart even
    # where the ARN's account is not known.
    name: Maybe[str] | None = None
    path: Maybe[str] | None = None


# --------------------------------------------------------------------------------------------
# Live account only (`efslint scan`, `lint --live`)


class ContainerInstance(Entity):
    """An EC2 container instance registered in a cluster (agent version and advertised attributes)."""

    kind: ClassVar[str] = "container_instance"

    arn: str = ""
    cluster: str = ""
    agent_version: Maybe[str] | None = None
    # Attribute names the agent advertises (``ecs.capability.efsAuth``, ...); Unknown when unread.
    attributes: Maybe[set[str]] = field(default_factory=set)
    os_type: Maybe[str] | None = None


class StoppedTask(Entity):
    """Recently stopped tasks of one workload (or task definition) that share a stopped reason."""

    kind: ClassVar[str] = "stopped_task"

    arn: str = ""
    cluster: str = ""
    stopped_reason: str = ""
    stop_code: str | None = None
    stopped_at: str | None = None
    # The Availability Zone the (newest) task ran in, when ECS reports it.
    availability_zone: str | None = None
    # How many stopped tasks of the same workload share this reason (the newest is `arn`).
    count: int = 1
    task_definition: TaskDefinition | None = None
    workload: Workload | None = None


class NotChecked(Entity):
    """A read the scanner could not make (denied, throttled): what it would have checked."""

    kind: ClassVar[str] = "not_checked"

    action: str = ""  # IAM action, e.g. "elasticfilesystem:DescribeFileSystemPolicy"
    error: str = ""  # AccessDenied, Throttling, ...
    resources: list[str] = field(default_factory=list)
    affects: str = ""  # what could not be checked, in words


# --------------------------------------------------------------------------------------------


class Model(Record):
    """Everything one input unit (a file, a Terraform module, an account) describes."""

    source: str
    task_definitions: list[TaskDefinition] = field(default_factory=list)
    workloads: list[Workload] = field(default_factory=list)
    file_systems: list[FileSystem] = field(default_factory=list)
    mount_targets: list[MountTarget] = field(default_factory=list)
    access_points: list[AccessPoint] = field(default_factory=list)
    security_groups: list[SecurityGroup] = field(default_factory=list)
    subnets: list[Subnet] = field(default_factory=list)
    vpcs: list[Vpc] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    container_instances: list[ContainerInstance] = field(default_factory=list)
    stopped_tasks: list[StoppedTask] = field(default_factory=list)
    not_checked: list[NotChecked] = field(default_factory=list)
    # Ids (``fs-...``, ``fsap-...``) the account was asked for and does not have (EFS901/EFS902).
    missing_in_account: set[str] = field(default_factory=set)
    # Findings the front-end itself raises (parse errors, structural problems): (rule, message, loc).
    notes: list[tuple[str, str, Location]] = field(default_factory=list)
    # Files whose findings are reported (a Terraform module loads siblings but reports on these).
    report_files: set[str] | None = None
    # Inline comment suppressions per file: {file: {line: {rule-or-name: reason}}}.
    line_suppressions: dict[str, dict[int, dict[str, str]]] = field(default_factory=dict)
    # Indexes predicates build over the whole model (e.g. which workloads use a file system), so a
    # rule run per entity stays linear; the engine empties it at the start of every run.
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def efs_volumes(self) -> Iterator[EfsVolume]:
        for td in self.task_definitions:
            yield from td.efs_volumes

    def entities(self, kind: str) -> list[Any]:
        """Entities of one ``kind`` (the ``applies_to`` of a rule)."""
        if kind == "efs_volume":
            return list(self.efs_volumes)
        if kind == "container":
            return [c for td in self.task_definitions for c in td.containers]
        if kind == "mount_point":
            return [mp for td in self.task_definitions for c in td.containers for mp in c.mount_points]
        return list(getattr(self, _COLLECTIONS[kind]))

    def merge(self, other: Model) -> None:
        for name in fields_of(self):
            mine = getattr(self, name)
            if isinstance(mine, list):
                mine.extend(getattr(other, name))
            elif isinstance(mine, set):
                mine |= getattr(other, name)


_COLLECTIONS = {
    "task_definition": "task_definitions",
    "workload": "workloads",
    "file_system": "file_systems",
    "mount_target": "mount_targets",
    "access_point": "access_points",
    "security_group": "security_groups",
    "subnet": "subnets",
    "vpc": "vpcs",
    "role": "roles",
    "container_instance": "container_instances",
    "stopped_task": "stopped_tasks",
    "not_checked": "not_checked",
}

ENTITY_KINDS = (*_COLLECTIONS, "efs_volume", "container", "mount_point")


# --------------------------------------------------------------------------------------------
# Availability Zones
#
# Front-ends give a subnet a real AZ name ("us-east-1a"), an AZ id ("use1-az1"), or a symbolic AZ
# for "the n-th AZ of a Region" — CloudFormation `!Select [n, !GetAZs ""]`, Terraform
# `data.aws_availability_zones.x.names[n]` — written with :func:`symbolic_az`.  Two symbolic AZs
# with the same base and different indexes are distinct AZs; a symbolic AZ and a real one are
# unrelated (Unknown).

_REAL_AZ = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+[a-z]$")
_AZ_ID = re.compile(r"^[a-z]{3,5}\d+-az\d+$")


def symbolic_az(base: str, index: int) -> str:
    """The ``index``-th AZ of the list named ``base`` (e.g. ``GetAZs('')``, a data source address)."""
    return f"{base}#{index}"


def _az_kind(az: str) -> tuple[str, str]:
    if "#" in az:
        return ("symbolic", az.rsplit("#", 1)[0])
    if _AZ_ID.match(az):
        return ("id", "")
    if _REAL_AZ.match(az):
        return ("name", "")
    return ("other", az)


def same_az(a: Maybe[str], b: Maybe[str]) -> Maybe[bool]:
    """Whether two AZ values denote the same Availability Zone; Unknown when it cannot be told."""
    if not isinstance(a, str) or not isinstance(b, str):
        return Unknown("availability zone not known")
    if a == b:
        return True
    kind_a, kind_b = _az_kind(a), _az_kind(b)
    if kind_a == kind_b and kind_a[0] in ("symbolic", "id", "name"):
        return False
    return Unknown(f"cannot compare availability zones {a!r} and {b!r}")
