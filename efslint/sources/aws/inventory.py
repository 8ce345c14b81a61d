"""What the scanner reads from one Region, in dependency order, each resource once.

The crawl runs in phases; the calls inside a phase are independent and run together on the
reader's bounded pool.  Batching follows the API limits (10 services, 100 tasks, 100 container
instances, 100 clusters a call); EC2 reads are batched by id; a mount target's security groups
come from its network interface, read in batches, instead of one call per mount target.
Raw API responses are kept as they are; :mod:`.mapping` turns them into the model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .reader import NOT_FOUND, NotFound, Reader, chunks

EC2_BATCH = 200
FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")

Raw = dict[str, Any]


@dataclass
class RegionData:
    region: str
    account: str
    partition: str = "aws"
    clusters: dict[str, Raw] = field(default_factory=dict)
    # Clusters named with --cluster that DescribeClusters did not find here.
    missing_clusters: list[str] = field(default_factory=list)
    services: list[Raw] = field(default_factory=list)
    stopped_tasks: list[Raw] = field(default_factory=list)
    # EventBridge rule targets and Scheduler schedules that run tasks on a scanned cluster:
    # (workload type, ARN, cluster ARN, launch parameters in DescribeServices' spelling).
    scheduled: list[tuple[str, str, str, Raw]] = field(default_factory=list)
    # Task definition ARN -> description (None: could not be read).
    task_definitions: dict[str, Raw | None] = field(default_factory=dict)
    # Cluster ARN -> container instances (None: could not be read).
    container_instances: dict[str, list[Raw] | None] = field(default_factory=dict)
    # Every file system of the Region, when DescribeFileSystems could be read.
    file_systems: dict[str, Raw] | None = None
    mount_targets: dict[str, list[Raw] | None] = field(default_factory=dict)
    access_points: dict[str, list[Raw] | None] = field(default_factory=dict)
    # Access points looked up by id (referenced but not among their file system's).
    extra_access_points: dict[str, Raw | NotFound | None] = field(default_factory=dict)
    policies: dict[str, Raw | NotFound | None] = field(default_factory=dict)
    backups: dict[str, Raw | NotFound | None] = field(default_factory=dict)
    # Mount target id -> security group ids (None: could not be read).
    mount_target_groups: dict[str, list[str] | None] = field(default_factory=dict)
    subnets: dict[str, Raw | None] = field(default_factory=dict)
    route_tables: dict[str, list[Raw] | None] = field(default_factory=dict)
    vpc_attributes: dict[str, dict[str, bool | None]] = field(default_factory=dict)
    security_groups: dict[str, Raw | NotFound | None] = field(default_factory=dict)
    # EC2 instance id -> DescribeInstances item, for container instances of EC2 clusters whose
    # bridge/host tasks mount EFS from the instance's network interface (None: could not be read).
    instances: dict[str, Raw | None] = field(default_factory=dict)
    # AWS Batch resources (:mod:`.batch`), None when Batch was not read.
    batch: dict[str, Any] | None = None

    @property
    def root(self) -> str:
        return f"aws://{self.region}/{self.account}"


def run_together(reader: Reader, jobs: Iterable[Callable[[], Any]]) -> None:
    reader.map(lambda job: job(), list(jobs))


# --------------------------------------------------------------------------------------------
# ECS


def crawl_ecs(reader: Reader, data: RegionData, clusters: list[str], services: list[str]) -> None:
    region = data.region
    _clusters(reader, data, clusters)
    arns = list(data.clusters)
    service_arns: dict[str, list[str] | None] = {}
    stopped_arns: dict[str, list[str] | None] = {}

    def list_services(cluster: str) -> None:
        if services:
            service_arns[cluster] = list(services)
            return
        service_arns[cluster] = reader.pages(  # type: ignore[assignment]
            "ecs", region, "ListServices", "serviceArns", cluster=cluster, page_size=100,
            affects="the cluster's services (every workload check)", resource=cluster,
        )  # fmt: skip

    def list_stopped(cluster: str) -> None:
        stopped_arns[cluster] = reader.pages(  # type: ignore[assignment]
            "ecs", region, "ListTasks", "taskArns", cluster=cluster, desiredStatus="STOPPED", page_size=100,
            affects="recent EFS mount failures (EFS903)", resource=cluster,
        )  # fmt: skip

    run_together(
        reader,
        [*(lambda c=c: list_services(c) for c in arns), *(lambda c=c: list_stopped(c) for c in arns)],
    )

    def describe_services(cluster: str, names: list[str]) -> list[Raw]:
        found = reader.call(
            "ecs", region, "DescribeServices", cluster=cluster, services=names,
            affects="the cluster's services (every workload check)", resource=cluster,
        )  # fmt: skip
        return list(found.get("services", [])) if isinstance(found, dict) else []

    def describe_tasks(cluster: str, tasks: list[str]) -> list[Raw]:
        found = reader.call(
            "ecs", region, "DescribeTasks", cluster=cluster, tasks=tasks,
            affects="recent EFS mount failures (EFS903)", resource=cluster,
        )  # fmt: skip
        return list(found.get("tasks", [])) if isinstance(found, dict) else []

    jobs: list[Callable[[], list[Raw]]] = []
    kinds: list[str] = []
    for cluster in arns:
        for batch in chunks(service_arns.get(cluster) or [], 10):
            jobs.append(lambda c=cluster, b=batch: describe_services(c, b))
            kinds.append("service")
        for batch in chunks(stopped_arns.get(cluster) or [], 100):
            jobs.append(lambda c=cluster, b=batch: describe_tasks(c, b))
            kinds.append("task")
    for kind, found in zip(kinds, reader.map(lambda job: job(), jobs), strict=True):
        if kind == "service":
            data.services.extend(s for s in found if s.get("status") != "INACTIVE")
        else:
            data.stopped_tasks.extend(found)
    if services:
        # Only the named services' stopped tasks (a service's tasks carry group "service:<name>").
        groups = {f"service:{s['serviceName']}" for s in data.services}
        data.stopped_tasks = [t for t in data.stopped_tasks if t.get("group") in groups]


def _clusters(reader: Reader, data: RegionData, wanted: list[str]) -> None:
    region = data.region
    names = wanted
    if not names:
        listed = reader.pages(
            "ecs", region, "ListClusters", "clusterArns", page_size=100,
            affects="every cluster of the Region", resource=data.root,
        )  # fmt: skip
        names = listed if isinstance(listed, list) else []
    for batch in chunks(names, 100):
        found = reader.call(
            "ecs", region, "DescribeClusters", clusters=batch,
            affects="cluster default capacity providers (EFS201-EFS203)", resource=data.root,
        )  # fmt: skip
        if isinstance(found, dict):
            for cluster in found.get("clusters", []):
                if cluster.get("status") != "INACTIVE":
                    data.clusters[cluster["clusterArn"]] = cluster
            data.missing_clusters += [f.get("arn", "") for f in found.get("failures", [])]
        else:
            # Without the description the cluster is still scanned, only its defaults are unknown.
            for name in batch:
                data.clusters.setdefault(name, {"clusterArn": name, "unread": True})


def task_definition_arns(data: RegionData) -> list[str]:
    arns: dict[str, None] = {}
    for service in data.services:
        for item in (service, *service.get("deployments", []), *service.get("taskSets", [])):
            if item.get("taskDefinition"):
                arns[item["taskDefinition"]] = None
    for _, _, _, item in data.scheduled:
        arns[item["taskDefinition"]] = None
    for task in data.stopped_tasks:
        if task.get("taskDefinitionArn"):
            arns[task["taskDefinitionArn"]] = None
    return list(arns)


def launch_items(data: RegionData) -> list[tuple[Raw, str]]:
    """Everything that launches tasks, with its cluster: services, their deployments and task
    sets, EventBridge targets and schedules."""
    items: list[tuple[Raw, str]] = []
    for service in data.services:
        for item in (service, *service.get("deployments", []), *service.get("taskSets", [])):
            items.append((item, service.get("clusterArn", "")))
    items += [(item, cluster) for _, _, cluster, item in data.scheduled]
    return items


def _launch_parameters(ecs: Raw) -> Raw:
    """EventBridge/Scheduler ``EcsParameters`` in the spelling of DescribeServices."""
    awsvpc = (ecs.get("NetworkConfiguration") or {}).get("awsvpcConfiguration")
    item: Raw = {
        "taskDefinition": ecs.get("TaskDefinitionArn", ""),
        "launchType": ecs.get("LaunchType"),
        "platformVersion": ecs.get("PlatformVersion"),
        "capacityProviderStrategy": ecs.get("CapacityProviderStrategy") or [],
    }
    if awsvpc is not None:
        item["networkConfiguration"] = {
            "awsvpcConfiguration": {
                "subnets": awsvpc.get("Subnets") or [],
                "securityGroups": awsvpc.get("SecurityGroups") or [],
            }
        }
    return item


def crawl_scheduled(reader: Reader, data: RegionData) -> None:
    """EventBridge rules (default bus) and Scheduler schedules whose target is a scanned cluster."""
    region, clusters = data.region, list(data.clusters)
    affects = "tasks launched by EventBridge rules and schedules (workload checks)"
    rule_names: dict[str, list[str] | None] = {}
    summaries: list[Raw] = []

    def rules_of(cluster: str) -> None:
        rule_names[cluster] = reader.pages(  # type: ignore[assignment]
            "events", region, "ListRuleNamesByTarget", "RuleNames", TargetArn=cluster, page_size=100,
            affects=affects, resource=cluster,
        )  # fmt: skip

    def schedules() -> None:
        found = reader.pages(
            "scheduler",
            region,
            "ListSchedules",
            "Schedules",
            page_size=100,
            affects=affects,
            resource=data.root,
        )
        summaries.extend(found if isinstance(found, list) else [])

    run_together(reader, [*(lambda c=c: rules_of(c) for c in clusters), schedules])
    wanted = set(clusters)

    def targets(rule: str) -> None:
        found = reader.pages(
            "events",
            region,
            "ListTargetsByRule",
            "Targets",
            Rule=rule,
            page_size=100,
            affects=affects,
            resource=rule,
        )
        arn = f"arn:{data.partition}:events:{region}:{data.account}:rule/{rule}"
        for target in found if isinstance(found, list) else []:
            if target.get("Arn") in wanted and target.get("EcsParameters"):
                data.scheduled.append(
                    ("events_rule", arn, target["Arn"], _launch_parameters(target["EcsParameters"]))
                )

    def schedule(summary: Raw) -> None:
        group = summary.get("GroupName", "default")
        found = reader.call(
            "scheduler", region, "GetSchedule", Name=summary["Name"], GroupName=group, affects=affects,
            resource=summary.get("Arn", ""),
        )  # fmt: skip
        target = found.get("Target", {}) if isinstance(found, dict) else {}
        if target.get("EcsParameters"):
            data.scheduled.append(
                ("schedule", found["Arn"], target["Arn"], _launch_parameters(target["EcsParameters"]))
            )

    names = sorted({name for found in rule_names.values() for name in found or []})
    ecs_schedules = [s for s in summaries if (s.get("Target") or {}).get("Arn") in wanted]
    run_together(
        reader, [*(lambda n=n: targets(n) for n in names), *(lambda s=s: schedule(s) for s in ecs_schedules)]
    )


def task_definition_jobs(reader: Reader, data: RegionData, arns: list[str]) -> list[Callable[[], None]]:
    def describe(arn: str) -> None:
        found = reader.call(
            "ecs", data.region, "DescribeTaskDefinition", taskDefinition=arn,
            affects="the task definition's EFS volumes (every rule on them)", resource=arn,
        )  # fmt: skip
        data.task_definitions[arn] = found.get("taskDefinition") if isinstance(found, dict) else None

    return [lambda a=a: describe(a) for a in arns]


def uses_efs(td: Raw | None) -> bool:
    return bool(td) and any("efsVolumeConfiguration" in v for v in td.get("volumes", []))  # type: ignore[union-attr]


def may_run_on_ec2(item: Raw, cluster: Raw) -> bool:
    """Whether a service or task set can place tasks on container instances (not Fargate-only)."""
    launch = item.get("launchType")
    if launch:
        return launch == "EC2"
    strategy = item.get("capacityProviderStrategy") or cluster.get("defaultCapacityProviderStrategy") or []
    return any(s.get("capacityProvider") not in FARGATE_PROVIDERS for s in strategy)


def ec2_efs_clusters(data: RegionData) -> list[str]:
    found: dict[str, None] = {}
    for item, cluster in launch_items(data):
        td = data.task_definitions.get(item.get("taskDefinition", ""))
        if uses_efs(td) and may_run_on_ec2(item, data.clusters.get(cluster, {})):
            found[cluster] = None
    return list(found)


def container_instance_jobs(
    reader: Reader, data: RegionData, clusters: list[str]
) -> list[Callable[[], None]]:
    def read(cluster: str) -> None:
        affects = "ECS agent version and EFS capabilities of container instances (EFS204)"
        arns = reader.pages(
            "ecs", data.region, "ListContainerInstances", "containerInstanceArns", cluster=cluster,
            page_size=100, affects=affects, resource=cluster,
        )  # fmt: skip
        if not isinstance(arns, list):
            data.container_instances[cluster] = None
            return
        instances: list[Raw] = []
        for batch in chunks(arns, 100):
            found = reader.call(
                "ecs", data.region, "DescribeContainerInstances", cluster=cluster,
                containerInstances=batch, affects=affects, resource=cluster,
            )  # fmt: skip
            if not isinstance(found, dict):
                data.container_instances[cluster] = None
                return
            instances.extend(found.get("containerInstances", []))
        data.container_instances[cluster] = instances

    return [lambda c=c: read(c) for c in clusters]


# --------------------------------------------------------------------------------------------
# EFS


def list_file_systems(reader: Reader, data: RegionData) -> None:
    found = reader.pages(
        "efs", data.region, "DescribeFileSystems", "FileSystems", page_size=100,
        affects="file systems (EFS901 and every file-system rule)", resource=data.root,
    )  # fmt: skip
    if isinstance(found, list):
        data.file_systems = {fs["FileSystemId"]: fs for fs in found}


def file_system_jobs(reader: Reader, data: RegionData, fs_ids: list[str]) -> list[Callable[[], None]]:
    region = data.region
    jobs: list[Callable[[], None]] = []
    for fs_id in fs_ids:

        def mount_targets(fs_id: str = fs_id) -> None:
            data.mount_targets[fs_id] = reader.pages(  # type: ignore[assignment]
                "efs", region, "DescribeMountTargets", "MountTargets", FileSystemId=fs_id,
                affects="mount targets (EFS301-EFS310)", resource=fs_id,
            )  # fmt: skip

        def access_points(fs_id: str = fs_id) -> None:
            data.access_points[fs_id] = reader.pages(  # type: ignore[assignment]
                "efs", region, "DescribeAccessPoints", "AccessPoints", FileSystemId=fs_id, page_size=100,
                affects="access points (EFS502-EFS505, EFS902)", resource=fs_id,
            )  # fmt: skip

        def policy(fs_id: str = fs_id) -> None:
            data.policies[fs_id] = reader.call(
                "efs", region, "DescribeFileSystemPolicy", FileSystemId=fs_id,
                not_found=("PolicyNotFound",), affects="the file system policy (EFS401-EFS406)",
                resource=fs_id,
            )  # fmt: skip

        def backup(fs_id: str = fs_id) -> None:
            data.backups[fs_id] = reader.call(
                "efs", region, "DescribeBackupPolicy", FileSystemId=fs_id,
                not_found=("PolicyNotFound",), affects="automatic backups (EFS506)", resource=fs_id,
            )  # fmt: skip

        jobs += [mount_targets, access_points, policy, backup]
    return jobs


def access_point_jobs(reader: Reader, data: RegionData, ap_ids: list[str]) -> list[Callable[[], None]]:
    def read(ap_id: str) -> None:
        found = reader.call(
            "efs", data.region, "DescribeAccessPoints", AccessPointId=ap_id,
            not_found=("AccessPointNotFound",), affects="the access point (EFS902, EFS502)",
            resource=ap_id,
        )  # fmt: skip
        if isinstance(found, dict):
            items = found.get("AccessPoints", [])
            data.extra_access_points[ap_id] = items[0] if items else NOT_FOUND
        else:
            data.extra_access_points[ap_id] = found

    return [lambda a=a: read(a) for a in ap_ids]


# --------------------------------------------------------------------------------------------
# EC2


def mount_target_group_jobs(reader: Reader, data: RegionData) -> list[Callable[[], None]]:
    """Security groups of every mount target, from their network interfaces (batched)."""
    by_eni: dict[str, str] = {}
    for targets in data.mount_targets.values():
        for mt in targets or []:
            if mt.get("NetworkInterfaceId"):
                by_eni[mt["NetworkInterfaceId"]] = mt["MountTargetId"]
            else:
                data.mount_target_groups[mt["MountTargetId"]] = None

    def read(batch: list[str]) -> None:
        found = reader.pages(
            "ec2", data.region, "DescribeNetworkInterfaces", "NetworkInterfaces", NetworkInterfaceIds=batch,
            not_found=("InvalidNetworkInterfaceID.NotFound",),
            affects="mount target security groups (EFS304-EFS306)", resource=", ".join(batch[:3]),
        )  # fmt: skip
        seen: set[str] = set()
        for eni in found if isinstance(found, list) else []:
            seen.add(eni["NetworkInterfaceId"])
            mt_id = by_eni.get(eni["NetworkInterfaceId"])
            if mt_id:
                data.mount_target_groups[mt_id] = [g["GroupId"] for g in eni.get("Groups", [])]
        for eni_id in batch:
            if eni_id not in seen:
                data.mount_target_groups.setdefault(by_eni[eni_id], None)

    return [lambda b=b: read(b) for b in chunks(sorted(by_eni), EC2_BATCH)]


def missing_group_fallback_jobs(reader: Reader, data: RegionData) -> list[Callable[[], None]]:
    """Mount targets whose interface could not be read: ask EFS, one mount target a call."""

    def read(mt_id: str) -> None:
        found = reader.call(
            "efs", data.region, "DescribeMountTargetSecurityGroups", MountTargetId=mt_id,
            affects="mount target security groups (EFS304-EFS306)", resource=mt_id,
        )  # fmt: skip
        data.mount_target_groups[mt_id] = list(found["SecurityGroups"]) if isinstance(found, dict) else None

    missing = [mt for mt, groups in data.mount_target_groups.items() if groups is None]
    return [lambda m=m: read(m) for m in missing]


def _batched_ids(
    reader: Reader, data: RegionData, operation: str, key: str, id_param: str, id_field: str,
    ids: list[str], target: dict[str, Any], affects: str, not_found: str,
) -> list[Callable[[], None]]:  # fmt: skip
    def read(batch: list[str]) -> None:
        found = reader.pages(
            "ec2", data.region, operation, key, affects=affects, resource=", ".join(batch[:3]),
            not_found=(not_found,), **{id_param: batch},
        )  # fmt: skip
        if found is NOT_FOUND and len(batch) > 1:
            # One stale id fails the whole batch; ask for the ids one by one to find the others.
            for one in batch:
                read([one])
            return
        for item in found if isinstance(found, list) else []:
            target[item[id_field]] = item
        for one in batch:
            target.setdefault(one, NOT_FOUND if found is NOT_FOUND else None)

    return [lambda b=b: read(b) for b in chunks(sorted(set(ids)), EC2_BATCH)]


def container_instance_ec2_ids(data: RegionData) -> list[str]:
    """EC2 instance ids of the container instances read (their ENIs carry bridge/host traffic)."""
    ids = {
        raw["ec2InstanceId"]
        for instances in data.container_instances.values()
        for raw in instances or []
        if isinstance(raw.get("ec2InstanceId"), str)
    }
    return sorted(ids)


def instance_jobs(reader: Reader, data: RegionData, ids: list[str]) -> list[Callable[[], None]]:
    affects = "security groups of EC2 container instances for bridge/host tasks (EFS304, EFS305)"

    def read(batch: list[str]) -> None:
        found = reader.pages(
            "ec2", data.region, "DescribeInstances", "Reservations", InstanceIds=batch,
            affects=affects, resource=", ".join(batch[:3]), not_found=("InvalidInstanceID.NotFound",),
        )  # fmt: skip
        for reservation in found if isinstance(found, list) else []:
            for item in reservation.get("Instances", []):
                data.instances[item["InstanceId"]] = item
        for one in batch:
            data.instances.setdefault(one, None)

    return [lambda b=b: read(b) for b in chunks(ids, EC2_BATCH)]


def primary_interface(instance: Raw) -> tuple[str | None, list[str] | None]:
    """(subnet id, security group ids) of the instance's primary network interface."""
    for eni in instance.get("NetworkInterfaces") or []:
        if (eni.get("Attachment") or {}).get("DeviceIndex") == 0:
            return eni.get("SubnetId"), [g["GroupId"] for g in eni.get("Groups") or [] if "GroupId" in g]
    groups = instance.get("SecurityGroups")
    ids = [g["GroupId"] for g in groups if "GroupId" in g] if isinstance(groups, list) else None
    return instance.get("SubnetId"), ids or None


def subnet_jobs(reader: Reader, data: RegionData, ids: list[str]) -> list[Callable[[], None]]:
    return _batched_ids(
        reader, data, "DescribeSubnets", "Subnets", "SubnetIds", "SubnetId", ids, data.subnets,
        "subnets: Availability Zone, VPC, public IPs (EFS301-EFS310)", "InvalidSubnetID.NotFound",
    )  # fmt: skip


def security_group_jobs(reader: Reader, data: RegionData, ids: list[str]) -> list[Callable[[], None]]:
    return _batched_ids(
        reader, data, "DescribeSecurityGroups", "SecurityGroups", "GroupIds", "GroupId", ids,
        data.security_groups, "security group rules (EFS304-EFS306)", "InvalidGroup.NotFound",
    )  # fmt: skip


def vpc_jobs(reader: Reader, data: RegionData, vpc_ids: list[str]) -> list[Callable[[], None]]:
    jobs: list[Callable[[], None]] = []
    for vpc_id in vpc_ids:
        attrs = data.vpc_attributes.setdefault(vpc_id, {})
        for attribute, key in (
            ("enableDnsSupport", "EnableDnsSupport"),
            ("enableDnsHostnames", "EnableDnsHostnames"),
        ):

            def read(vpc_id: str = vpc_id, attribute: str = attribute, key: str = key, attrs=attrs) -> None:
                found = reader.call(
                    "ec2", data.region, "DescribeVpcAttribute", VpcId=vpc_id, Attribute=attribute,
                    affects="VPC DNS settings (EFS307)", resource=vpc_id,
                )  # fmt: skip
                attrs[attribute] = found.get(key, {}).get("Value") if isinstance(found, dict) else None

            jobs.append(read)

    def routes(batch: list[str]) -> None:
        found = reader.pages(
            "ec2", data.region, "DescribeRouteTables", "RouteTables",
            Filters=[{"Name": "vpc-id", "Values": batch}],
            affects="routes to internet gateways (EFS308)", resource=", ".join(batch[:3]),
        )  # fmt: skip
        for vpc_id in batch:
            data.route_tables[vpc_id] = (
                [t for t in found if t.get("VpcId") == vpc_id] if isinstance(found, list) else None
            )

    jobs += [lambda b=b: routes(b) for b in chunks(sorted(vpc_ids), EC2_BATCH)]
    return jobs
