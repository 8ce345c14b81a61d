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
# (Group 1 is the token; the run before it is skipped in one step, as in :mod:`..json_reader`.)
_STARTS = re.compile(r'[^"{\[\-0-9A-Za-z_]*("[^"]*"|[{\[]|-?[0-9][0-9.eE+-]*|[A-Za-z_][A-Za-z0-9_-]*)')


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
    between object elements, trailing commas dropped.  None for anything that is not a literal,
    and for anything HCL itself refuses that JSON would take (tuple items on separate lines
    without commas), so that a literal read whole is always one the parser would have taken."""
    out: list[str] = []
    ended = False  # the last token ended a key or value
    broken = False  # a line break since
    open_brackets: list[str] = []
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
                # Only object elements may be separated by a line break alone.
                if not broken or open_brackets[-1:] != ["{"]:
                    return None
                out.append(",")
            out.append(f'"{token}"' if kind == "key" else token)
            ended = kind != "open"
            if kind == "open":
                open_brackets.append(token)
        elif kind == "close":
            if out and out[-1] == ",":
                out.pop()
            out.append(token)
            ended = True
            if open_brackets:
                open_brackets.pop()
        elif kind == "comma":
            out.append(",")
            ended = False
        else:
            out.append(":")
            ended = False
        broken = False
    return "".join(out) if position == len(text) else None


# `jsonencode(` and the opening bracket of its argument.  No `\b` in front: the search could then
# not skip ahead to the `j`, and tried every byte of the file; the byte before is checked apart.
_JSONENCODE = re.compile(rb"jsonencode\(\s*(?=[\[{])")
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
# Every byte but the line break becomes a space: offsets, lines and columns stay where they were.
_BLANK = bytes.maketrans(bytes(range(256)), b" " * 10 + b"\n" + b" " * 245)
# Below this size the parser reads a literal about as fast as we could blank it out.
MIN_BLANK_BYTES = 128


def blank_literal_arguments(data: bytes) -> tuple[bytes, dict[int, tuple[int, Any]]]:
    """``data`` with each literal argument of ``jsonencode(...)`` (JSON, or HCL's object syntax)
    blanked out between its brackets, and ``{start: (end, located value)}`` of each.

    tree-sitter reads such literals at a few MB/s, node by node, and a module's container
    definitions and policies are often a third of its bytes; the parser then sees ``[`` and ``]``
    with a comment between (an empty tuple, valid wherever the literal was), and the value is read
    here, by the C decoder.  The caller checks that each blanked span came back as one tuple or
    object node (see :func:`.hcl_tree.parse`), so text that only looks like such a call (inside a
    string, a heredoc, a comment) is never misread.
    """
    found: dict[int, tuple[int, Any]] = {}
    if b"jsonencode" not in data:
        return data, found
    pieces: list[bytes] = []
    last = 0
    line, counted = 1, 0  # lines are counted on from the previous call: linear in the file
    for call in _JSONENCODE.finditer(data):
        start = call.end()
        if start < last or (call.start() and data[call.start() - 1] in _WORD_BYTES):
            continue
        # JSON first (container definitions): its run is found faster, and read without a
        # second look; then HCL's object syntax (policies), which takes more to recognise.
        end = _run_end(_JSON_LIKE, data, start)
        value = None
        if end - start >= MIN_BLANK_BYTES and data[end - 1] in b"]}":
            line += data.count(b"\n", counted, start)
            counted = start
            col = _column(data, start)
            try:
                value = loads_at(data[start:end].decode("utf-8", "surrogatepass"), line, col)
            except ValueError:
                value = None
        if value is None:
            end = _run_end(_HCL_LIKE, data, start)
            if end - start < MIN_BLANK_BYTES or data[end - 1] not in b"]}":
                continue
            line += data.count(b"\n", counted, start)
            counted = start
            value = read_literal(data[start:end], line, _column(data, start))
            if value is None:
                continue
        filler = _filler(data[start + 1 : end - 1])
        if filler is None:
            continue
        found[start] = (end, value)
        pieces += (data[last : start + 1], filler)
        last = end - 1
    if not found:
        return data, found
    pieces.append(data[last:])
    return b"".join(pieces), found


def _run_end(run: re.Pattern[bytes], data: bytes, start: int) -> int:
    """Where the literal-looking text from ``start`` ends, blank space after it left out."""
    match = run.match(data, start)
    return start + len(data[start : match.end()].rstrip()) if match is not None else start


def _column(data: bytes, start: int) -> int:
    line_start = data.rfind(b"\n", 0, start) + 1
    return len(data[line_start:start].decode("utf-8", "surrogatepass")) + 1


_PAIR = re.compile(rb"[^\n]{2}")


def _filler(inner: bytes) -> bytes | None:
    """``inner`` as one comment with the same line breaks: ``/*`` and ``*/`` go over the first and
    last two bytes that are not line breaks.  A comment, not white space: tree-sitter-hcl takes
    time quadratic in a run of white space between brackets, and reads a comment as one token."""
    first = _PAIR.search(inner)
    if first is None:
        return None
    last = len(inner) - 2
    while last >= first.end() and (inner[last] == 10 or inner[last + 1] == 10):
        last -= 1
    if last < first.end():
        return None
    filler = bytearray(inner.translate(_BLANK))
    filler[first.start() : first.end()] = b"/*"
    filler[last : last + 2] = b"*/"
    return bytes(filler)
