"""IAM ``Condition`` blocks, evaluated against what a request is known to carry.

The request context maps condition keys (lower case; keys are case-insensitive in IAM) to:

* ``None`` — the key is absent from the request (e.g. no access point is used);
* a value (``bool``, ``str``, an :class:`ArnTarget`, or a list of them);
* :class:`Unknown` — present or not, we cannot tell.

A key missing from the mapping is Unknown too: a linter does not know ``aws:SourceVpc`` or the
caller's account, so a condition on them makes a statement's effect Unknown, never true or false.
Operators that are not implemented are Unknown for the same reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import Entity, PartlyKnown, Unknown
from .arn import ArnTarget, glob_match, match_arn, match_entity
from .tristate import Tri, all3, any3, not3

# Operator → (kind, negated, wildcards, ignore_case).
_OPERATORS: dict[str, tuple[str, bool, bool, bool]] = {
    "StringEquals": ("string", False, False, False),
    "StringNotEquals": ("string", True, False, False),
    "StringEqualsIgnoreCase": ("string", False, False, True),
    "StringNotEqualsIgnoreCase": ("string", True, False, True),
    "StringLike": ("string", False, True, False),
    "StringNotLike": ("string", True, True, False),
    # ARN operators compare each ARN segment and accept wildcards in all four forms.
    "ArnEquals": ("string", False, True, False),
    "ArnLike": ("string", False, True, False),
    "ArnNotEquals": ("string", True, True, False),
    "ArnNotLike": ("string", True, True, False),
    "Bool": ("bool", False, False, False),
    "Null": ("null", False, False, False),
}

Context = Mapping[str, Any]


def evaluate_conditions(conditions: object, context: Context) -> Tri:
    """Whether a statement's whole ``Condition`` block holds (all operators, all keys)."""
    if isinstance(conditions, Unknown):
        return conditions
    if conditions is None:
        return True
    if not isinstance(conditions, Mapping):
        return Unknown("Condition is not an object")
    results: list[Tri] = []
    for operator, block in conditions.items():
        if isinstance(block, Unknown):
            results.append(block)
            continue
        if not isinstance(block, Mapping) or not isinstance(operator, str):
            results.append(Unknown(f"condition operator {operator!r} is malformed"))
            continue
        for key, values in block.items():
            results.append(evaluate_operator(operator, str(key), values, context))
            if results[-1] is False:
                return False
    return all3(results)


def evaluate_operator(operator: str, key: str, values: Any, context: Context) -> Tri:
    """One ``{operator: {key: values}}`` entry."""
    if ":" in operator:
        # ForAnyValue:/ForAllValues: apply to multivalued keys, which EFS mounts do not carry.
        return Unknown(f"set operator {operator} is not evaluated")
    if_exists = operator.endswith("IfExists") and operator != "IfExists"
    base = operator[: -len("IfExists")] if if_exists else operator
    spec = _OPERATORS.get(base)
    if spec is None:
        return Unknown(f"condition operator {operator} is not evaluated")
    kind, negated, wildcards, ignore_case = spec
    actual = context.get(key.lower(), Unknown(f"condition key {key} is not known statically"))
    if isinstance(actual, Unknown):
        return actual
    if isinstance(values, Unknown) and not isinstance(values, PartlyKnown):
        return values
    expected = values if isinstance(values, list) else [values]
    if kind == "null":
        return any3(_null_matches(v, actual is None) for v in expected)
    if actual is None:
        # A key the request lacks: IfExists and negated operators hold, positive ones do not.
        return if_exists or negated
    if kind == "bool":
        return any3(_bool_matches(v, actual) for v in expected)
    actuals = actual if isinstance(actual, list) else [actual]
    matched = any3(
        _string_matches(v, a, wildcards=wildcards, ignore_case=ignore_case) for v in expected for a in actuals
    )
    return not3(matched) if negated else matched


def _as_bool(value: Any) -> bool | Unknown | None:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _null_matches(expected: Any, absent: bool) -> Tri:
    want = _as_bool(expected)
    if isinstance(want, Unknown):
        return want
    return want is not None and want == absent


def _bool_matches(expected: Any, actual: Any) -> Tri:
    want, have = _as_bool(expected), _as_bool(actual)
    if isinstance(want, Unknown):
        return want
    if isinstance(have, Unknown):
        return have
    return want is not None and want == have


def _string_matches(expected: Any, actual: Any, *, wildcards: bool, ignore_case: bool) -> Tri:
    if isinstance(expected, PartlyKnown) and isinstance(actual, ArnTarget):
        # An ARN with the deployment's account or partition as placeholders: compared segment-wise.
        return match_arn(expected.template, actual, wildcards=wildcards, ignore_case=ignore_case)
    if isinstance(expected, Unknown):
        return expected
    if isinstance(actual, Unknown):
        return actual
    if isinstance(actual, ArnTarget):
        if isinstance(expected, Entity):
            return match_entity(expected, actual)
        if isinstance(expected, str):
            return match_arn(expected, actual, wildcards=wildcards, ignore_case=ignore_case)
        return False
    if isinstance(expected, Entity):
        return Unknown(f"cannot compare a {expected.kind} with {actual!r}")
    if isinstance(expected, bool) or isinstance(actual, bool):
        expected, actual = str(expected).lower(), str(actual).lower()
    if not isinstance(expected, (str, int, float)) or not isinstance(actual, (str, int, float)):
        return False
    return glob_match(str(expected), str(actual), wildcards=wildcards, ignore_case=ignore_case)
