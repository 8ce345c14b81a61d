"""Large inputs are linted by worker processes; the result must be exactly the serial result."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.pipeline import parallel
from efslint.pipeline.discovery import discover
from efslint.pipeline.lint import lint_paths

FIXTURES = Path(__file__).parent / "fixtures"
ENGINE = Engine(Catalog.load())


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every fixture three times over (task definitions, templates, modules), plus a broken file."""
    root = tmp_path_factory.mktemp("tree")
    for copy in range(3):
        for kind in ("taskdef", "cloudformation", "terraform"):
            source = FIXTURES / kind
            if not source.is_dir():
                continue
            for item in sorted(source.iterdir()):
                target = root / f"copy{copy}" / kind / item.name
                if item.is_dir():
                    shutil.copytree(item, target)
                elif not item.name.endswith(".expected.yaml"):
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(item, target)
    (root / "broken.json").write_text('{"containerDefinitions": [}\n')
    return root


def test_the_tree_is_large_enough_to_go_parallel(tree: Path) -> None:
    found = discover([str(tree)])
    assert parallel.worth_parallel(found, 2)
    assert not parallel.worth_parallel(found, 1)


def test_parallel_findings_equal_serial_findings(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = parallel.lint_parallel
    monkeypatch.setattr(parallel, "lint_parallel", lambda *a, **k: calls.append(a) or real(*a, **k))
    serial = lint_paths(ENGINE, [str(tree)], jobs=1)
    assert calls == []
    both = lint_paths(ENGINE, [str(tree)], jobs=2)
    assert len(calls) == 1
    assert serial.findings, "the fixtures must give findings, or this test proves nothing"
    assert any(f.rule_id == "EFS000" for f in serial.findings)
    assert both.findings == serial.findings
    assert both.files == serial.files


def test_parallel_order_is_stable(tree: Path) -> None:
    first = lint_paths(ENGINE, [str(tree)], jobs=2)
    second = lint_paths(ENGINE, [str(tree)], jobs=2)
    assert [f.fingerprint for f in first.findings] == [f.fingerprint for f in second.findings]
    assert [(f.location.file, f.location.line) for f in first.findings] == sorted(
        (f.location.file, f.location.line) for f in first.findings
    )


def test_spawned_workers_rebuild_the_engine(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # macOS and Windows have no safe fork: workers start fresh and compile the rules themselves.
    monkeypatch.setattr(parallel.sys, "platform", "darwin")
    found = discover([str(tree / "copy0" / "taskdef")])
    serial = lint_paths(ENGINE, [str(tree / "copy0" / "taskdef")], jobs=1)
    spawned = [f for findings, _, _ in parallel.lint_parallel(ENGINE, found, 2) for f in findings]
    assert sorted(spawned, key=lambda f: f.sort_key()) == serial.findings


def test_small_inputs_stay_serial(tmp_path: Path) -> None:
    for i in range(3):
        shutil.copyfile(FIXTURES / "taskdef" / "EFS101-fire.json", tmp_path / f"t{i}.json")
    assert not parallel.worth_parallel(discover([str(tmp_path)]), 8)


def test_batches_keep_serial_order_and_cover_everything(tree: Path) -> None:
    found = discover([str(tree)])
    tasks = parallel.batches(found, 2)
    assert [f for t in tasks for f in t.files] == found.files
    assert [d for t in tasks for d in t.modules] == sorted(found.modules)


def test_cli_jobs_option_gives_the_same_report(tree: Path) -> None:
    from click.testing import CliRunner

    from efslint.cli.commands import cli

    runner = CliRunner()
    serial = runner.invoke(cli, ["lint", "--format", "json", "--jobs", "1", str(tree)])
    both = runner.invoke(cli, ["lint", "--format", "json", "-j", "2", str(tree)])
    assert serial.exit_code == both.exit_code == 2  # broken.json: EFS000
    assert serial.stdout == both.stdout
    assert '"EFS000"' in serial.stdout
    bad = runner.invoke(cli, ["lint", "--jobs", "0", str(tree)])
    assert bad.exit_code == 2 and "--jobs" in bad.output


def test_a_result_that_cannot_be_read_back_fails_instead_of_hanging(tree: Path) -> None:
    # multiprocessing.Pool.imap waits for ever when its result thread cannot unpickle a result;
    # workers hand back bytes so the parent unpickles them itself and the error surfaces.
    script = f"""
import sys
from efslint.pipeline import parallel
from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.pipeline.discovery import discover


def unreadable():
    raise RuntimeError("cannot rebuild this result")


class Unreadable:
    def __reduce__(self):
        return (unreadable, ())


parallel.lint_units = lambda engine, units, keep_models=False: [([Unreadable()], [], None)]
try:
    list(parallel.lint_parallel(Engine(Catalog.load()), discover([{str(tree)!r}]), 2))
except RuntimeError as exc:
    print("raised:", exc)
    sys.exit(3)
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "raised: cannot rebuild this result" in proc.stdout


def test_workers_hand_back_the_models_only_when_asked(tree: Path) -> None:
    # The topology reports need the models; every other run lets them go in the worker.
    assert lint_paths(ENGINE, [str(tree)], jobs=2).models == []
    serial = lint_paths(ENGINE, [str(tree)], jobs=1, keep_models=True)
    both = lint_paths(ENGINE, [str(tree)], jobs=2, keep_models=True)
    assert len(serial.models) > 3
    assert [m.source for m in both.models] == [m.source for m in serial.models]
    assert [len(m.workloads) + len(m.file_systems) for m in both.models] == [
        len(m.workloads) + len(m.file_systems) for m in serial.models
    ]
    assert both.findings == serial.findings
