"""Meta-tests: every rule has a firing and a quiet fixture for every input kind it applies to."""

from __future__ import annotations

import pytest
from fixture_harness import coverage

from efslint.engine.catalog import Catalog

# Input kinds whose front-end has landed; a kind joins this set together with its fixtures.
LANDED = {"T", "C", "H", "P"}
# Rules reported by the engine or front-ends rather than a condition (covered by their own tests).
ENGINE_RULES = {"EFS000", "EFS001"}


def _pairs() -> list[tuple[str, str]]:
    return [
        (rule.id, letter)
        for rule in Catalog.load()
        if rule.id not in ENGINE_RULES
        for letter in rule.applies
        if letter in LANDED
    ]


@pytest.mark.parametrize(("rule", "kind"), _pairs())
def test_rule_has_fire_and_quiet_fixture(rule: str, kind: str) -> None:
    cov = coverage()[kind]
    assert rule in cov["fire"], f"{rule} has no fixture that fires for input kind {kind}"
    assert rule in cov["quiet"], f"{rule} has no fixture that stays quiet for input kind {kind}"
