"""The ``lint`` command without click: its options, declared once, and its body.

:data:`LINT_OPTIONS` are the reporting options it shares with ``scan`` (``cli_run.RUN_OPTIONS``)
plus its own.  ``cli.py`` wraps :func:`run_lint` in a click command built from them; ``__main__``
calls it directly when :func:`efslint.cli.argv.parse` can read the command line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..findings import Finding
from ..pipeline.lint import lint_paths
from ..report import TOPOLOGY_FORMATS
from .argv import DIRECTORY, FILE, Option
from .run import RUN_OPTIONS, echo, fail, fail_run, finish, setup_engine

LINT_OPTIONS = (
    *RUN_OPTIONS,
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
    Option(
        "jobs",
        "--jobs",
        "-j",
        minimum=1,
        help="Worker processes for large inputs (default: one per CPU; 1 = serial). "
        "Small inputs run serially.",
    ),
)


def run_lint(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    fail_on: str | None,
    exit_zero: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rule_dirs: tuple[str, ...],
    config_file: str | None,
    baseline_file: str | None,
    write_baseline_file: str | None,
    jobs: int | None = None,
    live: bool = False,
    profile: str | None = None,
    regions: tuple[str, ...] = (),
    endpoint_url: str | None = None,
) -> None:
    """Lint ``paths`` (default: the current directory), report, and exit with the run's code."""
    from ..engine.suppressions import apply_path_ignores

    config, catalog, engine = setup_engine(fmt, output, config_file, rule_dirs, select, ignore)
    baseline = None
    if baseline_file or write_baseline_file:
        # Imported only here: most runs use no baseline.
        from ..engine.baseline import BaselineError, apply_baseline, load_baseline, write_baseline

        try:
            baseline = load_baseline(Path(baseline_file)) if baseline_file else None
        except BaselineError as exc:
            fail_run(fmt, output, str(exc))

    exclude = config.excluded if config.exclude else None
    if live:
        from .scan import lint_live

        result = lint_live(
            engine, paths or (".",), exclude, profile, regions, endpoint_url, fmt in TOPOLOGY_FORMATS
        )
    else:
        result = lint_paths(engine, paths or (".",), exclude, jobs=jobs, keep_models=fmt in TOPOLOGY_FORMATS)
    apply_path_ignores(result.findings, config, catalog)
    if write_baseline_file:
        try:
            count = write_baseline(Path(write_baseline_file), result.findings)
        except BaselineError as exc:
            fail(str(exc))
        for error in result.errors:
            echo(f"{error.location}: EFS000 [error] {error.message}\n", err=True)
        echo(f"efslint: recorded {count} finding(s) in baseline {write_baseline_file}\n", err=True)
        sys.exit(2 if result.errors else 0)
    if baseline is not None and baseline_file:
        result.findings.extend(
            apply_baseline(engine, Path(baseline_file), baseline, result.findings, result.files)
        )
        result.findings.sort(key=Finding.sort_key)
    finish(result, catalog, engine, config, fmt, output, fail_on, exit_zero)
