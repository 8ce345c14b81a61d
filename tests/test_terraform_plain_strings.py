"""Plain strings handed to tree-sitter as names (:mod:`efslint.sources.terraform.plain_strings`),
and simple expressions read from their text (``_Reader.from_text``: names, chains, numbers,
strings, templates of chains, tuples of these), give exactly the syntax tree, positions and
errors of the text as written, built node by node.

* Which strings are written over, in which places, and that nothing else in the text moves.
* A hypothesis property builds HCL from strings of every kind (plain, escaped, templates with
  strings inside, directives, ``$${``), names that look like the ones written in (``Q__``),
  comments, heredocs, line endings and non-ASCII text, in every place a string can stand and in
  the places only a name can (argument names, block types, function names, after a dot, ``for``
  variables): the fast way and the text as written give the same tree or the same error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from efslint.sources.errors import InputError
from efslint.sources.terraform import hcl_tree
from efslint.sources.terraform.hcl import parse_file
from efslint.sources.terraform.plain_strings import name_plain_strings
from efslint.sources.terraform.syntax import Template, Var


@contextmanager
def long_way() -> Iterator[None]:
    """The parser reads every string itself, and every expression is built node by node."""
    naming, from_text = hcl_tree.name_plain_strings, hcl_tree._Reader.from_text
    hcl_tree.name_plain_strings = lambda data: data
    hcl_tree._Reader.from_text = lambda self, node: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        hcl_tree.name_plain_strings = naming
        hcl_tree._Reader.from_text = from_text  # type: ignore[method-assign]


def outcome(text: str) -> Any:
    try:
        parsed = parse_file("main.tf", text)
    except InputError as exc:
        return ("error", exc.message, exc.line, exc.column)
    return parsed.body, parsed.suppressions


def named_strings(text: str) -> list[str]:
    """The strings of ``text`` the parser would see as names."""
    data = text.encode()
    named = name_plain_strings(data)
    assert len(named) == len(data)
    spans = []
    start = None
    for i, (a, b) in enumerate(zip(data, named, strict=True)):
        if a != b and start is None:
            start = i
        elif a == b and start is not None and a != 0x5F:  # `_` is the filler of a name
            spans.append(data[start:i].decode())
            start = None
    return spans


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (
            'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n',
            ['"aws_vpc"', '"main"', '"10.0.0.0/16"'],
        ),
        (
            'x = f("a", "b")\ny = ["c",\n  "d"\n]\nz = c ? "e" : "f"\n',
            ['"a"', '"b"', '"c"', '"d"', '"e"', '"f"'],
        ),
        ('x = { "k" = "v", k2 = "w" }\n', ['"v"', '"w"']),  # a key before `=`: never
        ('x = y["k"]\n', ['"k"']),
        ('"x" = 1\n', []),  # an argument name is a name only
        ('"block" "label" {\n}\n', ['"label"']),  # the block type stays a string
        ('x = "f"(1)\ny = a."b"\nz = [for "k" in a : 1]\n', []),
        ('x = "a\\"b"\ny = "${var.a}"\nz = "50%"\n', []),  # escapes, templates, a lone %
        ('# x = "a"\n/* y = "b" */\nz = 1 // "c"\n', []),
        ('x = "é€" # "c"\n', ['"é€"']),
        ('x = "a"\ny = <<EOT\n"b"\nEOT\n', []),  # a heredoc anywhere: the file as written
        ('x = "a"\ny = "b\n', []),  # a string left open
        ('x = "a" /* "b"\n', []),  # a comment left open
        ('x = "a"\r\ny = "b"\r\n', ['"a"', '"b"']),
        ('x = "a"\ry = "b"\n', []),  # a lone carriage return
        ('"t"\nlabel {\n}\n', []),  # a block type, its label on the next line
        (' "t" {\n}\nx = y', []),  # a block type first in a file that ends in a name
        ('x = {\n  "k": 1,\n  k2 = [\n    "a",\n    "b"\n  ]\n}\n', ['"k"', '"a"', '"b"']),
        ('x = "f"\n(1)\ny = "g" # c\n(2)\n', []),  # function calls, were they names
        ('x = [for k, "v"\nin y : 1]\n', []),  # a `for` variable, were it a name
    ],
)
def test_which_strings_are_named(text: str, named: list[str]) -> None:
    assert named_strings(text) == named
    fast = outcome(text)
    with long_way():
        assert fast == outcome(text)


def test_a_named_string_reads_as_the_string_and_a_real_name_as_a_name() -> None:
    parsed = parse_file("main.tf", 'resource "t" "n" {\n  a = "Q_"\n  b = Q_\n  c = ""\n}\n')
    block = parsed.body.blocks[0]
    assert block.labels == ["t", "n"]
    attributes = block.body.attributes
    assert attributes["a"].expr == Template(2, 7, ["Q_"])
    assert attributes["b"].expr == Var(3, 7, "Q_")
    assert attributes["c"].expr == Template(4, 7, [])


PLAIN = st.sampled_from(['"a"', '""', '"é x/y:z"', '"a#b"', '"//x"', '"/*"', '"<<EOT"', '"Q_"'])
OTHER_STRINGS = st.sampled_from(
    [
        '"a\\"b"',
        '"a\\\\"',
        '"${x}"',
        '"${ "q" }"',
        '"${ {k = "}"}.k }"',
        '"$${a}"',
        '"$${"',
        '"%{ if a }b%{ endif }"',
        '"50%"',
        '"$"',
        '"{x}"',
        '"open',
    ]
)
# Mostly plain strings: any other kind may leave its whole file as written.
STRINGS = st.one_of(PLAIN, PLAIN, PLAIN, OTHER_STRINGS)
NAMES = st.sampled_from(["x", "local.a", "var.b[0]", "a.b.c", "a-b", "x.0", "é.b", "Q_", "Q__", "Q___"])
LEAVES = st.one_of(
    STRINGS, NAMES, st.sampled_from(["1", "007", "1.5", "1e3", "0.5e-2", "true", "false", "null", "true.x"])
)
FORMS = [
    "[{a}, {b}]",
    "[\n  {a},\n    {b}\n]",
    "[\n{a}\n]",
    "{{ {a} = {b} }}",
    "{{\n  {a}: {b}\n}}",
    "{{ ({a}) = {b}, k = {c} }}",
    "f({a}, {b})",
    "{a} ? {b} : {c}",
    "{a} == {b}",
    "{a} != {b} && {c}",
    "-{a}",
    "!{a}",
    "{a}[{b}]",
    "({a})",
    "{a}.b",
    "[for k, v in {a} : {b}]",
    "{{for k, v in {a} : {b} => {c}}}",
    '"${{{a}}}-x"',
    '"p${{ {a} }}q${{{b}}}"',
    '"${{{a}~}}"',
    '"$${{{a}}}"',
    '"%%{{{a}}}"',
    '"é${{{a}}}"',
    "[{a}, {b}, {c},]",
    "[ {a} ]",
    "{a} # {b}",
    "{a} /* {b} */",
    "{a}/{b}",
    # Places only a name may take: the text as written is invalid HCL.
    "{a}({b})",
    "{b}.{a}",
    "[for {a} in {b} : 1]",
    "[for k, {a} in {b} : 1]",
    "{a} {b}",
    "{a}{b}",
    "{a}-{b}",
    # tree-sitter-hcl reads on over line breaks and comments.
    "{a}\n({b})",
    "{a} # c\n({b})",
    "{a} /* c */ ({b})",
    "[for k, {a}\nin {b} : 1]",
    "[for k,\n{a} in {b} : 1]",
    "[\n{a}\n]",
    "{a}\n== {b}",
    "{a}\n.b",
    "{a}\n{{}}",
    "{a}\n= {b}",
]


def _expression(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return LEAVES
    inner = _expression(depth - 1)
    return st.one_of(
        LEAVES,
        st.tuples(st.sampled_from(FORMS), inner, inner, inner).map(
            lambda t: t[0].format(a=t[1], b=t[2], c=t[3])
        ),
    )


EXPRESSIONS = _expression(3)
NAMES_OR_STRINGS = st.one_of(NAMES.filter(lambda n: "." not in n and "[" not in n), STRINGS)
SPACES = st.sampled_from(["", " ", "  ", "\t", "    "])


@st.composite
def items(draw: st.DrawFn) -> str:
    # A heredoc leaves its whole file as written: rare, so most files take the fast way.
    kind = draw(st.sampled_from(["attribute"] * 4 + ["block"] * 3 + ["lone", "comment", "heredoc"]))
    lead = draw(SPACES)
    if kind == "attribute":
        name = draw(st.one_of(st.just("a"), st.just("b_2"), NAMES_OR_STRINGS))
        return f"{lead}{name}{draw(SPACES)}={draw(SPACES)}{draw(EXPRESSIONS)}"
    if kind == "block":
        type_ = draw(st.one_of(st.just("resource"), NAMES_OR_STRINGS))
        labels = draw(st.lists(NAMES_OR_STRINGS, max_size=3))
        body = draw(
            st.lists(st.builds(lambda n, e: f"  {n} = {e}", st.sampled_from("cd"), EXPRESSIONS), max_size=2)
        )
        inner = "".join(f"{line}\n" for line in body)
        # tree-sitter-hcl also takes a block whose labels start on the next line.
        between = draw(st.sampled_from([" ", "\n", " # c\n"]))
        return f"{lead}{type_}{between}{draw(SPACES).join(labels)}{draw(SPACES)}{{\n{inner}}}"
    if kind == "lone":  # invalid in a body: whatever it is, it must stay invalid
        return f"{lead}{draw(EXPRESSIONS)}{draw(st.sampled_from(['', ' # c', ',', ' {', ' {}']))}"
    if kind == "comment":
        return f"{lead}{draw(st.sampled_from(['#', '//']))} {draw(EXPRESSIONS)}"
    return f"{lead}h = <<{draw(st.sampled_from(['EOT', '-EOT']))}\n  {draw(STRINGS)}\n  EOT"


@settings(max_examples=1500, deadline=None)
@given(
    lines=st.lists(items(), min_size=1, max_size=5),
    newline=st.sampled_from(["\n", "\r\n"]),
    end=st.sampled_from(["newline", "", " x", "x = y"]),
)
def test_naming_plain_strings_changes_nothing(lines: list[str], newline: str, end: str) -> None:
    # Most files end with a line break; the others must not let a look back wrap around.
    text = newline.join(lines) + (newline if end == "newline" else newline + end)
    fast = outcome(text)
    with long_way():
        slow = outcome(text)
    assert fast == slow


SIMPLE_LEAVES = st.sampled_from(
    [
        "a",
        "a.b",
        "aws_x.y.id",
        "true",
        "null",
        "true.x",
        "7",
        "1.5",
        '"s"',
        '""',
        '"é"',
        '"a,b"',
        '"$5"',
        '"x.y"',
    ]
)


@st.composite
def simple_forms(draw: st.DrawFn) -> str:
    """Tuples and templates of simple values, with the spacing, commas and characters that decide
    whether they can be read from their text."""
    leaves = draw(st.lists(SIMPLE_LEAVES, min_size=1, max_size=4))
    if draw(st.booleans()):
        sep = draw(st.sampled_from([",", ", ", " ,", ",\t"]))
        trail = draw(st.sampled_from(["", ",", " , "]))
        return f"[{draw(SPACES)}{sep.join(leaves)}{trail}{draw(SPACES)}]"
    pieces = [draw(st.sampled_from(["", "-", "x y", "é", "$", "%", "a.b"])) for _ in range(len(leaves) + 1)]
    holes = [
        f"${{{draw(st.sampled_from(['', ' ']))}{leaf}{draw(st.sampled_from(['', ' ']))}}}" for leaf in leaves
    ]
    return '"' + "".join(p + h for p, h in zip(pieces, holes, strict=False)) + pieces[-1] + '"'


@settings(max_examples=500, deadline=None)
@given(form=simple_forms(), lead=st.sampled_from(["", "# é\n", "# c\n"]))
def test_tuples_and_templates_read_from_text_as_built_node_by_node(form: str, lead: str) -> None:
    text = f"{lead}locals {{\n  x = {form}\n  y = {{ k = {form} }}\n}}\n"
    fast = outcome(text)
    with long_way():
        assert fast == outcome(text)
