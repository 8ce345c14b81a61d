"""The ``efslint`` command: parse options, call the library, pick a reporter, set the exit code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .catalog import Catalog, RuleError
from .engine import Engine, RunOptions
from .findings import Severity
from .lint import lint_paths
from .report import FORMATS, Report, render, summary_line

SEVERITIES = ("error", "warning", "info")


class DefaultLintGroup(click.Group):
    """``efslint PATHS`` means ``efslint lint PATHS``: route anything that is not a command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["lint", *args]
        return super().parse_args(ctx, args)


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def fail(message: str) -> None:
    """A usage or setup error: one line on stderr, exit code 2."""
    click.echo(f"efslint: error: {message}", err=True)
    sys.exit(2)


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
def lint(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    fail_on: str | None,
    exit_zero: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rule_dirs: tuple[str, ...],
) -> None:
    """Lint files and directories (default: the current directory)."""
    try:
        catalog = Catalog.load(Path(d) for d in rule_dirs)
        engine = Engine(catalog, RunOptions(select=_split(select), ignore=_split(ignore)))
    except RuleError as exc:
        fail(str(exc))
    except KeyError as exc:
        fail(f"unknown rule or prefix {exc.args[0]!r} in --select/--ignore (see `efslint rules`)")

    result = lint_paths(engine, paths or (".",))
    threshold = Severity.parse(fail_on or "warning")
    code, reason = result.exit_code(threshold, exit_zero)
    to_file = output is not None
    report = Report(
        result, catalog, threshold, code, reason, color=fmt == "text" and not to_file and sys.stdout.isatty()
    )
    text = render(fmt, report)
    if to_file:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(summary_line(report), err=True)
    else:
        click.echo(text, nl=False)
        if fmt != "text":
            click.echo(summary_line(report), err=True)
    sys.exit(code)


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(fmt: str) -> None:
    """List the rule catalog."""
    catalog = Catalog.load()
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
def explain(rule: str) -> None:
    """Print one rule's documentation (by id or name)."""
    from .docs import rule_markdown

    found = Catalog.load().get(rule)
    if found is None:
        fail(f"unknown rule {rule!r} (see `efslint rules`)")
    click.echo(rule_markdown(found), nl=False)
