"""Raw API responses of one Region → the normalised model.

Locations are ARNs (``Location(file=<arn>, logical_name=<arn>)``) or, for things without an ARN,
``aws://<region>/<account>/...``.  Whatever could not be read becomes :class:`Unknown` (or an
entity flagged ``rules_known=False`` / ``mount_targets_known=False``), so rules stay quiet on it.
"""

from __future__ import annotations

from typing import Any

from ...model import (
    AccessPoint,
    ContainerInstance,
    EfsVolume,
    FileSystem,
    InstanceCapacity,
    Location,
    Model,
    MountTarget,
    NotChecked,
    PolicyStatement,
    PosixUser,
    Role,
    SecurityGroup,
    SecurityGroupRule,
    StoppedTask,
    Subnet,
    TaskDefinition,
    Unknown,
    Vpc,
    Workload,
)
from ..taskdef import task_definition as taskdef
from .inventory import RegionData, primary_interface
from .reader import NotFound
from .roles import RoleData

Raw = dict[str, Any]
_PROTOCOLS = {"-1": "-1", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}


def at(name: str) -> Location:
    return Location(name, 0, 0, name)


def unread(what: str) -> Unknown:
    return Unknown(f"{what} could not be read from the account")


def parse_policy_document(document: Any, loc: Location) -> list[PolicyStatement] | Unknown:
    from ...policy import parse_policy

    return parse_policy(document, loc)


class RegionMapper:
    """Builds one Model for one Region; each AWS resource becomes exactly one entity."""

    def __init__(self, data: RegionData, roles: dict[str, RoleData], all_file_systems: bool = False) -> None:
        self.data = data
        self.roles = roles
        self.all_file_systems = all_file_systems
        self.model = Model(source=data.root)
        self._task_definitions: dict[str, TaskDefinition] = {}
        self._file_systems: dict[str, FileSystem] = {}
        self._access_points: dict[str, AccessPoint] = {}
        self._subnets: dict[str, Subnet] = {}
        self._vpcs: dict[str, Vpc] = {}
        self._groups: dict[str, SecurityGroup] = {}
        self._roles: dict[str, Role] = {}
        self._workloads: dict[tuple[str, str], Workload] = {}
        # id(workload) -> (launch type, providers that get tasks, placement constrained?)
        self._placement: dict[int, tuple[str | None, list[str], bool]] = {}

    def arn(self, service: str, resource: str) -> str:
        d = self.data
        return f"arn:{d.partition}:{service}:{d.region}:{d.account}:{resource}"

    # ----------------------------------------------------------------------------------------

    def build(self) -> Model:
        for arn, raw in self.data.task_definitions.items():
            if raw is not None:
                self.task_definition(arn)
        for service in self.data.services:
            self.service(service)
        for kind, arn, cluster, item in self.data.scheduled:
            owner = {"clusterArn": cluster, "serviceName": arn.rsplit("/", 1)[-1]}
            self.workload(item, owner, self.data.clusters.get(cluster, {}), kind, arn, "ECS")
        if self.all_file_systems and self.data.file_systems is not None:
            for fs_id in self.data.file_systems:
                self.file_system(fs_id)
        for cluster, instances in self.data.container_instances.items():
            for raw in instances or []:
                self.container_instance(cluster, raw)
        self.instance_capacity()
        self.stopped_tasks()
        if self.data.batch:
            from .batch import build as add_batch

            add_batch(self)
        return self.model

    # ---- ECS -------------------------------------------------------------------------------

    def task_definition(self, arn: str) -> TaskDefinition | None:
        if arn in self._task_definitions:
            return self._task_definitions[arn]
        raw = self.data.task_definitions.get(arn)
        if raw is None:
            return None
        # An EventBridge or Scheduler target may name the family only: one entity per revision.
        resolved = raw.get("taskDefinitionArn") or arn
        if resolved in self._task_definitions:
            self._task_definitions[arn] = self._task_definitions[resolved]
            return self._task_definitions[resolved]
        built = taskdef.build_model(resolved, {"taskDefinition": raw}).task_definitions[0]
        built.loc = at(resolved)
        built.field_locs.clear()
        for volume in built.efs_volumes:
            self.link_volume(volume)
        role_arn = built.task_role
        if isinstance(role_arn, str) and any(v.iam == "ENABLED" for v in built.efs_volumes):
            built.task_role_entity = self.role(role_arn)
        self._task_definitions[arn] = self._task_definitions[resolved] = built
        self.model.task_definitions.append(built)
        return built

    def link_volume(self, volume: EfsVolume) -> None:
        fs_id = volume.file_system_id
        if isinstance(fs_id, str):
            listing = self.data.file_systems
            if listing is not None and fs_id in listing:
                volume.file_system = self.file_system(fs_id)
            elif listing is not None and literal_id(fs_id, "fs-"):
                self.model.missing_in_account.add(fs_id)
        ap_id = volume.access_point_id
        if isinstance(ap_id, str):
            found = self.access_point(ap_id)
            if found is not None:
                volume.access_point = found
            elif isinstance(self.data.extra_access_points.get(ap_id), NotFound):
                self.model.missing_in_account.add(ap_id)

    def service(self, raw: Raw) -> None:
        cluster = self.data.clusters.get(raw.get("clusterArn", ""), {})
        controller = (raw.get("deploymentController") or {}).get("type", "ECS")
        if raw.get("taskDefinition"):
            self.workload(raw, raw, cluster, "service", raw["serviceArn"], controller)
        for deployment in raw.get("deployments", []):
            # A rolling deployment still running an older revision launches tasks of it too.
            if deployment.get("taskDefinition") not in (None, raw.get("taskDefinition")):
                name = f"{raw['serviceArn']}#deployment/{deployment.get('id', '')}"
                self.workload(deployment, raw, cluster, "service", name, controller)
        for task_set in raw.get("taskSets", []):
            if task_set.get("status") != "DRAINING" or task_set.get("runningCount"):
                self.workload(task_set, raw, cluster, "task_set", task_set["taskSetArn"], controller)

    def workload(self, item: Raw, service: Raw, cluster: Raw, kind: str, arn: str, controller: str) -> None:
        td = self.task_definition(item.get("taskDefinition", ""))
        launch = item.get("launchType") or None
        strategy = [s.get("capacityProvider") for s in item.get("capacityProviderStrategy") or []]
        providers: list[str] | Unknown | None = strategy or None
        if not strategy and not launch:
            if cluster.get("unread"):
                providers = unread("the cluster's default capacity provider strategy")
            else:
                default = cluster.get("defaultCapacityProviderStrategy") or []
                providers = [s.get("capacityProvider") for s in default] or None
        version = item.get("platformVersion") or None
        if (
            controller == "CODE_DEPLOY"
            and version not in (None, "LATEST")
            and _version_at_least(version, 1, 4)
        ):
            # CODE_DEPLOY services report the version LATEST resolved to, not what was requested.
            version = Unknown("CODE_DEPLOY services report the resolved platform version")
        workload = Workload(
            loc=at(arn),
            workload_type=kind,
            name=service.get("serviceName") if kind == "service" else arn.rsplit("/", 1)[-1],
            task_definition=td,
            task_definition_ref=item.get("taskDefinition"),
            launch_type=launch,
            capacity_providers=providers,
            platform_version=version,
            platform_family=item.get("platformFamily") or None,
            cluster=service.get("clusterArn"),
        )
        self._placement[id(workload)] = (
            launch,
            _placed_providers(item if strategy or launch else cluster),
            bool(item.get("placementConstraints") or service.get("placementConstraints")),
        )
        awsvpc = (item.get("networkConfiguration") or {}).get("awsvpcConfiguration")
        if awsvpc is not None and td is not None and td.efs_volumes:
            workload.subnets = [self.subnet(s) for s in awsvpc.get("subnets", [])]
            groups = awsvpc.get("securityGroups") or []
            workload.security_groups = [self.security_group(g) for g in groups] or None
        elif awsvpc is not None:
            workload.subnets = unread("subnets of a workload without EFS (not read)")
        self.model.workloads.append(workload)
        if kind in ("service", "task_set"):
            self._workloads.setdefault(
                (service.get("clusterArn", ""), service.get("serviceName", "")), workload
            )

    def instance_capacity(self) -> None:
        """Bridge/host tasks mount EFS from their instance's primary ENI: give each such workload
        the container instances it may be placed on, grouped by subnet and security groups."""
        for workload in self.model.workloads:
            td = workload.task_definition
            if td is None or not td.efs_volumes or td.network_mode not in ("bridge", "host", None):
                continue
            launch, providers, constrained = self._placement.get(id(workload), (None, [], True))
            instances = self.data.container_instances.get(str(workload.cluster or ""))
            if constrained or not instances:
                continue  # placement constraints may keep the tasks off some instances
            chosen = [
                raw
                for raw in instances
                if raw.get("status", "ACTIVE") == "ACTIVE"
                and (launch == "EC2" or raw.get("capacityProviderName") in providers)
            ]
            # One client per set of security groups (one fix), across the subnets it spans.
            grouped: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}
            for raw in chosen:
                ec2 = self.data.instances.get(raw.get("ec2InstanceId", ""))
                subnet, groups = primary_interface(ec2) if ec2 else (None, None)
                if subnet and groups:
                    subnets, arns = grouped.setdefault(tuple(groups), ([], []))
                    subnets.extend([subnet] if subnet not in subnets else [])
                    arns.append(raw["containerInstanceArn"])
            for groups, (subnets, arns) in grouped.items():
                ids = [a.rsplit("/", 1)[-1] for a in arns]
                label = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
                workload.instance_capacity.append(
                    InstanceCapacity(
                        loc=at(arns[0]),
                        label=label,
                        subnets=[self.subnet(s) for s in subnets],
                        security_groups=[self.security_group(g) for g in groups],
                    )
                )

    def container_instance(self, cluster: str, raw: Raw) -> None:
        attributes = {a["name"]: a.get("value") for a in raw.get("attributes", [])}
        self.model.container_instances.append(
            ContainerInstance(
                loc=at(raw["containerInstanceArn"]),
                arn=raw["containerInstanceArn"],
                cluster=cluster,
                agent_version=(raw.get("versionInfo") or {}).get("agentVersion")
                or Unknown("agent version not reported"),
                attributes=set(attributes),
                os_type=attributes.get("ecs.os-type"),
            )
        )

    def stopped_tasks(self) -> None:
        """One entity per workload (or task definition) and stopped reason: the newest task."""
        groups: dict[tuple[str, str, str], StoppedTask] = {}
        tasks = sorted(self.data.stopped_tasks, key=lambda t: str(t.get("stoppedAt", "")), reverse=True)
        for raw in tasks:
            reason = raw.get("stoppedReason") or ""
            key = (raw.get("clusterArn", ""), raw.get("group") or raw.get("taskDefinitionArn", ""), reason)
            if key in groups:
                groups[key].count += 1
                continue
            workload = None
            group = raw.get("group") or ""
            if group.startswith("service:"):
                workload = self._workloads.get((raw.get("clusterArn", ""), group.split(":", 1)[1]))
            stopped_at = raw.get("stoppedAt")
            groups[key] = StoppedTask(
                loc=at(raw["taskArn"]),
                arn=raw["taskArn"],
                cluster=raw.get("clusterArn", ""),
                stopped_reason=reason,
                stop_code=raw.get("stopCode"),
                stopped_at=stopped_at.isoformat() if hasattr(stopped_at, "isoformat") else stopped_at,
                availability_zone=raw.get("availabilityZone"),
                task_definition=self.task_definition(raw.get("taskDefinitionArn", "")),
                workload=workload,
            )
        self.model.stopped_tasks.extend(groups.values())

    # ---- EFS -------------------------------------------------------------------------------

    def file_system(self, fs_id: str) -> FileSystem:
        if fs_id in self._file_systems:
            return self._file_systems[fs_id]
        raw = (self.data.file_systems or {}).get(fs_id, {})
        arn = raw.get("FileSystemArn") or self.arn("elasticfilesystem", f"file-system/{fs_id}")
        loc = at(arn)
        fs = FileSystem(
            loc=loc,
            id=fs_id,
            encrypted=bool(raw.get("Encrypted", False)),
            availability_zone=raw.get("AvailabilityZoneName") or None,
            defined_here=False,
        )
        self._file_systems[fs_id] = fs
        self.model.file_systems.append(fs)

        policy = self.data.policies.get(fs_id)
        if isinstance(policy, NotFound):
            fs.policy = None
        elif isinstance(policy, dict):
            fs.policy = parse_policy_document(policy.get("Policy", ""), loc)
        else:
            fs.policy = unread("the file system policy")

        backup = self.data.backups.get(fs_id)
        if isinstance(backup, NotFound):
            fs.backup = False
        elif isinstance(backup, dict):
            fs.backup = (backup.get("BackupPolicy") or {}).get("Status") in ("ENABLED", "ENABLING")
        else:
            fs.backup = unread("the backup policy")

        targets = self.data.mount_targets.get(fs_id)
        fs.mount_targets_known = targets is not None
        for mt in targets or []:
            if mt.get("LifeCycleState") in ("deleting", "deleted"):
                continue
            target = MountTarget(
                loc=at(f"{arn}/mount-target/{mt['MountTargetId']}"),
                file_system=fs,
                subnet=self.subnet(mt["SubnetId"]),
            )
            groups = self.data.mount_target_groups.get(mt["MountTargetId"])
            target.security_groups = (
                [self.security_group(g) for g in groups]
                if groups is not None
                else unread("the mount target's security groups")
            )
            fs.mount_targets.append(target)
            self.model.mount_targets.append(target)

        for raw_ap in self.data.access_points.get(fs_id) or []:
            self.access_point_from(raw_ap)
        return fs

    def access_point(self, ap_id: str) -> AccessPoint | None:
        if ap_id in self._access_points:
            return self._access_points[ap_id]
        for listed in self.data.access_points.values():
            for raw in listed or []:
                if raw.get("AccessPointId") == ap_id:
                    return self.access_point_from(raw)
        extra = self.data.extra_access_points.get(ap_id)
        if isinstance(extra, dict):
            return self.access_point_from(extra)
        return None

    def access_point_from(self, raw: Raw) -> AccessPoint:
        ap_id = raw["AccessPointId"]
        if ap_id in self._access_points:
            return self._access_points[ap_id]
        posix = raw.get("PosixUser")
        root = raw.get("RootDirectory") or {}
        ap = AccessPoint(
            loc=at(raw.get("AccessPointArn") or self.arn("elasticfilesystem", f"access-point/{ap_id}")),
            id=ap_id,
            file_system_id=raw.get("FileSystemId"),
            posix_user=PosixUser(posix.get("Uid"), posix.get("Gid")) if posix else None,
            root_path=root.get("Path") or "/",
            creation_info=bool(root.get("CreationInfo")),
        )
        self._access_points[ap_id] = ap
        self.model.access_points.append(ap)
        fs_id = raw.get("FileSystemId")
        if fs_id and self.data.file_systems is not None and fs_id in self.data.file_systems:
            ap.file_system = self.file_system(fs_id)
            if ap not in ap.file_system.access_points:
                ap.file_system.access_points.append(ap)
        return ap

    # ---- EC2 -------------------------------------------------------------------------------

    def subnet(self, subnet_id: str, into: Subnet | None = None) -> Subnet:
        """The subnet's entity; ``into`` is a front-end placeholder to fill and adopt instead."""
        if subnet_id in self._subnets:
            return self._subnets[subnet_id]
        raw = self.data.subnets.get(subnet_id)
        subnet = into or Subnet(loc=at(self.arn("ec2", f"subnet/{subnet_id}")), id=subnet_id)
        self._subnets[subnet_id] = subnet
        if into is None:
            self.model.subnets.append(subnet)
        if isinstance(raw, dict):
            subnet.availability_zone = raw.get("AvailabilityZone") or unread("the subnet's AZ")
            subnet.vpc = self.vpc(raw["VpcId"])
            subnet.cidr = raw.get("CidrBlock")
            subnet.map_public_ip = bool(raw.get("MapPublicIpOnLaunch", False))
            subnet.route_to_igw = self._route_to_igw(raw)
        elif into is None:
            why = unread("the subnet")
            subnet.availability_zone = subnet.vpc = subnet.cidr = why
            subnet.map_public_ip = subnet.route_to_igw = why
        return subnet

    def _route_to_igw(self, raw: Raw) -> bool | Unknown:
        tables = self.data.route_tables.get(raw["VpcId"])
        if tables is None:
            return unread("the route tables")
        subnet_id = raw["SubnetId"]
        explicit = [
            t for t in tables if any(a.get("SubnetId") == subnet_id for a in t.get("Associations", []))
        ]
        main = [t for t in tables if any(a.get("Main") for a in t.get("Associations", []))]
        chosen = explicit or main
        if not chosen:
            return unread("the subnet's route table")
        return any(
            str(r.get("GatewayId", "")).startswith("igw-") and r.get("State", "active") == "active"
            for r in chosen[0].get("Routes", [])
        )

    def vpc(self, vpc_id: str) -> Vpc:
        if vpc_id in self._vpcs:
            return self._vpcs[vpc_id]
        attrs = self.data.vpc_attributes.get(vpc_id, {})
        support, hostnames = attrs.get("enableDnsSupport"), attrs.get("enableDnsHostnames")
        vpc = Vpc(
            loc=at(self.arn("ec2", f"vpc/{vpc_id}")),
            id=vpc_id,
            dns_support=support if isinstance(support, bool) else unread("enableDnsSupport"),
            dns_hostnames=hostnames if isinstance(hostnames, bool) else unread("enableDnsHostnames"),
        )
        self._vpcs[vpc_id] = vpc
        self.model.vpcs.append(vpc)
        return vpc

    def security_group(self, group_id: str, into: SecurityGroup | None = None) -> SecurityGroup:
        """The group's entity; ``into`` is a front-end placeholder to fill and adopt instead."""
        if group_id in self._groups:
            return self._groups[group_id]
        raw = self.data.security_groups.get(group_id)
        group = into or SecurityGroup(loc=at(self.arn("ec2", f"security-group/{group_id}")), id=group_id)
        self._groups[group_id] = group
        if into is None:
            self.model.security_groups.append(group)
        if not isinstance(raw, dict):
            if into is None:
                group.rules_known = False
                group.vpc = unread("the security group")
            return group
        group.rules_known = True
        group.vpc = self.vpc(raw["VpcId"]) if raw.get("VpcId") else None
        group.ingress = self._rules(group, raw.get("IpPermissions", []), "ingress")
        group.egress = self._rules(group, raw.get("IpPermissionsEgress", []), "egress")
        return group

    def _rules(self, group: SecurityGroup, permissions: list[Raw], direction: str) -> list[SecurityGroupRule]:
        rules: list[SecurityGroupRule] = []
        for index, perm in enumerate(permissions):
            protocol = str(perm.get("IpProtocol", "-1")).lower()
            protocol = _PROTOCOLS.get(protocol, protocol)
            ports = (None, None) if protocol == "-1" else (perm.get("FromPort"), perm.get("ToPort"))
            loc = at(f"{group.loc.file}/{direction}/{index}")

            def rule(
                loc: Location = loc, protocol: str = protocol, ports: tuple = ports, **peer: Any
            ) -> None:
                item = SecurityGroupRule(loc=loc, direction=direction, protocol=protocol, **peer)
                item.from_port, item.to_port = ports
                rules.append(item)

            for r in perm.get("IpRanges", []):
                rule(cidr_ipv4=r.get("CidrIp"))
            for r in perm.get("Ipv6Ranges", []):
                rule(cidr_ipv6=r.get("CidrIpv6"))
            for r in perm.get("UserIdGroupPairs", []):
                peer_id = r.get("GroupId")
                rule(peer_group=self.security_group(peer_id) if peer_id else Unknown("peer group by name"))
            for r in perm.get("PrefixListIds", []):
                rule(prefix_list=r.get("PrefixListId"))
        return rules

    # ---- IAM -------------------------------------------------------------------------------

    def role(self, arn: str) -> Role:
        if arn in self._roles:
            return self._roles[arn]
        data = self.roles.get(arn)
        role = Role(loc=at(arn), arn=arn)
        if data is None or data.documents is None:
            role.statements_known = False
        else:
            for document in data.documents:
                parsed = parse_policy_document(document, role.loc)
                if isinstance(parsed, Unknown):
                    role.statements_known = False
                else:
                    role.statements.extend(parsed)
        self._roles[arn] = role
        self.model.roles.append(role)
        return role


def literal_id(value: object, prefix: str) -> str | None:
    """``value`` when it is a literal id the account could have (an ARN is EFS109's business)."""
    if isinstance(value, str) and value.startswith(prefix) and "/" not in value and ":" not in value:
        return value
    return None


def _version_at_least(version: str, major: int, minor: int) -> bool:
    parts = version.split(".")
    try:
        return (int(parts[0]), int(parts[1])) >= (major, minor)
    except (ValueError, IndexError):
        return False


def _placed_providers(source: Raw) -> list[str]:
    """Capacity providers of a strategy (the workload's or the cluster's default) that get tasks:
    a provider with weight 0 and no base gets none."""
    strategy = source.get("capacityProviderStrategy") or source.get("defaultCapacityProviderStrategy") or []
    return [
        s["capacityProvider"]
        for s in strategy
        if isinstance(s.get("capacityProvider"), str)
        and ((s.get("weight") or 0) > 0 or (s.get("base") or 0) > 0)
    ]


def not_checked(model: Model, root: str, gaps: list[Any]) -> None:
    """Group the gaps of one Region into NotChecked entities (one per action and error)."""
    grouped: dict[tuple[str, str], NotChecked] = {}
    for gap in gaps:
        key = (gap.action, gap.error)
        entry = grouped.get(key)
        if entry is None:
            entry = grouped[key] = NotChecked(
                loc=Location(root, 0, 0, f"{root}#{gap.action}"), action=gap.action, error=gap.error,
                affects=gap.affects,
            )  # fmt: skip
        if gap.resource and gap.resource not in entry.resources:
            entry.resources.append(gap.resource)
    model.not_checked.extend(grouped.values())
