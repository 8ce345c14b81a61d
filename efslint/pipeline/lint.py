"""The lint job: files in, findings out. The CLI and the pre-commit hook call this."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..engine.runner import Engine
from ..findings import Finding
from ..model import Model
from . import parallel
from .discovery import discover
from .result import LintResult, model_files
from .units import lint_units, split


def lint_models(engine: Engine, models: Iterable[Model]) -> LintResult:
    result = LintResult()
    for model in models:
        result.findings.extend(engine.run(model))
        if not any(rule == "EFS000" for rule, _, _ in model.notes):
            result.files.extend(model_files(model))
    result.findings.sort(key=Finding.sort_key)
    return result


def lint_paths(
    engine: Engine,
    paths: Iterable[str],
    exclude: Callable[[Path], bool] | None = None,
    jobs: int | None = None,
) -> LintResult:
    """Lint ``paths``; large inputs use ``jobs`` worker processes (default: every CPU, 1: serial)."""
    found = discover(paths, exclude)
    jobs = parallel.available_cpus() if jobs is None else jobs
    in_parallel = parallel.worth_parallel(found, jobs)
    result = LintResult()
    for findings, files in (
        parallel.lint_parallel(engine, found, jobs) if in_parallel else lint_units(engine, split(found))
    ):
        result.findings.extend(findings)
        result.files.extend(files or ())
    result.findings.sort(key=Finding.sort_key)
    return result
