"""Hypothesis properties of the task-definition front-end and its rules.

* Any JSON text — valid task definitions, mangled ones, random documents — never crashes the tool:
  it yields findings of known rules or one EFS000.
* Unrelated changes (another container, tags, environment, a non-EFS volume) never change findings.
* Fixing the flagged value removes the finding.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.findings import Finding
from efslint.sources import json_reader
from efslint.sources.errors import InputError
from efslint.sources.taskdef import task_definition as taskdef

ENGINE = Engine(Catalog.load())
KNOWN_RULES = set(ENGINE.catalog.rules)

enum = st.sampled_from(["ENABLED", "DISABLED", "enabled", None, 3])
efs_config = st.fixed_dictionaries(
    {"fileSystemId": st.sampled_from(["fs-0123456789abcdef0", "fs-12345678", "arn:aws:x", "", None])},
    optional={
        "rootDirectory": st.sampled_from(["/", "/data", "data", "", None]),
        "transitEncryption": enum,
        "transitEncryptionPort": st.one_of(st.integers(-1, 70000), st.none(), st.just("2049")),
        "authorizationConfig": st.fixed_dictionaries(
            {},
            optional={
                "accessPointId": st.sampled_from(["fsap-0123456789abcdef0", "fsap-1", None, 7]),
                "iam": enum,
            },
        ),
    },
)
volume_names = st.sampled_from(["data", "config", "cache", "", None])
volume = st.fixed_dictionaries(
    {"name": volume_names},
    optional={"efsVolumeConfiguration": efs_config, "host": st.just({"sourcePath": "/srv"})},
)
mount_point = st.fixed_dictionaries(
    {"sourceVolume": volume_names, "containerPath": st.just("/mnt")},
    optional={"readOnly": st.sampled_from([True, False, "yes"])},
)
container = st.fixed_dictionaries(
    {"name": st.sampled_from(["app", "sidecar"]), "image": st.just("nginx")},
    optional={"mountPoints": st.lists(mount_point, max_size=3)},
)
task_definition = st.fixed_dictionaries(
    {
        "family": st.sampled_from(["app", "worker"]),
        "containerDefinitions": st.lists(container, min_size=1, max_size=3),
    },
    optional={
        "volumes": st.lists(volume, max_size=3),
        "taskRoleArn": st.sampled_from(["arn:aws:iam::111122223333:role/task", None]),
        "requiresCompatibilities": st.sampled_from([["FARGATE"], ["EC2"], "FARGATE"]),
        "networkMode": st.sampled_from(["awsvpc", "bridge", None]),
        "runtimePlatform": st.fixed_dictionaries(
            {"operatingSystemFamily": st.sampled_from(["LINUX", "WINDOWS_SERVER_2022_CORE", None])}
        ),
    },
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


# Every field a task definition can hold, with a value of any JSON type: malformed input that a
# user's typo or a generator bug produces (a number for taskRoleArn once raised a TypeError).
TASK_FIELDS = (
    "family",
    "taskRoleArn",
    "executionRoleArn",
    "networkMode",
    "requiresCompatibilities",
    "runtimePlatform",
    "volumes",
    "placementConstraints",
)
wrongly_typed = st.fixed_dictionaries(
    {"containerDefinitions": st.one_of(st.lists(container, min_size=1, max_size=2), json_values)},
    optional={key: json_values for key in TASK_FIELDS},
)


def lint_text(text: str) -> list[Finding]:
    try:
        doc = json_reader.loads(text)
    except InputError:
        return []
    if not taskdef.looks_like_task_definitions(doc):
        return []
    return ENGINE.run(taskdef.build_model("td.json", doc))


def keys(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.rule_id, f.fingerprint) for f in findings}


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.one_of(task_definition, st.lists(task_definition, max_size=2), json_values))
def test_never_crashes(doc: Any) -> None:
    findings = lint_text(json.dumps(doc, indent=1))
    assert {f.rule_id for f in findings} <= KNOWN_RULES
    assert all(f.location.file == "td.json" and f.location.line >= 1 for f in findings)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=wrongly_typed)
def test_wrongly_typed_fields_never_crash(doc: dict[str, Any]) -> None:
    findings = lint_text(json.dumps(doc, indent=1))
    assert {f.rule_id for f in findings} <= KNOWN_RULES


def test_a_role_that_is_not_a_string_is_unknown_not_missing() -> None:
    doc = {
        "family": "app",
        "taskRoleArn": 5,
        "containerDefinitions": [
            {"name": "a", "image": "b", "mountPoints": [{"sourceVolume": "v", "containerPath": "/m"}]}
        ],
        "volumes": [
            {
                "name": "v",
                "efsVolumeConfiguration": {
                    "fileSystemId": "fs-0123456789abcdef0",
                    "transitEncryption": "ENABLED",
                    "authorizationConfig": {"iam": "ENABLED"},
                },
            }
        ],
    }
    assert "EFS111" not in {f.rule_id for f in lint_text(json.dumps(doc))}
    doc["taskRoleArn"] = ""
    assert "EFS111" in {f.rule_id for f in lint_text(json.dumps(doc))}


@settings(max_examples=150, deadline=None)
@given(doc=task_definition, cut=st.integers(1, 400))
def test_truncated_json_is_a_clean_parse_error(doc: Any, cut: int) -> None:
    text = json.dumps(doc, indent=1)
    try:
        json_reader.loads(text[: min(cut, len(text) - 1)])
    except InputError as exc:
        assert exc.line >= 1 and str(exc).startswith("invalid JSON: ")
    else:  # pragma: no cover - a strict prefix of a JSON object is never complete
        raise AssertionError("truncated JSON parsed")


@settings(max_examples=150, deadline=None)
@given(doc=task_definition, extra=st.sampled_from(["tags", "env", "container", "volume", "cpu"]))
def test_unrelated_changes_do_not_change_findings(doc: dict[str, Any], extra: str) -> None:
    before = keys(lint_text(json.dumps(doc, indent=2)))
    changed = copy.deepcopy(doc)
    if extra == "tags":
        changed["tags"] = [{"key": "team", "value": "storage"}]
    elif extra == "env":
        changed["containerDefinitions"][0]["environment"] = [{"name": "MODE", "value": "prod"}]
    elif extra == "container":
        changed["containerDefinitions"].append({"name": "logger", "image": "fluent-bit"})
    elif extra == "volume":
        changed.setdefault("volumes", []).append({"name": "unrelated-scratch", "host": {}})
    else:
        changed = {"cpu": "256", **changed}  # shifts every line below
    assert keys(lint_text(json.dumps(changed, indent=2))) == before


FIXES = {
    "EFS101": lambda cfg: cfg.__setitem__("transitEncryption", "ENABLED"),
    "EFS102": lambda cfg: cfg.__setitem__("transitEncryption", "ENABLED"),
    "EFS104": lambda cfg: cfg.__setitem__("transitEncryption", "ENABLED"),
    "EFS103": lambda cfg: cfg.pop("rootDirectory", None),
    "EFS105": lambda cfg: cfg.setdefault("authorizationConfig", {}).__setitem__("iam", "ENABLED"),
}


@settings(max_examples=200, deadline=None)
@given(doc=task_definition)
def test_fixing_the_flagged_value_removes_the_finding(doc: dict[str, Any]) -> None:
    findings = lint_text(json.dumps(doc, indent=2))
    for finding in findings:
        fix = FIXES.get(finding.rule_id)
        if fix is None:
            continue
        volume_name = finding.location.logical_name.rsplit("/", 1)[-1]
        fixed = copy.deepcopy(doc)
        configs = [
            v["efsVolumeConfiguration"]
            for v in fixed.get("volumes", [])
            if str(v.get("name")) == volume_name and isinstance(v.get("efsVolumeConfiguration"), dict)
        ]
        for cfg in configs:
            if not isinstance(cfg.get("authorizationConfig", {}), dict):
                cfg["authorizationConfig"] = {}
            fix(cfg)
        after = lint_text(json.dumps(fixed, indent=2))
        assert finding.fingerprint not in {f.fingerprint for f in after if f.rule_id == finding.rule_id}, (
            finding
        )
