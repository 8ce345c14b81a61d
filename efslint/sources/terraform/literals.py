"""Tuples and objects made only of literals, read by the C JSON decoder instead of node by node.

Container definitions and IAM policies are mostly large ``jsonencode(...)`` arguments of plain
values, written as JSON (``"name": "app"``) or as HCL (``Effect = "Allow"``).  Building a syntax
tree for them and evaluating it was the largest part of loading a module; here the text goes
through :func:`json.loads` and comes back as the located value the evaluator would have built,
with the same line and column for every key and value (``tests/test_terraform_fast_paths.py``
holds the two ways to each other).  Anything else (a reference, a function call, an escape, an
interpolation, a comment) is left to the syntax tree: this only ever takes the easy cases.
"""

from __future__ import annotations

import re
from typing import Any

from ..json_reader import loads_at

# Below this size a collection is cheaper to build node by node than to look at twice.
MIN_BYTES = 16

# A string without escapes, interpolations or directives: HCL and JSON read it alike.
_STRING = rb'"[^"\\\n$%]*(?:[$%](?!\{)[^"\\\n$%]*)*"'
# A run of punctuation as one atomic step (lookahead and backreference), so no input backtracks.
_RUN = rb"(?=(?P<run>[\s0-9.eE+\-:,\[\]{}]+))(?P=run)"
_JSON_LIKE = re.compile(rb"(?:" + _STRING + rb"|" + _RUN + rb"|true|false|null)*")
# HCL's own object syntax too: `=` and bare names as keys.
_HCL_LIKE = re.compile(
    rb"(?:"
    + _STRING
    + rb"|(?=(?P<run>[\s0-9.eE+\-:,=\[\]{}]+))(?P=run)"
    + rb"|[A-Za-z_][A-Za-z0-9_-]*(?=[ \t]*[=:])|true|false|null)*"
)

# HCL literal text, token by token: how it is rewritten as JSON.
_PIECE = re.compile(
    r'(?P<string>"[^"]*")'
    r"|(?P<key>[A-Za-z_][A-Za-z0-9_-]*)(?=[ \t]*[=:])"
    r"|(?P<value>true|false|null|-?[0-9][0-9.eE+-]*)"
    r"|(?P<open>[{\[])|(?P<close>[}\]])|(?P<comma>,)|(?P<colon>[=:])|(?P<newline>\n)|[ \t\r]+"
)
# Where each key and value starts in the HCL text, in the order the JSON decoder meets them.
_STARTS = re.compile(r'"[^"]*"|[{\[]|-?[0-9][0-9.eE+-]*|[A-Za-z_][A-Za-z0-9_-]*')


def read_literal(raw: bytes, line: int, col: int) -> Any:
    """The located value of a tuple or object written at ``line``/``col``, or None when it is not
    made only of literals (or is too small to be worth it)."""
    if len(raw) < MIN_BYTES:
        return None
    if _JSON_LIKE.fullmatch(raw):
        try:
            return loads_at(raw.decode("utf-8", "surrogatepass"), line, col)
        except ValueError:
            pass  # JSON-looking HCL: a trailing comma, newlines between object elements
    if _HCL_LIKE.fullmatch(raw):
        text = raw.decode("utf-8", "surrogatepass")
        as_json = _hcl_as_json(text)
        try:
            return None if as_json is None else loads_at(text, line, col, as_json, _STARTS)
        except ValueError:
            pass  # not literals after all, e.g. `a == b`
    return None


def _hcl_as_json(text: str) -> str | None:
    """HCL literal syntax as JSON: keys quoted, ``=`` as ``:``, a comma for each line break
    between object elements, trailing commas dropped.  None for anything that is not a literal."""
    out: list[str] = []
    ended = False  # the last token ended a key or value
    broken = False  # a line break since
    position = 0
    for match in _PIECE.finditer(text):
        if match.start() != position:
            return None  # a character no literal has (a name that is not a key, an operator)
        position = match.end()
        kind = match.lastgroup
        if kind is None:
            continue
        if kind == "newline":
            broken = True
            continue
        token = match.group()
        if kind in ("string", "key", "value", "open"):
            if ended:
                if not broken:
                    return None
                out.append(",")
            out.append(f'"{token}"' if kind == "key" else token)
            ended = kind != "open"
        elif kind == "close":
            if out and out[-1] == ",":
                out.pop()
            out.append(token)
            ended = True
        elif kind == "comma":
            out.append(",")
            ended = False
        else:
            out.append(":")
            ended = False
        broken = False
    return "".join(out) if position == len(text) else None
