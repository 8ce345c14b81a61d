"""Terraform HCL files as a small syntax tree with file, line and column on every node.

:mod:`.hcl_tree` builds the tree with tree-sitter (a C parser) and the tree-sitter-hcl grammar;
this module holds the node types the rest of the Terraform front-end consumes, and the template
helpers shared by heredocs and ``templatefile()``.  Comments never reach the tree, which is how
suppression comments are found without ever reading commented-out code.  The parser is imported
only when a ``.tf`` file is linted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError

# tree-sitter parses megabytes in milliseconds; the limit bounds the memory of the syntax tree.
MAX_TF_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 200


@dataclass(slots=True)
class Expr:
    line: int
    col: int


@dataclass(slots=True)
class Lit(Expr):
    value: Any


@dataclass(slots=True)
class Template(Expr):
    """A quoted string or heredoc: literal text and interpolated expressions."""

    parts: list[str | Expr]
    # A `%{ if }` / `%{ for }` directive makes the value unknowable for us.
    directives: bool = False


@dataclass(slots=True)
class Var(Expr):
    name: str


@dataclass(slots=True)
class GetAttr(Expr):
    obj: Expr
    name: str


@dataclass(slots=True)
class Index(Expr):
    obj: Expr
    key: Expr


@dataclass(slots=True)
class Splat(Expr):
    """``x[*].a.b`` / ``x.*.a``: ``steps`` (GetAttr/Index on a placeholder) apply to each element."""

    obj: Expr
    steps: list[tuple[str, Any]]


@dataclass(slots=True)
class TupleExpr(Expr):
    items: list[Expr]


@dataclass(slots=True)
class ObjectExpr(Expr):
    items: list[tuple[Expr, Expr]]


@dataclass(slots=True)
class Call(Expr):
    name: str
    args: list[Expr]
    expand: bool = False


@dataclass(slots=True)
class Cond(Expr):
    test: Expr
    then: Expr
    other: Expr


@dataclass(slots=True)
class BinOp(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(slots=True)
class UnOp(Expr):
    op: str
    operand: Expr


@dataclass(slots=True)
class ForExpr(Expr):
    key_var: str | None
    value_var: str
    collection: Expr
    value: Expr
    key: Expr | None  # object form when set
    cond: Expr | None
    group: bool = False


@dataclass(slots=True)
class Attribute:
    name: str
    expr: Expr
    line: int
    col: int


@dataclass(slots=True)
class Block:
    type: str
    labels: list[str]
    body: Body
    line: int
    col: int
    file: str = ""


@dataclass(slots=True)
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def blocks_of(self, type_: str) -> list[Block]:
        return [b for b in self.blocks if b.type == type_]

    def block(self, type_: str) -> Block | None:
        return next((b for b in self.blocks if b.type == type_), None)


@dataclass
class ParsedFile:
    path: str
    body: Body
    # {line: {rule-or-name: reason}} from `# efslint: ignore[EFS104] reason` comments.
    suppressions: dict[int, dict[str, str]] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------


def parse_file(path: str, text: str) -> ParsedFile:
    """Parse one ``.tf`` file; :class:`InputError` for anything that is not valid HCL."""
    if len(text) > MAX_TF_BYTES:
        raise InputError(
            f"file is too large to lint as Terraform ({len(text) / 1e6:.1f} MB; the limit is "
            f"{MAX_TF_BYTES // 2**20} MiB)"
        )
    from . import hcl_tree

    body, tree = hcl_tree.parse(path, text)
    return ParsedFile(path, body, hcl_tree.suppressions(tree, text))


def parse_expression(text: str, line: int = 1, col: int = 1) -> Expr:
    """An expression found inside a heredoc's ``${...}``; positions are shifted to ``line``."""
    from . import hcl_tree

    body, _ = hcl_tree.parse("", f"_ = {text}\n", line_offset=line - 1)
    attr = body.attributes.get("_")
    if attr is None or len(body.attributes) != 1 or body.blocks:
        raise InputError(f"invalid HCL at line {line}: not one expression inside ${{...}}", line)
    return attr.expr


def heredoc_template(raw: str, trim: bool, line: int, col: int) -> Template:
    """A heredoc's raw text, from ``<<`` to its closing marker, as a template."""
    first_nl = raw.index("\n")
    marker = raw[3 if trim else 2 : first_nl].strip()
    body = raw[first_nl + 1 :]
    body = body.rstrip("\n").rstrip("\r")
    body = body[: len(body) - len(marker)] if body.endswith(marker) else body
    body = body.rstrip(" \t")
    lines = body.split("\n")
    if trim:
        indents = [len(x) - len(x.lstrip(" \t")) for x in lines if x.strip()]
        cut = min(indents) if indents else 0
        lines = [x[cut:] for x in lines]
    return template_from_text("\n".join(lines), line + 1, col)


def parse_template(text: str) -> Template:
    """A ``templatefile()`` template: literal text with ``${...}`` interpolations."""
    return template_from_text(text, 1, 1)


def template_from_text(text: str, line: int, col: int) -> Template:
    """Text with ``${...}`` interpolations; ``line`` is the line the text starts on."""
    parts: list[str | Expr] = []
    directives = "%{" in text.replace("%%{", "")
    pos = 0
    # Interpolations inside a heredoc are not in the Lark tree; parse each one separately.
    for start in interpolation_starts(text):
        if start < pos:
            continue
        end = matching_brace(text, start + 2)
        if end < 0:
            break
        parts.append(text[pos:start].replace("$${", "${"))
        inner_line = line + text.count("\n", 0, start)
        parts.append(parse_expression(text[start + 2 : end], inner_line))
        pos = end + 1
    parts.append(text[pos:].replace("$${", "${"))
    return Template(line, col, [p for p in parts if p != ""], directives=directives)


def interpolation_starts(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<!\$)\$\{", text)]


def matching_brace(text: str, start: int) -> int:
    depth = 0
    in_string = False
    i = start
    while i < len(text):
        ch = text[i]
        if in_string:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return -1
