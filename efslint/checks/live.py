"""Predicates that need the live account: EFS204, EFS901-EFS904 (see RULES.md, 9xx)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from ..findings import related
from ..model import (
    ContainerInstance,
    EfsVolume,
    Entity,
    Model,
    NotChecked,
    StoppedTask,
    Unknown,
    Workload,
    same_az,
)
from . import Violation, check, rule_reporting

MIN_AGENT = (1, 38, 0)
EFS_AUTH = "ecs.capability.efsAuth"
FARGATE = ("FARGATE", "FARGATE_SPOT")


# --------------------------------------------------------------------------------------------
# EFS204


def runs_on_ec2(workload: Workload) -> bool:
    """Provably places tasks on container instances (EC2 launch type or a non-Fargate provider)."""
    if workload.launch_type == "EC2":
        return True
    providers = workload.capacity_providers
    return (
        workload.launch_type is None
        and isinstance(providers, list)
        and any(isinstance(p, str) and p not in FARGATE for p in providers)
    )


def version_tuple(version: str) -> tuple[int, ...] | None:
    match = re.match(r"^v?(\d+)\.(\d+)\.(\d+)", version.strip())
    return tuple(int(p) for p in match.groups()) if match else None


def needs_volume_plugin(volume: EfsVolume) -> bool:
    return (
        volume.transit_encryption == "ENABLED" or volume.iam == "ENABLED" or volume.uses_access_point is True
    )


@check("ecs_agent_cannot_mount_securely")
def ecs_agent_cannot_mount_securely(instance: ContainerInstance, model: Model) -> Iterator[Violation]:
    workloads = [
        w
        for w in model.workloads
        if w.cluster == instance.cluster
        and w.task_definition is not None
        and w.task_definition.efs_volumes
        and runs_on_ec2(w)
    ]
    # Windows agents advertise no EFS capability at all, so ECS never places EFS tasks there.
    if not workloads or instance.os_type == "windows":
        return
    names = sorted({str(w.name) for w in workloads})
    related = [_related(w, "runs EFS tasks on this cluster's EC2 capacity") for w in workloads[:5]]
    version = instance.agent_version
    parsed = version_tuple(version) if isinstance(version, str) else None
    if parsed is not None and parsed < MIN_AGENT:
        yield Violation(
            {
                "problem": f"runs ECS agent {version}, older than 1.38.0: it cannot mount EFS with TLS, IAM "
                "or access points, nor for awsvpc tasks",
                "workloads": names,
            },
            related=related,
            anchor="agent",
        )
        return
    attributes = instance.attributes
    if isinstance(attributes, Unknown):
        return
    secure = sorted(
        {str(w.name) for w in workloads if any(map(needs_volume_plugin, w.task_definition.efs_volumes))}
    )  # type: ignore[union-attr]
    if secure and EFS_AUTH not in attributes:
        yield Violation(
            {
                "problem": f"does not advertise {EFS_AUTH} (the ECS volume plugin is not running), so the "
                "agent mounts plain NFS and silently ignores transit encryption, IAM and access points",
                "workloads": secure,
            },
            related=related,
            anchor="efsAuth",
        )


def _related(entity: Entity, message: str) -> Any:
    return related(entity, message)


# --------------------------------------------------------------------------------------------
# EFS901 / EFS902


@check("file_system_not_found")
def file_system_not_found(volume: EfsVolume, model: Model) -> Iterator[Violation]:
    fs_id = volume.file_system_id
    if volume.file_system is None and isinstance(fs_id, str) and fs_id in model.missing_in_account:
        yield Violation({"name": volume.name, "file_system_id": fs_id}, location=volume.at("file_system_id"))


@check("access_point_not_found")
def access_point_not_found(volume: EfsVolume, model: Model) -> Iterator[Violation]:
    ap_id = volume.access_point_id
    if volume.access_point is None and isinstance(ap_id, str) and ap_id in model.missing_in_account:
        yield Violation(
            {"name": volume.name, "access_point_id": ap_id}, location=volume.at("access_point_id")
        )


# --------------------------------------------------------------------------------------------
# EFS903: stopped reasons (AWS-FACTS §7) → the rules that explain them


# (pattern, cause, candidate rules), compiled on first use: every file lint imports this module
# for EFS901/EFS902, and only a live scan has stopped tasks to classify.
CAUSES: list[tuple[str, str, tuple[str, ...]]] = [
    (
        r"Failed to resolve|No mount target created for the file system",
        "the file system's DNS name did not resolve in the task's AZ: no (available) mount target "
        "there, VPC DNS disabled, or a file system in another VPC",
        ("EFS901", "EFS301", "EFS307", "EFS310"),
    ),
    (
        r"Connection timed out|Connection reset by peer|Cannot connect to file system",
        "the NFS connection to the mount target failed: security groups do not allow TCP 2049 "
        "between the task and the mount target",
        ("EFS304", "EFS305", "EFS301"),
    ),
    (
        r"access denied by server",
        "the file system refused the mount: file system policy or task role permissions",
        ("EFS401", "EFS402", "EFS403", "EFS404"),
    ),
    (
        r"No such file or directory",
        "the root directory does not exist on the file system",
        ("EFS505", "EFS902"),
    ),
    (
        r"is malformed|option is required when mounting",
        "the volume's mount options are invalid",
        ("EFS109", "EFS101", "EFS102", "EFS902"),
    ),
]
_EFS_FAILURE = r"EFS utils|EFS volume|efs\.[a-z0-9-]+\.amazonaws\.com|mount\.nfs|fs-[0-9a-f]{8}"


@cache
def _stop_patterns() -> tuple[re.Pattern[str], list[tuple[re.Pattern[str], str, tuple[str, ...]]]]:
    causes = [(re.compile(pattern, re.I), cause, rules) for pattern, cause, rules in CAUSES]
    return re.compile(_EFS_FAILURE, re.I), causes


def classify(reason: str) -> tuple[str, tuple[str, ...]] | None:
    """The cause and candidate rules of an EFS mount failure; None when it is no such failure."""
    efs_failure, causes = _stop_patterns()
    if not efs_failure.search(reason):
        return None
    for pattern, cause, rules in causes:
        if pattern.search(reason):
            return cause, rules
    return "the EFS volume could not be mounted", ()


def related_entities(task: StoppedTask) -> set[Entity]:
    found: set[Entity] = set()
    workload = task.workload
    td = task.task_definition or (workload.task_definition if workload else None)
    if workload is not None:
        found.add(workload)
        for item in (workload.subnets, workload.security_groups):
            if isinstance(item, list):
                found.update(e for e in item if isinstance(e, Entity))
    if td is not None:
        found.add(td)
        if td.task_role_entity is not None:
            found.add(td.task_role_entity)
        for volume in td.efs_volumes:
            found.add(volume)
            for fs in (volume.file_system, volume.access_point and volume.access_point.file_system):
                if fs is None:
                    continue
                found.add(fs)
                for mt in fs.mount_targets:
                    found.add(mt)
                    if isinstance(mt.security_groups, list):
                        found.update(g for g in mt.security_groups if isinstance(g, Entity))
            if volume.access_point is not None:
                found.add(volume.access_point)
    for entity in list(found):
        vpc = getattr(entity, "vpc", None)
        if isinstance(vpc, Entity):
            found.add(vpc)
    return found


def explaining_rules(task: StoppedTask, model: Model, candidates: tuple[str, ...]) -> list[str]:
    related = related_entities(task)
    found = []
    for rule_id in candidates:
        for entity in related:
            name = rule_reporting(rule_id, entity, model)
            if name is not None:
                found.append(f"{rule_id} ({name})")
                break
    return found


def missing_mount_target(task: StoppedTask) -> str | None:
    """The task's own AZ had no mount target of a file system it mounts: the direct cause."""
    az = task.availability_zone
    td = task.task_definition or (task.workload.task_definition if task.workload else None)
    if not isinstance(az, str) or td is None:
        return None
    for volume in td.efs_volumes:
        fs = volume.file_system
        if fs is None or not fs.mount_targets_known:
            continue
        azs = [getattr(mt.subnet, "availability_zone", None) for mt in fs.mount_targets]
        if not all(isinstance(a, str) for a in azs):
            continue
        if all(same_az(a, az) is False for a in azs):
            where = ", ".join(sorted(set(azs))) or "no AZ at all"  # type: ignore[arg-type]
            return f"the task ran in {az}, where file system {fs.id} has no mount target (only in {where})"
    return None


@check("recent_efs_mount_failure")
def recent_efs_mount_failure(task: StoppedTask, model: Model) -> Iterator[Violation]:
    classified = classify(task.stopped_reason)
    if classified is None:
        return
    cause, candidates = classified
    rules = explaining_rules(task, model, candidates)
    direct = missing_mount_target(task) if "EFS301" in candidates else None
    if rules:
        explanation = f"Cause: {', '.join(rules)} fires for this workload; fix that finding."
        if direct:
            explanation = f"Cause: {direct}; {', '.join(rules)} fires for this workload, fix that finding."
    elif direct:
        explanation = f"Cause: {direct}; add a mount target in that AZ or keep the tasks out of it."
    else:
        explanation = f"Likely cause: {cause}."
    reason = task.stopped_reason if len(task.stopped_reason) <= 400 else task.stopped_reason[:400] + "…"
    if task.workload is not None:
        owner = f"service {task.workload.name}"
    elif task.task_definition is not None:
        owner = f"task definition {task.task_definition.loc.file.rsplit('/', 1)[-1]}"
    else:
        owner = "a standalone task"
    times = f" ({task.count} recent tasks with this reason)" if task.count > 1 else ""
    related = []
    if task.workload is not None:
        related.append(_related(task.workload, "the workload that launched the task"))
    if task.task_definition is not None:
        related.append(_related(task.task_definition, "the task definition"))
    yield Violation(
        {"owner": owner, "reason": reason, "times": times, "explanation": explanation, "rules": rules},
        related=related,
        anchor=task.stopped_reason[:200],
    )


# --------------------------------------------------------------------------------------------
# EFS904


@check("not_checked")
def not_checked(gap: NotChecked, model: Model) -> Iterator[Violation]:
    shown = ", ".join(gap.resources[:3]) + (
        f" and {len(gap.resources) - 3} more" if len(gap.resources) > 3 else ""
    )
    yield Violation(
        {"action": gap.action, "error": gap.error, "affects": gap.affects, "resources": shown or "the Region"}
    )
