"""The Terraform front-end's shortcuts give exactly what the long way gives.

* A tuple or object made only of literals, in JSON or HCL syntax, is read by the C JSON decoder:
  its value and every position equal those the evaluator builds from the syntax tree.
* A literal argument of ``jsonencode(...)`` read before parsing changes no value, position or
  error, wherever the call stands (strings, comments, heredocs, broken calls).
* Expressions are built on first read: the same values as building them at once, a deep
  expression that is read fails the module with EFS000, and one nested too deeply in brackets
  fails on load even when nothing reads it.
* A resource's document evaluates one argument at a time and keeps the written order.
* Long runs of blank space, which tree-sitter-hcl parses in quadratic time, are refused up front.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from efslint.sources.errors import InputError
from efslint.sources.located import LList, LMap
from efslint.sources.terraform import hcl_tree, literals
from efslint.sources.terraform.evaluate import Evaluator, JsonValue, Scope
from efslint.sources.terraform.hcl import parse_file
from efslint.sources.terraform.load import load_module
from efslint.sources.terraform.module import Module
from efslint.sources.terraform.syntax import Lit

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32).filter(lambda f: f == f and abs(f) < 1e12),
    # Text HCL and JSON read alike, plus characters the fast path must turn away; never "${" or
    # "%{", which HCL reads as a template.
    st.text(st.sampled_from('ab z/:-_.{}[]é€$%"\\'), max_size=8).filter(
        lambda t: "${" not in t and "%{" not in t
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text("abcxyz_-", min_size=1, max_size=5), inner, max_size=4),
    ),
    max_leaves=12,
)


def located(value: Any) -> Any:
    """A located value as plain data, every position included."""
    if isinstance(value, JsonValue):
        return ("jsonencode", located(value.value))
    if isinstance(value, LMap):
        return {
            "pos": value.pos,
            "items": [(k, value.key_pos[k], value.value_pos[k], located(v)) for k, v in value.items()],
            "duplicates": value.duplicates,
        }
    if isinstance(value, LList):
        return {
            "pos": value.pos,
            "items": [(p, located(v)) for v, p in zip(value, value.item_pos, strict=True)],
        }
    return (type(value).__name__, value)


@contextmanager
def long_way() -> Iterator[None]:
    """No shortcut: every tuple and object is built node by node and evaluated."""
    original = literals.MIN_BYTES
    literals.MIN_BYTES = 10**9
    try:
        yield
    finally:
        literals.MIN_BYTES = original


def evaluated(text: str) -> Any:
    """``local.x`` of a module of one file."""
    module = Module(Path("."), [parse_file("main.tf", text, lazy=True)])
    return located(module.local("x", module.evaluator))


def render(value: Any, style: str, indent: str = "") -> str:
    """``value`` as JSON, or in HCL's own syntax (bare keys where they can be, ``=``, one element
    per line, a trailing comma in tuples), laid out over several lines so that positions on
    later lines are checked too."""
    if isinstance(value, dict) and value:
        if style == "json":
            items = [
                f"{indent}  {json.dumps(k)}: {render(v, style, indent + '  ')}" for k, v in value.items()
            ]
            return "{\n" + ",\n".join(items) + f"\n{indent}}}"
        items = [
            f"{indent}  {k if k.isidentifier() else json.dumps(k)} = {render(v, style, indent + '  ')}"
            for k, v in value.items()
        ]
        return "{\n" + "\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and value:
        trailing = "," if style == "hcl" else ""
        return "[" + ", ".join(render(v, style, indent) for v in value) + trailing + "]"
    if isinstance(value, (dict, list)):
        return "{}" if isinstance(value, dict) else "[]"
    return json.dumps(value, ensure_ascii=False)


@settings(max_examples=400, deadline=None)
@given(value=VALUES, style=st.sampled_from(["json", "hcl"]), lead=st.sampled_from(["", "  ", "é "]))
def test_literal_is_read_as_the_evaluator_reads_it(value: Any, style: str, lead: str) -> None:
    # Later lines, a column shifted by a function call, and a line with a non-ASCII character.
    text = f"locals {{\n  {lead and 'y = 1'}\n  x = jsonencode({render(value, style)})\n}}\n"
    if lead == "é ":
        text = f'# é\nlocals {{\n  note = "é"\n  é = 1\n  x = {render(value, style)}\n}}\n'
    fast = evaluated(text)
    with long_way():
        slow = evaluated(text)
    assert fast == slow


def test_json_literal_becomes_one_constant() -> None:
    text = 'x = [\n  {"name": "app", "essential": true, "port": 8080, "none": null}\n]\n'
    expr = parse_file("main.tf", text, lazy=True).body.attributes["x"].expr
    assert isinstance(expr, Lit)
    assert isinstance(expr.value, LList)
    entry = expr.value[0]
    assert entry == {"name": "app", "essential": True, "port": 8080, "none": None}
    assert (expr.line, expr.col) == (1, 5)
    assert entry.key_pos["port"] == (2, 38) and entry.value_pos["port"] == (2, 46)


@pytest.mark.parametrize(
    "literal",
    [
        '{\n  Effect = "Allow"\n  Action = ["elasticfilesystem:ClientMount"],\n  n = -1.5e3\n}',
        '["aaaaaaaaaaaaaaaaaaaaaaa", "b",]',  # a trailing comma
        '{ "a-b" : true, c_1 = null, true = false }',
    ],
)
def test_hcl_literal_is_read_whole(literal: str) -> None:
    expr = parse_file("main.tf", f"x = {literal}\n", lazy=True).body.attributes["x"].expr
    assert isinstance(expr, Lit)


@pytest.mark.parametrize(
    "literal",
    [
        '["${var.x}", "aaaaaaaaaaaaaaaaaaaaa"]',  # an interpolation
        '["a\\u00e9", "aaaaaaaaaaaaaaaaaaaaaaa"]',  # an escape
        '[var.x, "aaaaaaaaaaaaaaaaaaaaaaaaaaa"]',  # a reference
        '{ a = each.value, b = "aaaaaaaaaaaaaaaaa" }',  # a reference that starts like a number
        '{ a = [e], b = "aaaaaaaaaaaaaaaaaaaaaaaa" }',  # a name that is not a key
        '{ a = upper("x"), b = "aaaaaaaaaaaaaaaa" }',  # a function call
        '{\n  a = 1 # note\n  b = "aaaaaaaaaaaaaaaaaaa"\n}',  # a comment
        '{ a = 1 == 1, b = "aaaaaaaaaaaaaaaaaaaaaaa" }',  # an operator
        '{ é = 1, b = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }',  # a key JSON would take, the regex not
    ],
)
def test_anything_but_literals_takes_the_long_way(literal: str) -> None:
    expr = parse_file("main.tf", f"x = {literal}\n", lazy=True).body.attributes["x"].expr
    assert not isinstance(expr, Lit)


def test_lazy_and_eager_expressions_evaluate_alike() -> None:
    text = (
        'locals {\n  a = [for s in ["x", "y"] : upper(s)]\n  b = { k = "v", n = 1 + 2 }\n'
        '  c = "${local.b.k}-${local.b.n}"\n  d = true ? local.a[1] : "no"\n}\n'
    )
    lazy = parse_file("main.tf", text, lazy=True)
    eager = parse_file("main.tf", text)
    assert lazy.body.attributes == eager.body.attributes
    module = Module(Path("."), [lazy])
    ev = Evaluator()
    assert [ev.eval(lazy.body.blocks[0].body.attributes[k].expr, Scope(module)) for k in "acd"] == [
        ["X", "Y"],
        "v-3",
        "Y",
    ]


def test_deep_expression_read_late_fails_the_module(tmp_path: Path) -> None:
    # 300 chained conditionals: no brackets, so the file loads; reading the value fails it.
    deep = " : ".join(["true ? 1"] * 300) + " : 0"
    (tmp_path / "main.tf").write_text(
        f'locals {{\n  deep = {deep}\n}}\nresource "aws_efs_file_system" "fs" {{\n'
        "  encrypted = local.deep\n}\n"
    )
    model = load_module(tmp_path, [tmp_path / "main.tf"])
    assert [(rule, "nested too deeply" in text, loc.line) for rule, text, loc in model.notes] == [
        ("EFS000", True, 2)
    ]
    assert model.file_systems == []


def test_deep_brackets_fail_on_load_even_unread(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text("locals {\n  x = " + "[" * 100 + "var.x" + "]" * 100 + "\n}\n")
    model = load_module(tmp_path, [tmp_path / "main.tf"])
    assert [(rule, "nested too deeply" in text) for rule, text, _ in model.notes] == [("EFS000", True)]


def test_bracket_depth_is_an_upper_bound() -> None:
    assert hcl_tree._bracket_depth(b'x = [{"a": "(((("}]') == 6
    assert hcl_tree._bracket_depth(b"x = 1") == 0


CONTAINERS = json.dumps(
    [
        {
            "name": f"app-{i}",
            "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0",
            "essential": i == 0,
            "environment": [{"name": f"SETTING_{j}", "value": f"é-{j}"} for j in range(4)],
            "mountPoints": [{"sourceVolume": "data", "containerPath": "/data", "readOnly": False}],
        }
        for i in range(3)
    ],
    indent=2,
    ensure_ascii=False,
)


def test_large_json_argument_is_read_before_parsing_with_every_position() -> None:
    text = f'# é\nlocals {{\n  x = jsonencode({CONTAINERS})\n  after = "here"\n}}\n'
    data = text.encode()
    blanked, found = literals.blank_literal_arguments(data)
    assert len(found) == 1 and len(blanked) == len(data)
    assert blanked.count(b"\n") == data.count(b"\n")
    with long_way():
        slow = evaluated(text)
    assert evaluated(text) == slow
    parsed = parse_file("main.tf", text, lazy=True)
    assert parsed.body.blocks[0].body.attributes["after"].line == 2 + CONTAINERS.count("\n") + 2


ONE_LINE = json.dumps(json.loads(CONTAINERS))


@pytest.mark.parametrize(
    "wrapper",
    [
        "note = " + json.dumps(f"jsonencode({ONE_LINE})"),  # inside a string
        f"note = <<EOT\njsonencode({CONTAINERS})\nEOT",  # inside a heredoc
        f"/* jsonencode({CONTAINERS}) */",  # inside a comment
    ],
)
def test_json_argument_look_alikes_are_not_blanked(wrapper: str) -> None:
    text = f"locals {{\n  {wrapper}\n  x = 1\n}}\n"
    # Any span found in the text is refused once the blanked text is parsed.
    blanked, found = literals.blank_literal_arguments(text.encode())
    if found:
        root = hcl_tree._parser().parse(blanked).root_node
        assert root.has_error or not hcl_tree._spans_are_literals(root, found)
    parsed = parse_file("main.tf", text, lazy=True)
    attributes = parsed.body.blocks[0].body.attributes
    assert attributes["x"].line == text.count("\n") - 1
    if "note" in attributes:
        module = Module(Path("."), [parsed])
        value = module.local("note", module.evaluator)
        assert value.startswith("jsonencode([") and '"mountPoints"' in value


def test_long_blank_runs_are_refused_before_parsing() -> None:
    with pytest.raises(InputError, match=r"too much blank space .* at line 2"):
        parse_file("main.tf", "locals {\n  x = [" + " " * 30_000 + "]\n}\n", lazy=True)
    # Hundreds of blank lines between blocks are fine.
    parsed = parse_file("main.tf", "locals {\n  a = 1\n}\n" + "\n" * 5_000 + "locals {\n  b = 2\n}\n")
    assert [b.body.attributes[k].line for b, k in zip(parsed.body.blocks, "ab", strict=True)] == [2, 5005]


@pytest.mark.parametrize(
    "argument",
    [
        '[\n  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"\n  "b"\n]',
        '[\n  {"a": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}\n  {}\n]',
    ],
)
def test_a_literal_hcl_refuses_is_still_refused(argument: str) -> None:
    # Tuple items on separate lines without commas: JSON-like, but not HCL.
    with pytest.raises(InputError, match="invalid HCL"):
        parse_file("main.tf", f"x = jsonencode({argument})\n", lazy=True)


def test_resource_document_reads_one_argument_at_a_time_and_all_in_order(tmp_path: Path) -> None:
    text = (
        'resource "aws_security_group" "g" {\n'
        '  name        = "g"\n'
        "  count       = 1\n"
        "  tags        = { Team = var.team }\n"
        "  ingress {\n    from_port = 2049\n  }\n"
        '  dynamic "egress" {\n    for_each = [443]\n    content {\n      to_port = egress.value\n    }\n  }\n'
        '  description = "d"\n'
        "}\n"
    )
    module = Module(tmp_path, [parse_file("main.tf", text, lazy=True)])
    resource = next(iter(module.resources.values()))
    doc = resource.instances[0].document(module.evaluator)
    assert doc.get("name") == "g"
    assert dict.keys(doc) == {"name"}  # nothing else evaluated yet
    assert "egress" in doc and doc["egress"][0]["to_port"] == 443
    assert "count" not in doc and "tags" in doc
    assert list(doc) == ["name", "tags", "description", "ingress", "egress"]
    assert doc.pos_of("description") == (14, 3)
    assert doc["ingress"][0] == {"from_port": 2049}


BIG_VALUES = st.lists(VALUES, min_size=1, max_size=6).map(lambda items: [*items, "x" * 120])
WRAPPERS = st.sampled_from(
    [
        "x = jsonencode({v})",
        "x = jsonencode({v}) # note",
        "x = [jsonencode({v}), 1]",
        'x = "${{jsonencode({v})}}"',
        "/* x = jsonencode({v}) */ x = 1",
        "# x = jsonencode({v})\nx = 1",
        "x = <<EOT\njsonencode({v})\nEOT",
        "x = jsonencode({v}",  # unclosed call
        "x = jsonencode({v}]",  # wrong closing bracket
        "x = jsonencode({v}) y = 2",  # two arguments on one line
    ]
)


def _outcome(text: str) -> Any:
    try:
        parsed = parse_file("main.tf", text, lazy=True)
        module = Module(Path("."), [parsed])
        return {name: located(module.local(name, module.evaluator)) for name in module.locals}
    except InputError as exc:
        return ("error", exc.message, exc.line)


@settings(max_examples=250, deadline=None)
@given(value=BIG_VALUES, style=st.sampled_from(["json", "hcl"]), wrapper=WRAPPERS)
def test_reading_literals_before_parsing_changes_nothing(value: Any, style: str, wrapper: str) -> None:
    text = "locals {\n  " + wrapper.format(v=render(value, style)) + "\n  z = 3\n}\n"
    fast = _outcome(text)
    with long_way():
        slow = _outcome(text)
    assert fast == slow
