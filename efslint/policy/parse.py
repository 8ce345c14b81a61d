"""Policy documents (identity or resource policies) into :class:`PolicyStatement` lists."""

from __future__ import annotations

import json
from typing import Any

from ..model import Entity, Location, PolicyStatement, Unknown
from ..sources.located import pos_of

_MISSING = object()


class _Malformed(Exception):
    """The document is not a valid policy; the whole policy becomes Unknown."""


def parse_policy(document: Any, loc: Location) -> list[PolicyStatement] | Unknown:
    """Parse a policy given as a mapping or a JSON string; malformed input gives Unknown.

    Any leaf may already be :class:`Unknown` (front-ends resolve intrinsics and references first),
    or a model entity standing for its ARN (a ``FileSystem`` in ``Resource``, a ``Role`` in
    ``Principal``, an ``AccessPoint`` in a condition value).  Never raises.
    """
    try:
        return _parse(document, loc)
    except (_Malformed, RecursionError) as exc:
        return Unknown(f"policy document is malformed: {exc}")


def _parse(document: Any, loc: Location) -> list[PolicyStatement] | Unknown:
    if isinstance(document, Unknown):
        return document
    if isinstance(document, (str, bytes)):
        try:
            document = json.loads(document)
        except ValueError as exc:
            raise _Malformed(f"not valid JSON ({exc})") from None
    if not isinstance(document, dict):
        raise _Malformed("not a JSON object")
    body = document.get("Statement", _MISSING)
    if body is _MISSING:
        raise _Malformed("no Statement")
    if isinstance(body, Unknown):
        return body
    if isinstance(body, dict):
        return [_statement(body, _located(loc, document, "Statement"))]
    if not isinstance(body, list):
        raise _Malformed("Statement is neither an object nor a list")
    return [_statement(item, _located(loc, body, i)) for i, item in enumerate(body)]


def _located(loc: Location, container: Any, key: Any) -> Location:
    line, column = pos_of(container, key)
    return Location(loc.file, line, column, loc.logical_name) if line else loc


def _statement(item: Any, loc: Location) -> PolicyStatement:
    if isinstance(item, Unknown):
        # A statement we cannot read may allow or deny anything.
        return PolicyStatement(effect=item, actions=item, resources=item, conditions=item, loc=loc)
    if not isinstance(item, dict):
        raise _Malformed("a statement is not an object")
    effect = item.get("Effect", _MISSING)
    if effect is _MISSING:
        raise _Malformed("a statement has no Effect")
    if not isinstance(effect, Unknown) and effect not in ("Allow", "Deny"):
        raise _Malformed(f"Effect {effect!r} is neither Allow nor Deny")
    actions, not_actions = _pair(item, "Action", "NotAction", required=True)
    resources, not_resources = _pair(item, "Resource", "NotResource", required=False)
    principals = _principal(item["Principal"]) if "Principal" in item else None
    not_principals = _principal(item["NotPrincipal"]) if "NotPrincipal" in item else None
    conditions = item.get("Condition", {})
    if conditions is None:
        conditions = {}
    if not isinstance(conditions, (dict, Unknown)):
        raise _Malformed("Condition is not an object")
    return PolicyStatement(
        effect=effect,
        actions=actions,
        not_actions=not_actions,
        resources=resources,
        not_resources=not_resources,
        principals=principals,
        not_principals=not_principals,
        conditions=conditions,
        loc=loc,
    )


def _pair(item: dict[str, Any], positive: str, negative: str, *, required: bool) -> tuple[Any, Any]:
    if positive in item and negative in item:
        raise _Malformed(f"a statement has both {positive} and {negative}")
    if required and positive not in item and negative not in item:
        raise _Malformed(f"a statement has neither {positive} nor {negative}")
    pos = _string_list(item[positive], positive) if positive in item else None
    neg = _string_list(item[negative], negative) if negative in item else None
    return pos, neg


def _string_list(value: Any, what: str) -> list[Any] | Unknown:
    if isinstance(value, (Unknown, str, Entity)):
        return value if isinstance(value, Unknown) else [value]
    if isinstance(value, list):
        for element in value:
            if not isinstance(element, (str, Unknown, Entity)):
                raise _Malformed(f"{what} holds a {type(element).__name__}")
        return list(value)
    raise _Malformed(f"{what} is a {type(value).__name__}")


def _principal(value: Any) -> list[Any] | Unknown:
    """``"*"`` and ``{"AWS": "*"}`` → ``["*"]``; AWS principals as given; other kinds prefixed.

    Service, Federated and CanonicalUser principals are kept as ``"Service:<name>"`` and so on, so
    they can never be mistaken for a role ARN or for everyone.
    """
    if isinstance(value, Unknown):
        return value
    if value == "*":
        return ["*"]
    if not isinstance(value, dict):
        raise _Malformed('Principal is neither "*" nor an object')
    result: list[Any] = []
    for kind, items in value.items():
        if isinstance(items, Unknown):
            result.append(items)
            continue
        for element in _string_list(items, f"Principal.{kind}"):
            if kind == "AWS":
                result.append(element)
            elif isinstance(element, str):
                result.append(f"{kind}:{element}")
            else:
                result.append(element)
    return result
