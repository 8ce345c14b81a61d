"""Static resolution of CloudFormation intrinsic functions.

``Resolver.resolve`` turns a raw property tree into plain values that keep their positions
(:class:`RMap`/:class:`RList`, subclasses of the located containers), where

* ``Ref`` to a parameter is its default (the container records a note saying so, and
  ``SSM``-backed parameters or parameters without a default are :class:`Unknown`);
* ``Ref``/``Fn::GetAtt`` to a resource is a :class:`ResourceRef` (the mapper turns it into a link);
* ``Fn::Select`` over ``Fn::GetAZs`` is a symbolic AZ (index n is a distinct AZ);
* ``Fn::If`` is known when its condition is decidable from parameter defaults, or when both
  branches agree; ``Fn::ImportValue`` and everything else that cannot be known is Unknown;
* ``AWS::NoValue`` removes the key or item, as CloudFormation does.

Conditions are evaluated once each and cycles give Unknown, so resolution is linear in the size of
the template however many conditions it has.
"""

from __future__ import annotations

import re
from typing import Any

from ...model import PartlyKnown, Unknown, symbolic_az
from ...record import Record
from ..located import LList, LMap

MAX_DEPTH = 300


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()


class ResourceRef(Record, frozen=True):
    """``Ref`` (attribute None) or ``Fn::GetAtt`` to a resource of the same template."""

    logical_id: str
    attribute: str | None = None


class AzList(Record, frozen=True):
    """The value of ``Fn::GetAZs``; only an element chosen with ``Fn::Select`` is meaningful."""

    base: str


class SubUnknown(PartlyKnown):
    """An ``Fn::Sub`` (or ``Fn::Join``) that names deployment-time values; keeps the text, with the
    known values substituted and the others as ``${name}``, for ARN matching."""

    __slots__ = ()


class RMap(LMap):
    """A resolved mapping; ``notes[key]`` says where a value came from (a parameter default)."""

    __slots__ = ("notes",)

    def __init__(self, pos: tuple[int, int] = (0, 0)) -> None:
        super().__init__(pos)
        self.notes: dict[str, str] = {}


class RList(LList):
    __slots__ = ("notes",)

    def __init__(self, pos: tuple[int, int] = (0, 0)) -> None:
        super().__init__(pos)
        self.notes: dict[int, str] = {}


class _Noted:
    """A value derived from parameter defaults or decided conditions, with the explanation."""

    __slots__ = ("notes", "value")

    def __init__(self, value: Any, notes: tuple[str, ...]) -> None:
        self.value = value
        self.notes = notes


def _split(value: Any) -> tuple[Any, tuple[str, ...]]:
    if isinstance(value, _Noted):
        return value.value, value.notes
    return value, ()


def _noted(value: Any, notes: tuple[str, ...]) -> Any:
    return _Noted(value, notes) if notes and not isinstance(value, Unknown) else value


PSEUDO_PARAMETERS = frozenset(
    {
        "AWS::AccountId",
        "AWS::NotificationARNs",
        "AWS::Partition",
        "AWS::Region",
        "AWS::StackId",
        "AWS::StackName",
        "AWS::URLSuffix",
    }
)
# Inside Fn::Sub and Fn::Join. The partition stays the placeholder `${AWS::Partition}` in the text
# (a stack deploys to aws, aws-cn or aws-us-gov): the value is still a string (an ARN whose only
# unknown is the partition is as good as literal for ids and names), and ARN matching reads the
# placeholder as "the deployment's own partition" (AWS-managed policy ARNs are recognised with it).
_SUB_CONSTANTS = {"AWS::Partition": "${AWS::Partition}", "AWS::URLSuffix": "amazonaws.com"}
# Pseudo parameters that Fn::Join keeps as placeholders (the result is then only partly known), so
# that ARNs built from them stay comparable.
_JOIN_PLACEHOLDERS = {"AWS::Region", "AWS::AccountId"}
_SUB_VAR = re.compile(r"\$\{([^}]*)\}")


def _pseudo_ref(item: Any) -> str:
    """``AWS::Partition`` for ``{"Ref": "AWS::Partition"}``, else an empty string."""
    if isinstance(item, dict) and len(item) == 1 and isinstance(item.get("Ref"), str):
        return item["Ref"]
    return ""


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


class Resolver:
    def __init__(self, doc: LMap) -> None:
        def section(name: str) -> dict[str, Any]:
            value = doc.get(name)
            return value if isinstance(value, dict) else {}

        self.parameters = section("Parameters")
        self.mappings = section("Mappings")
        self.conditions = section("Conditions")
        self.resources = section("Resources")
        self._condition_values: dict[str, Any] = {}
        self._evaluating: set[str] = set()

    # ----------------------------------------------------------------------------------------
    # public

    def resolve(self, node: Any) -> Any:
        """``node`` with every intrinsic function replaced by its static value."""
        return _split(self._eval(node, 0))[0]

    def resolve_noted(self, node: Any) -> tuple[Any, str]:
        value, notes = _split(self._eval(node, 0))
        return value, "; ".join(dict.fromkeys(notes))

    def condition(self, name: Any) -> bool | Unknown:
        """The value of a named condition under parameter defaults, or Unknown."""
        return _split(self._condition(name, 0))[0]

    # ----------------------------------------------------------------------------------------

    def _eval(self, node: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            return Unknown("expression nested too deeply")
        if isinstance(node, dict):
            if len(node) == 1:
                key = next(iter(node))
                if key == "Ref" or key.startswith("Fn::"):
                    return self._intrinsic(key, node[key], depth + 1)
            result = RMap(getattr(node, "pos", (0, 0)))
            key_pos = getattr(node, "key_pos", {})
            value_pos = getattr(node, "value_pos", {})
            for key, raw in node.items():
                value, notes = _split(self._eval(raw, depth + 1))
                if value is NO_VALUE:
                    continue
                result.put(key, value, key_pos.get(key, result.pos), value_pos.get(key, result.pos))
                if notes:
                    result.notes[key] = "; ".join(dict.fromkeys(notes))
            return result
        if isinstance(node, list):
            items = RList(getattr(node, "pos", (0, 0)))
            item_pos = getattr(node, "item_pos", [])
            for index, raw in enumerate(node):
                value, notes = _split(self._eval(raw, depth + 1))
                if value is NO_VALUE:
                    continue
                if notes:
                    items.notes[len(items)] = "; ".join(dict.fromkeys(notes))
                items.add(value, item_pos[index] if index < len(item_pos) else items.pos)
            return items
        return node

    def _intrinsic(self, key: str, arg: Any, depth: int) -> Any:
        handler = _HANDLERS.get(key)
        if handler is None:
            return Unknown(f"{key} is not evaluated statically")
        return handler(self, arg, depth)

    # Ref ------------------------------------------------------------------------------------

    def _ref(self, name: Any, depth: int) -> Any:
        if not isinstance(name, str):
            return Unknown("Ref to a computed name")
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in PSEUDO_PARAMETERS:
            return Unknown(f"{name} is known only at deployment")
        if name in self.parameters:
            return self._parameter(name)
        if name in self.resources:
            return ResourceRef(name)
        return Unknown(f"Ref to {name!r}, which the template does not define")

    def _parameter(self, name: str) -> Any:
        spec = self.parameters[name]
        if not isinstance(spec, dict) or "Default" not in spec:
            return Unknown(f"parameter {name} has no default")
        kind = spec.get("Type", "String")
        kind = kind if isinstance(kind, str) else "String"
        if kind.startswith("AWS::SSM::Parameter"):
            return Unknown(f"parameter {name} is read from SSM at deployment")
        default = spec["Default"]
        if isinstance(default, (dict, list)) and not isinstance(default, str):
            return Unknown(f"parameter {name} has a non-scalar default")
        shown = "" if default is None else str(default)
        note = f"from the default of parameter {name}: '{shown}'"
        if kind == "CommaDelimitedList" or kind.startswith("List<"):
            items = RList()
            for part in shown.split(",") if shown else []:
                items.add(part.strip(), (0, 0))
            return _Noted(items, (note,))
        return _Noted(default, (note,))

    # Fn::GetAtt, Fn::Sub ---------------------------------------------------------------------

    def _get_att(self, arg: Any, depth: int) -> Any:
        if isinstance(arg, str) and "." in arg:
            logical, attribute = arg.split(".", 1)
        elif isinstance(arg, list) and len(arg) == 2:
            logical = arg[0]
            attribute, _ = _split(self._eval(arg[1], depth + 1))
        else:
            return Unknown("malformed Fn::GetAtt")
        if not isinstance(logical, str) or not isinstance(attribute, str):
            return Unknown("Fn::GetAtt with a computed name")
        if logical in self.resources:
            return ResourceRef(logical, attribute)
        return Unknown(f"Fn::GetAtt of {logical!r}, which the template does not define")

    def _sub(self, arg: Any, depth: int) -> Any:
        variables: dict[str, Any] = {}
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
            text, variables = arg[0], arg[1]
        else:
            text = arg
        if not isinstance(text, str):
            return Unknown("Fn::Sub with a computed template")
        notes: list[str] = []
        parts: list[str] = []
        refs: list[str] = []
        position = 0
        for match in _SUB_VAR.finditer(text):
            parts.append(text[position : match.start()])
            position = match.end()
            name = match.group(1).strip()
            if name.startswith("!"):
                parts.append("${" + name[1:] + "}")
                continue
            if name in variables:
                value, more = _split(self._eval(variables[name], depth + 1))
            elif name in _SUB_CONSTANTS and name not in variables:
                value, more = _SUB_CONSTANTS[name], ()
            elif "." in name and name.split(".", 1)[0] in self.resources:
                value, more = self._get_att(name, depth + 1), ()
            else:
                value, more = _split(self._ref(name, depth + 1))
            notes.extend(more)
            piece = _scalar_text(value)
            if piece is None:
                refs.append(name)
                parts.append("${" + name + "}")
                continue
            parts.append(piece)
        parts.append(text[position:])
        if refs:
            return SubUnknown("".join(parts), f"Fn::Sub uses {', '.join(refs)}, known only at deployment")
        return _noted("".join(parts), tuple(notes))

    # lists ----------------------------------------------------------------------------------

    def _join(self, arg: Any, depth: int) -> Any:
        if not (isinstance(arg, list) and len(arg) == 2):
            return Unknown("malformed Fn::Join")
        delimiter, n1 = _split(self._eval(arg[0], depth + 1))
        raw = arg[1]
        placeholders: list[str] = []

        def pseudo(item: Any) -> Any:
            # The CDK builds ARNs as Join ["", ["arn:", Ref AWS::Partition, ":iam::aws:policy/..."]].
            name = _pseudo_ref(item)
            if name in _JOIN_PLACEHOLDERS:
                placeholders.append(name)
                return "${" + name + "}"
            return _SUB_CONSTANTS.get(name, item)

        if isinstance(raw, list):
            raw = [pseudo(item) for item in raw]
        items, n2 = _split(self._eval(raw, depth + 1))
        if not isinstance(delimiter, str) or not isinstance(items, list):
            return Unknown("Fn::Join of values known only at deployment")
        texts = [_scalar_text(item) for item in items]
        if any(text is None for text in texts):
            return Unknown("Fn::Join of values known only at deployment")
        joined = delimiter.join(t for t in texts if t is not None)
        if placeholders:
            return SubUnknown(joined, f"Fn::Join uses {', '.join(placeholders)}, known only at deployment")
        notes = n1 + n2 + tuple(getattr(items, "notes", {}).values())
        return _noted(joined, notes)

    def _select(self, arg: Any, depth: int) -> Any:
        if not (isinstance(arg, list) and len(arg) == 2):
            return Unknown("malformed Fn::Select")
        index, n1 = _split(self._eval(arg[0], depth + 1))
        items, n2 = _split(self._eval(arg[1], depth + 1))
        try:
            position = int(index) if not isinstance(index, bool) else None
        except (TypeError, ValueError):
            position = None
        if position is None or position < 0:
            return Unknown("Fn::Select with an index known only at deployment")
        if isinstance(items, AzList):
            return _noted(symbolic_az(items.base, position), n1 + n2)
        if isinstance(items, list) and position < len(items):
            item_note = getattr(items, "notes", {}).get(position)
            return _noted(items[position], n1 + n2 + ((item_note,) if item_note else ()))
        return Unknown("Fn::Select from a list known only at deployment")

    def _split_fn(self, arg: Any, depth: int) -> Any:
        if not (isinstance(arg, list) and len(arg) == 2):
            return Unknown("malformed Fn::Split")
        delimiter, n1 = _split(self._eval(arg[0], depth + 1))
        source, n2 = _split(self._eval(arg[1], depth + 1))
        if not isinstance(delimiter, str) or not delimiter or not isinstance(source, str):
            return Unknown("Fn::Split of a value known only at deployment")
        items = RList()
        for part in source.split(delimiter):
            items.add(part, (0, 0))
        return _noted(items, n1 + n2)

    def _get_azs(self, arg: Any, depth: int) -> Any:
        if arg in ("", None) or arg == {"Ref": "AWS::Region"}:
            return AzList("GetAZs('')")
        region, _ = _split(self._eval(arg, depth + 1))
        if isinstance(region, str):
            return AzList(f"GetAZs('{region}')")
        return Unknown("Fn::GetAZs of a computed region")

    def _find_in_map(self, arg: Any, depth: int) -> Any:
        if not (isinstance(arg, list) and len(arg) in (3, 4)):
            return Unknown("malformed Fn::FindInMap")
        keys = []
        notes: tuple[str, ...] = ()
        for raw in arg[:3]:
            value, more = _split(self._eval(raw, depth + 1))
            text = _scalar_text(value)
            if text is None:
                return Unknown("Fn::FindInMap with a key known only at deployment")
            keys.append(text)
            notes += more
        level: Any = self.mappings
        for key in keys:
            if not isinstance(level, dict) or key not in level:
                if len(arg) == 4 and isinstance(arg[3], dict) and "DefaultValue" in arg[3]:
                    return self._eval(arg[3]["DefaultValue"], depth + 1)
                return Unknown(f"Fn::FindInMap finds no entry {'/'.join(keys)}")
            level = level[key]
        value, more = _split(self._eval(level, depth + 1))
        return _noted(value, notes + more)

    # conditions -----------------------------------------------------------------------------

    def _if(self, arg: Any, depth: int) -> Any:
        if not (isinstance(arg, list) and len(arg) == 3):
            return Unknown("malformed Fn::If")
        decided, notes = _split(self._condition(arg[0], depth + 1))
        if isinstance(decided, bool):
            why = (f"condition {arg[0]} is {str(decided).lower()} with the parameter defaults",)
            value, more = _split(self._eval(arg[1] if decided else arg[2], depth + 1))
            return value if value is NO_VALUE else _noted(value, notes + more + why)
        first, n1 = _split(self._eval(arg[1], depth + 1))
        second, n2 = _split(self._eval(arg[2], depth + 1))
        if isinstance(first, Unknown) or isinstance(second, Unknown) or first is NO_VALUE:
            return Unknown(f"Fn::If on condition {arg[0]}, which is known only at deployment")
        if type(first) is type(second) and first == second:
            return _noted(first, n1 + n2)
        return Unknown(f"Fn::If on condition {arg[0]}, which is known only at deployment")

    def _condition(self, name: Any, depth: int) -> Any:
        if not isinstance(name, str) or name not in self.conditions:
            return Unknown(f"condition {name!r} is not defined")
        if name in self._condition_values:
            return self._condition_values[name]
        if name in self._evaluating:
            return Unknown(f"condition {name} refers to itself")
        self._evaluating.add(name)
        try:
            value = self._condition_expr(self.conditions[name], depth + 1)
        finally:
            self._evaluating.discard(name)
        self._condition_values[name] = value
        return value

    def _condition_expr(self, node: Any, depth: int) -> Any:
        if depth > MAX_DEPTH or not isinstance(node, dict) or len(node) != 1:
            return Unknown("condition cannot be evaluated")
        key, arg = next(iter(node.items()))
        if key == "Condition":
            return self._condition(arg, depth + 1)
        if key == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
            left, n1 = _split(self._eval(arg[0], depth + 1))
            right, n2 = _split(self._eval(arg[1], depth + 1))
            a, b = _scalar_text(left), _scalar_text(right)
            if a is None or b is None:
                return Unknown("condition compares values known only at deployment")
            return _noted(a == b, n1 + n2)
        if key in ("Fn::Not", "Fn::And", "Fn::Or") and isinstance(arg, list) and arg:
            values = []
            notes: tuple[str, ...] = ()
            for item in arg:
                value, more = _split(self._condition_expr(item, depth + 1))
                values.append(value)
                notes += more
            if key == "Fn::Not":
                return _noted(not values[0], notes) if isinstance(values[0], bool) else values[0]
            decisive = key == "Fn::Or"
            if decisive in values:
                return _noted(decisive, notes)
            if all(isinstance(v, bool) for v in values):
                return _noted(not decisive, notes)
            return Unknown("condition depends on values known only at deployment")
        return Unknown(f"{key} cannot be evaluated as a condition")


def _unknown(reason: str) -> Any:
    return lambda self, arg, depth: Unknown(reason)


_HANDLERS = {
    "Ref": Resolver._ref,
    "Fn::GetAtt": Resolver._get_att,
    "Fn::Sub": Resolver._sub,
    "Fn::Join": Resolver._join,
    "Fn::Select": Resolver._select,
    "Fn::Split": Resolver._split_fn,
    "Fn::GetAZs": Resolver._get_azs,
    "Fn::FindInMap": Resolver._find_in_map,
    "Fn::If": Resolver._if,
    "Fn::ImportValue": _unknown("imported from another stack (Fn::ImportValue)"),
    "Fn::Base64": _unknown("Fn::Base64 is not evaluated"),
    "Fn::Cidr": _unknown("Fn::Cidr is not evaluated"),
}


def references(node: Any, resources: dict[str, Any], found: set[str] | None = None) -> set[str]:
    """Logical ids of the resources ``node`` refers to (Ref, Fn::GetAtt, Fn::Sub), in any branch."""
    found = set() if found is None else found
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "Ref" and isinstance(value, str) and value in resources:
                    found.add(value)
                elif key == "Fn::GetAtt":
                    target = value.split(".", 1)[0] if isinstance(value, str) else None
                    if isinstance(value, list) and value and isinstance(value[0], str):
                        target = value[0]
                    if target in resources:
                        found.add(target)  # type: ignore[arg-type]
                elif key == "Fn::Sub":
                    text = value[0] if isinstance(value, list) and value else value
                    if isinstance(text, str):
                        for name in _SUB_VAR.findall(text):
                            base = name.strip().split(".", 1)[0]
                            if base in resources:
                                found.add(base)
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return found
