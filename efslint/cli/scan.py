"""``efslint scan``: lint a live AWS account (read-only), and the ``--live`` options of ``lint``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..pipeline.lint import lint_models
from ..pipeline.result import LintResult
from ..report import TOPOLOGY_FORMATS
from .argv import click_options
from .run import ACCEPT_OPTIONS, RUN_OPTIONS, conclude, fail, load_run_baseline, setup_engine, split_ids

POLICY_FILE = Path(__file__).resolve().parent.parent / "data" / "scan-policy.json"


def _progress() -> Callable[[str], None]:
    if sys.stderr.isatty():
        return lambda message: click.echo(f"efslint: {message}", err=True)
    return lambda message: None


def account_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--profile/--region/--endpoint-url, shared by `scan` and `lint --live`."""
    func = click.option(
        "--endpoint-url",
        envvar="AWS_ENDPOINT_URL",
        help="Send every AWS call here (a local emulator); also read from AWS_ENDPOINT_URL.",
    )(func)
    func = click.option(
        "--region", "regions", multiple=True, help="Region(s) to read (default: the profile's Region)."
    )(func)
    return click.option("--profile", help="AWS profile from the shared config files.")(func)


def run_scan_safely(action: Callable[[], Any]) -> Any:
    """Run a live read; setup problems become one line and exit 2, never a traceback."""
    from botocore.exceptions import BotoCoreError

    from ..sources.aws.session import ScanError, WriteRefused

    try:
        return action()
    except ScanError as exc:
        fail(str(exc))
    except WriteRefused as exc:  # a bug: say so plainly
        fail(str(exc))
    except BotoCoreError as exc:
        fail(f"AWS SDK error: {type(exc).__name__}: {exc}")


def live_enricher(profile: str | None, regions: tuple[str, ...], endpoint_url: str | None) -> Callable:
    """For `lint --live`: a function that resolves the models' external ids from the account."""

    def enrich(models: list[Any]) -> list[Any]:
        from ..sources.aws.enrich import enrich as resolve
        from ..sources.aws.scan import ScanOptions

        options = ScanOptions(profile=profile, regions=list(regions), endpoint_url=endpoint_url)
        return run_scan_safely(lambda: resolve(models, options))

    return enrich


@click.command()
@account_options
@click.option("--cluster", "clusters", multiple=True, help="Only these clusters (names or ARNs).")
@click.option("--service", "services", multiple=True, help="Only these services (names or ARNs).")
@click.option(
    "--all-file-systems",
    is_flag=True,
    help="Check every file system and access point, not only those the scanned services use.",
)
@click_options((*RUN_OPTIONS, *ACCEPT_OPTIONS))
@click.option("--workers", default=8, show_default=True, type=click.IntRange(1, 32), help="Concurrent calls.")
@click.option("--print-policy", is_flag=True, help="Print the least-privilege IAM policy the scan needs.")
def scan(
    profile: str | None,
    regions: tuple[str, ...],
    endpoint_url: str | None,
    clusters: tuple[str, ...],
    services: tuple[str, ...],
    all_file_systems: bool,
    fmt: str,
    output: str | None,
    fail_on: str | None,
    exit_zero: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_file: str | None,
    rule_dirs: tuple[str, ...],
    baseline_file: str | None,
    write_baseline_file: str | None,
    workers: int,
    print_policy: bool,
) -> None:
    """Lint the ECS services and EFS file systems of a live AWS account (read-only)."""
    if print_policy:
        click.echo(POLICY_FILE.read_text(encoding="utf-8"), nl=False)
        return
    from ..sources.aws.scan import ScanOptions
    from ..sources.aws.scan import scan as run

    config, catalog, engine = setup_engine(fmt, output, config_file, rule_dirs, select, ignore)
    baseline = load_run_baseline(fmt, output, baseline_file)

    options = ScanOptions(
        profile=profile,
        regions=list(regions),
        clusters=split_ids(clusters),
        services=split_ids(services),
        endpoint_url=endpoint_url,
        all_file_systems=all_file_systems,
        workers=workers,
    )
    outcome = run_scan_safely(lambda: run(options, _progress()))
    if outcome.empty:
        click.echo(
            f"efslint: nothing to check: no ECS services or tasks in {', '.join(outcome.regions)}", err=True
        )
        sys.exit(0)
    # lint_models returns findings already sorted.
    result = lint_models(engine, outcome.models, keep_models=fmt in TOPOLOGY_FORMATS)
    conclude(
        result, catalog, engine, config, fmt, output, fail_on, exit_zero,
        baseline_file, write_baseline_file, baseline, scanned_resources(outcome.models),
    )  # fmt: skip


def scanned_resources(models: list[Any]) -> list[str]:
    """The ARNs a scan read: a baseline entry for one of them that matches nothing is stale."""
    from ..model import ENTITY_KINDS

    return sorted(
        {entity.loc.file for model in models for kind in ENTITY_KINDS for entity in model.entities(kind)}
    )


def live_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`lint --live` and the account options it needs."""
    func = account_options(func)
    return click.option(
        "--live",
        is_flag=True,
        help="Resolve file system, access point and security group ids from the account.",
    )(func)


def lint_live(
    engine: Any,
    paths: tuple[str, ...],
    exclude: Any,
    profile: str | None,
    regions: tuple[str, ...],
    endpoint_url: str | None,
    keep_models: bool = False,
) -> LintResult:
    from ..pipeline.discovery import discover, load_all

    models = list(load_all(discover(paths, exclude)))
    return lint_models(engine, live_enricher(profile, regions, endpoint_url)(models), keep_models)
