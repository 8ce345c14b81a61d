"""Python predicates for rules that follow links between entities.

A rule file names a predicate with ``condition: {check: <name>}``.  A predicate receives the
entity and the whole model and yields :class:`Violation` objects; it must stay quiet whenever a
value it needs is :class:`efslint.model.Unknown`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from importlib import import_module
from typing import Any

from ..findings import Related
from ..model import Entity, Location, Model
from ..record import Record, field

Check = Callable[[Any, Model], Iterable["Violation"]]

_REGISTRY: dict[str, Check] = {}
# The cases each predicate may name in ``Violation.case`` (what a rule's ``severity_when`` can key on).
_CASES: dict[str, tuple[str, ...]] = {}
# Modules holding predicates, imported one by one until a lookup succeeds, so a run imports only
# what its entities need; `live` (entities only a live account has) comes last.
_MODULES = (
    "task_definition",
    "workload",
    "network",
    "identity",
    "file_system",
    "reachability",
    "live",
)


class Violation(Record):
    """One problem found by a predicate. ``values`` fill the rule's message template."""

    values: dict[str, Any] = field(default_factory=dict)
    location: Location | None = None
    related: list[Related] = field(default_factory=list)
    # Distinguishes several violations on one entity (a field, a container, an AZ).
    anchor: str = ""
    # Entity that "owns" the finding for root-cause suppression (defaults to the rule's entity).
    subject: Entity | None = None
    # A case the rule's ``severity_when`` may give a lower severity (``external``); "" for none.
    case: str = ""


def check(name: str, cases: tuple[str, ...] = ()) -> Callable[[Check], Check]:
    """Register a predicate under ``name`` (the value of ``condition.check`` in rule files), with the
    cases its violations may carry."""

    def register(func: Check) -> Check:
        _REGISTRY[name] = func
        _CASES[name] = cases
        return func

    return register


def check_cases(name: str) -> tuple[str, ...]:
    """The cases a predicate names (empty for most); looks the predicate up first."""
    get_check(name)
    return _CASES.get(name, ())


def get_check(name: str) -> Check | None:
    for module in _MODULES:
        if name in _REGISTRY:
            break
        try:
            import_module(f"{__name__}.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{module}":
                raise
    return _REGISTRY.get(name)


# Which other rules fire on an entity: EFS903 names the rules that explain a stopped task.  The
# engine installs this (it compiles the rules); the checks must not import the engine, which
# imports them.
RuleProbe = Callable[[str, Entity, Model], "str | None"]
_rule_probe: list[RuleProbe] = []


def install_rule_probe(probe: RuleProbe) -> None:
    _rule_probe[:] = [probe]


def rule_reporting(rule_id: str, entity: Entity, model: Model) -> str | None:
    """The name of rule ``rule_id`` if it reports ``entity``; None otherwise or without an engine."""
    return _rule_probe[0](rule_id, entity, model) if _rule_probe else None


def iter_known(values: Iterable[Any]) -> Iterator[Any]:
    from ..model import Unknown

    return (v for v in values if not isinstance(v, Unknown))
