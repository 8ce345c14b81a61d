"""The lint job: files in, findings out. The CLI and the pre-commit hook call this."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from .engine import Engine
from .findings import Finding, Severity
from .model import Model
from .record import Record, field
from .sources.discovery import discover


class LintResult(Record):
    """The findings of one run and the files it linted (and the models, for topology reports)."""

    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # Kept only when asked (``keep_models``): the Markdown and HTML reports draw them; other runs
    # let each model go as soon as its rules have run.
    models: list[Model] = field(default_factory=list, repr=False, compare=False)

    @property
    def errors(self) -> list[Finding]:
        """Findings that mean the input could not be read (exit code 2)."""
        return [f for f in self.findings if f.rule_id == "EFS000"]

    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is None]

    def counts(self) -> dict[Severity, int]:
        counts = dict.fromkeys(Severity, 0)
        for finding in self.active():
            counts[finding.severity] += 1
        return counts

    def exit_code(self, fail_on: Severity, exit_zero: bool = False) -> tuple[int, str]:
        """The exit code and the reason for it, for the closing summary line."""
        if self.errors:
            unreadable = len({f.location.file for f in self.errors})
            return 2, f"{unreadable} file(s) could not be read or parsed"
        failing = [f for f in self.active() if f.severity >= fail_on]
        if failing and not exit_zero:
            return 1, f"{len(failing)} finding(s) at or above '{fail_on}'"
        if failing:
            return 0, f"{len(failing)} finding(s) at or above '{fail_on}', but --exit-zero"
        return 0, f"no findings at or above '{fail_on}'"


def model_files(model: Model) -> list[str]:
    if model.report_files is not None:
        return sorted(model.report_files)
    return [model.source]


def lint_models(engine: Engine, models: Iterable[Model], keep_models: bool = False) -> LintResult:
    result = LintResult()
    for model in models:
        result.findings.extend(engine.run(model))
        if not any(rule == "EFS000" for rule, _, _ in model.notes):
            result.files.extend(model_files(model))
        if keep_models:
            model.derived.clear()
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
    from .parallel import available_cpus, lint_parallel, worth_parallel
    from .units import lint_units, split

    jobs = available_cpus() if jobs is None else jobs
    parallel = worth_parallel(found, jobs)
    result = LintResult()
    for findings, files, model in (
        lint_parallel(engine, found, jobs, keep_models)
        if parallel
        else lint_units(engine, split(found), keep_models)
    ):
        result.findings.extend(findings)
        result.files.extend(files or ())
        if model is not None:
            result.models.append(model)
    result.findings.sort(key=Finding.sort_key)
    return result
