"""The ``efslint`` command: parse options, call the library, pick a reporter, set the exit code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .catalog import Catalog, RuleError
from .cli_run import SEVERITIES, fail, fail_run, finish, setup_engine
from .cli_scan import lint_live, live_options, scan
from .findings import Finding
from .lint import lint_paths
from .report import FORMATS


class DefaultLintGroup(click.Group):
    """``efslint PATHS`` means ``efslint lint PATHS``: route anything that is not a command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["lint", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultLintGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="efslint")
def cli() -> None:
    """Find Amazon EFS + Amazon ECS integration mistakes before they reach production.

    Run `efslint PATHS...` (same as `efslint lint PATHS...`) to lint task definitions,
    CloudFormation templates and Terraform modules.
    """


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report here.")
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default=None,
    help="Lowest severity that fails (default: warning).",
)
@click.option(
    "--exit-zero", is_flag=True, help="Exit 0 even when findings are reported (errors still exit 2)."
)
@click.option(
    "--select", multiple=True, help="Only these rules (ids, names or id prefixes; comma-separated)."
)
@click.option(
    "--ignore", multiple=True, help="Skip these rules (ids, names or id prefixes; comma-separated)."
)
@click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Extra folder of rule YAML files.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Configuration file (default: .efslint.yaml or [tool.efslint] in pyproject.toml, found upward).",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False),
    help="Report only findings that this baseline file does not record.",
)
@click.option(
    "--write-baseline",
    "write_baseline_file",
    type=click.Path(dir_okay=False),
    help="Record the current findings in this baseline file and exit.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for large inputs (default: one per CPU; 1 = serial). Small inputs run serially.",
)
@live_options
def lint(
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
    """Lint files and directories (default: the current directory)."""
    from .baseline import BaselineError, apply_baseline, load_baseline, write_baseline
    from .suppressions import apply_path_ignores

    config, catalog, engine = setup_engine(fmt, output, config_file, rule_dirs, select, ignore)
    try:
        baseline = load_baseline(Path(baseline_file)) if baseline_file else None
    except BaselineError as exc:
        fail_run(fmt, output, str(exc))

    exclude = config.excluded if config.exclude else None
    if live:
        result = lint_live(engine, paths or (".",), exclude, profile, regions, endpoint_url)
    else:
        result = lint_paths(engine, paths or (".",), exclude, jobs=jobs)
    apply_path_ignores(result.findings, config, catalog)
    if write_baseline_file:
        try:
            count = write_baseline(Path(write_baseline_file), result.findings)
        except BaselineError as exc:
            fail(str(exc))
        for error in result.errors:
            click.echo(f"{error.location}: EFS000 [error] {error.message}", err=True)
        click.echo(f"efslint: recorded {count} finding(s) in baseline {write_baseline_file}", err=True)
        sys.exit(2 if result.errors else 0)
    if baseline is not None and baseline_file:
        result.findings.extend(
            apply_baseline(engine, Path(baseline_file), baseline, result.findings, result.files)
        )
        result.findings.sort(key=Finding.sort_key)
    finish(result, catalog, engine, config, fmt, output, fail_on, exit_zero)


_RULE_DIRS = click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Extra folder of rule YAML files (the configuration's `rules` are included).",
)


def _catalog_with_custom_rules(rule_dirs: tuple[str, ...]) -> Catalog:
    """Built-in rules plus --rules folders and the configuration's, so custom rules can be listed."""
    from .config import ConfigError, load_config

    try:
        config = load_config()
        return Catalog.load([*(Path(d) for d in rule_dirs), *config.rule_dirs])
    except (ConfigError, RuleError) as exc:
        fail(str(exc))


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_RULE_DIRS
def list_rules(fmt: str, rule_dirs: tuple[str, ...]) -> None:
    """List the rule catalog."""
    catalog = _catalog_with_custom_rules(rule_dirs)
    if fmt == "json":
        import json

        rows = [
            {
                "id": r.id,
                "name": r.name,
                "severity": str(r.severity),
                "entity": r.entity,
                "applies": r.applies,
                "title": r.title,
                "help_uri": r.help_uri,
            }
            for r in catalog
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for r in catalog:
        click.echo(f"{r.id}  {r.name:<42} {r.severity!s:<8} {r.applies:<6} {r.title}")


@cli.command()
@click.argument("rule")
@_RULE_DIRS
def explain(rule: str, rule_dirs: tuple[str, ...]) -> None:
    """Print one rule's documentation (by id or name)."""
    from .docs import rule_markdown

    found = _catalog_with_custom_rules(rule_dirs).get(rule)
    if found is None:
        fail(f"unknown rule {rule!r} (see `efslint rules`)")
    click.echo(rule_markdown(found), nl=False)


@cli.command()
@click.option("--force", is_flag=True, help="Overwrite an existing .efslint.yaml.")
def init(force: bool) -> None:
    """Write a commented starter .efslint.yaml here and print the pre-commit snippet."""
    from .config import CONFIG_FILE, PRE_COMMIT_SNIPPET, STARTER_CONFIG

    target = Path(CONFIG_FILE)
    if target.exists() and not force:
        fail(f"{target} already exists (use --force to overwrite it)")
    try:
        target.write_text(STARTER_CONFIG, encoding="utf-8")
    except OSError as exc:
        fail(f"{target}: cannot write: {exc.strerror or exc}")
    click.echo(f"Wrote {target}. To lint changed files on every commit, add to .pre-commit-config.yaml:\n")
    click.echo(PRE_COMMIT_SNIPPET.format(version=__version__), nl=False)


cli.add_command(scan)
