"""Hypothesis properties of the Terraform front-ends.

* Any text in a ``.tf`` file parses or raises InputError (EFS000), never anything else.
* Modules assembled from EFS/ECS resources with arbitrary (often nonsensical) argument values
  never crash the linter, and every finding points into the module.
* Adding an unrelated resource never changes the findings.
* Any JSON document shaped roughly like a plan yields a model or an InputError.
"""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.sources.errors import InputError
from efslint.sources.terraform.hcl import parse_file
from efslint.sources.terraform.load import load_module
from efslint.sources.terraform.plan import build_model

ENGINE = Engine(Catalog.load())

VALUES = st.sampled_from([
    '"ENABLED"', '"DISABLED"', '"enabled"', "null", "true", "false", "0", "2049", "-1", '"-1"', '"tcp"', '"6"',
    '"all"', '"fs-0123456789abcdef0"', '"arn:aws:x"', '"/"', '"/data"', "var.missing", "local.missing",
    "aws_efs_file_system.fs.id", "aws_efs_access_point.ap.id", "aws_subnet.s[0].id", "aws_subnet.s[*].id",
    "[aws_subnet.s[0].id]", "[aws_security_group.g.id]", '["0.0.0.0/0"]', "[]", "{}", "count.index",
    "data.aws_availability_zones.az.names[1]", "module.nothing.out", 'jsonencode({a = 1})', "1 + 2",
    'cidrsubnet("10.0.0.0/16", 8, 300)', "aws_ecs_task_definition.td.arn", '"1.3.0"', '"1.4"', '"FARGATE"',
])  # fmt: skip
ATTRIBUTES = st.sampled_from([
    "file_system_id", "subnet_id", "security_groups", "encrypted", "transit_encryption", "iam", "count",
    "platform_version", "launch_type", "availability_zone", "cidr_block", "protocol", "from_port", "to_port",
    "cidr_blocks", "self", "task_definition", "subnets", "root_directory", "access_point_id", "path",
    "container_definitions", "for_each", "security_group_id", "type", "uid", "gid", "status",
])  # fmt: skip
RESOURCES = st.sampled_from([
    ("aws_efs_file_system", "fs", ""), ("aws_efs_access_point", "ap", "posix_user"),
    ("aws_efs_mount_target", "mt", ""), ("aws_subnet", "s", ""), ("aws_security_group", "g", "ingress"),
    ("aws_security_group_rule", "r", ""), ("aws_ecs_task_definition", "td", "volume"),
    ("aws_ecs_service", "svc", "network_configuration"), ("aws_efs_backup_policy", "bp", "backup_policy"),
    ("aws_vpc", "v", ""), ("aws_scheduler_schedule", "sch", "target"),
])  # fmt: skip


@st.composite
def modules(draw: st.DrawFn) -> str:
    out = ['data "aws_availability_zones" "az" {}\n']
    for rtype, name, block in draw(st.lists(RESOURCES, min_size=1, max_size=6, unique=True)):
        attrs = draw(st.lists(st.tuples(ATTRIBUTES, VALUES), max_size=5, unique_by=lambda t: t[0]))
        body = "".join(f"  {k} = {v}\n" for k, v in attrs)
        if block:
            inner = draw(st.lists(st.tuples(ATTRIBUTES, VALUES), max_size=4, unique_by=lambda t: t[0]))
            nested = "".join(f"    {k} = {v}\n" for k, v in inner)
            if block == "volume":
                nested += "    efs_volume_configuration {\n      file_system_id = aws_efs_file_system.fs.id\n    }\n"
            body += f"  {block} {{\n{nested}  }}\n"
        out.append(f'resource "{rtype}" "{name}" {{\n{body}}}\n')
    return "".join(out)


def lint_text(text: str) -> list[tuple[str, str, int, str]]:
    with TemporaryDirectory() as folder:
        path = Path(folder) / "main.tf"
        path.write_text(text)
        findings = ENGINE.run(load_module(Path(folder), [path]))
        assert all(f.location.file.endswith("main.tf") for f in findings)
        return sorted((f.rule_id, Path(f.location.file).name, f.location.line, f.message) for f in findings)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list('abc={}[]()"<>EOF\n #/*$%.,:?!-1 ')), max_size=80))
def test_any_text_parses_or_is_an_input_error(text: str) -> None:
    try:
        parse_file("x.tf", text)
    except InputError as exc:
        assert exc.message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_generated_modules_never_crash_and_unrelated_resources_change_nothing(text: str) -> None:
    before = lint_text(text)
    after = lint_text(text + '\nresource "aws_cloudwatch_log_group" "unrelated" {\n  name = "x"\n}\n')
    assert before == after


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda children: (
            st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
        ),
        max_leaves=12,
    )
)
def test_plan_shaped_documents_give_a_model_or_an_input_error(values: object) -> None:
    doc = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [
            {"address": "aws_ecs_task_definition.x", "type": "aws_ecs_task_definition", "values": values},
            {"address": "aws_efs_mount_target.y", "type": "aws_efs_mount_target", "values": {"subnet_id": values}},
        ]}},
        "resource_changes": [{"address": "aws_efs_mount_target.y", "change": {"after_unknown": values}}],
        "configuration": {"root_module": {"resources": [{"address": "aws_efs_mount_target.y",
                                                          "expressions": values}]}},
    }  # fmt: skip
    try:
        model = build_model("plan.json", doc)
    except InputError:
        return
    ENGINE.run(model)
