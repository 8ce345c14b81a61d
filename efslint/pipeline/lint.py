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


def lint_models(engine: Engine, models: Iterable[Model], keep_models: bool = False) -> LintResult:
    result = LintResult()
    for model in models:
        result.findings.extend(engine.run(model))
        if not any(rule == "EFS000" for rule, _, _ in model.notes):
            result.files.extend(model_files(model))
        if keep_models:
            model.derived.clear()  # the rules' indexes: not part of the topology, and not small
            result.models.append(model)
    result.findings.sort(key=Finding.sort_key)
    return result


def lint_paths(
    engine: Engine,
    paths: Iterable[str],
    exclude: Callable[[Path], bool] | None = None,
    jobs: int | None = None,
    keep_models: bool = False,
) -> LintResult:
    """Lint ``paths``; large inputs use ``jobs`` worker processes (default: every CPU, 1: serial).

    ``keep_models`` keeps every linted model on the result, for the reports that draw them."""
    found = discover(paths, exclude)
    jobs = parallel.available_cpus() if jobs is None else jobs
    in_parallel = parallel.worth_parallel(found, jobs)
    result = LintResult()
    for findings, files, model in (
        parallel.lint_parallel(engine, found, jobs, keep_models)
        if in_parallel
        else lint_units(engine, split(found), keep_models)
    ):
        result.findings.extend(findings)
        result.files.extend(files or ())
        if model is not None:
            result.models.append(model)
    result.findings.sort(key=Finding.sort_key)
    return result
