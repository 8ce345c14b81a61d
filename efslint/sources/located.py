"""Parsed documents that remember where each value came from.

Both the JSON and the YAML readers build these, so front-ends read JSON and YAML the same way:
a :class:`LMap` is a ``dict`` that also knows the position of each key and value, an :class:`LList`
is a ``list`` that knows the position of each item.  Scalars stay plain Python values; their
position lives in the container that holds them.
"""

from __future__ import annotations

from typing import Any

Pos = tuple[int, int]  # 1-based line and column


class LMap(dict[str, Any]):
    __slots__ = ("duplicates", "key_pos", "pos", "value_pos")

    def __init__(self, pos: Pos = (0, 0)) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, Pos] = {}
        self.value_pos: dict[str, Pos] = {}
        # Keys that appeared more than once, with the position of the repeat.
        self.duplicates: list[tuple[str, Pos]] = []

    def put(self, key: str, value: Any, key_pos: Pos, value_pos: Pos) -> None:
        if key in self:
            self.duplicates.append((key, key_pos))
        self[key] = value
        self.key_pos[key] = key_pos
        self.value_pos[key] = value_pos

    def pos_of(self, key: str) -> Pos:
        """Position of ``key`` (where a reader's eye lands), or of the mapping when absent."""
        return self.key_pos.get(key, self.pos)


class LList(list[Any]):
    __slots__ = ("item_pos", "pos")

    def __init__(self, pos: Pos = (0, 0)) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos: list[Pos] = []

    def add(self, value: Any, pos: Pos) -> None:
        self.append(value)
        self.item_pos.append(pos)

    def pos_of(self, index: int) -> Pos:
        return self.item_pos[index] if index < len(self.item_pos) else self.pos


def pos_of(container: Any, key: Any) -> Pos:
    """Position of ``container[key]`` when the container is located, else (0, 0)."""
    if isinstance(container, (LMap, LList)):
        return container.pos_of(key)
    return (0, 0)


def iter_duplicates(value: Any, depth: int = 0) -> list[tuple[str, Pos]]:
    """Every duplicate key anywhere in a document (bounded depth; parsers bound it already)."""
    found: list[tuple[str, Pos]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, LMap):
            found.extend(node.duplicates)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found
