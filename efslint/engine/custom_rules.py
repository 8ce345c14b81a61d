"""Checks on user rule files beyond their schema, so a mistake is a clear error, not a traceback.

The rule schema (``schemas/rule.schema.json``) checks a file's shape; this checks what only makes
sense once it is loaded: the conditions are valid JSON Schema, a named predicate exists, and the
rule can fire at all.
"""

from __future__ import annotations

from .catalog import Catalog, Rule, RuleError


def check_user_rules(catalog: Catalog) -> None:
    """Raise :class:`RuleError` naming the file for the first unusable user rule."""
    for rule in catalog:
        if not rule.builtin:
            _check(rule)


def _check(rule: Rule) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    condition = rule.condition
    where = f"{rule.path}: rule {rule.id}"
    if "source" in condition:
        raise RuleError(f"{where}: condition.source is reserved for efslint's own rules")
    if "require" not in condition and "check" not in condition:
        raise RuleError(f"{where}: condition needs 'require' (a JSON Schema the entity must satisfy)")
    for part in ("when", "require"):
        if part in condition:
            try:
                Draft202012Validator.check_schema(condition[part])
            except SchemaError as exc:
                path = "/".join(str(p) for p in exc.absolute_path)
                at = f" at {path}" if path else ""
                raise RuleError(
                    f"{where}: condition.{part} is not valid JSON Schema{at}: {exc.message}"
                ) from None
    _check_message(rule, where)
    if "check" in condition:
        from ..checks import get_check

        if get_check(condition["check"]) is None:
            raise RuleError(f"{where}: condition.check names no efslint predicate {condition['check']!r}")
    _check_severity_cases(rule, where)


def _check_severity_cases(rule: Rule, where: str) -> None:
    """``severity_when`` keys must be cases the rule's predicate names, or they would never apply."""
    if not rule.severity_when:
        return
    from ..checks import check_cases

    name = rule.condition.get("check")
    known = check_cases(name) if isinstance(name, str) else ()
    for case in rule.severity_when:
        if case not in known:
            offered = ", ".join(known) or "none"
            raise RuleError(
                f"{where}: severity_when.{case} is not a case of "
                + (
                    f"check {name!r} (its cases: {offered})"
                    if name
                    else "a JSON-Schema rule (only checks name cases)"
                )
            )


def _check_message(rule: Rule, where: str) -> None:
    """The message renders with named entity fields only: anything else would fail mid-run."""
    import string

    try:
        fields = [
            (name, conv) for _, name, _, conv in string.Formatter().parse(rule.message) if name is not None
        ]
    except ValueError as exc:
        raise RuleError(f"{where}: message is not a valid template: {exc}") from None
    for name, conversion in fields:
        if not name or name[0].isdigit():
            raise RuleError(
                f"{where}: message field {{{name}}} is positional; name an entity field, e.g. {{name}}"
            )
        if conversion not in (None, "r", "s", "a"):
            raise RuleError(
                f"{where}: message field {{{name}!{conversion}}} has an unknown conversion; use !r, !s or !a"
            )
