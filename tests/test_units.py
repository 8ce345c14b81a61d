"""Unit-by-unit linting: no parsed document outlives its unit, and the collector is restored."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.model import Model
from efslint.pipeline import units
from efslint.pipeline.discovery import discover
from efslint.pipeline.lint import lint_paths
from efslint.sources.located import LMap

FIXTURES = Path(__file__).parent / "fixtures"
ENGINE = Engine(Catalog.load())


def live(kind: type) -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, kind))


def test_no_model_or_document_outlives_the_run(tmp_path: Path) -> None:
    for i in range(40):
        shutil.copyfile(FIXTURES / "taskdef" / "EFS101-fire.json", tmp_path / f"t{i}.json")
    models, documents = live(Model), live(LMap)
    result = lint_paths(ENGINE, [str(tmp_path)], jobs=1)
    assert len(result.files) == 40 and any(f.rule_id == "EFS101" for f in result.findings)
    assert live(Model) == models
    assert live(LMap) == documents


def test_units_follow_the_serial_order(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text((FIXTURES / "taskdef" / "EFS101-fire.json").read_text())
    (tmp_path / "a.json").write_text((FIXTURES / "taskdef" / "EFS101-fire.json").read_text())
    found = discover([str(tmp_path), str(tmp_path / "missing.json")])
    split = list(units.split(found))
    assert split[0].errors and not split[0].files
    assert [u.files[0][0].name for u in split[1:]] == ["a.json", "b.json"]


def test_collector_is_restored_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), units.collect_per_unit():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with units.collect_per_unit():
            pass
        assert not gc.isenabled(), "a collector the caller disabled stays disabled"
    finally:
        gc.enable()


# Run in a fresh interpreter: a monkeypatch reaches the workers only through fork, which the
# pipeline uses only while the process has no other thread (the live tests leave a server running).
_BUG_ON_ONE_INPUT = """
import shutil, sys
from pathlib import Path
from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.pipeline import parallel
from efslint.pipeline.lint import lint_paths
from efslint.sources.taskdef import task_definition

real = task_definition.build_model


def broken_on_b(path, doc):
    if path.endswith("b.json"):
        raise TypeError("the truth value of Unknown is undefined")
    return real(path, doc)


task_definition.build_model = broken_on_b
jobs = int(sys.argv[2])
parallel.worth_parallel = lambda found, n: n > 1
result = lint_paths(Engine(Catalog.load()), [sys.argv[1]], jobs=jobs)
for f in result.findings:
    print(f.rule_id, Path(f.location.file).name, f.message)
print("exit", result.exit_code(result.findings[0].severity)[0])
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bug_on_one_input_costs_that_input_only(tmp_path: Path, jobs: int) -> None:
    import subprocess
    import sys

    for name in ("a.json", "b.json", "c.json"):
        shutil.copyfile(FIXTURES / "taskdef" / "EFS101-fire.json", tmp_path / name)
    out = subprocess.run(
        [sys.executable, "-c", _BUG_ON_ONE_INPUT, str(tmp_path), str(jobs)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    errors = [line for line in out if line.startswith("EFS000 ")]
    assert len(errors) == 1 and errors[0].startswith("EFS000 b.json ")
    assert "internal error (TypeError: the truth value of Unknown is undefined)" in errors[0]
    assert {line.split()[1] for line in out if line.startswith("EFS101 ")} == {"a.json", "c.json"}
    assert out[-1] == "exit 2"
