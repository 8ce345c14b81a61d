"""AWS Batch, shared by every front-end: which job definitions run where.

A Batch job definition becomes a :class:`~efslint.model.TaskDefinition` (``service`` "batch"); a
compute environment is where its jobs run — the subnets and security groups of the Fargate tasks or
EC2 instances.  Jobs are submitted to a *job queue* with a job definition, and that pairing exists
only at ``SubmitJob`` time, so no file or account states it.  This module decides what can be
claimed (docs/batch.md):

* a Fargate job definition always runs on Fargate with its own platform version: it becomes a
  ``batch_job_definition`` workload (no subnets), which the 2xx platform rules check;
* in files (one template, one Terraform module), a job definition is linked to the compute
  environments of a job queue only when the input defines exactly one job queue and every compute
  environment of that queue can run it (Fargate job definitions on FARGATE/FARGATE_SPOT, EC2 ones on EC2/SPOT;
  a queue cannot mix them).  Each such compute environment becomes a ``batch_compute_environment``
  workload for that job definition, checked by the network rules.  With several queues, or none,
  the job definition is checked on its own;
* an EventBridge rule target that submits a job definition to a queue (``BatchParameters``,
  Terraform ``batch_target``) proves the pair, whatever else the input defines;
* in an account, a queue is linked to the job definitions of the jobs it recently ran (``ListJobs``).

Imports only the model: every front-end may use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model import Location, Maybe, Model, SecurityGroup, Subnet, TaskDefinition, Unknown, Workload
from ..record import Record, field

FARGATE_TYPES = frozenset({"FARGATE", "FARGATE_SPOT"})
EC2_TYPES = frozenset({"EC2", "SPOT"})
BATCH = "batch"


class ComputeEnvironment(Record, eq=False):
    """A managed Batch compute environment, as far as the network rules need it."""

    name: str
    loc: Location
    # computeResources.type: FARGATE, FARGATE_SPOT, EC2 or SPOT; Unknown when not readable.
    type: Maybe[str]
    subnets: Any = None
    security_groups: Any = None
    field_locs: dict[str, Location] = field(default_factory=dict)
    conditional: bool = False
    suppressions: dict[str, str] = field(default_factory=dict)
    # The ECS cluster Batch created for it (live only: matches container instances for EFS204).
    cluster: str | None = None


class JobQueue(Record, eq=False):
    """A job queue: the compute environments its jobs are placed on (Unknown items unresolved)."""

    name: str
    loc: Location
    compute_environments: list[ComputeEnvironment | Unknown] = field(default_factory=list)
    # Job definitions proven to be submitted to this queue (live: recent jobs; files: EventBridge
    # targets); None: not known.
    job_definitions: list[TaskDefinition] | None = None


def job_definition_kind(doc_type: Any, has_node: bool, has_eks: bool, has_ecs: bool) -> str | None:
    """Why a job definition is skipped (a note's words), or None for a single-container job."""
    if has_node or (isinstance(doc_type, str) and doc_type.lower() == "multinode"):
        return "multi-node parallel"
    if has_eks:
        return "Amazon EKS"
    if has_ecs:
        return "multi-container (ecsProperties)"
    return None


def skipped_note(model: Model, name: str, kind: str, loc: Location) -> None:
    """EFS002: a job definition recognised but not checked (its shape is not the ECS one)."""
    model.notes.append(
        (
            "EFS002",
            f"AWS Batch {kind} job definition '{name}' is not checked: efslint reads "
            "single-container job definitions (containerProperties) only",
            loc,
        )
    )


def platform(td: TaskDefinition) -> Maybe[str]:
    """FARGATE or EC2 (``platformCapabilities``; EC2 when omitted), Unknown when not readable."""
    caps = td.requires_compatibilities
    if isinstance(caps, Unknown):
        return caps
    names = [c.upper() for c in caps if isinstance(c, str)]
    if len(names) < len(caps):
        return Unknown("platformCapabilities not known")
    return "FARGATE" if "FARGATE" in names else "EC2"


def runs_on(ce: ComputeEnvironment, td: TaskDefinition) -> Maybe[bool]:
    kind, where = ce.type, platform(td)
    if not isinstance(kind, str) or not isinstance(where, str):
        return Unknown("compute environment or job definition platform not known")
    return kind.upper() in (FARGATE_TYPES if where == "FARGATE" else EC2_TYPES)


def mark(entities: Iterable[Any]) -> None:
    for entity in entities:
        entity.service = BATCH


def mark_job_definition(td: TaskDefinition) -> None:
    """Give a job definition and everything in it Batch terms; Fargate means awsvpc networking."""
    mark([td, *td.efs_volumes, *td.other_volumes, *td.containers])
    mark(mp for c in td.containers for mp in c.mount_points)
    if platform(td) == "FARGATE" and td.network_mode is None:
        td.network_mode = "awsvpc"


def job_definition_workload(td: TaskDefinition) -> Workload | None:
    """A Fargate job definition on its own: what the platform version rules read."""
    if platform(td) != "FARGATE":
        return None
    workload = Workload(
        loc=td.loc,
        workload_type="batch_job_definition",
        name=td.family,
        task_definition=td,
        launch_type="FARGATE",
        platform_version=td.platform_version,
        # Where it runs is the queue's business, decided at SubmitJob: no network claim from here.
        subnets=Unknown("the job queue is chosen when a job is submitted"),
        security_groups=Unknown("the job queue is chosen when a job is submitted"),
        platform_family=td.os_family,
        service=BATCH,
        conditional=td.conditional,
        suppressions=dict(td.suppressions),
    )
    if "platform_version" in td.field_locs:
        workload.field_locs["platform_version"] = td.field_locs["platform_version"]
    # Created with the job definition, not after any mount target: EFS309 has nothing to say.
    workload.waits_for = set()
    return workload


def compute_environment_workload(ce: ComputeEnvironment, td: TaskDefinition) -> Workload:
    fargate = isinstance(ce.type, str) and ce.type.upper() in FARGATE_TYPES
    family = td.family if isinstance(td.family, str) else td.label
    workload = Workload(
        loc=ce.loc.named(f"{ce.loc.logical_name}/jobDefinition/{family}"),
        workload_type="batch_compute_environment",
        name=ce.name,
        task_definition=td,
        launch_type="FARGATE" if fargate else "EC2",
        subnets=ce.subnets,
        security_groups=ce.security_groups,
        cluster=ce.cluster,
        service=BATCH,
        conditional=ce.conditional,
        suppressions=dict(ce.suppressions),
    )
    workload.field_locs.update({k: v.named(workload.loc.logical_name) for k, v in ce.field_locs.items()})
    workload.waits_for = Unknown("Batch places jobs after the compute environment scales; order not modelled")
    return workload


def link(model: Model, job_definitions: list[TaskDefinition], queues: list[JobQueue], in_files: bool) -> None:
    """Add the workloads through which Batch job definitions are checked (see the module doc)."""
    for td in job_definitions:
        alone = job_definition_workload(td)
        if alone is not None:
            model.workloads.append(alone)
    pairs: list[tuple[ComputeEnvironment, TaskDefinition]] = []
    for queue in queues:
        # Proven submissions: jobs the queue ran (live), or an EventBridge target (files).
        for td in queue.job_definitions or []:
            pairs += [
                (ce, td)
                for ce in queue.compute_environments
                if isinstance(ce, ComputeEnvironment) and runs_on(ce, td) is True
            ]
    if in_files and len(queues) == 1:
        for td in job_definitions:
            if _all_run(queues[0], td):
                pairs += [
                    (ce, td) for ce in queues[0].compute_environments if isinstance(ce, ComputeEnvironment)
                ]
    seen: set[tuple[int, int]] = set()
    for ce, td in pairs:
        if (id(ce), id(td)) not in seen:
            seen.add((id(ce), id(td)))
            model.workloads.append(compute_environment_workload(ce, td))


def _all_run(queue: JobQueue, td: TaskDefinition) -> bool:
    """Every compute environment of the queue is known and can run the job definition."""
    envs = queue.compute_environments
    return bool(envs) and all(isinstance(ce, ComputeEnvironment) and runs_on(ce, td) is True for ce in envs)


def known_items(value: Any) -> Any:
    """A list of subnets or security groups as the model holds it (None when absent)."""
    if isinstance(value, list):
        return [v if isinstance(v, (Subnet, SecurityGroup, Unknown)) else Unknown("not known") for v in value]
    return value
