"""AWS Batch: per-service messages, and which job definitions are linked to which compute environments."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.model import Location, Model, TaskDefinition, Unknown
from efslint.pipeline.lint import lint_paths
from efslint.sources import batch_links as batch

FIXTURES = Path(__file__).parent / "fixtures"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("rule", [r for r in Catalog.load() if r.messages], ids=lambda r: r.id)
def test_batch_message_uses_only_fields_the_rule_provides(rule) -> None:  # type: ignore[no-untyped-def]
    # A placeholder the ECS message does not use may not exist for this rule: it would render as "?".
    assert _fields(rule.messages["batch"]) <= _fields(rule.message)
    assert rule.docs.get("batch"), f"{rule.id} has a Batch message but no docs.batch section"


def test_ecs_findings_keep_the_ecs_message() -> None:
    engine = Engine(Catalog.load())
    findings = lint_paths(engine, [str(FIXTURES / "taskdef" / "EFS111-fire.json")]).findings
    (finding,) = [f for f in findings if f.rule_id == "EFS111"]
    assert "taskRoleArn" in finding.message and "jobRoleArn" not in finding.message


def test_batch_findings_use_batch_terms() -> None:
    engine = Engine(Catalog.load())
    findings = lint_paths(engine, [str(FIXTURES / "taskdef" / "batch-job-definition-broken.json")]).findings
    by_rule = {f.rule_id: f.message for f in findings}
    assert "jobRoleArn" in by_rule["EFS111"] and "taskRoleArn" not in by_rule["EFS111"]
    assert by_rule["EFS201"].startswith("Batch job definition 'train'")
    assert "fargatePlatformConfiguration.platformVersion" in by_rule["EFS201"]


# ------------------------------------------------------------------------------------------------
# Linking


def _jd(name: str, caps: list[str]) -> TaskDefinition:
    td = TaskDefinition(loc=Location("t.yaml", 1, 1, name), family=name, requires_compatibilities=caps)
    batch.mark_job_definition(td)
    return td


def _ce(name: str, kind: object) -> batch.ComputeEnvironment:
    return batch.ComputeEnvironment(name=name, loc=Location("t.yaml", 2, 1, name), type=kind, subnets=[])


def _linked(model: Model) -> set[tuple[object, object]]:
    return {
        (w.name, w.task_definition.family)  # type: ignore[union-attr]
        for w in model.workloads
        if w.workload_type == "batch_compute_environment"
    }


def test_one_compatible_queue_links_its_compute_environments() -> None:
    fargate, spot = _ce("f", "FARGATE"), _ce("s", "FARGATE_SPOT")
    train = _jd("train", ["FARGATE"])
    model = Model(source="t.yaml")
    batch.link(model, [train], [batch.JobQueue("q", Location("t.yaml"), [fargate, spot])], in_files=True)
    assert _linked(model) == {("f", "train"), ("s", "train")}
    # The Fargate job definition also stands alone for the platform version rules.
    assert [w.workload_type for w in model.workloads].count("batch_job_definition") == 1


@pytest.mark.parametrize(
    ("queues", "caps"),
    [
        (2, ["FARGATE"]),  # two queues: SubmitJob decides
        (1, ["EC2"]),  # an EC2 job definition cannot run on a Fargate queue
        (1, []),  # platformCapabilities omitted means EC2
    ],
)
def test_no_link_without_proof(queues: int, caps: list[str]) -> None:
    envs = [_ce(f"f{i}", "FARGATE") for i in range(queues)]
    td = _jd("train", caps)
    model = Model(source="t.yaml")
    batch.link(
        model, [td], [batch.JobQueue(f"q{i}", Location("t.yaml"), [e]) for i, e in enumerate(envs)], True
    )
    assert _linked(model) == set()


def test_unknown_compute_environment_in_the_queue_links_nothing() -> None:
    td = _jd("train", ["EC2"])
    model = Model(source="t.yaml")
    queue = batch.JobQueue("q", Location("t.yaml"), [_ce("e", "EC2"), Unknown("defined elsewhere")])
    batch.link(model, [td], [queue], in_files=True)
    assert _linked(model) == set()


def test_live_links_follow_the_jobs_a_queue_ran() -> None:
    ran, idle = _jd("ran", ["EC2"]), _jd("idle", ["EC2"])
    model = Model(source="aws://r/a")
    queue = batch.JobQueue("q", Location("arn:q"), [_ce("e", "SPOT")], job_definitions=[ran])
    batch.link(model, [ran, idle], [queue], in_files=False)
    assert _linked(model) == {("e", "ran")}


def test_job_definition_alone_makes_no_network_claim() -> None:
    from efslint.checks.usage import file_systems

    td = _jd("train", ["FARGATE"])
    (alone,) = [w for w in _model_with(td).workloads if w.workload_type == "batch_job_definition"]
    assert file_systems(alone) == [] and isinstance(alone.subnets, Unknown)


def _model_with(td: TaskDefinition) -> Model:
    model = Model(source="t.yaml")
    batch.link(model, [td], [], in_files=True)
    return model


def test_cloudformation_metadata_suppresses_batch_findings(tmp_path: Path) -> None:
    example = Path(__file__).parent.parent / "examples" / "ml-batch" / "broken" / "batch-cloudformation.yaml"
    text = example.read_text()
    text = text.replace(
        "  TrainJob:\n    Type: AWS::Batch::JobDefinition\n",
        "  TrainJob:\n    Type: AWS::Batch::JobDefinition\n    Metadata:\n      efslint:\n"
        "        ignore: {EFS201: pinned while testing}\n",
    )
    text = text.replace(
        "  ComputeEnvironment:\n    Type: AWS::Batch::ComputeEnvironment\n",
        "  ComputeEnvironment:\n    Type: AWS::Batch::ComputeEnvironment\n    Metadata:\n      efslint:\n"
        "        ignore: [EFS301]\n",
    )
    path = tmp_path / "batch.yaml"
    path.write_text(text)
    findings = lint_paths(Engine(Catalog.load()), [str(path)]).findings
    suppressed = {f.rule_id: f.suppressed for f in findings if f.suppressed is not None}
    assert suppressed == {
        "EFS201": ("inSource", "pinned while testing"),
        "EFS301": ("inSource", "Metadata efslint ignore"),
    }
    assert {f.rule_id for f in findings if f.suppressed is None} == {"EFS101", "EFS102", "EFS111", "EFS302"}
