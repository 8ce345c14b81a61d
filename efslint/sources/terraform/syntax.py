"""The syntax tree of Terraform HCL (and of ``.tf.json``): blocks, arguments and expressions, each
with the line and column it starts at.  Built by :mod:`.hcl_tree` and :mod:`.hcl_json`, read by
:mod:`.module`, :mod:`.evaluate` and :mod:`.resources`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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


def plain_text(value: str, line: int, col: int) -> Template:
    """A string without interpolations: its text as the one part (none when it is empty)."""
    return Template(line, col, [value] if value else [])


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


class Attribute:
    """``name = expr``.  The expression may be built on first read, from ``build``: most arguments
    of a module (those of resources no rule looks at) are never read, and building their
    expressions was a third of a module's lint time."""

    __slots__ = ("_build", "_expr", "col", "line", "name")

    def __init__(
        self,
        name: str,
        expr: Expr | None,
        line: int,
        col: int,
        # (builder, reader, node, depth): a tuple rather than a closure, one object less per
        # argument, and no reference from the reader back to itself.
        build: tuple[Callable[[Any, Any, int], Expr], Any, Any, int] | None = None,
    ) -> None:
        self.name = name
        self.line = line
        self.col = col
        self._expr = expr
        self._build = build

    @property
    def expr(self) -> Expr:
        expr = self._expr
        if expr is None:
            assert self._build is not None
            builder, reader, node, depth = self._build
            expr = self._expr = builder(reader, node, depth)
            self._build = None
        return expr

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Attribute):
            return NotImplemented
        return (self.name, self.expr, self.line, self.col) == (other.name, other.expr, other.line, other.col)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Attribute({self.name!r}, {self.expr!r}, {self.line}, {self.col})"


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
