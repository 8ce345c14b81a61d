"""Every annotated fixture: each rule fires exactly where annotated and stays quiet where told."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_harness import KINDS, all_fixtures, check_fixture

FIXTURES = [fixture for kind in KINDS for fixture in all_fixtures(kind)]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(fixture: Path) -> None:
    check_fixture(fixture)
