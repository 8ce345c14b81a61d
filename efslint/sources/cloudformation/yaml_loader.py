"""CloudFormation YAML: PyYAML's C parser plus a small constructor that keeps positions.

cfn-lint's decoder imports all of cfn-lint (about a second), which a pre-commit hook cannot pay on
every commit.  Here libyaml composes the node graph (it also bounds nesting depth) and one
recursive pass turns nodes into :class:`~efslint.sources.located.LMap`/``LList`` values, with:

* short-form tags (``!Ref``, ``!GetAtt``, ``!Sub`` ...) rewritten to their long form, so the
  resolver sees one syntax for YAML and JSON;
* duplicate keys recorded on the mapping (CloudFormation rejects them);
* aliases bounded by the size of the expanded document ("billion laughs" stops early);
* mapping keys kept as written (``Yes:`` stays the string "Yes", as CloudFormation reads it);
* timestamps kept as strings (``AWSTemplateFormatVersion: 2010-09-09``).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import InputError
from ..located import LList, LMap

MAX_DEPTH = 200
# Nodes in the document once every alias is expanded. A 1 MB template (CloudFormation's limit)
# has a few hundred thousand; alias bombs reach billions.
MAX_EXPANDED_NODES = 2_000_000

_YAML = "tag:yaml.org,2002:"
# Short forms whose long form is "Fn::<name>".
_FN_TAGS = frozenset(
    [
        "GetAtt",
        "Sub",
        "Join",
        "Select",
        "GetAZs",
        "If",
        "FindInMap",
        "ImportValue",
        "Split",
        "Base64",
        "Cidr",
        "Equals",
        "Not",
        "And",
        "Or",
        "Length",
        "ToJsonString",
        "ForEach",
        "Transform",
    ]
)
_OTHER_TAGS = {"!Ref": "Ref", "!Condition": "Condition"}
_TRUE = frozenset({"true", "yes", "on"})
_PLAIN = yaml.constructor.SafeConstructor()


def _pos(node: Node) -> tuple[int, int]:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self) -> None:
        # id(node) -> (value, expanded size): an alias is one node object reached twice.
        self.done: dict[int, tuple[Any, int]] = {}

    def build(self, node: Node, depth: int) -> tuple[Any, int]:
        seen = self.done.get(id(node))
        if seen is not None:
            return seen
        if depth > MAX_DEPTH:
            line, col = _pos(node)
            raise InputError(f"nesting deeper than {MAX_DEPTH} levels at line {line}", line, col)
        tag = node.tag
        if tag.startswith("!") and tag != "!":
            result = self._short_form(node, depth)
        elif isinstance(node, ScalarNode):
            result = (self._scalar(node), 1)
        elif isinstance(node, SequenceNode):
            result = self._sequence(node, depth)
        elif isinstance(node, MappingNode):
            result = self._mapping(node, depth)
        else:  # pragma: no cover - the composer produces only these three
            raise InputError(f"unsupported YAML node {type(node).__name__}")
        if result[1] > MAX_EXPANDED_NODES:
            line, col = _pos(node)
            raise InputError(
                f"aliases expand to more than {MAX_EXPANDED_NODES:,} values (YAML alias bomb?) "
                f"at line {line}",
                line,
                col,
            )
        self.done[id(node)] = result
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        value = node.value
        if tag == _YAML + "str" or not tag.startswith(_YAML):
            if not tag.startswith(_YAML) and tag != "!":
                self._unknown_tag(node)
            return value
        kind = tag[len(_YAML) :]
        if kind == "int":
            if len(value) > 1 and value[0] == "0" and value.isdigit():
                return value  # "0755": a mode string, whatever YAML 1.1 says about octal
            try:
                return int(value.replace("_", ""), 10)
            except ValueError:
                return _PLAIN.construct_yaml_int(node)
        if kind == "bool":
            return value.lower() in _TRUE
        if kind == "null":
            return None
        if kind == "float":
            return _PLAIN.construct_yaml_float(node)
        if kind in ("timestamp", "binary"):
            return value
        self._unknown_tag(node)
        return None  # pragma: no cover

    def _sequence(self, node: SequenceNode, depth: int) -> tuple[LList, int]:
        result = LList(_pos(node))
        size = 1
        for item in node.value:
            value, weight = self.build(item, depth + 1)
            result.add(value, _pos(item))
            size += weight
        return result, size

    def _mapping(self, node: MappingNode, depth: int, tagged: bool = False) -> tuple[LMap, int]:
        if not tagged and node.tag not in (_YAML + "map", "!"):
            self._unknown_tag(node)
        result = LMap(_pos(node))
        size = 1
        for key_node, value_node in node.value:
            if key_node.tag == _YAML + "merge":
                size += self._merge(result, value_node, depth)
                continue
            if not isinstance(key_node, ScalarNode):
                line, col = _pos(key_node)
                raise InputError(f"a mapping key must be a plain value, at line {line}", line, col)
            value, weight = self.build(value_node, depth + 1)
            result.put(key_node.value, value, _pos(key_node), _pos(value_node))
            size += weight
        return result, size

    def _merge(self, target: LMap, node: Node, depth: int) -> int:
        """``<<: *base`` merge keys: keys already present win, as in PyYAML."""
        sources = node.value if isinstance(node, SequenceNode) else [node]
        size = 0
        for source in sources:
            value, weight = self.build(source, depth + 1)
            if not isinstance(value, LMap):
                line, col = _pos(source)
                raise InputError(f"a merge key (<<) needs a mapping, at line {line}", line, col)
            size += weight
            for key, item in value.items():
                if key not in target:
                    target.put(key, item, value.key_pos[key], value.value_pos[key])
        return size

    def _short_form(self, node: Node, depth: int) -> tuple[LMap, int]:
        name = node.tag[1:]
        if node.tag in _OTHER_TAGS:
            key = _OTHER_TAGS[node.tag]
        elif name in _FN_TAGS:
            key = f"Fn::{name}"
        else:
            self._unknown_tag(node)
        # The tag names the function; the content is an ordinary scalar, sequence or mapping.
        inner: Any
        if isinstance(node, ScalarNode):
            inner, weight = node.value, 1
        elif isinstance(node, SequenceNode):
            inner, weight = self._sequence(node, depth + 1)
        else:
            inner, weight = self._mapping(node, depth + 1, tagged=True)
        pos = _pos(node)
        result = LMap(pos)
        result.put(key, inner, pos, pos)
        return result, weight + 1

    def _unknown_tag(self, node: Node) -> None:
        line, col = _pos(node)
        tag = "!!" + node.tag[len(_YAML) :] if node.tag.startswith(_YAML) else node.tag
        raise InputError(
            f"unknown tag {tag!r} at line {line}; CloudFormation supports the short forms "
            "!Ref, !GetAtt, !Sub, !Join, !Select, !Split, !If, !FindInMap, !ImportValue, !GetAZs, "
            "!Base64, !Cidr, !Condition, !Equals, !Not, !And, !Or",
            line,
            col,
        )


def loads(text: str) -> Any:
    """Parse one YAML document into located values. Raises :class:`InputError`."""
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "cannot parse"
        raise InputError(f"invalid YAML: {problem} (line {line}, column {col})", line, col) from None
    except yaml.YAMLError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(f"invalid YAML: {first}") from None
    finally:
        loader.dispose()
    if node is None:
        raise InputError("empty document", 1, 1)
    value, _ = _Builder().build(node, 0)
    return value
