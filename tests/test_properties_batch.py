"""Hypothesis properties of the AWS Batch job-definition front-end.

* Any job definition — valid, mangled, multi-node, or random JSON under Batch keys — never crashes
  the tool: it yields findings of known rules only.
* Unrelated changes (tags, parameters, retry strategy, an extra volume) never change findings.
* Fixing the flagged platform version or volume removes the finding.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties_taskdef import ENGINE, FIXES, KNOWN_RULES, json_values, mount_point, volume

from efslint.findings import Finding
from efslint.sources import json_reader
from efslint.sources.errors import InputError
from efslint.sources.taskdef import batch_job

container_properties = st.fixed_dictionaries(
    {"image": st.just("public.ecr.aws/x/train:latest")},
    optional={
        "volumes": st.one_of(st.lists(volume, max_size=3), json_values),
        "mountPoints": st.lists(mount_point, max_size=3),
        "jobRoleArn": st.sampled_from(["arn:aws:iam::111122223333:role/job", "", None, 4]),
        "fargatePlatformConfiguration": st.one_of(
            st.fixed_dictionaries(
                {"platformVersion": st.sampled_from(["1.3.0", "1.4.0", "LATEST", "1.4", None])}
            ),
            json_values,
        ),
        "runtimePlatform": st.fixed_dictionaries(
            {"operatingSystemFamily": st.sampled_from(["LINUX", "WINDOWS_SERVER_2022_CORE", None])}
        ),
    },
)
job_definition = st.fixed_dictionaries(
    {
        "jobDefinitionName": st.sampled_from(["train", "eval"]),
        "type": st.sampled_from(["container", "multinode"]),
    },
    optional={
        "containerProperties": st.one_of(container_properties, json_values),
        "platformCapabilities": st.sampled_from([["FARGATE"], ["EC2"], [], "FARGATE", [None]]),
        "nodeProperties": json_values,
        "status": st.sampled_from(["ACTIVE", "INACTIVE"]),
    },
)


def lint_text(text: str) -> list[Finding]:
    try:
        doc = json_reader.loads(text)
    except InputError:
        return []
    if not batch_job.looks_like_job_definitions(doc):
        return []
    return ENGINE.run(batch_job.build_model("jd.json", doc))


def keys(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.rule_id, f.fingerprint) for f in findings}


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=st.one_of(
        job_definition,
        st.lists(job_definition, max_size=2),
        st.fixed_dictionaries({"jobDefinitions": st.lists(job_definition, max_size=2)}),
    )
)
def test_never_crashes(doc: Any) -> None:
    findings = lint_text(json.dumps(doc, indent=1))
    assert {f.rule_id for f in findings} <= KNOWN_RULES
    assert all(f.location.file == "jd.json" and f.location.line >= 1 for f in findings)


@settings(max_examples=150, deadline=None)
@given(doc=job_definition, extra=st.sampled_from(["tags", "parameters", "retry", "volume"]))
def test_unrelated_changes_do_not_change_findings(doc: dict[str, Any], extra: str) -> None:
    before = keys(lint_text(json.dumps(doc, indent=2)))
    changed = copy.deepcopy(doc)
    if extra == "tags":
        changed["tags"] = {"team": "ml"}
    elif extra == "parameters":
        changed = {"parameters": {"epochs": "10"}, **changed}  # shifts every line below
    elif extra == "retry":
        changed["retryStrategy"] = {"attempts": 3}
    elif isinstance(changed.get("containerProperties"), dict) and isinstance(
        changed["containerProperties"].get("volumes", []), list
    ):
        changed["containerProperties"].setdefault("volumes", []).append({"name": "scratch", "host": {}})
    assert keys(lint_text(json.dumps(changed, indent=2))) == before


@settings(max_examples=200, deadline=None)
@given(doc=job_definition)
def test_fixing_the_flagged_value_removes_the_finding(doc: dict[str, Any]) -> None:
    findings = lint_text(json.dumps(doc, indent=2))
    props = doc.get("containerProperties")
    for finding in findings:
        fixed = copy.deepcopy(doc)
        if finding.rule_id == "EFS201":
            fixed["containerProperties"]["fargatePlatformConfiguration"] = {"platformVersion": "LATEST"}
        elif finding.rule_id in FIXES and isinstance(props, dict):
            name = finding.location.logical_name.rsplit("/", 1)[-1]
            for vol in fixed["containerProperties"].get("volumes", []):
                cfg = vol.get("efsVolumeConfiguration") if str(vol.get("name")) == name else None
                if isinstance(cfg, dict):
                    if not isinstance(cfg.get("authorizationConfig", {}), dict):
                        cfg["authorizationConfig"] = {}
                    FIXES[finding.rule_id](cfg)
        else:
            continue
        after = lint_text(json.dumps(fixed, indent=2))
        assert finding.fingerprint not in {f.fingerprint for f in after if f.rule_id == finding.rule_id}, (
            finding
        )
