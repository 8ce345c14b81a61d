""" "L" coverage: every rule whose `applies` has L fires on a seeded account and stays quiet on a
healthy one (the live counterpart of tests/test_rule_coverage.py)."""

from __future__ import annotations

import pytest

from efslint.engine.catalog import Catalog

from .conftest import refuse, rewrite, run_scan
from .scenarios import FIRE, build
from .seed import Account

LIVE_RULES = sorted(rule.id for rule in Catalog.load() if "L" in rule.applies)
# Reported from reads that could not be made; seeded by refusing a call (test_scan_gaps.py too).
GAP_RULES = {"EFS904"}
# A live account cannot prove these: EFS505 needs to know that an access point's path does not exist
# yet, which only holds for a file system created by the same input (an existing one may have it).
NOT_PROVABLE_LIVE = {"EFS505"}


def test_every_live_rule_has_a_firing_scenario() -> None:
    expected = set(LIVE_RULES) - GAP_RULES - NOT_PROVABLE_LIVE
    assert expected <= set(FIRE), expected - set(FIRE)


def test_healthy_account_is_quiet_for_every_live_rule(account: Account) -> None:
    ids = build(account)
    run = run_scan(account, "--select", ",".join(LIVE_RULES))
    assert run.findings == [], [(f["rule"], f["message"]) for f in run.findings]
    assert run.exit_code == 0 and ids["service"]


@pytest.mark.parametrize("rule", [r for r in LIVE_RULES if r not in GAP_RULES | NOT_PROVABLE_LIVE])
def test_live_rule_fires(account: Account, rule: str, monkeypatch: pytest.MonkeyPatch) -> None:
    change = dict(FIRE[rule])
    if "read_back" in change:
        operation, key, value = change["read_back"]
        rewrite(
            monkeypatch, operation, lambda parsed: [s.__setitem__(key, value) for s in parsed["services"]]
        )
    build(account, **change)
    run = run_scan(account, "--select", rule)
    assert rule in run.rules(), (rule, run.findings, run.stderr)
    for finding in run.of(rule):
        # Locations in a live scan are ARNs (or aws://region/account for account-wide notes).
        assert finding["location"]["file"].startswith(("arn:aws:", "aws://us-east-1/123456789012"))


def test_not_checked_fires_and_is_quiet(account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    build(account)
    assert run_scan(account, "--select", "EFS904").findings == []
    refuse(monkeypatch, {"DescribeBackupPolicy": "AccessDeniedException"})
    run = run_scan(account, "--select", "EFS904,EFS506")
    assert run.rules() == {"EFS904"}
