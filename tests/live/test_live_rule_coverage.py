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
# A live account cannot prove these (none today: EFS505 reports an existing file system's missing
# CreationInfo as a warning, since the path may exist; see test_505_is_a_warning_live).
NOT_PROVABLE_LIVE: set[str] = set()


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


def test_505_is_a_warning_live(account: Account) -> None:
    """A live file system exists already and may hold the path: EFS505 at its external severity."""
    build(account, ap_creation_info=False)
    run = run_scan(account, "--select", "EFS505", "--fail-on", "error")
    assert [f["severity"] for f in run.of("EFS505")] == ["warning"], run.findings
    assert run.exit_code == 0


def test_one_zone_across_azs_is_an_error_live(account: Account) -> None:
    """A One Zone file system used from two AZs: EFS303 on the file system, EFS301 (error) on the
    service for the subnet outside its AZ."""
    build(account, one_zone=True)
    run = run_scan(account, "--select", "EFS301,EFS303")
    assert sorted((f["rule"], f["severity"]) for f in run.findings) == [
        ("EFS301", "error"),
        ("EFS303", "warning"),
    ]
    (outage,) = run.of("EFS301")
    assert "us-east-1b" in outage["message"] and "One Zone file system" in outage["message"]
