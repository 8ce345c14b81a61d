"""The rule catalog: one YAML file per rule, found inside the installed package or the checkout."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from ..findings import Severity
from ..record import Record, field
from ..sources.files import file_problem, is_directory, printable
from .rule_files import RuleError, data_dir, load_rule_yaml


class Rule(Record):
    """One rule of the catalog, as read from its YAML file."""

    id: str
    name: str
    severity: Severity
    entity: str
    applies: str
    title: str
    message: str
    condition: dict[str, Any]
    docs: dict[str, Any]
    references: list[str] = field(default_factory=list)
    location: str | None = None
    # Per-finding severity: a case the rule's check names (``external``) → a lower severity.
    severity_when: dict[str, Severity] = field(default_factory=dict)
    superseded_by: list[str] = field(default_factory=list)
    # Message templates for entities of another service (``{"batch": ...}``), else ``message``.
    messages: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    builtin: bool = True

    def message_for(self, service: str) -> str:
        """The message template for an entity of ``service`` (``"ecs"``, ``"batch"``)."""
        return self.messages.get(service, self.message)

    @property
    def help_uri(self) -> str:
        return f"https://github.com/efslint/efslint/blob/main/docs/rules/{self.id}.md"

    @classmethod
    def from_document(cls, doc: dict[str, Any], path: Path | None, builtin: bool) -> Rule:
        severity = Severity.parse(doc["severity"])
        return cls(
            id=doc["id"],
            name=doc["name"],
            severity=severity,
            entity=doc["entity"],
            applies=doc.get("applies", "TCHPL"),
            title=doc["title"],
            message=doc["message"].strip(),
            condition=doc.get("condition", {}),
            docs=doc.get("docs", {}),
            references=list(doc.get("references", [])),
            location=doc.get("location"),
            severity_when=_severity_cases(doc.get("severity_when"), severity, doc["id"], path),
            superseded_by=list(doc.get("superseded_by", [])),
            messages={k: v.strip() for k, v in (doc.get("messages") or {}).items()},
            path=path,
            builtin=builtin,
        )


def _severity_cases(raw: Any, severity: Severity, rule_id: str, path: Path | None) -> dict[str, Severity]:
    """``severity_when``: each case may only lower the rule's severity, so that the catalog's
    severity stays the worst a finding of the rule can be (what `efslint rules` and SARIF show)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RuleError(f"{path or rule_id}: severity_when must map case names to severities")
    cases: dict[str, Severity] = {}
    for case, text in raw.items():
        try:
            lower = Severity.parse(str(text))
        except ValueError as exc:
            raise RuleError(f"{path or rule_id}: severity_when.{case}: {exc}") from None
        if lower >= severity:
            raise RuleError(
                f"{path or rule_id}: severity_when.{case} is {lower}, not lower than the rule's {severity}"
            )
        cases[str(case)] = lower
    return cases


def validate_rule_document(doc: Any, path: Path) -> None:
    """Check a rule file against ``schemas/rule.schema.json`` (used for user rules and in tests)."""
    import json

    from jsonschema import Draft202012Validator

    schema = json.loads((data_dir("schemas") / "rule.schema.json").read_text())
    errors = sorted(Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        raise RuleError(f"{path}: invalid rule at {where}: {err.message}")


def load_rules_from(directory: Path, *, builtin: bool) -> list[Rule]:
    rules = []
    for path in sorted(directory.glob("*.yaml")):
        doc = load_rule_yaml(path)
        if not builtin:
            validate_rule_document(doc, path)
        elif not isinstance(doc, dict):
            raise RuleError(f"{path}: a rule file must be a mapping")
        rules.append(Rule.from_document(doc, path, builtin))
    return rules


@cache
def builtin_rules() -> tuple[Rule, ...]:
    directory = data_dir("rules")
    # The compiled copy spares start-up the YAML import and parse; used only when it is fresh.
    from .catalog_cache import cached_documents

    documents = cached_documents(directory)
    if documents is not None:
        return tuple(Rule.from_document(doc, path, True) for path, doc in documents)
    return tuple(load_rules_from(directory, builtin=True))


class Catalog:
    """All known rules, addressable by id or name, with prefix selection."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules: dict[str, Rule] = {}
        self._by_name: dict[str, Rule] = {}
        for rule in rules:
            if rule.id in self.rules:
                raise RuleError(f"{rule.path}: rule id {rule.id} is already defined")
            self.rules[rule.id] = rule
            self._by_name[rule.name] = rule

    @classmethod
    def load(cls, extra_dirs: Iterable[Path] = ()) -> Catalog:
        rules = list(builtin_rules())
        for directory in extra_dirs:
            if not is_directory(directory):
                problem = file_problem(directory) or "not a directory"
                if not os.path.lexists(directory):
                    problem = "rule directory does not exist"
                raise RuleError(f"{printable(str(directory))}: {problem}")
            rules.extend(load_rules_from(directory, builtin=False))
        return cls(rules)

    def __iter__(self):
        return iter(sorted(self.rules.values(), key=lambda r: r.id))

    def get(self, key: str) -> Rule | None:
        return self.rules.get(key.upper()) or self._by_name.get(key.lower())

    def resolve(self, selector: str) -> list[Rule]:
        """Rules matched by an id, a name, or an id prefix (``EFS3`` = all network rules)."""
        selector = selector.strip()
        rule = self.get(selector)
        if rule:
            return [rule]
        if re.fullmatch(r"[A-Za-z]+\d*", selector):
            prefix = selector.upper()
            matched = [r for r in self if r.id.startswith(prefix)]
            if matched:
                return matched
        raise KeyError(selector)

    def select(self, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
        """Active rules. Unknown selectors raise ``KeyError`` naming the selector."""
        select = list(select)
        chosen = {r.id for s in select for r in self.resolve(s)} if select else set(self.rules)
        for s in ignore:
            chosen -= {r.id for r in self.resolve(s)}
        return [r for r in self if r.id in chosen]
