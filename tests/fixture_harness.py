"""Self-describing fixtures, in the style of ``semgrep --test``.

* YAML and HCL fixtures carry comments: ``# ruleid: EFS101`` says the next code line must carry an
  EFS101 finding; ``# ok: EFS101`` says EFS101 must not fire anywhere in the fixture.  For every
  rule a fixture names, the lines where it fires must be exactly the annotated ones.
* JSON fixtures (task definitions, CloudFormation JSON, plans) use a sidecar
  ``<name>.expected.yaml``: ``{EFS101: [9], EFS104: []}``; an entry is a line number, or for plans
  a string matched against the finding's logical name (the resource address).
* A fixture is a file, or a directory (a Terraform module) whose files are all annotated.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.findings import Finding
from efslint.pipeline.lint import lint_paths

FIXTURES = Path(__file__).parent / "fixtures"
KINDS = {"taskdef": "T", "cloudformation": "C", "terraform": "H", "plan": "P"}
_ANNOTATION = re.compile(r"(?:#|//)\s*(ruleid|ok)\s*:\s*([A-Za-z0-9_,\s-]+?)\s*$")
_CODE_SUFFIXES = (".yaml", ".yml", ".tf", ".json", ".template")


@dataclass
class Expectation:
    # rule -> {(file name, line or address)}
    fire: dict[str, set[tuple[str, object]]] = field(default_factory=lambda: defaultdict(set))
    quiet: set[str] = field(default_factory=set)


def fixture_files(fixture: Path) -> list[Path]:
    if fixture.is_dir():
        return sorted(p for p in fixture.rglob("*") if p.suffix in _CODE_SUFFIXES and p.is_file())
    return [fixture]


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name.rsplit(".", 1)[0] + ".expected.yaml")


def expectations(fixture: Path) -> Expectation:
    exp = Expectation()
    for path in fixture_files(fixture):
        sidecar = _sidecar(path)
        if path.suffix == ".json":
            if sidecar.exists():
                for rule, where in (yaml.safe_load(sidecar.read_text()) or {}).items():
                    if not where:
                        exp.quiet.add(rule)
                    for item in where or []:
                        exp.fire[rule].add((path.name, item))
            continue
        pending: list[str] = []
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            match = _ANNOTATION.search(line)
            if match and line.strip().startswith(("#", "//")):
                rules = [r.strip() for r in match.group(2).split(",") if r.strip()]
                if match.group(1) == "ok":
                    exp.quiet.update(rules)
                else:
                    pending.extend(rules)
                continue
            if pending and line.strip():
                for rule in pending:
                    exp.fire[rule].add((path.name, number))
                pending = []
    return exp


def all_fixtures(kind: str) -> list[Path]:
    root = FIXTURES / kind
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.iterdir()):
        if (
            path.name.endswith(".expected.yaml")
            or path.name.startswith(("_", "."))
            or path.name == "README.md"
        ):
            continue
        found.append(path)
    return found


def lint_fixture(fixture: Path) -> list[Finding]:
    engine = Engine(Catalog.load())
    return lint_paths(engine, [str(fixture)]).findings


def actual(findings: list[Finding], rule: str, by_address: bool) -> set[tuple[str, object]]:
    return {
        (Path(f.location.file).name, f.location.logical_name if by_address else f.location.line)
        for f in findings
        if f.rule_id == rule and f.suppressed is None
    }


def check_fixture(fixture: Path) -> None:
    exp = expectations(fixture)
    assert exp.fire or exp.quiet, f"{fixture} has no annotations"
    findings = lint_fixture(fixture)
    for rule, wanted in exp.fire.items():
        by_address = any(isinstance(w, str) for _, w in wanted)
        got = actual(findings, rule, by_address)
        assert got == wanted, (
            f"{fixture}: {rule} expected at {sorted(wanted, key=str)}, got {sorted(got, key=str)}"
        )
    for rule in exp.quiet - set(exp.fire):
        noisy = [f for f in findings if f.rule_id == rule and f.suppressed is None]
        assert not noisy, f"{fixture}: {rule} must stay quiet, got {[str(f.location) for f in noisy]}"


def coverage() -> dict[str, dict[str, set[str]]]:
    """{kind letter: {"fire": rules, "quiet": rules}} over every fixture."""
    result: dict[str, dict[str, set[str]]] = {}
    for kind, letter in KINDS.items():
        fire: set[str] = set()
        quiet: set[str] = set()
        for fixture in all_fixtures(kind):
            exp = expectations(fixture)
            fire |= set(exp.fire)
            quiet |= exp.quiet
        result[letter] = {"fire": fire, "quiet": quiet}
    return result
