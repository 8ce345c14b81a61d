"""What the ``lint`` and ``scan`` commands share: setting up the engine and ending the run.

Free of click: ``__main__`` runs a plain ``lint`` without importing it (see :mod:`efslint.cli.argv`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from ..engine.catalog import Catalog, RuleError
from ..findings import Severity
from ..report import FORMATS, Report, render, summary_line
from .argv import DIRECTORY, FILE, Option

SEVERITIES = ("error", "warning", "info")

# The options of every command that runs the rules and reports (`lint` and `scan`).
RUN_OPTIONS = (
    Option("fmt", "--format", choices=FORMATS, default="text", help="Report format."),
    Option("output", "--output", "-o", path=FILE, writable=True, help="Write the report here."),
    Option("fail_on", "--fail-on", choices=SEVERITIES, help="Lowest severity that fails (default: warning)."),
    Option(
        "exit_zero",
        "--exit-zero",
        is_flag=True,
        help="Exit 0 even when findings are reported (errors still exit 2).",
    ),
    Option(
        "select",
        "--select",
        multiple=True,
        help="Only these rules (ids, names or id prefixes; comma-separated).",
    ),
    Option(
        "ignore",
        "--ignore",
        multiple=True,
        help="Skip these rules (ids, names or id prefixes; comma-separated).",
    ),
    Option(
        "config_file",
        "--config",
        path=FILE,
        help="Configuration file (default: .efslint.yaml or [tool.efslint] in pyproject.toml, found upward).",
    ),
)

# The options that add rules and accept findings, shared by `lint` and `scan` (see `conclude`).
ACCEPT_OPTIONS = (
    Option("rule_dirs", "--rules", multiple=True, path=DIRECTORY, help="Extra folder of rule YAML files."),
    Option(
        "baseline_file",
        "--baseline",
        path=FILE,
        help="Report only findings that this baseline file does not record.",
    ),
    Option(
        "write_baseline_file",
        "--write-baseline",
        path=FILE,
        help="Record the current findings in this baseline file and exit.",
    ),
)

if TYPE_CHECKING:
    from ..config.settings import Config
    from ..engine.baseline import Entry
    from ..engine.runner import Engine
    from ..pipeline.result import LintResult


def split_ids(values: tuple[str, ...]) -> list[str]:
    """``--select A,B --select C`` → ``[A, B, C]``."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def echo(text: str, err: bool = False) -> None:
    """Write ``text`` as is to stdout or stderr (looked up at call time, so tests can capture it)."""
    stream = sys.stderr if err else sys.stdout
    stream.write(text)
    stream.flush()


def fail(message: str) -> NoReturn:
    """A usage or setup error: one line on stderr, exit code 2."""
    echo(f"efslint: error: {message}\n", err=True)
    sys.exit(2)


def fail_run(fmt: str, output: str | None, message: str) -> NoReturn:
    """A run that cannot start: SARIF consumers still get a log saying why (a tool notification)."""
    if fmt == "sarif":
        from ..report.sarif_format import failed_run

        text = failed_run(message, 2)
        if output is not None:
            _write_output(output, text)
        else:
            echo(text)
    fail(message)


def _write_output(output: str, text: str) -> None:
    """Write the report to ``--output``; a path that cannot be written ends the run (exit 2)."""
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        from ..sources.files import os_problem, printable

        problem = os_problem(output, exc)
        echo(f"efslint: error: {printable(output)}: cannot write report: {problem}\n", err=True)
        sys.exit(2)


def setup_engine(
    fmt: str,
    output: str | None,
    config_file: str | None,
    rule_dirs: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> tuple[Config, Catalog, Engine]:
    """Configuration, catalog and engine; any mistake in them ends the run with exit code 2."""
    from ..config.settings import ConfigError, build_engine, load_config

    try:
        config = load_config(config_file)
        catalog, engine = build_engine(
            config, [Path(d) for d in rule_dirs], split_ids(select), split_ids(ignore)
        )
    except (ConfigError, RuleError) as exc:
        fail_run(fmt, output, str(exc))
    except KeyError as exc:
        fail_run(
            fmt, output, f"unknown rule or prefix {exc.args[0]!r} in --select/--ignore (see `efslint rules`)"
        )
    return config, catalog, engine


def load_run_baseline(fmt: str, output: str | None, baseline_file: str | None) -> list[Entry] | None:
    """The ``--baseline`` entries, read before the run so a bad file fails fast (exit 2)."""
    if not baseline_file:
        return None
    # Imported only here: most runs use no baseline.
    from ..engine.baseline import BaselineError, load_baseline

    try:
        return load_baseline(Path(baseline_file))
    except BaselineError as exc:
        fail_run(fmt, output, str(exc))


def conclude(
    result: LintResult,
    catalog: Catalog,
    engine: Engine,
    config: Config,
    fmt: str,
    output: str | None,
    fail_on: str | None,
    exit_zero: bool,
    baseline_file: str | None,
    write_baseline_file: str | None,
    baseline: list[Entry] | None,
    linted: list[str],
) -> NoReturn:
    """Per-path ignores, then ``--write-baseline`` (exit) or ``--baseline``, then the report.

    The same for files and for a live account: a scan's findings sit at resource ARNs, which
    resource patterns in ``per-path-ignores`` match and baselines record as they are.  ``linted``
    names what this run looked at (files, or resource ARNs): only those can prove an entry stale.
    """
    from ..engine.suppressions import apply_path_ignores
    from ..findings import Finding

    apply_path_ignores(result.findings, config, catalog)
    if write_baseline_file:
        from ..engine.baseline import BaselineError, write_baseline

        try:
            count = write_baseline(Path(write_baseline_file), result.findings)
        except BaselineError as exc:
            fail(str(exc))
        for error in result.errors:
            echo(f"{error.location}: EFS000 [error] {error.message}\n", err=True)
        echo(f"efslint: recorded {count} finding(s) in baseline {write_baseline_file}\n", err=True)
        sys.exit(2 if result.errors else 0)
    if baseline is not None and baseline_file:
        from ..engine.baseline import apply_baseline

        result.findings.extend(apply_baseline(engine, Path(baseline_file), baseline, result.findings, linted))
        result.findings.sort(key=Finding.sort_key)
    finish(result, catalog, engine, config, fmt, output, fail_on, exit_zero)


def finish(
    result: LintResult,
    catalog: Catalog,
    engine: Engine,
    config: Config,
    fmt: str,
    output: str | None,
    fail_on: str | None,
    exit_zero: bool,
) -> NoReturn:
    """Render the report (stdout or ``output``), print the summary where needed, exit."""
    threshold = Severity.parse(fail_on or str(config.fail_on or "warning"))
    code, reason = result.exit_code(threshold, exit_zero)
    report = Report(
        result,
        catalog,
        threshold,
        code,
        reason,
        color=fmt == "text" and output is None and sys.stdout.isatty(),
        active_rules=tuple(engine.active),
    )
    text = render(fmt, report)
    if output is not None:
        _write_output(output, text)
    else:
        echo(text)
    # The text report ends with the summary; every other format keeps stdout machine-readable.
    if output is not None or fmt != "text":
        echo(summary_line(report) + "\n", err=True)
    sys.exit(code)
