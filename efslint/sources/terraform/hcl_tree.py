"""HCL text to the syntax tree of :mod:`.hcl`, through tree-sitter and the tree-sitter-hcl grammar.

tree-sitter is a C parser that keeps every node's position and is error-tolerant; the grammar is
loaded once per process (both import in a few milliseconds, so only a linted ``.tf`` file pays for
them).  Error tolerance is the one thing we must undo: a tree with an ``ERROR`` or ``MISSING``
node is not valid HCL, and becomes one :class:`InputError` naming the first such place.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate
from typing import Any

from ..errors import InputError
from . import literals
from .literals import blank_literal_arguments, read_literal
from .plain_strings import name_plain_strings
from .syntax import (
    MAX_DEPTH,
    Attribute,
    BinOp,
    Block,
    Body,
    Call,
    Cond,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Lit,
    ObjectExpr,
    Splat,
    Template,
    TupleExpr,
    UnOp,
    Var,
    plain_text,
)

# Named nodes that are never part of the syntax: comments may sit between any two tokens.
_SKIP = frozenset({"comment"})
# What :meth:`_Reader.from_text` reads.  A simple value: a plain string (as
# :meth:`_Reader.plain_string` takes it), a whole or decimal number, or names joined by dots (ASCII,
# no `-`: tree-sitter decides those).
_CHAIN = rb"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"
_ITEM = rb'"[^"\\{\n]*"|[0-9]+(?:\.[0-9]+)?|' + _CHAIN
_SIMPLE_TEXT = re.compile(_ITEM)
_KEYWORDS = {"true": True, "false": False, "null": None}
# A quoted template whose interpolations are chains, without escapes (`$$`, `%%` included) or
# directives, on one line; and a one-line tuple of simple values.
_TEMPLATE_TEXT = rb"(?:[^\"\\$%{}\r\n]|\$(?![{$])|%(?![{%]))*"
_SIMPLE_TEMPLATE = re.compile(
    rb'"' + _TEMPLATE_TEXT + rb"(?:\$\{[ \t]*" + _CHAIN + rb"[ \t]*\}" + _TEMPLATE_TEXT + rb')+"'
)
_HOLE = re.compile(rb"\$\{[ \t]*(" + _CHAIN + rb")[ \t]*\}")
_SIMPLE_TUPLE = re.compile(
    rb"\[[ \t]*(?:(?:" + _ITEM + rb")[ \t]*,[ \t]*)*(?:" + _ITEM + rb")[ \t]*,?[ \t]*\]"
)


def _simple(text: bytes, line: int, col: int) -> Expr | None:
    """The expression of a text :data:`_SIMPLE_TEXT` takes; None for a keyword with attributes."""
    if text[0] == 34:
        return plain_text(text[1:-1].decode("utf-8", "surrogatepass"), line, col)
    if text[0] <= 57:  # a digit
        return Lit(line, col, int(text) if text.isdigit() else float(text))
    head, *names = text.decode("ascii").split(".")
    if head in _KEYWORDS:
        return Lit(line, col, _KEYWORDS[head]) if not names else None
    expr: Expr = Var(line, col, head)
    for name in names:
        expr = GetAttr(line, col, expr, name)
    return expr


# Nodes that only wrap the one expression below them.
_ONE_CHILD = frozenset({"template_expr", "operation"})
_ESCAPES = re.compile(r"\$\$\{|%%\{|\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_SUPPRESSION = re.compile(r"efslint\s*:\s*ignore\[([^\]]*)\]\s*(.*)")


@lru_cache(maxsize=1)
def _parser() -> Any:
    import tree_sitter
    import tree_sitter_hcl

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))


def parse(path: str, text: str, line_offset: int = 0, lazy: bool = False) -> tuple[Body, Any]:
    """The file's body and its tree-sitter tree (kept for suppression comments).

    ``lazy`` builds each argument's expression when it is first read (see :class:`.Attribute`);
    blocks, names and positions are always built at once.  A file whose brackets nest deeper
    than any expression we accept is built at once, so its "nested too deeply" is reported on
    load, where it belongs.  Literal arguments of ``jsonencode(...)`` are read before parsing
    (:func:`.literals.blank_literal_arguments`) and the parser sees a comment in their place.
    """
    data = text.encode("utf-8", "surrogatepass")
    _check_blank_runs(data)
    blanked, literals = blank_literal_arguments(data)
    named = name_plain_strings(blanked)
    tree = _parser().parse(named)
    root = tree.root_node
    if (literals or named is not blanked) and (
        root.has_error or (literals and not _spans_are_literals(root, literals))
    ):
        # Errors are reported from the text as written; a span that is not one literal node
        # (the call was inside a string or a comment) was never a literal to read.
        literals = {}
        blanked = data
        tree = _parser().parse(data)
        root = tree.root_node
    # Counted on the text the parser saw, strings included: the literals read before parsing have
    # their own bound.
    depth = _bracket_depth(blanked)
    reader = _Reader(path, data, line_offset, lazy and depth <= _LAZY_MAX_BRACKETS, literals)
    if root.has_error:
        raise reader.syntax_error(root)
    body = Body()
    for child in root.named_children:
        if child.type == "body":
            body = reader.body(child, 0)
    return body, tree


# tree-sitter-hcl takes time quadratic in a run of white space between brackets (32 KB of spaces
# in a tuple: 4.6 s), so a file with long runs is refused before it is parsed.  The budget is
# the sum of the squared lengths of the runs: about two seconds of parsing at worst, and a
# single run of some 20,000 blank characters; no file a person wrote comes near it.
_BLANK_RUN = re.compile(rb"[ \t\r\n]{64,}")
_BLANK_BUDGET = 4 * 10**8
# Blank bytes as spaces, every other byte as `x`: whether any run is long enough to count is then
# one substring search (the regex alone tries a match at every blank byte of the file).
_AS_BLANKS = bytes(32 if b in b" \t\r\n" else 120 for b in range(256))
_SHORTEST_RUN = b" " * 64


def _check_blank_runs(data: bytes) -> None:
    if _SHORTEST_RUN not in data.translate(_AS_BLANKS):
        return
    total = 0
    for run in _BLANK_RUN.finditer(data):
        size = run.end() - run.start()
        total += size * size
        if total > _BLANK_BUDGET:
            line = data.count(b"\n", 0, run.start()) + 1
            raise InputError(
                f"too much blank space to parse in bounded time: {size:,} spaces, tabs and line "
                f"breaks in a row at line {line}",
                line,
            )


def _spans_are_literals(root: Any, literals: dict[int, tuple[int, Any]]) -> bool:
    for start, (end, _) in literals.items():
        node = root.descendant_for_byte_range(start, end)
        if node is None or (node.start_byte, node.end_byte) != (start, end):
            return False
        if node.type not in ("tuple", "object") or node.parent.type != "collection_value":
            return False
    return True


# Each bracket level is about three levels of `_Reader.expr` recursion (tuple, expression, chain).
_LAZY_MAX_BRACKETS = MAX_DEPTH // 5
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"()[]{}")
_STEP = [0] * 256
for _open, _close in (b"()", b"[]", b"{}"):
    _STEP[_open], _STEP[_close] = 1, -1


def _bracket_depth(data: bytes) -> int:
    """How deep brackets nest, counting those inside strings and comments too (an upper bound)."""
    return max(accumulate(_STEP[b] for b in data.translate(None, _NOT_BRACKETS)), default=0)


def suppressions(tree: Any, text: str) -> dict[int, dict[str, str]]:
    """``# efslint: ignore[...]`` taken from comment nodes only, never from strings or heredocs."""
    found: dict[int, dict[str, str]] = {}
    if "efslint" not in text:
        return found
    encoded = text.encode("utf-8", "surrogatepass")
    for match in re.finditer(rb"efslint", encoded):
        node = tree.root_node.descendant_for_byte_range(match.start(), match.end())
        if node is None or node.type != "comment":
            continue
        comment = encoded[node.start_byte : node.end_byte].decode("utf-8", "replace")
        hit = _SUPPRESSION.search(comment.strip().removesuffix("*/"))
        if not hit:
            continue
        line = node.start_point[0] + 1 + comment[: hit.start()].count("\n")
        for key in hit.group(1).split(","):
            if key.strip():
                found.setdefault(line, {})[key.strip()] = hit.group(2).strip()
    return found


def unescape(text: str) -> str:
    """A quoted template's literal text: escapes, ``$${`` and ``%%{`` (a literal ``${`` / ``%{``)."""

    def sub(m: re.Match[str]) -> str:
        code = m.group(1)
        if code is None:
            return m.group(0)[1:]
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _SIMPLE.get(code, "\\" + code)

    return _ESCAPES.sub(sub, text) if ("\\" in text or "$${" in text or "%%{" in text) else text


def _first_error(node: Any) -> Any:
    """The first ERROR or MISSING node in document order."""
    while True:
        if node.is_error or node.is_missing:
            return node
        nxt = next((c for c in node.children if c.has_error or c.is_missing), None)
        if nxt is None:
            return node
        node = nxt


class _Reader:
    def __init__(
        self,
        path: str,
        data: bytes,
        line_offset: int,
        lazy: bool = False,
        literals: dict[int, tuple[int, Any]] | None = None,
    ) -> None:
        self.path = path
        self.data = data
        self.offset = line_offset
        self.ascii = data.isascii()
        self.lazy = lazy
        # {start byte: (end byte, value)} of literals read before parsing (blank_literal_arguments).
        self.literals = literals or {}

    # Positions ------------------------------------------------------------------------------

    def pos(self, node: Any) -> tuple[int, int]:
        row, column = node.start_point
        if not self.ascii:
            # tree-sitter counts bytes; editors and the old parser count characters.
            start = node.start_byte - column
            column = len(self.data[start : node.start_byte].decode("utf-8", "replace"))
        return row + 1 + self.offset, column + 1

    def text(self, node: Any) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "surrogatepass")

    def syntax_error(self, root: Any) -> InputError:
        node = _first_error(root)
        parent = node.parent
        line, col = self.pos(node)
        if node.is_missing and node.type == "heredoc_identifier" and parent is not None:
            line, col = self.pos(parent)
            what = "unterminated heredoc (no line with only its closing marker)"
        elif node.is_missing and node.type == "quoted_template_end" and parent is not None:
            line, col = self.pos(parent)
            what = "unterminated string (no closing quote on its line)"
        elif node.is_missing and node.end_byte >= len(self.data.rstrip()):
            what = "unexpected end of file (an unclosed block, bracket, string or heredoc)"
        elif node.is_missing:
            what = f"missing {node.type!r}"
        else:
            snippet = self.text(node).strip().splitlines()
            what = f"unexpected {snippet[0][:30]!r}" if snippet else "unexpected input"
            if node.end_byte >= len(self.data.rstrip()) and not node.children:
                what = "unexpected end of file (an unclosed block, bracket, string or heredoc)"
        return InputError(f"invalid HCL at line {line} column {col}: {what}", line, col)

    # Structure ------------------------------------------------------------------------------

    def body(self, node: Any, depth: int) -> Body:
        # The hottest loop of a Terraform load: every argument and block of every file passes
        # here, so it reads tree-sitter nodes as little as it can, and names what it uses.
        body = Body()
        attributes = body.attributes
        data, offset, lazy = self.data, self.offset, self.lazy
        last_row = -1
        for child in node.named_children:
            kind = child.type
            if kind == "comment":
                continue
            row, column = child.start_point
            if row == last_row:
                line, col = self.pos(child)
                raise InputError(
                    f"invalid HCL at line {line} column {col}: an argument or block must start on a new line",
                    line,
                    col,
                )
            last_row = child.end_point[0]
            line, col = (row + 1 + offset, column + 1) if self.ascii else self.pos(child)
            if kind == "attribute":
                # identifier, "=", expression; a comment can only sit between the last two.
                parts = child.children
                name_node, value = parts[0], parts[-1]
                name = data[name_node.start_byte : name_node.end_byte].decode("utf-8", "surrogatepass")
                if lazy:
                    attributes[name] = Attribute(
                        name, None, line, col, (_Reader.late_expr, self, value, depth + 1)
                    )
                else:
                    attributes[name] = Attribute(name, self.expr(value, depth + 1), line, col)
            elif kind == "block":
                body.blocks.append(self.block(child, depth + 1, line, col))
        return body

    def block(self, node: Any, depth: int, line: int, col: int) -> Block:
        if depth > MAX_DEPTH:
            raise InputError("HCL is nested too deeply")
        data = self.data
        parts = node.children
        labels: list[str] = []
        body = None
        for child in parts[1:]:
            kind = child.type
            if kind == "identifier":
                start, end = child.start_byte, child.end_byte
                if data[start] == 34:  # a plain string the parser saw as a name
                    start, end = start + 1, end - 1
                labels.append(data[start:end].decode("utf-8", "surrogatepass"))
            elif kind == "string_lit":
                plain = self.plain_string(child)
                if plain is None:
                    # Escapes or a template: the long way (interpolations are dropped from labels).
                    texts = self.template_parts(child, depth)[0]
                    plain = "".join(p for p in texts if isinstance(p, str))
                labels.append(plain)
            elif kind == "body":
                body = self.body(child, depth)
        return Block(self.text(parts[0]), labels, body or Body(), line, col, self.path)

    @staticmethod
    def named(node: Any) -> list[Any]:
        return [c for c in node.named_children if c.type not in _SKIP]

    # Expressions ----------------------------------------------------------------------------

    def late_expr(self, node: Any, depth: int) -> Expr:
        try:
            return self.expr(node, depth)
        except InputError as exc:
            exc.file = exc.file or self.path
            if not exc.line:
                exc.line, exc.column = self.pos(node)
            raise

    def expr(self, node: Any, depth: int) -> Expr:
        if depth > MAX_DEPTH:
            raise InputError("HCL expression is nested too deeply")
        depth += 1
        kind = node.type
        if kind == "expression":
            simple = self.from_text(node)
            if simple is not None:
                return simple
            if node.named_child_count == 1:  # a term without traversals: no list, no chain
                return self.expr(node.named_child(0), depth + 1)
            return self.chain(self.named(node), depth)
        if kind in _ONE_CHILD:
            return self.expr(node.named_child(0), depth)
        line, col = self.pos(node)
        if kind == "literal_value":
            return self.literal(node.named_child(0), depth)
        if kind == "variable_expr":
            if self.data[node.start_byte] == 34:  # a plain string the parser saw as a name
                return plain_text(self.named_string(node), line, col)
            return Var(line, col, self.text(node.children[0]))
        if kind == "collection_value":
            constant = self.constant(node, line, col)
            return constant if constant is not None else self.expr(node.named_child(0), depth)
        if kind == "tuple":
            return TupleExpr(
                line, col, [self.expr(c, depth) for c in node.named_children if c.type == "expression"]
            )
        if kind == "object":
            items = []
            for elem in node.named_children:
                if elem.type != "object_elem":
                    continue
                key, value = elem.child_by_field_name("key"), elem.child_by_field_name("val")
                items.append((self.object_key(key, depth), self.expr(value, depth)))
            return ObjectExpr(line, col, items)
        if kind == "quoted_template":
            parts, directives = self.template_parts(node, depth)
            return Template(line, col, parts, directives=directives)
        if kind == "heredoc_template":
            return self.heredoc(node, line, col)
        if kind == "function_call":
            parts = self.named(node)
            args: list[Expr] = []
            expand = False
            for sub in parts[1:]:
                if sub.type == "function_arguments":
                    for arg in self.named(sub):
                        if arg.type == "ellipsis":
                            expand = True
                        else:
                            args.append(self.expr(arg, depth))
            return Call(line, col, self.text(parts[0]), args, expand)
        if kind == "conditional":
            test, then, other = self.named(node)[:3]
            return Cond(line, col, self.expr(test, depth), self.expr(then, depth), self.expr(other, depth))
        if kind == "binary_operation":
            op_index = next(i for i, c in enumerate(node.children) if not c.is_named)
            left = [c for c in node.children[:op_index] if c.is_named and c.type not in _SKIP]
            right = [c for c in node.children[op_index + 1 :] if c.is_named and c.type not in _SKIP]
            op = self.text(node.children[op_index])
            return BinOp(line, col, op, self.chain(left, depth), self.chain(right, depth))
        if kind == "unary_operation":
            op = self.text(node.children[0])
            return UnOp(line, col, op, self.chain(self.named(node), depth))
        if kind == "for_expr":
            return self.for_expr(self.named(node)[0], line, col, depth)
        raise InputError(f"unsupported HCL expression '{kind}' at line {line}", line, col)

    def from_text(self, node: Any) -> Expr | None:
        """An expression read from its text when it is one of the common simple forms: a name or
        attribute chain (``aws_vpc.main.id``), a whole or decimal number, a plain string, a
        keyword, a string whose interpolations are such chains (``"${var.name}-efs"``), or a
        one-line tuple of such values with at least one reference (``[aws_subnet.a.id, "x"]``).
        Most arguments are one of these, and their text is all there is to them: the syntax
        tree's nodes need not be read.  None for anything else."""
        start, end = node.start_byte, node.end_byte
        data = self.data
        if _SIMPLE_TEXT.fullmatch(data, start, end):
            line, col = self.pos(node)
            return _simple(data[start:end], line, col)
        first = data[start]
        if first == 34 and _SIMPLE_TEMPLATE.fullmatch(data, start, end):
            line, col = self.pos(node)
            parts: list[str | Expr] = []
            cursor = start + 1
            for hole in _HOLE.finditer(data, start + 1, end - 1):
                if hole.start() > cursor:
                    parts.append(data[cursor : hole.start()].decode("utf-8", "surrogatepass"))
                cursor = hole.end()
                chain = hole.start(1)
                expr = _simple(data[chain : hole.end(1)], line, self.column_in_line(start, chain, col))
                if expr is None:
                    return None
                parts.append(expr)
            if end - 1 > cursor:
                parts.append(data[cursor : end - 1].decode("utf-8", "surrogatepass"))
            return Template(line, col, parts)
        if first == 91 and _SIMPLE_TUPLE.fullmatch(data, start, end):
            line, col = self.pos(node)
            items = []
            for item in _SIMPLE_TEXT.finditer(data, start + 1, end - 1):
                expr = _simple(item.group(), line, self.column_in_line(start, item.start(), col))
                if expr is None:
                    return None
                items.append(expr)
            # All literals: the tuple is one constant value (see :meth:`constant`).
            if not any(type(item) is Var or type(item) is GetAttr for item in items):
                return None
            return TupleExpr(line, col, items)
        return None

    def column_in_line(self, start: int, at: int, col: int) -> int:
        """The column of byte ``at``, on the line of byte ``start`` at column ``col``."""
        if self.ascii:
            return col + at - start
        return col + len(self.data[start:at].decode("utf-8", "replace"))

    def constant(self, node: Any, line: int, col: int) -> Lit | None:
        """A tuple or object made only of literals, read whole (see :mod:`.literals`)."""
        known = self.literals.get(node.start_byte)
        if known is not None and known[0] == node.end_byte:
            return Lit(line, col, known[1])
        start, end = node.start_byte, node.end_byte
        if end - start < literals.MIN_BYTES:
            return None
        value = read_literal(self.data[start:end], line, col)
        return None if value is None else Lit(line, col, value)

    def chain(self, parts: list[Any], depth: int) -> Expr:
        """A term and the traversals after it: ``a.b[0][*].c``, flattened by the grammar."""
        if depth > MAX_DEPTH:
            raise InputError("HCL expression is nested too deeply")
        if not parts:
            raise InputError("invalid HCL: an expression is missing")
        head = parts[0]
        line, col = self.pos(head)
        current = self.expr(head, depth + 1)
        for step in parts[1:]:
            kind = step.type
            if kind == "get_attr":
                name = step.children[-1]
                if name.type != "identifier":
                    name = self.named(step)[0]
                current = GetAttr(line, col, current, self.text(name))
            elif kind == "index":
                current = Index(line, col, current, self.index_key(self.named(step)[0], depth))
            elif kind == "splat":
                splat = self.named(step)[0]
                steps: list[tuple[str, Any]] = []
                for sub in self.named(splat):
                    if sub.type == "get_attr":
                        steps.append(("attr", self.text(self.named(sub)[0])))
                    elif sub.type == "index":
                        steps.append(("index", self.index_key(self.named(sub)[0], depth)))
                current = Splat(line, col, current, steps)
            else:
                raise InputError(f"unsupported HCL syntax at line {line}", line, col)
        return current

    def index_key(self, node: Any, depth: int) -> Expr:
        line, col = self.pos(node)
        if node.type == "legacy_index":
            return Lit(line, col, int(self.text(node).lstrip(".").strip()))
        return self.expr(self.named(node)[0], depth)

    def literal(self, node: Any, depth: int) -> Expr:
        line, col = self.pos(node)
        kind = node.type
        if kind == "numeric_lit":
            text = self.text(node)
            try:
                return Lit(line, col, int(text))
            except ValueError:
                return Lit(line, col, float(text))
        if kind == "bool_lit":
            return Lit(line, col, self.text(node) == "true")
        if kind == "null_lit":
            return Lit(line, col, None)
        if kind == "string_lit":
            plain = self.plain_string(node)
            if plain is not None:
                return plain_text(plain, line, col)
            parts, directives = self.template_parts(node, depth)
            return Template(line, col, parts, directives=directives)
        raise InputError(f"unsupported HCL literal '{kind}' at line {line}", line, col)

    def object_key(self, node: Any, depth: int) -> Expr:
        parts = self.named(node)
        parenthesised = any(not c.is_named and c.type == "(" for c in node.children)
        if not parenthesised and len(parts) == 1:
            inner = parts[0]
            line, col = self.pos(inner)
            # A bare name as an object key is a literal string, not a variable reference.
            if inner.type == "variable_expr" and self.data[inner.start_byte] != 34:
                return Lit(line, col, self.text(inner))
            if inner.type == "literal_value" and self.named(inner)[0].type in ("bool_lit", "null_lit"):
                return Lit(line, col, self.text(inner))
        return self.expr(node, depth)

    def for_expr(self, node: Any, line: int, col: int, depth: int) -> ForExpr:
        parts = self.named(node)
        intro = next(c for c in parts if c.type == "for_intro")
        intro_parts = self.named(intro)
        names = [self.text(c) for c in intro_parts if c.type == "identifier"]
        collection = next(c for c in intro_parts if c.type == "expression")
        key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        bodies = [c for c in parts[1:] if c.type == "expression"]
        cond_node = next((c for c in parts if c.type == "for_cond"), None)
        cond = self.expr(self.named(cond_node)[0], depth) if cond_node is not None else None
        group = any(c.type == "ellipsis" for c in parts)
        coll = self.expr(collection, depth)
        if node.type == "for_object_expr":
            key, value = self.expr(bodies[0], depth), self.expr(bodies[1], depth)
            return ForExpr(line, col, key_var, value_var, coll, value, key, cond, group)
        return ForExpr(line, col, key_var, value_var, coll, self.expr(bodies[0], depth), None, cond)

    # Strings ---------------------------------------------------------------------------------

    def plain_string(self, node: Any) -> str | None:
        """A quoted string's value when it has no escape, interpolation or directive: the text
        between its quotes.  None otherwise."""
        raw = self.data[node.start_byte + 1 : node.end_byte - 1]
        if b"\\" in raw or b"{" in raw:
            return None
        return raw.decode("utf-8", "surrogatepass")

    def named_string(self, node: Any) -> str:
        """The value of a plain string the parser read as a name (:mod:`.plain_strings`)."""
        return self.data[node.start_byte + 1 : node.end_byte - 1].decode("utf-8", "surrogatepass")

    def template_parts(self, node: Any, depth: int) -> tuple[list[str | Expr], bool]:
        """Literal text is cut from the source between interpolations: the grammar's
        ``template_literal`` tokens leave out the spaces around them."""
        parts: list[str | Expr] = []
        directives = False
        children = node.children
        cursor = children[0].end_byte if children else node.start_byte
        stop = children[-1].start_byte if len(children) > 1 else node.end_byte

        def literal(end: int) -> None:
            if end > cursor:
                parts.append(unescape(self.data[cursor:end].decode("utf-8", "surrogatepass")))

        for child in children[1:-1]:
            kind = child.type
            if kind not in ("template_interpolation", "template_directive"):
                continue
            literal(child.start_byte)
            cursor = child.end_byte
            if kind == "template_directive":
                directives = True
                continue
            inner = [c for c in self.named(child) if c.type == "expression"]
            if inner:
                parts.append(self.expr(inner[0], depth))
        literal(stop)
        return parts, directives

    def heredoc(self, node: Any, line: int, col: int) -> Template:
        """A heredoc from its raw text, so indentation trimming sees exactly what was written."""
        markers = [c for c in node.named_children if c.type == "heredoc_identifier"]
        start = node.start_byte
        end = markers[-1].end_byte if len(markers) > 1 else node.end_byte
        raw = self.data[start:end].decode("utf-8", "surrogatepass")
        return heredoc_template(raw, raw.startswith("<<-"), line, col)


# Templates: heredocs, templatefile() and .tf.json strings ----------------------------------


def parse_expression(text: str, line: int = 1, col: int = 1) -> Expr:
    """An expression found inside a heredoc's ``${...}``; positions are shifted to ``line``."""
    body, _ = parse("", f"_ = {text}\n", line_offset=line - 1)
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
