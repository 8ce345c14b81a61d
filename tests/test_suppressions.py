"""In-source suppressions merged across sources, audited by EFS001; parse errors never suppressed."""

from __future__ import annotations

from pathlib import Path

from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine, RunOptions
from efslint.engine.suppressions import suppress
from efslint.findings import Finding
from efslint.model import Location, Model
from efslint.sources import json_reader
from efslint.sources.taskdef import task_definition as taskdef

BROKEN = Path(__file__).parent / "fixtures" / "taskdef" / "EFS101-fire.json"  # EFS101 at 27, EFS112 at 25
FILE = "td.json"


def model(marks: dict[int, dict[str, str]]) -> Model:
    built = taskdef.build_model(FILE, json_reader.loads(BROKEN.read_text()))
    built.line_suppressions[FILE] = marks
    return built


def run(built: Model, **options: list[str]) -> list[Finding]:
    return Engine(Catalog.load(), RunOptions(**options)).run(built)


def summary(findings: list[Finding]) -> list[tuple[str, int, tuple[str, str] | None]]:
    return [(f.rule_id, f.location.line, f.suppressed) for f in findings]


def test_comment_on_the_line_or_above_suppresses_with_reason() -> None:
    got = run(model({27: {"EFS101": "tracked in JIRA-12"}, 24: {"no-access-point": ""}}))
    assert summary(got) == [
        ("EFS112", 25, ("inSource", "")),
        ("EFS101", 27, ("inSource", "tracked in JIRA-12")),
    ]


def test_unused_and_unknown_suppressions_are_reported() -> None:
    got = run(model({10: {"EFS104": "old"}, 12: {"EFS777": ""}}))
    efs001 = [(f.location.line, f.message) for f in got if f.rule_id == "EFS001"]
    assert efs001 == [
        (10, "suppression of EFS104 matches no finding; remove it"),
        (12, "suppression names unknown rule 'EFS777'; correct or remove it"),
    ]


def test_suppression_of_a_rule_that_did_not_run_is_not_stale() -> None:
    got = run(model({10: {"EFS104": ""}}), select=["EFS101"])
    assert [f.rule_id for f in got] == ["EFS101"]


def test_sources_merge_and_no_source_is_reported_stale() -> None:
    built = model({27: {"EFS101": "comment reason"}})
    (volume,) = built.task_definitions[0].efs_volumes
    volume.suppressions = {"iam-requires-transit-encryption": "metadata reason"}
    got = run(built)
    assert ("EFS101", 27, ("inSource", "metadata reason; comment reason")) in summary(got)
    assert "EFS001" not in {f.rule_id for f in got}


def test_parse_errors_cannot_be_suppressed() -> None:
    built = Model(source=FILE)
    built.notes.append(("EFS000", "invalid JSON", Location(FILE, 3, 1, FILE)))
    built.line_suppressions[FILE] = {3: {"EFS000": ""}}
    got = run(built)
    assert summary(got) == [("EFS000", 3, None), ("EFS001", 3, None)]


def test_merge_keeps_the_strongest_kind_and_every_reason() -> None:
    finding = Finding("EFS101", "x", Catalog.load().rules["EFS101"].severity, "m", Location(FILE, 1, 1))
    suppress(finding, "baseline", "listed")
    suppress(finding, "config", "legacy")
    suppress(finding, "config", "legacy")
    assert finding.suppressed == ("config", "listed; legacy")


CFN_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Metadata:
      efslint:
        ignore:
          EFS105: the file system policy enforces IAM
          EFS102: left over from the access point days
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: public.ecr.aws/docker/library/nginx:latest
          MountPoints:
            - {SourceVolume: data, ContainerPath: /data}
      Volumes:
        - Name: data
          EFSVolumeConfiguration:
            FilesystemId: fs-0123456789abcdef0
            # efslint: ignore[EFS104] cleartext inside the VPC is accepted
            TransitEncryption: DISABLED
            RootDirectory: /data  # efslint: ignore[EFS103]
"""


def test_cloudformation_comments_and_metadata_end_to_end(tmp_path: Path) -> None:
    from efslint.pipeline.lint import lint_paths

    template = tmp_path / "stack.yaml"
    template.write_text(CFN_TEMPLATE)
    got = lint_paths(Engine(Catalog.load()), [str(template)]).findings
    assert [(f.rule_id, f.location.line, f.suppressed) for f in got if f.rule_id != "EFS112"] == [
        ("EFS001", 3, None),
        ("EFS105", 18, ("inSource", "the file system policy enforces IAM")),
        ("EFS104", 21, ("inSource", "cleartext inside the VPC is accepted")),
        ("EFS001", 22, None),
    ]
    assert [f.message for f in got if f.rule_id == "EFS001"] == [
        "suppression of EFS102 on TaskDefinition matches no finding; remove it",
        "suppression of EFS103 matches no finding; remove it",
    ]
    # Turning the stale rules off by select is not "stale": nothing to report.
    quiet = lint_paths(
        Engine(Catalog.load(), RunOptions(ignore=["EFS102", "EFS103"])), [str(template)]
    ).findings
    assert "EFS001" not in {f.rule_id for f in quiet}
