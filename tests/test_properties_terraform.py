"""Hypothesis properties of the Terraform front-ends.

* Any text in a ``.tf`` file parses or raises InputError (EFS000), never anything else.
* Modules assembled from EFS/ECS resources with arbitrary (often nonsensical) argument values
  never crash the linter, and every finding points into the module.
* Adding an unrelated resource never changes the findings.
* Any JSON document shaped roughly like a plan yields a model or an InputError.
"""

from __future__ import annotations

import json
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


# Fixing a flagged value removes its finding, however the value is written: literally, through a
# variable default, a local, a template, a conditional or a map lookup, in .tf or .tf.json.
MISTAKES = {
    # rule: (resource type, argument path, bad value, good value)
    "EFS501": ("fs", "encrypted", False, True),
    "EFS101": ("volume", "transit_encryption", "DISABLED", "ENABLED"),
}
FORMS = ("literal", "variable", "local", "template", "conditional", "lookup")


def written(form: str, name: str, value: object) -> tuple[str, str]:
    """(expression, extra top-level HCL) that evaluates to ``value``, written in ``form``."""
    literal = json.dumps(value)
    if form == "variable":
        return f"var.{name}", f'variable "{name}" {{\n  default = {literal}\n}}\n'
    if form == "local":
        return f"local.{name}", f"locals {{\n  {name} = {literal}\n}}\n"
    if form == "template" and isinstance(value, str):
        return f'"${{local.{name}}}"', f"locals {{\n  {name} = {literal}\n}}\n"
    if form == "conditional":
        return f'length("ab") == 2 ? {literal} : null', ""
    if form == "lookup":
        return f'lookup({{ a = {literal} }}, "a", null)', ""
    return literal, ""


@st.composite
def mistaken_modules(draw: st.DrawFn) -> tuple[str, str, str]:
    """(rule, module with the mistake, the same module with only that value fixed)."""
    rule = draw(st.sampled_from(sorted(MISTAKES)))
    _, argument, bad, good = MISTAKES[rule]
    form = draw(st.sampled_from(FORMS))
    noise = "".join(
        draw(st.lists(st.sampled_from(["# comment\n", "\n", "/* block\n comment */\n"]), max_size=3))
    )

    def module(value: object) -> str:
        expr, extra = written(form, argument, value)
        fs_encrypted = expr if rule == "EFS501" else "true"
        transit = expr if rule == "EFS101" else '"ENABLED"'
        return (
            noise
            + extra
            + f'resource "aws_efs_file_system" "fs" {{\n  encrypted = {fs_encrypted}\n}}\n'
            + 'resource "aws_ecs_task_definition" "td" {\n  family = "app"\n'
            + '  task_role_arn = "arn:aws:iam::123456789012:role/task"\n  volume {\n    name = "data"\n'
            + "    efs_volume_configuration {\n      file_system_id = aws_efs_file_system.fs.id\n"
            + f"      transit_encryption = {transit}\n"
            + '      authorization_config {\n        iam = "ENABLED"\n      }\n    }\n  }\n}\n'
        )

    return rule, module(bad), module(good)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mistaken_modules())
def test_fixing_a_flagged_value_removes_its_finding(case: tuple[str, str, str]) -> None:
    rule, broken, fixed = case
    before = {f[0] for f in lint_text(broken)}
    after = {f[0] for f in lint_text(fixed)}
    assert rule in before, broken
    assert rule not in after, fixed


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.sampled_from(["${var.x}", "${", "$${x}", "a", "%{ if x }"]),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(["resource", "aws_vpc", "x", "dynamic", "//", "depends_on"]),
                children,
                max_size=3,
            )
        ),
        max_leaves=12,
    )
)
def test_any_tf_json_document_parses_or_is_an_input_error(doc: object) -> None:
    from efslint.sources.terraform.hcl_json import parse_json_file

    try:
        parse_json_file("x.tf.json", json.dumps(doc))
    except InputError as exc:
        assert exc.message
