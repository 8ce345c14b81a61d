"""Model-level tests of the workload rules: Fargate platform version and launch type (EFS201-EFS205)."""

from __future__ import annotations

from typing import Any

import pytest
from model_builders import model_of, run, stack, task_definition, workload

from efslint.checks.workload import is_fargate, parse_version
from efslint.findings import Severity
from efslint.model import Unknown, Workload

PLATFORM_RULES = ("EFS201", "EFS202", "EFS203", "EFS205")


def service(**kw: Any) -> Workload:
    s = stack()
    for key, value in kw.items():
        setattr(s.service, key, value)
    return s.service


def findings(w: Workload, *rules: str) -> list[Any]:
    return run(model_of(w), *(rules or PLATFORM_RULES))


# --------------------------------------------------------------------------------------------
# Fargate detection


@pytest.mark.parametrize(
    ("launch_type", "providers", "expected"),
    [
        ("FARGATE", None, True),
        ("EC2", ["FARGATE"], False),  # launch type wins; the two are exclusive in AWS anyway
        (None, ["FARGATE_SPOT", "FARGATE"], True),
        (None, ["my-asg-provider"], False),
        (None, [Unknown(), "FARGATE"], True),
        (None, [Unknown()], None),
        (None, [], None),
        (None, None, None),
        (Unknown(), None, None),
    ],
)
def test_is_fargate(launch_type: Any, providers: Any, expected: bool | None) -> None:
    w = service(launch_type=launch_type, capacity_providers=providers)
    result = is_fargate(w)
    if expected is None:
        assert isinstance(result, Unknown)
    else:
        assert result is expected


def test_parse_version_needs_three_numbers() -> None:
    assert parse_version("1.4.0") == (1, 4, 0)
    assert parse_version("1.10.0") == (1, 10, 0)
    assert parse_version("1.4") is None
    assert parse_version("v1.4.0") is None


# --------------------------------------------------------------------------------------------
# EFS201


def test_efs201_fires_on_fargate_1_3_0() -> None:
    w = service(platform_version="1.3.0")
    [finding] = findings(w)
    assert finding.rule_id == "EFS201"
    assert finding.severity is Severity.ERROR
    assert finding.location == w.at("platform_version")
    assert "ECS service 'Service'" in finding.message
    assert "platform version 1.3.0" in finding.message
    assert "'data'" in finding.message
    assert "Set the platform version to LATEST or 1.4.0" in finding.message
    [volume] = w.task_definition.efs_volumes
    assert [r.location for r in finding.related] == [volume.loc]


def test_efs201_fires_through_a_fargate_spot_capacity_provider() -> None:
    w = service(launch_type=None, capacity_providers=["FARGATE_SPOT"], platform_version="1.2.0")
    assert [(f.rule_id, f.location) for f in findings(w)] == [("EFS201", w.at("platform_version"))]


def test_efs201_compares_numerically() -> None:
    assert [f.rule_id for f in findings(service(platform_version="1.10.0"))] == ["EFS202"]
    assert [f.rule_id for f in findings(service(platform_version="0.9.9"))] == ["EFS201"]


@pytest.mark.parametrize(
    "changes",
    [
        {"platform_version": None},
        {"platform_version": "LATEST"},
        {"platform_version": Unknown()},
        {"platform_version": ""},
        {"platform_version": "1.3.0", "launch_type": Unknown()},
        {"platform_version": "1.3.0", "launch_type": None, "capacity_providers": None},
        {"platform_version": "1.3.0", "launch_type": None, "capacity_providers": ["ec2-asg"]},
        {"platform_version": "1.3.0", "platform_family": "WINDOWS_SERVER_2019_CORE"},
        {"platform_version": "1.3.0", "platform_family": Unknown()},
    ],
    ids=repr,
)
def test_efs201_quiet(changes: dict[str, Any]) -> None:
    assert [f for f in findings(service(**changes), "EFS201")] == []


def test_efs201_quiet_on_windows_task_definition() -> None:
    w = service(platform_version="1.3.0")
    w.task_definition.os_family = "WINDOWS_SERVER_2022_CORE"
    assert findings(w) == []
    w.task_definition.os_family = Unknown()
    assert findings(w) == []
    w.task_definition.os_family = "LINUX"
    assert [f.rule_id for f in findings(w)] == ["EFS201"]


def test_2xx_quiet_without_an_efs_volume_or_task_definition() -> None:
    w = service(platform_version="1.3.0")
    w.task_definition.efs_volumes.clear()
    assert findings(w) == []
    orphan = workload(None, [], [], platform_version="1.3.0", launch_type="EXTERNAL")
    assert findings(orphan) == []


# --------------------------------------------------------------------------------------------
# EFS202


def test_efs202_is_info_on_pinned_1_4_0() -> None:
    w = service(platform_version="1.4.0")
    [finding] = findings(w)
    assert (finding.rule_id, finding.severity, finding.location) == (
        "EFS202",
        Severity.INFO,
        w.at("platform_version"),
    )
    assert "pins Fargate platform version 1.4.0" in finding.message
    assert "Use LATEST" in finding.message


def test_efs202_quiet_on_latest_and_on_ec2() -> None:
    assert findings(service(platform_version="latest")) == []
    assert findings(service(platform_version=None, launch_type="EC2")) == []


# --------------------------------------------------------------------------------------------
# EFS203


def test_efs203_fires_on_external_launch_type() -> None:
    w = service(launch_type="EXTERNAL")
    [finding] = findings(w)
    assert (finding.rule_id, finding.location) == ("EFS203", w.at("launch_type"))
    assert "launch type EXTERNAL" in finding.message
    assert "ECS Anywhere instances cannot mount EFS volumes" in finding.message
    assert finding.related and finding.related[0].location == w.task_definition.efs_volumes[0].loc


@pytest.mark.parametrize("launch_type", ["FARGATE", "EC2", "MANAGED_INSTANCES", None, Unknown()])
def test_efs203_quiet_elsewhere(launch_type: Any) -> None:
    assert findings(service(launch_type=launch_type), "EFS203") == []


# --------------------------------------------------------------------------------------------
# EFS205


def test_efs205_fires_on_short_version() -> None:
    w = service(platform_version="1.4")
    [finding] = findings(w)
    assert (finding.rule_id, finding.location) == ("EFS205", w.at("platform_version"))
    assert "'1.4', which does not exist (PlatformUnknownException)" in finding.message
    assert "Use LATEST or '1.4.0'" in finding.message


def test_efs205_never_suggests_a_version_without_efs() -> None:
    [finding] = findings(service(platform_version="1.3"))
    assert finding.rule_id == "EFS205"
    assert finding.message.endswith("versions are written in full, x.y.z. Use LATEST.")


@pytest.mark.parametrize("version", ["LATEST", "1.4.0"])
def test_efs205_fires_on_platform_version_with_ec2(version: str) -> None:
    w = service(launch_type="EC2", platform_version=version)
    [finding] = findings(w)
    assert (finding.rule_id, finding.location) == ("EFS205", w.at("platform_version"))
    assert f"sets platform version '{version}' with launch type EC2" in finding.message
    assert "Remove the platform version" in finding.message


@pytest.mark.parametrize(
    "changes",
    [
        {"launch_type": "EC2", "platform_version": None},
        {"launch_type": "EC2", "platform_version": "1.4.0", "workload_type": "events_rule"},
        {"launch_type": "EC2", "platform_version": "1.4.0", "workload_type": "schedule"},
        {"launch_type": Unknown(), "platform_version": "1.4"},
        {"launch_type": None, "capacity_providers": None, "platform_version": "1.4"},
        {"platform_version": "1.4", "platform_family": "WINDOWS_SERVER_2019_FULL"},
        {"platform_version": "1.0.0", "platform_family": "WINDOWS_SERVER_2019_FULL"},
    ],
    ids=repr,
)
def test_efs205_quiet(changes: dict[str, Any]) -> None:
    assert findings(service(**changes), "EFS205") == []


def test_efs205_with_task_definition_without_efs_is_out_of_scope() -> None:
    td = task_definition(None)
    td.efs_volumes.clear()
    assert findings(workload(td, [], [], platform_version="1.4")) == []
