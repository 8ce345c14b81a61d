"""What a run produced: findings, the files linted, and the exit code they mean."""

from __future__ import annotations

from ..findings import Finding, Severity
from ..model import Model
from ..record import Record, field


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
