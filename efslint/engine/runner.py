"""Run the rule catalog over models and turn violations into findings."""

from __future__ import annotations

import string
from collections.abc import Iterator
from typing import Any

from ..checks import Violation, get_check, install_rule_probe
from ..findings import Finding, Severity
from ..model import Entity, Location, Model, Unknown
from ..record import Record, field, fields_of
from .catalog import Catalog, Rule
from .schema_eval import Validator, build_validator

UNKNOWN_MARK = "$unknown"
# Fields that describe provenance, not configuration; never part of a rule's document.
_SKIP = {"loc", "field_locs", "suppressions"}


# --------------------------------------------------------------------------------------------
# Entities as JSON documents, for JSON-Schema conditions


def entity_document(entity: Entity) -> dict[str, Any]:
    """The entity as plain JSON data: scalars as is, linked entities as a shallow summary."""
    doc = _to_json(entity, depth=0)
    # Facts derived from links that single-entity rules need.
    if entity.kind == "efs_volume":
        doc["uses_access_point"] = _to_json(entity.uses_access_point, 1)  # type: ignore[attr-defined]
        doc["mount_point_count"] = len(entity.mounted_by())  # type: ignore[attr-defined]
    return doc


def _to_json(value: Any, depth: int) -> Any:
    if value is None or isinstance(value, (str, int, float)):  # most values: skip the checks below
        return value
    if isinstance(value, Unknown):
        return {UNKNOWN_MARK: value.reason}
    if isinstance(value, Entity):
        if depth > 1:
            return {"kind": value.kind, "label": value.label}
        result: dict[str, Any] = {}
        for name in fields_of(value):
            if name in _SKIP:
                continue
            item = getattr(value, name)
            if depth >= 1 and (isinstance(item, Entity) or _is_entity_list(item)):
                continue
            result[name] = _to_json(item, depth + 1)
        return result
    if isinstance(value, Record):
        return {name: _to_json(getattr(value, name), depth + 1) for name in fields_of(value) if name != "loc"}
    if isinstance(value, (list, tuple, set)):
        return [_to_json(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_json(v, depth + 1) for k, v in value.items()}
    return value


def _is_entity_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], Entity)


KeyPath = tuple[str, ...]
# Keywords that read a value as a whole from the inside: an Unknown anywhere within it matters.
# Those below look only at its shape (or at the named properties, which have paths of their own).
_SHAPE_ONLY = {"type", "minProperties", "maxProperties", "minItems", "maxItems", "title", "description",
               "$comment", "default", "examples"}  # fmt: skip
# Keywords whose subschemas apply to the same value.
_IN_PLACE = {"items", "prefixItems", "contains", "allOf", "anyOf", "oneOf", "not", "if", "then", "else"}


def unknown_paths(doc: Any) -> set[KeyPath]:
    """Property paths (list positions left out) whose value is an Unknown."""
    found: set[KeyPath] = set()

    def walk(node: Any, path: KeyPath) -> None:
        if isinstance(node, dict):
            if UNKNOWN_MARK in node:
                found.add(path)
                return
            for key, value in node.items():
                walk(value, (*path, str(key)))
        elif isinstance(node, list):
            for value in node:
                walk(value, path)

    walk(doc, ())
    return found


def constrained_paths(schema: Any) -> tuple[set[KeyPath], set[KeyPath]]:
    """The property paths a schema constrains, and those among them it reads as a whole."""
    constrained: set[KeyPath] = set()
    whole: set[KeyPath] = set()

    def walk(node: Any, path: KeyPath) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, path)
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for name, sub in value.items():
                    constrained.add((*path, str(name)))
                    walk(sub, (*path, str(name)))
            elif key == "required" and isinstance(value, list):
                constrained.update((*path, str(name)) for name in value)
            elif key in _IN_PLACE:
                walk(value, path)
            elif key in _SHAPE_ONLY:
                constrained.add(path)
            else:
                constrained.add(path)
                whole.add(path)

    walk(schema, ())
    return constrained, whole


def unknown_matters(unknown: set[KeyPath], constrained: set[KeyPath], whole: set[KeyPath]) -> bool:
    """Whether an Unknown is, or encloses, a constrained value, or lies within one read as a whole."""
    return any(
        any(path[: len(u)] == u for path in constrained) or any(u[: len(path)] == path for path in whole)
        for u in unknown
    )


# --------------------------------------------------------------------------------------------
# Compiled rules


class _Formatter(string.Formatter):
    """Message templates: ``{field}`` from the violation values; Unknown and lists made readable."""

    def format_field(self, value: Any, format_spec: str) -> str:
        # A schema rule's values are the entity document, where an Unknown is {"$unknown": reason}.
        if isinstance(value, Unknown) or (isinstance(value, dict) and UNKNOWN_MARK in value):
            return "unknown"
        if isinstance(value, (list, tuple, set)):
            return ", ".join(str(v) for v in value) or "none"
        if isinstance(value, Entity):
            return value.label
        if value is None:
            return "not set"
        return super().format_field(value, format_spec)

    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        return kwargs.get(key, "?") if isinstance(key, str) else super().get_value(key, args, kwargs)


_FORMAT = _Formatter()


def render(template: str, values: dict[str, Any]) -> str:
    return _FORMAT.vformat(template, (), values)


def with_note(message: str, location: Location) -> str:
    """The message plus the location's provenance note (parameter default, CDK construct path)."""
    return f"{message} ({location.note})" if location.note else message


class CompiledRule(Record):
    """A rule ready to run: its conditions compiled to validators once per engine."""

    rule: Rule
    severity: Severity
    when: Validator | None = None
    require: Validator | None = None
    constrained: set[KeyPath] = field(default_factory=set)
    whole: set[KeyPath] = field(default_factory=set)
    check_name: str | None = None
    # Per-finding severities by case; empty when the config overrides the rule's severity, which
    # then sets every finding of the rule (the user's word beats the catalog's nuance).
    severity_when: dict[str, Severity] = field(default_factory=dict)

    @classmethod
    def compile(cls, rule: Rule, severity: Severity | None = None) -> CompiledRule:
        cond = rule.condition
        compiled = cls(rule, severity or rule.severity)
        if severity is None:
            compiled.severity_when = rule.severity_when
        if "check" in cond:
            compiled.check_name = cond["check"]
        for part in ("when", "require"):
            if part in cond:
                setattr(compiled, part, build_validator(cond[part]))
                constrained, whole = constrained_paths(cond[part])
                compiled.constrained |= constrained
                compiled.whole |= whole
        return compiled

    def violations(
        self, entity: Entity, model: Model, documents: dict[int, dict[str, Any]] | None = None
    ) -> Iterator[Violation]:
        if self.require is not None or self.when is not None:
            # Every schema rule on an entity reads the same document: build it once per run.
            doc = documents.get(id(entity)) if documents is not None else None
            if doc is None:
                doc = entity_document(entity)
                if documents is not None:
                    documents[id(entity)] = doc
            if self.when is not None and not self.when(doc):
                return
            if self.require is not None and not self.require(doc):
                # An Unknown in any property the condition looks at means we cannot prove it.
                if unknown_matters(unknown_paths(doc), self.constrained, self.whole):
                    return
                if self.check_name is None:
                    yield Violation(values=doc)
                    return
            elif self.check_name is None:
                return
        if self.check_name is not None:
            predicate = get_check(self.check_name)
            if predicate is None:
                raise LookupError(f"rule {self.rule.id}: no check named {self.check_name!r}")
            yield from predicate(entity, model)


# --------------------------------------------------------------------------------------------
# Running


class RunOptions(Record):
    """Which rules run and at what severity (from the command line and config)."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity_overrides: dict[str, Severity] = field(default_factory=dict)


class Engine:
    def __init__(self, catalog: Catalog, options: RunOptions | None = None) -> None:
        self.catalog = catalog
        self.options = options or RunOptions()
        active = catalog.select(self.options.select, self.options.ignore)
        overrides = {}
        for key, sev in self.options.severity_overrides.items():
            for rule in catalog.resolve(key):
                overrides[rule.id] = sev
        self.active = {r.id: CompiledRule.compile(r, overrides.get(r.id)) for r in active}
        # Notes from front-ends are reported under their rule even when the catalog lacks a
        # condition for them (EFS000 parse errors); they obey select/ignore like any rule.
        self.severity = {r.id: overrides.get(r.id, r.severity) for r in catalog}
        self._probes: dict[str, CompiledRule | None] = {}
        install_rule_probe(self._reporting)

    def _reporting(self, rule_id: str, entity: Entity, model: Model) -> str | None:
        """The rule's name when it reports ``entity``, selected or not (EFS903 explanations)."""
        if rule_id not in self._probes:
            rule = self.catalog.get(rule_id)
            self._probes[rule_id] = CompiledRule.compile(rule) if rule is not None else None
        compiled = self._probes[rule_id]
        if compiled is None or entity.kind != compiled.rule.entity:
            return None
        if next(iter(compiled.violations(entity, model)), None) is None:
            return None
        return compiled.rule.name

    def run(self, model: Model) -> list[Finding]:
        model.derived.clear()  # the model may have changed since the last run
        findings: list[Finding] = []
        subjects: dict[int, set[str]] = {}
        superseded: list[tuple[Finding, int, list[str]]] = []
        documents: dict[int, dict[str, Any]] = {}
        # Each kind's entities listed once per run, not once per rule (45 rules, a dozen kinds).
        entities: dict[str, list[Any]] = {}
        for rule_id, compiled in self.active.items():
            rule = compiled.rule
            of_kind = entities.get(rule.entity)
            if of_kind is None:
                of_kind = entities[rule.entity] = model.entities(rule.entity)
            for entity in of_kind:
                for violation in compiled.violations(entity, model, documents):
                    finding = self._finding(compiled, entity, violation)
                    subject = id(violation.subject or entity)
                    subjects.setdefault(subject, set()).add(rule_id)
                    if rule.superseded_by:
                        superseded.append((finding, subject, rule.superseded_by))
                    findings.append(finding)
        # One root cause, one finding: drop a finding when a more specific rule fired on it.
        dropped = {id(f) for f, subject, by in superseded if subjects.get(subject, set()) & set(by)}
        findings = [f for f in findings if id(f) not in dropped]
        findings.extend(self._notes(model))
        self._apply_in_source_suppressions(findings, model)
        if model.report_files is not None:
            findings = [f for f in findings if f.location.file in model.report_files]
        findings.sort(key=Finding.sort_key)
        return findings

    def _finding(self, compiled: CompiledRule, entity: Entity, violation: Violation) -> Finding:
        rule = compiled.rule
        location = violation.location or (entity.at(rule.location) if rule.location else entity.loc)
        values = {
            **{k: v for k, v in vars(entity).items() if not isinstance(v, (list, dict, set, Entity))},
            "entity": entity.label,
            **violation.values,
        }
        anchor = "|".join(p for p in (entity.loc.logical_name, rule.location or "", violation.anchor) if p)
        finding = Finding(
            rule_id=rule.id,
            rule_name=rule.name,
            severity=compiled.severity_when.get(violation.case, compiled.severity),
            message=with_note(render(rule.message_for(entity.service), values), location),
            location=location,
            related=list(violation.related),
            anchor=anchor,
        )
        for key, reason in entity.suppressions.items():
            if key in (rule.id, rule.name):
                finding.suppressed = ("inSource", reason)
        return finding

    def _notes(self, model: Model) -> Iterator[Finding]:
        marks: dict[tuple[str, str], dict[str, str]] | None = None
        for rule_id, message, loc in model.notes:
            if rule_id not in self.active and rule_id != "EFS000":
                continue
            rule = self.catalog.rules[rule_id]
            finding = Finding(
                rule_id=rule_id,
                rule_name=rule.name,
                severity=self.severity[rule_id],
                message=message,
                location=loc,
                anchor=f"{loc.logical_name}|{message}" if rule_id != "EFS000" else "parse",
            )
            if rule_id != "EFS000":
                # A front-end finding about a resource obeys that resource's in-source suppressions
                # (CloudFormation Metadata), like the findings of the entities made from it.
                marks = _resource_suppressions(model) if marks is None else marks
                for key, reason in marks.get((loc.file, loc.logical_name.split("/", 1)[0]), {}).items():
                    if key in (rule.id, rule.name):
                        finding.suppressed = ("inSource", reason)
            yield finding

    def _apply_in_source_suppressions(self, findings: list[Finding], model: Model) -> None:
        from .suppressions import apply_in_source

        apply_in_source(self, findings, model)


def _resource_suppressions(model: Model) -> dict[tuple[str, str], dict[str, str]]:
    """Entity suppressions by (file, resource): the first part of the entities' logical names."""
    from ..model import ENTITY_KINDS

    marks: dict[tuple[str, str], dict[str, str]] = {}
    for kind in ENTITY_KINDS:
        for entity in model.entities(kind):
            if entity.suppressions:
                where = (entity.loc.file, entity.loc.logical_name.split("/", 1)[0])
                marks.setdefault(where, {}).update(entity.suppressions)
    return marks
