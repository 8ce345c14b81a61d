"""Plain quoted strings handed to tree-sitter as names of the same length.

tree-sitter-hcl reads the text of a quoted string one byte at a time (about 2.5 MB/s, against
100 MB/s for a comment), and a module's block labels, tags, ARNs and CIDR blocks are a third of its
bytes.  A string without escapes, interpolations or directives (``"aws_efs_file_system"``) is
therefore written over, before parsing, with a name of the same length (``Q__________________``):
the parser reads a name several times faster, every byte offset, line and column stays where it
was, and :class:`.hcl_tree._Reader` knows a name whose first byte in the text as written is a
quote for the string it stands for, and gives the value the string would have given.

A name is not valid everywhere a string is, nor the reverse.  A string is written over only where
both read alike: as a value (after ``=``, ``(``, ``[``, ``,``, ``:`` or ``?``, and before ``,``, ``)``,
``]``, ``}``, ``:``, ``?``, a comment or the end of the line), as an item or key first on its line
or just inside a brace (then only before ``,``, ``)``, ``]``, ``:`` or ``?``), and as a block label
(after a block type or another label, before the next label or ``{``).  tree-sitter-hcl reads on
over line breaks and comments, so what comes next is looked for past them: never before ``(``,
and after a comma only before ``,`` or a closing bracket.  So never as an argument name
(``"a" = 1``), a block type (tree-sitter-hcl takes a name on a line of its own as one, with the
labels on the next line), a function name, an attribute after a dot or a ``for`` variable, where
a name would turn invalid HCL into valid HCL.  Comments and the other strings are stepped over
whole; a heredoc, a string or comment left open, or a string broken over lines, leaves the whole
file as written (``tests/test_terraform_plain_strings.py`` holds the two ways to each other).
"""

from __future__ import annotations

import re

# One token per match: the text before it (no quote, comment or heredoc can start there) and then
# a plain string in a value's place or a label's, any other string, a comment, a lone `/` or `<`,
# the end of the text, or something we do not try to follow.  Every branch starts with one of the
# characters the run stops at, so a match never backtracks into the run.
_PLAIN = rb'[^"\\$%{}\r\n]*"'
# Blank space, line breaks and comments between two tokens (one blank byte per step: a step
# of many could split a long run in exponentially many ways when a lookahead backtracks).
_GAP = rb"(?:[ \t\r\n]|#[^\n]*|//[^\n]*|/\*.*?\*/)*"
_TOKEN = re.compile(
    rb'[^"#/<]*(?:'
    # tree-sitter-hcl reads on over line breaks and comments: a name before `(` is a function.
    rb'"(?P<value>' + _PLAIN + rb")(?=[ \t]*(?:[,)\]}\r\n:?#/]|\Z))(?!" + _GAP + rb"\()"
    rb'|"(?P<label>' + _PLAIN + rb')(?=[ \t]*[{"])'
    rb'|"(?:[^"\\$%\r\n]|\\[^\r\n]|[$%](?!\{)|[$%]\{[^{}"\r\n]*\})*"'
    rb"|#[^\n]*|//[^\n]*|/\*.*?\*/|/(?!\*)|<(?!<)|\Z"
    rb'|(?P<unsure>["<]|/\*))',
    re.S,
)
_BLANK = b" \t"
_BEFORE_VALUE = frozenset(b"=([,:?")
_STARTS_LINE_OR_BODY = frozenset(b"\n{")
_SKIP_GAP = re.compile(_GAP, re.S)
_AFTER_ITEM = (b",", b")", b"]", b":", b"?")
_AFTER_ITEM_IN_LIST = (b",", b")", b"]", b"}")
_BEFORE_LABEL = frozenset(b'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"')


class _Unsure(Exception):
    pass


def name_plain_strings(data: bytes) -> bytes:
    """``data`` with each plain string that stands where a name reads alike written over with a
    name of its length; ``data`` itself when there is none, or when the text holds anything this
    does not follow (a heredoc, a lone carriage return, a string or comment left open)."""
    if b'"' not in data or data.count(b"\r") != data.count(b"\r\n"):
        return data
    try:
        named = _TOKEN.sub(_rewrite, data)
    except _Unsure:
        return data
    return named


def _rewrite(match: re.Match[bytes]) -> bytes:
    kind = match.lastgroup
    if kind is None:
        return match.group()
    if kind == "unsure":
        raise _Unsure
    data = match.string
    quote = match.start(kind) - 1
    before = quote - 1
    if kind == "label":
        # A label follows its block type or the label before, with blank space between.
        if data[before] not in _BLANK:
            return match.group()
        while before >= 0 and data[before] in _BLANK:
            before -= 1
        if before < 0 or data[before] not in _BEFORE_LABEL:
            return match.group()  # first in the file: a block type
    else:
        while before >= 0 and data[before] in _BLANK:
            before -= 1
        first = before < 0 or data[before] in _STARTS_LINE_OR_BODY
        if not first and data[before] not in _BEFORE_VALUE:
            return match.group()
        if first or data[before] == 44:
            # What comes next decides, past line breaks and comments.
            after = _SKIP_GAP.match(data, match.end()).end()
            following = data[after : after + 1]
            if first and following not in _AFTER_ITEM:
                # First on its line, or just inside a brace: a string that ends there could be
                # the type of a block whose labels follow on the next line, which tree-sitter-hcl
                # takes from a name; so only an item, an argument or a key.
                return match.group()
            if not first and following not in _AFTER_ITEM_IN_LIST:
                return match.group()  # `for k, "v"\nin`: a `for` variable, if it were a name
    return data[match.start() : quote] + _name(match.end() - quote)


_NAMES: dict[int, bytes] = {}


def _name(size: int) -> bytes:
    name = _NAMES.get(size)
    if name is None:
        name = b"Q" + b"_" * (size - 1)
        if size < 256:
            _NAMES[size] = name
    return name
