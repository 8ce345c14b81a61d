"""A resource instance's arguments as one located mapping, the form the mapper reads.

Attributes become values and nested blocks lists of mappings (``dynamic`` blocks expanded when
their collection is known), each with the line and column it was written at.  The top level is
evaluated one argument at a time, on first read: the mapper reads a handful of a resource's
arguments, and tags, names and descriptions were about a fifth of a module's evaluation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...model import Unknown
from ..located import LList, LMap
from .syntax import Attribute, Block, Body, Var

if TYPE_CHECKING:
    from .evaluate import Evaluator, Scope
    from .module import Instance

# Arguments and blocks that configure Terraform, not the resource: never part of its document.
META_ARGUMENTS = frozenset({"count", "for_each", "depends_on", "provider"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
# More blocks than this from one `dynamic` block are not expanded.
MAX_DYNAMIC_BLOCKS = 1000


def _whole(read: Callable[[Any], Any]) -> Callable[[Document], Any]:
    """A :class:`Document` method that reads every argument: it evaluates the rest first."""

    def whole(self: Document) -> Any:
        self._complete()
        return read(self)

    return whole


class Document(LMap):
    """A resource instance's document whose arguments are evaluated one by one, when first read.

    Reading a key (``get``, ``[]``, ``in``, ``pos_of``) evaluates that argument, or all nested
    blocks of that type, exactly as the whole document would; any other use (iteration, ``len``,
    ``items``, comparison) evaluates the rest first, and the keys then stand in the order they
    are written (arguments, then blocks).
    """

    __slots__ = ("_ev", "_instance", "_order", "_pending")

    def __init__(self, instance: Instance, ev: Evaluator) -> None:
        block = instance.resource.block
        super().__init__((block.line, block.col))
        self._instance = instance
        self._ev = ev
        order = [name for name in block.body.attributes if name not in META_ARGUMENTS]
        order += [key for key in map(_key_of, block.body.blocks) if key is not None]
        self._order = list(dict.fromkeys(order))
        self._pending = set(self._order)

    def _load(self, key: object) -> None:
        if key not in self._pending:
            return
        self._pending.remove(key)  # first: `put` asks `in`, which must not load again
        inst, ev = self._instance, self._ev
        body = inst.resource.block.body
        scope = inst.scope()
        attr = body.attributes.get(key)  # type: ignore[call-overload]
        if attr is not None:
            _put_argument(self, attr, inst.attribute(attr.name, ev), scope, inst.notes)
        _put_blocks([b for b in body.blocks if _key_of(b) == key], scope, ev, self, inst.notes)

    def _complete(self) -> None:
        if not self._pending:
            return
        for key in self._order:
            self._load(key)
        ordered = [(k, dict.__getitem__(self, k)) for k in self._order if dict.__contains__(self, k)]
        dict.clear(self)
        dict.update(self, ordered)

    # Reading one key ----------------------------------------------------------------------------

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self._load(key)
        return dict.get(self, key, default)

    def __getitem__(self, key: str) -> Any:
        self._load(key)
        return dict.__getitem__(self, key)

    def __contains__(self, key: object) -> bool:
        self._load(key)
        return dict.__contains__(self, key)

    def pos_of(self, key: str) -> tuple[int, int]:
        self._load(key)
        return super().pos_of(key)

    # Reading everything ---------------------------------------------------------------------

    __iter__ = _whole(dict.__iter__)
    __len__ = _whole(dict.__len__)
    keys = _whole(dict.keys)  # type: ignore[assignment]
    values = _whole(dict.values)  # type: ignore[assignment]
    items = _whole(dict.items)  # type: ignore[assignment]
    __repr__ = _whole(dict.__repr__)

    def __eq__(self, other: object) -> bool:
        self._complete()
        if isinstance(other, Document):
            other._complete()
        return dict.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]


def _key_of(block: Block) -> str | None:
    """The key a nested block is listed under (a ``dynamic`` block's label); None for the blocks
    that configure Terraform."""
    if block.type == "dynamic" and block.labels:
        return block.labels[0]
    return None if block.type in META_BLOCKS else block.type


def _put_argument(
    doc: LMap, attr: Attribute, value: Any, scope: Scope, notes: dict[tuple[int, str], str]
) -> None:
    doc.put(attr.name, value, (attr.line, attr.col), (attr.expr.line, attr.expr.col))
    note = scope.module.variable_note(attr.expr, value)
    if note:
        notes[(id(doc), attr.name)] = note


def _put_blocks(
    blocks: list[Block], scope: Scope, ev: Evaluator, doc: LMap, notes: dict[tuple[int, str], str]
) -> None:
    for block in blocks:
        if _key_of(block) is None:
            continue
        if block.type == "dynamic" and block.labels:
            _dynamic(block, scope, ev, doc, notes)
        else:
            items = _block_list(doc, block.type, block)
            sub = _nested(block.body, scope, ev, LMap((block.line, block.col)), notes)
            items.add(sub, (block.line, block.col))


def _nested(body: Body, scope: Scope, ev: Evaluator, doc: LMap, notes: dict[tuple[int, str], str]) -> LMap:
    """A nested block's body, evaluated whole."""
    for name, attr in body.attributes.items():
        if name not in META_ARGUMENTS:
            _put_argument(doc, attr, ev.eval(attr.expr, scope), scope, notes)
    _put_blocks(body.blocks, scope, ev, doc, notes)
    return doc


def _block_list(doc: LMap, name: str, block: Block) -> LList:
    """The list the blocks under ``name`` go in, made at the first of them."""
    items = doc.get(name)
    if not isinstance(items, LList):
        items = LList((block.line, block.col))
        doc.put(name, items, (block.line, block.col), (block.line, block.col))
    return items


def _dynamic(block: Block, scope: Scope, ev: Evaluator, doc: LMap, notes: dict[tuple[int, str], str]) -> None:
    name = block.labels[0]
    items = _block_list(doc, name, block)
    content = block.body.block("content")
    for_each = block.body.attributes.get("for_each")
    iterator_attr = block.body.attributes.get("iterator")
    iterator = name
    if iterator_attr is not None and isinstance(iterator_attr.expr, Var):
        iterator = iterator_attr.expr.name
    collection = ev.eval(for_each.expr, scope) if for_each else Unknown("dynamic block without for_each")
    if content is None or not isinstance(collection, (list, dict)) or len(collection) > MAX_DYNAMIC_BLOCKS:
        # Some blocks of this type exist, but we cannot tell which: mark the list as incomplete.
        items.add(Unknown(f"dynamic {name} blocks cannot be expanded"), (block.line, block.col))
        return
    pairs = collection.items() if isinstance(collection, dict) else enumerate(collection)
    for key, value in pairs:
        inner = scope.child(**{iterator: {"key": key, "value": value}})
        sub = _nested(content.body, inner, ev, LMap((content.line, content.col)), notes)
        items.add(sub, (content.line, content.col))
