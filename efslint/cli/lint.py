"""The ``lint`` command without click: its options, declared once, and its body.

:data:`LINT_OPTIONS` are the options it shares with ``scan`` (``run.RUN_OPTIONS`` and
``run.ACCEPT_OPTIONS``) plus its own.  ``commands.py`` wraps :func:`run_lint` in a click command
built from them; ``__main__`` calls it directly when :func:`efslint.cli.argv.parse` can read the command line.
"""

from __future__ import annotations

from ..pipeline.lint import lint_paths
from ..report import TOPOLOGY_FORMATS
from .argv import Option
from .run import ACCEPT_OPTIONS, RUN_OPTIONS, conclude, load_run_baseline, setup_engine

LINT_OPTIONS = (
    *RUN_OPTIONS,
    *ACCEPT_OPTIONS,
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
    config, catalog, engine = setup_engine(fmt, output, config_file, rule_dirs, select, ignore)
    baseline = load_run_baseline(fmt, output, baseline_file)
    exclude = config.excluded if config.exclude else None
    if live:
        from .scan import lint_live

        result = lint_live(
            engine, paths or (".",), exclude, profile, regions, endpoint_url, fmt in TOPOLOGY_FORMATS
        )
    else:
        result = lint_paths(engine, paths or (".",), exclude, jobs=jobs, keep_models=fmt in TOPOLOGY_FORMATS)
    conclude(
        result, catalog, engine, config, fmt, output, fail_on, exit_zero,
        baseline_file, write_baseline_file, baseline, result.files,
    )  # fmt: skip
