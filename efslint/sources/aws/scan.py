"""The live front-end: an AWS account (one or more Regions) → one Model per Region."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ...model import Model
from . import inventory as inv
from .mapping import RegionMapper, not_checked
from .reader import Reader
from .roles import RoleData, RoleReader
from .session import ClientFactory, ScanError, check_region

Progress = Callable[[str], None]


@dataclass
class ScanOptions:
    profile: str | None = None
    regions: list[str] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    endpoint_url: str | None = None
    all_file_systems: bool = False
    workers: int = 8
    concurrent: bool = True


@dataclass
class ScanResult:
    models: list[Model]
    regions: list[str]
    account: str
    calls: Counter[str]

    @property
    def empty(self) -> bool:
        """Nothing launches tasks in the scanned Regions (and nothing failed to read)."""
        return not any(
            m.workloads or m.task_definitions or m.stopped_tasks or m.not_checked or m.notes
            for m in self.models
        )

    @property
    def call_count(self) -> int:
        return sum(self.calls.values())


def _quiet(_: str) -> None:
    pass


def open_reader(options: ScanOptions) -> tuple[Reader, list[str], str, str]:
    """Credentials, Regions and the account, checked up front so bad setups fail in one line."""
    factory = ClientFactory(options.profile, options.endpoint_url)
    regions = list(dict.fromkeys(options.regions)) or [r for r in [factory.default_region()] if r]
    if not regions:
        raise ScanError("no AWS Region configured (pass --region or set AWS_REGION)")
    for region in regions:
        check_region(region)
    reader = Reader(factory, options.workers, options.concurrent)
    identity = reader.call("sts", regions[0], "GetCallerIdentity", affects="the account id")
    if not isinstance(identity, dict):
        reader.close()
        raise ScanError("cannot identify the account (sts:GetCallerIdentity failed)")
    partition = str(identity.get("Arn", "arn:aws:")).split(":")[1] or "aws"
    return reader, regions, str(identity.get("Account", "unknown")), partition


def scan(options: ScanOptions, progress: Progress = _quiet) -> ScanResult:
    reader, regions, account, partition = open_reader(options)
    try:
        datas = [inv.RegionData(region, account, partition) for region in regions]

        def crawl(data: inv.RegionData) -> None:
            crawl_region(reader, data, options, progress)

        if len(datas) > 1 and options.concurrent:
            with ThreadPoolExecutor(max_workers=len(datas)) as regions_pool:
                list(regions_pool.map(crawl, datas))
        else:
            for data in datas:
                crawl(data)

        if options.clusters:
            found = {
                name for data in datas for arn in data.clusters for name in (arn, arn.rsplit("/", 1)[-1])
            }
            unknown = [c for c in options.clusters if c not in found and c.rsplit("/", 1)[-1] not in found]
            if unknown:
                raise ScanError(f"cluster(s) not found in {', '.join(regions)}: {', '.join(unknown)}")
        described = not any(g.action == "ecs:DescribeServices" for g in reader.gaps)
        if options.services and described:
            found = {n for data in datas for s in data.services for n in (s["serviceArn"], s["serviceName"])}
            unknown = [s for s in options.services if s not in found]
            if unknown:
                raise ScanError(f"service(s) not found in {', '.join(regions)}: {', '.join(unknown)}")
        roles: dict[str, RoleData] = {}
        role_arns = sorted({arn for data in datas for arn in iam_task_roles(data)})
        if role_arns:
            progress(f"reading {len(role_arns)} task role(s)")
            inv.run_together(reader, RoleReader(reader, regions[0]).jobs(role_arns, roles))

        models = []
        for data in datas:
            model = RegionMapper(data, roles, options.all_file_systems).build()
            not_checked(model, data.root, [g for g in reader.gaps if g.region == data.region])
            models.append(model)
        return ScanResult(models, regions, account, reader.factory.calls)
    finally:
        reader.close()


def iam_task_roles(data: inv.RegionData) -> list[str]:
    """Task roles worth reading: those of task definitions with an IAM-authorized EFS volume."""
    found = []
    for td in data.task_definitions.values():
        if td and td.get("taskRoleArn"):
            volumes = [v.get("efsVolumeConfiguration") or {} for v in td.get("volumes", [])]
            if any((v.get("authorizationConfig") or {}).get("iam") == "ENABLED" for v in volumes):
                found.append(td["taskRoleArn"])
    from . import batch as batch_scan

    return [*found, *batch_scan.job_roles(data)]


def crawl_region(reader: Reader, data: inv.RegionData, options: ScanOptions, progress: Progress) -> None:
    region = data.region
    progress(f"{region}: listing clusters and services")
    inv.crawl_ecs(reader, data, options.clusters, options.services)
    if not options.clusters and not options.services:
        from . import batch as batch_scan  # Batch is read only when the whole Region is scanned

        batch_scan.crawl(reader, data)
    if not data.clusters and not (data.batch or {}).get("job_definitions"):
        return
    if not options.services:
        inv.crawl_scheduled(reader, data)
    td_arns = inv.task_definition_arns(data)
    progress(f"{region}: {len(data.clusters)} cluster(s), {len(data.services)} service(s), "
             f"{len(td_arns)} task definition(s)")  # fmt: skip
    inv.run_together(
        reader,
        [*inv.task_definition_jobs(reader, data, td_arns), lambda: inv.list_file_systems(reader, data)],
    )
    items = efs_workload_items(data)
    from . import batch as batch_scan

    crawl_efs_and_network(
        reader,
        data,
        [*used_file_systems(data), *batch_scan.file_system_ids(data)],
        options,
        [*inv.ec2_efs_clusters(data), *batch_scan.ec2_clusters(data)],
        referenced_access_points(data),
        [*(s for item in items for s in _awsvpc(item, "subnets")), *batch_scan.network_ids(data, "subnets")],
        [
            *(g for item in items for g in _awsvpc(item, "securityGroups")),
            *batch_scan.network_ids(data, "securityGroupIds"),
        ],
    )


def used_file_systems(data: inv.RegionData) -> list[str]:
    ids: dict[str, None] = {}
    for td in data.task_definitions.values():
        for volume in (td or {}).get("volumes", []):
            fs_id = (volume.get("efsVolumeConfiguration") or {}).get("fileSystemId")
            if isinstance(fs_id, str):
                ids[fs_id] = None
    return list(ids)


def referenced_access_points(data: inv.RegionData) -> list[str]:
    ids: dict[str, None] = {}
    for td in data.task_definitions.values():
        for volume in (td or {}).get("volumes", []):
            auth = (volume.get("efsVolumeConfiguration") or {}).get("authorizationConfig") or {}
            if isinstance(auth.get("accessPointId"), str):
                ids[auth["accessPointId"]] = None
    return list(ids)


def crawl_efs_and_network(
    reader: Reader,
    data: inv.RegionData,
    fs_ids: list[str],
    options: ScanOptions,
    ec2_clusters: list[str],
    ap_ids: list[str],
    subnet_ids: list[str],
    group_ids: list[str],
) -> None:
    """EFS details of the used file systems, then subnets, security groups and VPCs they touch.

    ``subnet_ids``/``group_ids`` are the workloads' own; the mount targets' are added here.
    """
    listing = data.file_systems
    if listing is not None:
        fs_ids = list(listing) if options.all_file_systems else [f for f in fs_ids if f in listing]
    else:
        fs_ids = []
    inv.run_together(
        reader,
        [
            *inv.file_system_jobs(reader, data, fs_ids),
            *inv.container_instance_jobs(reader, data, ec2_clusters),
        ],
    )
    instance_ids = inv.container_instance_ec2_ids(data)
    if instance_ids:
        inv.run_together(reader, inv.instance_jobs(reader, data, instance_ids))
    for instance in data.instances.values():
        subnet, groups = inv.primary_interface(instance) if instance else (None, None)
        subnet_ids = [*subnet_ids, *([subnet] if subnet else [])]
        group_ids = [*group_ids, *(groups or [])]
    known_aps = {ap["AccessPointId"] for aps in data.access_points.values() for ap in aps or []}
    lookup_aps = [a for a in ap_ids if a not in known_aps and a.startswith("fsap-")]
    subnet_ids = [*subnet_ids, *(mt["SubnetId"] for mts in data.mount_targets.values() for mt in mts or [])]
    inv.run_together(
        reader,
        [
            *inv.access_point_jobs(reader, data, lookup_aps),
            *inv.mount_target_group_jobs(reader, data),
            *inv.subnet_jobs(reader, data, subnet_ids),
        ],
    )
    fallback = inv.missing_group_fallback_jobs(reader, data)
    if fallback:
        inv.run_together(reader, fallback)
        if all(groups is not None for groups in data.mount_target_groups.values()):
            # The per-mount-target reads filled in what the batched interface read could not.
            reader.forget(data.region, "ec2:DescribeNetworkInterfaces")
    group_ids = [*group_ids, *(g for groups in data.mount_target_groups.values() for g in groups or [])]
    vpc_ids = sorted({s["VpcId"] for s in data.subnets.values() if isinstance(s, dict)})
    inv.run_together(
        reader,
        [*inv.security_group_jobs(reader, data, group_ids), *inv.vpc_jobs(reader, data, vpc_ids)],
    )


def efs_workload_items(data: inv.RegionData) -> list[inv.Raw]:
    return [
        item
        for item, _ in inv.launch_items(data)
        if inv.uses_efs(data.task_definitions.get(item.get("taskDefinition", "")))
    ]


def _awsvpc(item: inv.Raw, key: str) -> list[str]:
    return list(((item.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}).get(key) or [])
