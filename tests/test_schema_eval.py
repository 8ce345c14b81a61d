"""The built-in evaluator of rule conditions agrees with jsonschema on every rule and keyword."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from model_builders import file_system, model_of, mounted, run, task_definition

from efslint.engine.catalog import Rule, builtin_rules
from efslint.engine.runner import UNKNOWN_MARK, CompiledRule
from efslint.engine.schema_eval import compile_schema, uses_only_supported
from efslint.model import AccessPoint, Location, Model, PosixUser, Unknown

CONDITIONS = [
    (rule.id, part, rule.condition[part])
    for rule in builtin_rules()
    for part in ("when", "require")
    if part in rule.condition
]

KEYWORD_SCHEMAS: list[Any] = [
    {"type": ["string", "null"]},
    {"type": "integer", "minimum": 1, "maximum": 65535},
    {"exclusiveMinimum": 0, "exclusiveMaximum": 10},
    {"enum": ["ENABLED", "DISABLED", 1, True]},
    {"const": 1},
    {"not": {"const": "ENABLED"}},
    {"anyOf": [{"type": "null"}, {"pattern": "^fs-[0-9a-f]{8,40}$"}]},
    {"oneOf": [{"type": "string"}, {"minLength": 3}]},
    {"allOf": [{"required": ["a"]}, {"properties": {"a": {"minLength": 2, "maxLength": 4}}}]},
    {"if": {"properties": {"a": {"const": "x"}}}, "then": {"required": ["b"]}, "else": {"required": ["c"]}},
    {"items": {"type": "string"}, "minItems": 1, "maxItems": 3},
    {"contains": {"const": "FARGATE"}},
    {"properties": {"nested": {"properties": {"deep": {"type": "boolean"}}}}},
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 70000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(
        ["ENABLED", "DISABLED", "enabled", "/", "/data", "fs-0123456789abcdef0", "x", "FARGATE", ""]
    ),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "a",
                    "b",
                    "c",
                    "nested",
                    "deep",
                    "iam",
                    "transit_encryption",
                    "uses_access_point",
                    "root_directory",
                    "task_definition",
                    "task_role",
                    UNKNOWN_MARK,
                ]
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=12,
)


def test_bundled_conditions_use_the_fast_path() -> None:
    slow = [(rule, part) for rule, part, schema in CONDITIONS if not uses_only_supported(schema)]
    assert slow == [], "bundled rules should not need jsonschema at run time"


@settings(max_examples=300, deadline=None)
@given(doc=documents)
def test_agrees_with_jsonschema_on_rule_conditions(doc: Any) -> None:
    for rule, part, schema in CONDITIONS:
        expected = Draft202012Validator(schema).is_valid(doc)
        assert compile_schema(schema)(doc) == expected, (rule, part, doc)


@settings(max_examples=300, deadline=None)
@given(doc=documents)
def test_agrees_with_jsonschema_on_each_keyword(doc: Any) -> None:
    for schema in KEYWORD_SCHEMAS:
        assert uses_only_supported(schema)
        assert compile_schema(schema)(doc) == Draft202012Validator(schema).is_valid(doc), (schema, doc)


def test_unsupported_keywords_fall_back_to_jsonschema() -> None:
    from efslint.engine.schema_eval import build_validator

    schema = {"propertyNames": {"pattern": "^[a-z]+$"}}
    assert not uses_only_supported(schema)
    validate = build_validator(schema)
    assert validate({"abc": 1}) and not validate({"ABC": 1})


# ---------------------------------------------------------------------------------------------
# Unknown values: quiet only when the Unknown is in what the condition looks at


def _efs111(td_changes: dict[str, Any]) -> list[str]:
    td = mounted(task_definition(file_system(), task_role=None))
    td.efs_volumes[0].iam = "ENABLED"
    for key, value in td_changes.items():
        setattr(td, key, value)
    return [f.rule_id for f in run(model_of(td), "EFS111")]


def test_unknown_sibling_field_does_not_silence_a_nested_condition() -> None:
    assert _efs111({}) == ["EFS111"]
    # A parameter for the family says nothing about the missing task role.
    assert _efs111({"family": Unknown("parameter Family")}) == ["EFS111"]
    assert _efs111({"task_role": Unknown("parameter TaskRoleArn")}) == []


def test_unknown_inside_a_value_compared_as_a_whole_stays_quiet() -> None:
    doc = {"id": "ORG900", "name": "org-posix", "severity": "warning", "entity": "access_point",
           "title": "t", "message": "m", "docs": {},
           "condition": {"require": {"properties": {"posix_user": {"const": {"uid": 1000, "gid": 1000}}}}}}  # fmt: skip
    compiled = CompiledRule.compile(Rule.from_document(doc, Path("ORG900.yaml"), builtin=False))
    ap = AccessPoint(Location("t.yaml", 1, 1, "Ap"), posix_user=PosixUser(Unknown(), 1000))
    assert list(compiled.violations(ap, Model("t.yaml"))) == []
    ap.posix_user = PosixUser(0, 1000)
    assert len(list(compiled.violations(ap, Model("t.yaml")))) == 1
