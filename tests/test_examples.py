"""The bundled examples: every broken variant shows exactly the mistakes it is meant to show, every
fixed variant is clean at warning level (info-level advice may remain)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.findings import Severity
from efslint.pipeline.lint import lint_paths

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# Rule id -> number of findings, per broken example file (or Terraform module folder).
BROKEN: dict[str, dict[str, int]] = {
    "stateful-task/broken/task-definition.json": {
        "EFS101": 1, "EFS102": 1, "EFS103": 1, "EFS111": 1, "EFS104": 1, "EFS105": 1, "EFS112": 1,
    },
    "wordpress-farm/broken/task-definition.json": {
        "EFS107": 1, "EFS108": 1, "EFS109": 1, "EFS104": 1, "EFS105": 1, "EFS106": 1, "EFS112": 1,
    },
    "ml-batch/broken/task-definition.json": {"EFS109": 3, "EFS111": 2, "EFS105": 1, "EFS112": 2},
    "stateful-task/broken/cloudformation.yaml": {
        "EFS101": 1, "EFS102": 1, "EFS103": 1, "EFS301": 1, "EFS302": 1, "EFS309": 1, "EFS402": 1,
    },
    "wordpress-farm/broken/cloudformation.yaml": {
        "EFS205": 1, "EFS305": 1, "EFS306": 1, "EFS307": 1, "EFS501": 1, "EFS505": 1,
    },
    "ml-batch/broken/cloudformation.yaml": {"EFS201": 1, "EFS301": 2, "EFS303": 2, "EFS401": 1},
    "stateful-task/broken/terraform": {
        "EFS101": 1, "EFS102": 1, "EFS103": 1, "EFS301": 1, "EFS302": 1, "EFS305": 1, "EFS307": 1, "EFS309": 1,
        "EFS402": 1,
    },
    "wordpress-farm/broken/terraform": {
        "EFS107": 1, "EFS108": 1, "EFS201": 1, "EFS306": 1, "EFS501": 1, "EFS505": 1,
    },
    "ml-batch/broken/terraform": {"EFS112": 1, "EFS201": 1, "EFS205": 1, "EFS402": 1, "EFS403": 1, "EFS504": 1},
}  # fmt: skip


def lint(path: Path) -> Counter[str]:
    findings = lint_paths(Engine(Catalog.load()), [str(path)]).findings
    return Counter(f.rule_id for f in findings if f.suppressed is None)


@pytest.mark.parametrize("relative", sorted(BROKEN))
def test_broken_example_shows_its_mistakes(relative: str) -> None:
    assert dict(lint(EXAMPLES / relative)) == BROKEN[relative]


FIXED = sorted(p for p in EXAMPLES.glob("*/fixed/*") if p.is_file() or (p.is_dir() and any(p.glob("*.tf"))))


@pytest.mark.parametrize("path", FIXED, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_fixed_example_is_clean(path: Path) -> None:
    findings = lint_paths(Engine(Catalog.load()), [str(path)]).findings
    loud = [f"{f.location}: {f.rule_id} {f.message}" for f in findings if f.severity >= Severity.WARNING]
    assert loud == []


def test_every_broken_variant_is_asserted() -> None:
    variants = {
        str(p.relative_to(EXAMPLES))
        for p in EXAMPLES.glob("*/broken/*")
        if p.is_file() or (p.is_dir() and any(p.glob("*.tf")))
    }
    assert variants == set(BROKEN), "add the new broken example's expected findings to BROKEN"
