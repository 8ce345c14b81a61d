"""Terraform HCL files as a small syntax tree with line numbers.

python-hcl2's dictionary output loses positions and keeps expressions as strings, so we take its
raw Lark parse tree (``hcl2.parses_to_tree``, part of its public API; built with
``propagate_positions``) and turn it into the few node types below.  Comments never reach the
tree except as tokens, which is how suppression comments are found without ever reading
commented-out code.  ``hcl2`` is imported here only, so nothing pays for it unless a ``.tf`` file
is linted.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import InputError

# Lark is fast enough for real modules, but a generated multi-megabyte file would take minutes.
MAX_TF_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 200
_SUPPRESSION = re.compile(r"efslint\s*:\s*ignore\[([^\]]*)\]\s*(.*)")


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
    tree = _lark_tree(text)
    converter = _Converter(path)
    try:
        body = converter.body(tree.children[0], 0)
    except RecursionError:
        raise InputError("HCL is nested too deeply") from None
    return ParsedFile(path, body, _suppressions(tree))


def _suppressions(tree: Any) -> dict[int, dict[str, str]]:
    """Suppression comments, taken from comment tokens only (never from strings or heredocs)."""
    found: dict[int, dict[str, str]] = {}
    for token in tree.scan_values(lambda t: getattr(t, "type", None) == "NL_OR_COMMENT"):
        text = str(token)
        if "efslint" not in text:
            continue
        match = _SUPPRESSION.search(text.strip().removesuffix("*/"))
        if not match:
            continue
        line = token.line + text[: match.start()].count("\n")
        for key in match.group(1).split(","):
            if key.strip():
                found.setdefault(line, {})[key.strip()] = match.group(2).strip()
    return found


def parse_expression(text: str, line: int = 1, col: int = 1) -> Expr:
    """An expression found inside a heredoc's ``${...}``; positions are shifted to ``line``."""
    tree = _lark_tree(f"_ = {text}\n")
    converter = _Converter("", line_offset=line - 1)
    attr = tree.children[0].children
    node = next(c for c in attr if getattr(c, "data", None) == "attribute")
    return converter.expr(node.children[-1], 0)


@lru_cache(maxsize=1)
def _parser() -> Any:
    """python-hcl2's LALR parser. It caches the compiled grammar next to its own code; where that
    is read-only (a system-wide install), building the grammar costs a second on every run, so we
    keep the cache in the user's cache directory instead."""
    from hcl2 import parser as hcl2_parser

    cache_file = Path(hcl2_parser.PARSER_FILE)
    if cache_file.exists() or os.access(cache_file.parent, os.W_OK):
        return hcl2_parser.parser()
    from hcl2.postlexer import PostLexer
    from lark import Lark

    cache: str | bool = False
    try:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "efslint"
        folder.mkdir(parents=True, exist_ok=True)
        cache = str(folder / "hcl2-grammar.lark-cache")
    except OSError:
        pass
    return Lark.open(
        "hcl2.lark",
        parser="lalr",
        cache=cache,
        rel_to=hcl2_parser.__file__,
        propagate_positions=True,
        postlex=PostLexer(),
    )


def _lark_tree(text: str) -> Any:
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        # What hcl2.parses_to_tree does; the newline works around lark's lack of an EOF token.
        return _parser().parse(text + "\n")
    except UnexpectedInput as exc:
        line, col = getattr(exc, "line", 0) or 0, getattr(exc, "column", 0) or 0
        line, col = (line, col) if line > 0 else (text.count("\n") + 1, 1)
        raise InputError(
            f"invalid HCL at line {line} column {col}: {_describe(exc, text)}", line, col
        ) from None
    except (LarkError, RecursionError, ValueError, RuntimeError) as exc:
        raise InputError(
            f"invalid HCL: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        ) from None


def _describe(exc: Any, text: str) -> str:
    pos = getattr(exc, "pos_in_stream", None)
    if isinstance(pos, int) and text.startswith("<<", pos):
        return "unterminated heredoc (no line with only its closing marker)"
    token = getattr(exc, "token", None)
    kind = getattr(token, "type", "")
    if kind == "$END":
        return "unexpected end of file (an unclosed block, bracket, string or heredoc)"
    if kind == "NL_OR_COMMENT":
        return "unexpected end of line (a value or closing bracket is missing)"
    if token is not None:
        return f"unexpected {str(token).strip()[:30]!r}"
    char = getattr(exc, "char", None)
    if char is not None:
        return f"unexpected character {char!r}"
    return type(exc).__name__


_UNESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        code = m.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _SIMPLE.get(code, "\\" + code)

    return _UNESCAPE.sub(sub, text) if "\\" in text else text


class _Converter:
    def __init__(self, path: str, line_offset: int = 0) -> None:
        self.path = path
        self.offset = line_offset

    # Positions ------------------------------------------------------------------------------

    def pos(self, node: Any) -> tuple[int, int]:
        meta = getattr(node, "meta", None)
        if meta is not None and not getattr(meta, "empty", True):
            return meta.line + self.offset, meta.column
        line = getattr(node, "line", None)
        if line is not None:
            return line + self.offset, getattr(node, "column", 1) or 1
        return 0, 0

    # Structure ------------------------------------------------------------------------------

    def body(self, tree: Any, depth: int) -> Body:
        body = Body()
        for child in tree.children:
            kind = getattr(child, "data", None)
            if kind == "attribute":
                name = self.name(child.children[0])
                line, col = self.pos(child)
                body.attributes[name] = Attribute(name, self.expr(child.children[-1], depth + 1), line, col)
            elif kind == "block":
                body.blocks.append(self.block(child, depth + 1))
        return body

    def block(self, tree: Any, depth: int) -> Block:
        if depth > MAX_DEPTH:
            raise InputError("HCL is nested too deeply")
        labels: list[str] = []
        body = Body()
        for child in tree.children[1:]:
            kind = getattr(child, "data", None)
            if kind == "string":
                labels.append("".join(p for p in self.template_parts(child, depth) if isinstance(p, str)))
            elif kind in ("identifier", "keyword", "literal_value"):
                labels.append(self.name(child))
            elif kind == "body":
                body = self.body(child, depth)
        line, col = self.pos(tree)
        return Block(self.name(tree.children[0]), labels, body, line, col, self.path)

    def name(self, tree: Any) -> str:
        token = tree.children[0] if hasattr(tree, "children") else tree
        return str(token)

    # Expressions ----------------------------------------------------------------------------

    def expr(self, tree: Any, depth: int) -> Expr:
        if depth > MAX_DEPTH:
            raise InputError("HCL expression is nested too deeply")
        depth += 1
        kind = getattr(tree, "data", None)
        line, col = self.pos(tree)
        children = [
            c for c in getattr(tree, "children", []) if getattr(c, "data", None) != "new_line_or_comment"
        ]
        if kind == "expr_term":
            inner = [c for c in children if getattr(c, "type", None) not in ("LPAR", "RPAR")]
            return self.expr(inner[0], depth)
        if kind == "int_lit":
            return Lit(line, col, int(str(children[0])))
        if kind == "float_lit":
            return Lit(line, col, float(str(children[0])))
        if kind == "literal_value":
            return Lit(line, col, {"true": True, "false": False, "null": None}[str(children[0])])
        if kind in ("identifier", "keyword"):
            return Var(line, col, str(children[0]))
        if kind == "string":
            parts = self.template_parts(tree, depth)
            return Template(line, col, parts, directives=self._directive)
        if kind in ("heredoc_template", "heredoc_template_trim"):
            return self.heredoc(str(children[0]), kind == "heredoc_template_trim", line, col)
        if kind == "template_string":
            return Lit(line, col, _unescape(str(children[0])[2:-2]))
        if kind == "tuple":
            return TupleExpr(line, col, [self.expr(c, depth) for c in children if hasattr(c, "data")])
        if kind == "object":
            items = []
            for elem in children:
                if getattr(elem, "data", None) != "object_elem":
                    continue
                key_tree, value_tree = elem.children[0], elem.children[-1]
                key = self.object_key(key_tree, depth)
                items.append((key, self.expr(value_tree, depth)))
            return ObjectExpr(line, col, items)
        if kind == "function_call":
            names = [str(c.children[0]) for c in children if getattr(c, "data", None) == "identifier"]
            args_tree = next((c for c in children if getattr(c, "data", None) == "arguments"), None)
            args: list[Expr] = []
            expand = False
            if args_tree is not None:
                for c in args_tree.children:
                    if hasattr(c, "data") and c.data != "new_line_or_comment":
                        args.append(self.expr(c, depth))
                    elif getattr(c, "type", None) == "ELLIPSIS":
                        expand = True
            return Call(line, col, "::".join(names), args, expand)
        if kind == "conditional":
            exprs = [c for c in children if hasattr(c, "data")]
            return Cond(line, col, *(self.expr(e, depth) for e in exprs[:3]))
        if kind == "binary_op":
            left = self.expr(children[0], depth)
            term = children[1]
            op_tree, right_tree = [
                c for c in term.children if hasattr(c, "data") and c.data != "new_line_or_comment"
            ]
            return BinOp(line, col, str(op_tree.children[0]), left, self.expr(right_tree, depth))
        if kind == "unary_op":
            return UnOp(line, col, str(children[0]), self.expr(children[1], depth))
        if kind == "get_attr_expr_term":
            return GetAttr(line, col, self.expr(children[0], depth), self.attr_name(children[1]))
        if kind == "index_expr_term":
            return Index(line, col, self.expr(children[0], depth), self.index_key(children[1], depth))
        if kind in ("attr_splat_expr_term", "full_splat_expr_term"):
            steps: list[tuple[str, Any]] = []
            for step in children[1].children[1:]:
                if getattr(step, "data", None) == "get_attr":
                    steps.append(("attr", self.attr_name(step)))
                elif hasattr(step, "data"):
                    steps.append(("index", self.index_key(step, depth)))
            return Splat(line, col, self.expr(children[0], depth), steps)
        if kind in ("for_tuple_expr", "for_object_expr"):
            return self.for_expr(tree, kind == "for_object_expr", line, col, depth)
        if kind in ("conditional", None):
            raise InputError(f"unsupported HCL syntax at line {line}")
        raise InputError(f"unsupported HCL expression '{kind}' at line {line}", line, col)

    def attr_name(self, tree: Any) -> str:
        node = next(c for c in tree.children if hasattr(c, "data"))
        return str(node.children[0])

    def index_key(self, tree: Any, depth: int) -> Expr:
        line, col = self.pos(tree)
        if tree.data == "short_index":
            return Lit(line, col, int(str(tree.children[-1])))
        inner = [c for c in tree.children if hasattr(c, "data") and c.data != "new_line_or_comment"]
        return self.expr(inner[0], depth)

    def object_key(self, tree: Any, depth: int) -> Expr:
        inner = next(c for c in tree.children if hasattr(c, "data"))
        if inner.data == "keyword":
            line, col = self.pos(inner)
            return Lit(line, col, str(inner.children[0]))
        expr = self.expr(inner, depth)
        # A bare name as an object key is a literal string, not a variable reference.
        is_paren = inner.data == "expr_term" and any(
            getattr(c, "type", None) == "LPAR" for c in inner.children
        )
        if isinstance(expr, Var) and not is_paren:
            return Lit(expr.line, expr.col, expr.name)
        return expr

    def for_expr(self, tree: Any, is_object: bool, line: int, col: int, depth: int) -> ForExpr:
        parts = [c for c in tree.children if hasattr(c, "data") and c.data != "new_line_or_comment"]
        intro = parts[0]
        names = [str(c.children[0]) for c in intro.children if getattr(c, "data", None) == "identifier"]
        coll_tree = next(
            c
            for c in intro.children
            if hasattr(c, "data") and c.data not in ("identifier", "new_line_or_comment")
        )
        key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        cond_tree = next((c for c in parts if c.data == "for_cond"), None)
        cond = None
        if cond_tree is not None:
            cond_expr = [
                c for c in cond_tree.children if hasattr(c, "data") and c.data != "new_line_or_comment"
            ]
            cond = self.expr(cond_expr[0], depth)
        body = [c for c in parts[1:] if c.data != "for_cond"]
        group = any(getattr(c, "type", None) == "ELLIPSIS" for c in tree.children)
        if is_object:
            return ForExpr(
                line,
                col,
                key_var,
                value_var,
                self.expr(coll_tree, depth),
                self.expr(body[1], depth),
                self.expr(body[0], depth),
                cond,
                group,
            )
        return ForExpr(
            line, col, key_var, value_var, self.expr(coll_tree, depth), self.expr(body[0], depth), None, cond
        )

    # Strings ---------------------------------------------------------------------------------

    _directive = False

    def template_parts(self, tree: Any, depth: int) -> list[str | Expr]:
        self._directive = False
        parts: list[str | Expr] = []
        for child in tree.children:
            if getattr(child, "data", None) != "string_part":
                continue
            inner = child.children[0]
            if hasattr(inner, "data"):
                if inner.data == "interpolation":
                    exprs = [c for c in inner.children if hasattr(c, "data")]
                    parts.append(self.expr(exprs[0], depth))
                else:
                    self._directive = True
            else:
                text = str(inner)
                if inner.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                    # `$${` and `%%{` stand for a literal `${` and `%{`.
                    parts.append(text[1:])
                else:
                    parts.append(_unescape(text))
        return parts

    def heredoc(self, raw: str, trim: bool, line: int, col: int) -> Template:
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
    for start in _interpolation_starts(text):
        if start < pos:
            continue
        end = _matching_brace(text, start + 2)
        if end < 0:
            break
        parts.append(text[pos:start].replace("$${", "${"))
        inner_line = line + text.count("\n", 0, start)
        parts.append(parse_expression(text[start + 2 : end], inner_line))
        pos = end + 1
    parts.append(text[pos:].replace("$${", "${"))
    return Template(line, col, [p for p in parts if p != ""], directives=directives)


def _interpolation_starts(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<!\$)\$\{", text)]


def _matching_brace(text: str, start: int) -> int:
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
