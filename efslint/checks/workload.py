"""Predicates over where a workload's tasks run: launch type and Fargate platform version (EFS2xx).

A workload matters here only when its task definition is known and has an EFS volume.  Fargate is
``launchType: FARGATE`` or a FARGATE / FARGATE_SPOT capacity provider (the workload's own strategy
or, when it has neither, the cluster default the front-end copied in).  Windows platform versions are
numbered independently (only 1.0.0 exists), so every platform check stays quiet for Windows; EFS on
Windows is EFS110's finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings import Related
from ..model import Maybe, Model, Unknown, Workload
from . import Violation, check
from .usage import describe, efs_volumes

FARGATE_PROVIDERS = {"FARGATE", "FARGATE_SPOT"}
MIN_EFS_PLATFORM = (1, 4, 0)
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
# EventBridge and Scheduler targets ignore the platform version unless the launch type is FARGATE;
# the ECS API itself rejects it ("The platform version must be null when specifying an EC2 launch type").
_ECS_API_WORKLOADS = {"service", "task_set", "run_task", "task"}


def is_fargate(workload: Workload) -> Maybe[bool]:
    launch = workload.launch_type
    if isinstance(launch, Unknown):
        return launch
    if isinstance(launch, str) and launch:
        return launch.upper() == "FARGATE"
    providers = workload.capacity_providers
    if not isinstance(providers, list) or not providers:
        # No launch type and no strategy known: the cluster default decides, and we do not know it.
        return Unknown("capacity providers not known")
    names = [p.upper() for p in providers if isinstance(p, str)]
    if any(name in FARGATE_PROVIDERS for name in names):
        # A strategy cannot mix Fargate and Auto Scaling group providers.
        return True
    if len(names) < len(providers):
        return Unknown("a capacity provider is not known")
    return False


def is_windows(workload: Workload) -> Maybe[bool]:
    td = workload.task_definition
    families = [workload.platform_family, td.os_family if td is not None else None]
    for family in families:
        if isinstance(family, Unknown):
            return family
        if isinstance(family, str) and family.upper().startswith("WINDOWS"):
            return True
    return False


def platform_version(workload: Workload) -> str | None:
    """The pinned platform version, or None when it is unset, empty, LATEST or unknown."""
    version = workload.platform_version
    if not isinstance(version, str) or not version.strip() or version.strip().upper() == "LATEST":
        return None
    return version.strip()


def parse_version(text: str) -> tuple[int, int, int] | None:
    match = _VERSION.match(text)
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def _linux_fargate_efs(workload: Workload) -> bool:
    """The workload runs a task definition with an EFS volume on Linux Fargate, provably."""
    return bool(efs_volumes(workload)) and is_fargate(workload) is True and is_windows(workload) is False


def _volumes_text(workload: Workload) -> str:
    names = [v.name if isinstance(v.name, str) else "?" for v in efs_volumes(workload)]
    return ", ".join(f"'{n}'" for n in names)


def _task_definition_related(workload: Workload) -> list[Related]:
    return [
        Related(v.loc, f"EFS volume '{v.name}'") for v in efs_volumes(workload) if isinstance(v.name, str)
    ][:3]


def _values(workload: Workload, **extra: object) -> dict[str, object]:
    td = workload.task_definition
    family = td.family if td is not None and isinstance(td.family, str) else (td.label if td else "?")
    return {"workload": describe(workload), "family": family, "volumes": _volumes_text(workload), **extra}


def _pinned_linux_fargate_version(workload: Workload) -> tuple[str, tuple[int, int, int]] | None:
    """The pinned x.y.z platform version of a Linux Fargate workload with an EFS volume, parsed."""
    version = platform_version(workload)
    parsed = parse_version(version) if version else None
    if version is None or parsed is None or not _linux_fargate_efs(workload):
        return None
    return version, parsed


@check("fargate_platform_too_old")
def fargate_platform_too_old(workload: Workload, model: Model) -> Iterator[Violation]:
    pinned = _pinned_linux_fargate_version(workload)
    if pinned is not None and pinned[1] < MIN_EFS_PLATFORM:
        yield Violation(
            _values(workload, version=pinned[0]),
            location=workload.at("platform_version"),
            related=_task_definition_related(workload),
        )


@check("fargate_platform_pinned")
def fargate_platform_pinned(workload: Workload, model: Model) -> Iterator[Violation]:
    pinned = _pinned_linux_fargate_version(workload)
    if pinned is not None and pinned[1] >= MIN_EFS_PLATFORM:
        yield Violation(_values(workload, version=pinned[0]), location=workload.at("platform_version"))


@check("unsupported_launch_type")
def unsupported_launch_type(workload: Workload, model: Model) -> Iterator[Violation]:
    launch = workload.launch_type
    if efs_volumes(workload) and isinstance(launch, str) and launch.upper() == "EXTERNAL":
        yield Violation(
            _values(workload, launch_type=launch),
            location=workload.at("launch_type"),
            related=_task_definition_related(workload),
        )


@check("invalid_platform_version")
def invalid_platform_version(workload: Workload, model: Model) -> Iterator[Violation]:
    # What Batch does with a malformed platform version is not documented: claim nothing.
    if not efs_volumes(workload) or workload.service == "batch":
        return
    version = platform_version(workload)
    launch = workload.launch_type
    explicit = workload.platform_version
    if (
        isinstance(launch, str)
        and launch.upper() == "EC2"
        and workload.workload_type in _ECS_API_WORKLOADS
        and isinstance(explicit, str)
        and explicit.strip()
    ):
        problem = (
            f"sets platform version '{explicit.strip()}' with launch type EC2; ECS rejects it (\"The "
            'platform version must be null when specifying an EC2 launch type"). Remove the platform version'
        )
        yield Violation(_values(workload, version=explicit, problem=problem),
                        location=workload.at("platform_version"), anchor="ec2")  # fmt: skip
        return
    if version is None or parse_version(version) is not None:
        return
    # Only Linux Fargate numbering is known to us; Windows and unknown capacity stay quiet.
    if is_fargate(workload) is not True or is_windows(workload) is not False:
        return
    completed = parse_version(f"{version}.0")
    # Never suggest completing "1.3" to 1.3.0: that version exists but cannot mount EFS.
    suggestion = f" or '{version}.0'" if completed is not None and completed >= MIN_EFS_PLATFORM else ""
    problem = (
        f"sets platform version '{version}', which does not exist (PlatformUnknownException); versions "
        f"are written in full, x.y.z. Use LATEST{suggestion}"
    )
    yield Violation(_values(workload, version=version, problem=problem),
                    location=workload.at("platform_version"), anchor="format")  # fmt: skip
