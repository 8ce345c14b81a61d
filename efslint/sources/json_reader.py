"""A JSON reader that records the line and column of every key, value and item.

The standard library's decoder keeps no positions, but it is written in C.  :func:`loads` lets
it parse (and validate) the document, then walks the result beside one regular-expression pass
over the text that finds where every key and value starts: tokens and values come in the same
order, so positions attach without a Python-level parser (about four times faster on large
templates).  Invalid input is re-read by the step-by-step :class:`_Reader`, which gives the
precise message.  Depth is bounded so a maliciously nested document gives a clean error instead
of a RecursionError.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from itertools import repeat
from json.decoder import scanstring
from operator import add, methodcaller, sub
from typing import Any

from .errors import InputError
from .located import LList, LMap, Pos

MAX_DEPTH = 200

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}
_NEWLINE = re.compile("\n")
_END = re.Match.end
_TOKEN_START = methodcaller("start", 1)


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def pos(self, index: int) -> Pos:
        line = bisect_right(self.newlines, index - 1)
        start = self.newlines[line - 1] + 1 if line else 0
        return (line + 1, index - start + 1)

    def fail(self, message: str, index: int) -> InputError:
        line, col = self.pos(min(index, len(self.text)))
        return InputError(f"invalid JSON: {message} at line {line} column {col}", line, col)

    def skip(self, index: int) -> int:
        return _WS.match(self.text, index).end()  # type: ignore[union-attr]

    def value(self, index: int, depth: int) -> tuple[Any, int]:
        text = self.text
        if index >= len(text):
            raise self.fail("unexpected end of input", index)
        char = text[index]
        if char == '"':
            try:
                return scanstring(text, index + 1, True)
            except ValueError as exc:
                raise self.fail("unterminated or invalid string", index) from exc
        if char == "{":
            return self.obj(index, depth + 1)
        if char == "[":
            return self.arr(index, depth + 1)
        for word, literal in _LITERALS.items():
            if text.startswith(word, index):
                return literal, index + len(word)
        match = _NUMBER.match(text, index)
        if match and match.end() > index:
            number = match.group()
            if match.group(1) or match.group(2):
                return float(number), match.end()
            return int(number), match.end()
        raise self.fail(f"unexpected character {char!r}", index)

    def obj(self, index: int, depth: int) -> tuple[LMap, int]:
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", index)
        result = LMap(self.pos(index))
        index = self.skip(index + 1)
        if self.text.startswith("}", index):
            return result, index + 1
        while True:
            if not self.text.startswith('"', index):
                raise self.fail("expected a quoted property name", index)
            key_pos = self.pos(index)
            key, index = self.value(index, depth)
            index = self.skip(index)
            if not self.text.startswith(":", index):
                raise self.fail("expected ':'", index)
            index = self.skip(index + 1)
            value_pos = self.pos(index)
            value, index = self.value(index, depth)
            result.put(key, value, key_pos, value_pos)
            index = self.skip(index)
            if self.text.startswith(",", index):
                index = self.skip(index + 1)
                continue
            if self.text.startswith("}", index):
                return result, index + 1
            raise self.fail("expected ',' or '}'", index)

    def arr(self, index: int, depth: int) -> tuple[LList, int]:
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", index)
        result = LList(self.pos(index))
        index = self.skip(index + 1)
        if self.text.startswith("]", index):
            return result, index + 1
        while True:
            item_pos = self.pos(index)
            value, index = self.value(index, depth)
            result.add(value, item_pos)
            index = self.skip(index)
            if self.text.startswith(",", index):
                index = self.skip(index + 1)
                continue
            if self.text.startswith("]", index):
                return result, index + 1
            raise self.fail("expected ',' or ']'", index)


def loads(text: str) -> Any:
    """Parse JSON text into located values. Raises :class:`InputError`."""
    try:
        return _fast_loads(text)
    except (ValueError, RecursionError, _Deep):
        pass
    return _careful_loads(text)


def _careful_loads(text: str) -> Any:
    reader = _Reader(text)
    start = reader.skip(1 if text.startswith("\ufeff") else 0)
    if start >= len(text):
        raise InputError("empty document", 1, 1)
    value, end = reader.value(start, 0)
    end = reader.skip(end)
    if end != len(text):
        raise reader.fail("extra data after the document", end)
    return value


class _Deep(Exception):
    """Nesting beyond MAX_DEPTH: the careful reader reports it with a position."""


class _Pairs(list):  # type: ignore[type-arg]
    """An object as the C decoder saw it: every (key, value) pair, duplicates included."""

    __slots__ = ()


# One token per JSON value start, in document order: a string (keys included), an opening
# bracket, or a number or literal.  Punctuation and white space fall between matches.
# The run before each token is skipped in one step (no token can start in it): searching token by
# token tried every byte.  Group 1 is the token; the text is valid JSON when this runs.
_TOKEN = re.compile(r'[^"{\[\-0-9tfn]*("[^"\\]*(?:\\.[^"\\]*)*"|[{\[]|-?[0-9][0-9.eE+-]*|true|false|null)')


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads_at(
    text: str, line: int, col: int, as_json: str | None = None, starts: re.Pattern[str] = _TOKEN
) -> Any:
    """A document found at ``line``/``col`` of a larger one (a literal in an HCL file), with
    positions in that document.  ``text`` is JSON, or ``as_json`` is ``text`` rewritten as JSON
    and ``starts`` finds in ``text`` where each of its keys and values starts, in the same order.
    Raises ValueError for anything that is not JSON."""
    try:
        return _fast_loads(text, line - 1, col - 1, as_json, starts)
    except (RecursionError, _Deep) as exc:
        raise ValueError("nested too deeply") from exc


def _fast_loads(
    text: str,
    line_shift: int = 0,
    col_shift: int = 0,
    as_json: str | None = None,
    starts: re.Pattern[str] = _TOKEN,
) -> Any:
    body = text[1:] if text.startswith("\ufeff") else text
    doc = json.loads(as_json or body, object_pairs_hook=_Pairs, parse_constant=_reject_constant)
    # Columns shift on the first line only: the text starts mid-line, the lines after it do not.
    line_starts = [-col_shift, *map(_END, _NEWLINE.finditer(text))]
    # (line, column) of every value start, in order, for the walk to take one by one: computed
    # by C-level maps, not a Python expression per value (a container definition has hundreds).
    indexes = list(map(_TOKEN_START, starts.finditer(text, len(text) - len(body))))
    lines = list(map(bisect_right, repeat(line_starts), indexes))
    line_begins = map(line_starts.__getitem__, map(sub, lines, repeat(1)))
    take = zip(
        map(add, lines, repeat(line_shift)),
        map(add, map(sub, indexes, line_begins), repeat(1)),
        strict=True,
    ).__next__

    def build(value: Any, here: Pos, depth: int) -> Any:
        if depth >= MAX_DEPTH:
            raise _Deep
        if type(value) is _Pairs:
            mapping = LMap(here)
            for key, item in value:
                key_pos = take()
                item_pos = take()
                if type(item) is _Pairs or type(item) is list:
                    item = build(item, item_pos, depth + 1)
                mapping.put(key, item, key_pos, item_pos)
            return mapping
        items = LList(here)
        for item in value:
            item_pos = take()
            if type(item) is _Pairs or type(item) is list:
                item = build(item, item_pos, depth + 1)
            items.add(item, item_pos)
        return items

    first = take()
    return build(doc, first, 0) if type(doc) is _Pairs or type(doc) is list else doc
