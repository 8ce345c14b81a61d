"""Terraform HCL files to the syntax tree of :mod:`.syntax`, with file, line and column on every node.

:mod:`.hcl_tree` builds the tree with tree-sitter (a C parser) and the tree-sitter-hcl grammar; this
module is the front door: the size limit, suppression comments, ``templatefile()`` templates, and
the node types under their old names.  Comments never reach the tree, which is how suppression
comments are found without ever reading commented-out code.  The parser is imported only when a
Terraform file is linted.
"""

from __future__ import annotations

from ..errors import InputError
from .hcl_tree import parse, parse_expression, suppressions, template_from_text
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
    ParsedFile,
    Splat,
    Template,
    TupleExpr,
    UnOp,
    Var,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_TF_BYTES",
    "Attribute",
    "BinOp",
    "Block",
    "Body",
    "Call",
    "Cond",
    "Expr",
    "ForExpr",
    "GetAttr",
    "Index",
    "Lit",
    "ObjectExpr",
    "ParsedFile",
    "Splat",
    "Template",
    "TupleExpr",
    "UnOp",
    "Var",
    "parse_expression",
    "parse_file",
    "parse_template",
]

# tree-sitter parses megabytes in milliseconds; the limit bounds the memory of the syntax tree.
MAX_TF_BYTES = 16 * 1024 * 1024


def parse_file(path: str, text: str, lazy: bool = False) -> ParsedFile:
    """Parse one ``.tf`` file; :class:`InputError` for anything that is not valid HCL.

    ``lazy`` defers building each argument's expression to its first read, where an
    :class:`InputError` naming ``path`` can still come up (an expression nested too deeply
    without brackets)."""
    if len(text) > MAX_TF_BYTES:
        raise InputError(
            f"file is too large to lint as Terraform ({len(text) / 1e6:.1f} MB; the limit is "
            f"{MAX_TF_BYTES // 2**20} MiB)"
        )
    body, tree = parse(path, text, lazy=lazy)
    return ParsedFile(path, body, suppressions(tree, text))


def parse_template(text: str) -> Template:
    """A ``templatefile()`` template: literal text with ``${...}`` interpolations."""
    return template_from_text(text, 1, 1)
