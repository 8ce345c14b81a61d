"""Evaluate rule conditions written in JSON Schema.

Rule conditions are JSON Schema (draft 2020-12).  Importing ``jsonschema`` costs more than the
whole start-up budget of a pre-commit hook, so conditions that use only the keywords below are
evaluated here; anything else is handed to ``jsonschema``.  A test runs both on every bundled
rule and on generated entities to keep them in agreement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

SUPPORTED = frozenset(
    {
        "$comment", "description", "title", "type", "const", "enum", "not", "allOf", "anyOf",
        "oneOf", "if", "then", "else", "properties", "required", "items", "contains",
        "minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "pattern",
        "exclusiveMinimum", "exclusiveMaximum",
    }
)  # fmt: skip

Validator = Callable[[Any], bool]

_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


def uses_only_supported(schema: Any) -> bool:
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict):
        return False
    for key, value in schema.items():
        if key not in SUPPORTED:
            return False
        if key in ("not", "if", "then", "else", "items", "contains") and not uses_only_supported(value):
            return False
        if key in ("allOf", "anyOf", "oneOf") and not all(uses_only_supported(s) for s in value):
            return False
        if key == "properties" and not all(uses_only_supported(s) for s in value.values()):
            return False
    return True


def _equal(a: Any, b: Any) -> bool:
    # JSON Schema equality: 1 == 1.0 but True != 1.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return (type(a) is type(b) and a == b) or (_is_num(a) and _is_num(b) and a == b)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def compile_schema(schema: Any) -> Validator:
    """Return ``is_valid(instance)`` for a schema made of :data:`SUPPORTED` keywords."""
    if schema is True:
        return lambda _: True
    if schema is False:
        return lambda _: False
    tests: list[Validator] = []
    add = tests.append
    for key, arg in schema.items():
        if key == "type":
            kinds = [arg] if isinstance(arg, str) else list(arg)
            add(lambda v, k=kinds: any(_TYPES[t](v) for t in k))
        elif key == "const":
            add(lambda v, c=arg: _equal(v, c))
        elif key == "enum":
            add(lambda v, opts=arg: any(_equal(v, o) for o in opts))
        elif key == "not":
            inner = compile_schema(arg)
            add(lambda v, f=inner: not f(v))
        elif key == "allOf":
            subs = [compile_schema(s) for s in arg]
            add(lambda v, fs=subs: all(f(v) for f in fs))
        elif key == "anyOf":
            subs = [compile_schema(s) for s in arg]
            add(lambda v, fs=subs: any(f(v) for f in fs))
        elif key == "oneOf":
            subs = [compile_schema(s) for s in arg]
            add(lambda v, fs=subs: sum(1 for f in fs if f(v)) == 1)
        elif key == "if":
            cond = compile_schema(arg)
            then = compile_schema(schema.get("then", True))
            other = compile_schema(schema.get("else", True))
            add(lambda v, c=cond, t=then, e=other: t(v) if c(v) else e(v))
        elif key == "properties":
            props = {name: compile_schema(s) for name, s in arg.items()}
            add(
                lambda v, ps=props: (
                    not isinstance(v, dict) or all(f(v[name]) for name, f in ps.items() if name in v)
                )
            )
        elif key == "required":
            add(lambda v, names=arg: not isinstance(v, dict) or all(n in v for n in names))
        elif key == "items":
            item = compile_schema(arg)
            add(lambda v, f=item: not isinstance(v, list) or all(f(x) for x in v))
        elif key == "contains":
            item = compile_schema(arg)
            add(lambda v, f=item: not isinstance(v, list) or any(f(x) for x in v))
        elif key in ("minItems", "maxItems"):
            cmp = (lambda n, a: n >= a) if key == "minItems" else (lambda n, a: n <= a)
            add(lambda v, a=arg, c=cmp: not isinstance(v, list) or c(len(v), a))
        elif key in ("minLength", "maxLength"):
            cmp = (lambda n, a: n >= a) if key == "minLength" else (lambda n, a: n <= a)
            add(lambda v, a=arg, c=cmp: not isinstance(v, str) or c(len(v), a))
        elif key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            cmp = {
                "minimum": lambda n, a: n >= a,
                "maximum": lambda n, a: n <= a,
                "exclusiveMinimum": lambda n, a: n > a,
                "exclusiveMaximum": lambda n, a: n < a,
            }[key]
            add(lambda v, a=arg, c=cmp: not _is_num(v) or c(v, a))
        elif key == "pattern":
            regex = _regex(arg)
            add(lambda v, r=regex: not isinstance(v, str) or r.search(v) is not None)
        elif key in ("then", "else", "$comment", "description", "title"):
            continue
        else:  # pragma: no cover - guarded by uses_only_supported
            raise ValueError(f"unsupported keyword {key}")
    return lambda v: all(t(v) for t in tests)


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def build_validator(schema: Any) -> Validator:
    """A fast validator when possible, else one backed by ``jsonschema`` (imported lazily)."""
    if uses_only_supported(schema):
        return compile_schema(schema)
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema)
    return validator.is_valid
