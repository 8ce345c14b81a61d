"""AWS Batch in a live scan: job definitions, compute environments, job queues and their recent jobs.

Reads (all read-only, in the shipped policy): ``DescribeJobDefinitions`` (ACTIVE revisions),
``DescribeComputeEnvironments``, ``DescribeJobQueues`` and ``ListJobs`` per queue.  A queue is
linked to the job definitions of the jobs it holds (``JobSummary.jobDefinition``): the only
account-side proof of which job definition runs on which compute environment.  Job definitions are
read through :mod:`..taskdef.batch_job`, so they are checked exactly as a JSON file would be.
"""

from __future__ import annotations

from typing import Any

from ...model import Location, TaskDefinition
from .. import batch_links as batch
from ..taskdef import batch_job
from .reader import Reader

# ListJobs answers RUNNING jobs unless a status is asked for; these show what a queue runs.
_JOB_STATUSES = ("RUNNING", "SUCCEEDED", "FAILED")
_AFFECTS_DEFINITIONS = "AWS Batch job definitions (EFS1xx, EFS2xx, EFS4xx)"
_AFFECTS_NETWORK = "where AWS Batch jobs run (EFS3xx)"


def crawl(reader: Reader, data: Any) -> None:
    """Fill ``data.batch`` with the raw Batch resources of the Region."""
    region = data.region

    def pages(operation: str, key: str, affects: str, **params: Any) -> list[Any]:
        found = reader.pages(
            "batch", region, operation, key, affects=affects, resource=data.root, **params
        )  # fmt: skip
        return found if isinstance(found, list) else []

    # The three descriptions are independent: read them together, then each queue's jobs together.
    definitions, envs, queues = reader.map(
        lambda read: read(),
        [
            lambda: pages("DescribeJobDefinitions", "jobDefinitions", _AFFECTS_DEFINITIONS, status="ACTIVE"),
            lambda: pages("DescribeComputeEnvironments", "computeEnvironments", _AFFECTS_NETWORK),
            lambda: pages("DescribeJobQueues", "jobQueues", _AFFECTS_NETWORK),
        ],
    )
    found: dict[str, Any] = {"job_definitions": definitions, "compute_environments": envs, "queues": queues}
    found["queue_jobs"] = {}
    # Which job definition a queue runs matters only for job definitions with an EFS volume.
    wanted = envs and file_system_ids({"job_definitions": definitions})
    reads = [(q.get("jobQueueArn", ""), status) for q in queues if wanted for status in _JOB_STATUSES]

    def list_jobs(read: tuple[str, str]) -> list[Any]:
        return pages("ListJobs", "jobSummaryList", _AFFECTS_NETWORK, jobQueue=read[0], jobStatus=read[1])

    for (arn, _), jobs in zip(reads, reader.map(list_jobs, reads), strict=True):
        names = found["queue_jobs"].setdefault(arn, [])
        names += [j["jobDefinition"] for j in jobs if isinstance(j.get("jobDefinition"), str)]
    data.batch = found


def file_system_ids(data: Any) -> list[str]:
    """File system ids the job definitions mount (``data``: RegionData or its ``batch`` dict)."""
    return [
        fs
        for jd in _definitions(data)
        for vol in (jd.get("containerProperties") or {}).get("volumes") or []
        if isinstance(fs := (vol.get("efsVolumeConfiguration") or {}).get("fileSystemId"), str)
    ]


def network_ids(data: Any, key: str) -> list[str]:
    """Subnet (``subnets``) or security group (``securityGroupIds``) ids of the compute environments."""
    envs = (data.batch or {}).get("compute_environments") or []
    return [i for ce in envs for i in (ce.get("computeResources") or {}).get(key) or []]


def ec2_clusters(data: Any) -> list[str]:
    """ECS clusters of EC2 compute environments whose queues ran a job definition with an EFS volume:
    their container instances' agents mount the volumes (EFS204)."""
    found = data.batch or {}
    efs_jobs = {
        jd.get("jobDefinitionArn")
        for jd in _definitions(data)
        if any(
            v.get("efsVolumeConfiguration")
            for v in (jd.get("containerProperties") or {}).get("volumes") or []
        )
    }
    envs = {ce.get("computeEnvironmentArn"): ce for ce in found.get("compute_environments") or []}
    clusters: dict[str, None] = {}
    for queue in found.get("queues") or []:
        if not efs_jobs & set(found.get("queue_jobs", {}).get(queue.get("jobQueueArn"), [])):
            continue
        for order in queue.get("computeEnvironmentOrder") or []:
            ce = envs.get(order.get("computeEnvironment")) or {}
            if (ce.get("computeResources") or {}).get("type") in ("EC2", "SPOT") and ce.get("ecsClusterArn"):
                clusters[ce["ecsClusterArn"]] = None
    return list(clusters)


def job_roles(data: Any) -> list[str]:
    """Job roles of job definitions with an IAM-authorized EFS volume (EFS401 reads them)."""
    found = []
    for jd in _definitions(data):
        props = jd.get("containerProperties") or {}
        volumes = [v.get("efsVolumeConfiguration") or {} for v in props.get("volumes") or []]
        if props.get("jobRoleArn") and any(
            (v.get("authorizationConfig") or {}).get("iam") == "ENABLED" for v in volumes
        ):
            found.append(props["jobRoleArn"])
    return found


def _definitions(data: Any) -> list[dict[str, Any]]:
    found = data if isinstance(data, dict) else (data.batch or {})
    return list(found.get("job_definitions") or [])


def build(mapper: Any) -> None:
    """Add the Region's Batch job definitions and the workloads they run as to ``mapper.model``."""
    data = mapper.data
    if not data.batch:
        return
    model = mapper.model
    by_arn: dict[str, TaskDefinition] = {}
    for raw in _definitions(data):
        arn = raw.get("jobDefinitionArn", "")
        td = batch_job.job_definition(arn, raw, (0, 0), 0, model)
        if td is None:
            continue
        td.loc = Location(arn, 0, 0, arn)
        td.field_locs.clear()
        for volume in td.efs_volumes:
            volume.loc = Location(arn, 0, 0, volume.loc.logical_name)
            volume.field_locs.clear()
            mapper.link_volume(volume)
        if isinstance(td.task_role, str) and any(v.iam == "ENABLED" for v in td.efs_volumes):
            td.task_role_entity = mapper.role(td.task_role)
        model.task_definitions.append(td)
        by_arn[arn] = td
    envs = {}
    for raw in data.batch.get("compute_environments") or []:
        resources = raw.get("computeResources")
        if raw.get("type") != "MANAGED" or not isinstance(resources, dict) or raw.get("eksConfiguration"):
            continue
        arn = raw.get("computeEnvironmentArn", "")
        groups = resources.get("securityGroupIds") or []
        envs[arn] = batch.ComputeEnvironment(
            name=raw.get("computeEnvironmentName", arn),
            loc=Location(arn, 0, 0, arn),
            type=resources.get("type"),
            subnets=[mapper.subnet(s) for s in resources.get("subnets") or []],
            security_groups=[mapper.security_group(g) for g in groups] or None,
            cluster=raw.get("ecsClusterArn"),
        )
    queues = []
    for raw in data.batch.get("queues") or []:
        arn = raw.get("jobQueueArn", "")
        order = raw.get("computeEnvironmentOrder") or []
        ran = [by_arn[a] for a in data.batch["queue_jobs"].get(arn, []) if a in by_arn]
        queues.append(
            batch.JobQueue(
                name=raw.get("jobQueueName", arn),
                loc=Location(arn, 0, 0, arn),
                compute_environments=[
                    envs[o["computeEnvironment"]] for o in order if o.get("computeEnvironment") in envs
                ],
                job_definitions=ran,
            )
        )
    batch.link(model, list(by_arn.values()), queues, in_files=False)
