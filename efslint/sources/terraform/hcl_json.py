"""Terraform's JSON syntax (``*.tf.json``) as the same syntax tree as a ``.tf`` file.

The JSON reader keeps the line and column of every key and value.  Strings are string templates
(``"${var.x}"`` is the variable itself, as in Terraform); ``depends_on`` and ``provider`` hold bare
references.  JSON cannot tell a nested block from an object-valued argument without the
provider's schema, so inside resources an object (or a list of objects) is a nested block unless
it is one of the few map arguments below — the mapping reads blocks such as ``volume`` and
``efs_volume_configuration``, and maps such as ``tags`` as values.  ``"//"`` keys are comments.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..json_reader import loads
from ..located import LList, LMap
from .hcl_tree import interpolation_starts, matching_brace, parse_expression, template_from_text
from .syntax import (
    MAX_DEPTH,
    Attribute,
    Block,
    Body,
    Expr,
    Lit,
    ObjectExpr,
    ParsedFile,
    TupleExpr,
    Var,
    plain_text,
)

# Object-valued arguments (not blocks) of the resources efslint maps, and Terraform's own.
MAP_ARGUMENTS = frozenset(
    {"tags", "tags_all", "triggers", "variables", "docker_labels", "options", "parameters", "labels"}
)
# Only resources (and their nested blocks) mix arguments and blocks that JSON cannot tell apart;
# everywhere else an object is a value (a variable's default, a module argument, a local).
_WITH_BLOCKS = frozenset({"resource", "data"})
# Top-level block types and how many labels each takes.
_LABELS = {
    "resource": 2,
    "data": 2,
    "variable": 1,
    "output": 1,
    "module": 1,
    "provider": 1,
    "locals": 0,
    "terraform": 0,
    "moved": 0,
    "import": 0,
    "removed": 0,
    "check": 1,
}
_REFERENCES = frozenset({"depends_on", "provider"})


def parse_json_file(path: str, text: str) -> ParsedFile:
    """Parse one ``.tf.json`` file; :class:`InputError` when it is not Terraform JSON."""
    if not text.strip():
        return ParsedFile(path, Body())
    doc = loads(text)
    if not isinstance(doc, LMap):
        raise InputError("a .tf.json file must hold one JSON object of block types")
    reader = _Reader(path)
    return ParsedFile(path, reader.top(doc))


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path

    def top(self, doc: LMap) -> Body:
        body = Body()
        for block_type, value in doc.items():
            if block_type == "//":
                continue
            labels = _LABELS.get(block_type, 0)
            line, col = doc.pos_of(block_type)
            for item, pos in _each_object(value, (line, col)):
                self.labelled(body, block_type, item, pos, labels, [])
        return body

    def labelled(
        self, body: Body, block_type: str, value: LMap, pos: tuple[int, int], left: int, labels: list[str]
    ) -> None:
        """``{"label": {"label": {body}}}``: one level of object per label."""
        if left == 0:
            flat = block_type not in _WITH_BLOCKS
            body.blocks.append(
                Block(block_type, labels, self.body(value, flat, 1), pos[0], pos[1], self.path)
            )
            return
        for label, inner in value.items():
            if label == "//":
                continue
            label_pos = value.pos_of(label)
            for item, item_pos in _each_object(inner, label_pos):
                self.labelled(body, block_type, item, item_pos, left - 1, [*labels, label])

    def body(self, obj: LMap, flat: bool, depth: int) -> Body:
        if depth > MAX_DEPTH:
            raise InputError("JSON is nested too deeply")
        body = Body()
        for key, value in obj.items():
            if key == "//":
                continue
            key_pos = obj.pos_of(key)
            if key == "dynamic" and not flat and isinstance(value, LMap):
                for name, spec in value.items():
                    for item, pos in _each_object(spec, value.pos_of(name)):
                        body.blocks.append(self.dynamic(name, item, pos, depth + 1))
                continue
            if not flat and key not in MAP_ARGUMENTS and _is_block(value):
                for item, pos in _each_object(value, key_pos):
                    body.blocks.append(
                        Block(key, [], self.body(item, False, depth + 1), pos[0], pos[1], self.path)
                    )
                continue
            value_pos = obj.value_pos.get(key, key_pos)
            if key in _REFERENCES:
                expr = self.references(value, value_pos)
            else:
                expr = self.expr(value, value_pos, depth + 1)
            body.attributes[key] = Attribute(key, expr, key_pos[0], key_pos[1])
        return body

    def dynamic(self, name: str, spec: LMap, pos: tuple[int, int], depth: int) -> Block:
        body = self.body(spec, False, depth)
        iterator = spec.get("iterator")
        if isinstance(iterator, str):
            line, col = spec.value_pos.get("iterator", pos)
            body.attributes["iterator"] = Attribute("iterator", Var(line, col, iterator), line, col)
        return Block("dynamic", [name], body, pos[0], pos[1], self.path)

    def references(self, value: Any, pos: tuple[int, int]) -> Expr:
        """``depends_on`` / ``provider``: strings that are references, not templates."""
        if isinstance(value, str):
            return parse_expression(value, pos[0], pos[1])
        if isinstance(value, LList):
            items = [self.references(v, value.pos_of(i)) for i, v in enumerate(value)]
            return TupleExpr(pos[0], pos[1], items)
        return self.expr(value, pos, 0)

    def expr(self, value: Any, pos: tuple[int, int], depth: int) -> Expr:
        if depth > MAX_DEPTH:
            raise InputError("JSON is nested too deeply")
        line, col = pos
        if isinstance(value, str):
            if "${" not in value and "%{" not in value:
                return (
                    template_from_text(value, line, col) if "$${" in value else plain_text(value, line, col)
                )
            for start in interpolation_starts(value):
                if matching_brace(value, start + 2) < 0:
                    raise InputError(f"invalid template at line {line}: unclosed '${{'", line, col)
            try:
                return template_from_text(value, line, col)
            except InputError as exc:
                raise InputError(f"invalid template at line {line}: {exc.message}", line, col) from None
        if isinstance(value, LList):
            return TupleExpr(
                line, col, [self.expr(v, value.pos_of(i), depth + 1) for i, v in enumerate(value)]
            )
        if isinstance(value, LMap):
            items: list[tuple[Expr, Expr]] = []
            for key, item in value.items():
                key_line, key_col = value.pos_of(key)
                key_expr = self.expr(key, (key_line, key_col), depth + 1)
                items.append(
                    (key_expr, self.expr(item, value.value_pos.get(key, (key_line, key_col)), depth + 1))
                )
            return ObjectExpr(line, col, items)
        return Lit(line, col, value)


def _is_block(value: Any) -> bool:
    if isinstance(value, LMap):
        return True
    return isinstance(value, LList) and bool(value) and all(isinstance(v, LMap) for v in value)


def _each_object(value: Any, pos: tuple[int, int]) -> list[tuple[LMap, tuple[int, int]]]:
    """A block written once (an object) or several times (an array of objects)."""
    if isinstance(value, LMap):
        # The key's position, as a .tf block's is its header line.
        return [(value, pos)]
    if isinstance(value, LList):
        return [(v, value.pos_of(i)) for i, v in enumerate(value) if isinstance(v, LMap)]
    raise InputError(f"invalid Terraform JSON at line {pos[0]}: a block must be an object", pos[0], pos[1])
