"""The ``efslint`` command: parse options, call the library, pick a reporter, set the exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..engine.catalog import Catalog, RuleError
from .argv import click_options
from .lint import LINT_OPTIONS, run_lint
from .run import fail
from .scan import live_options, scan


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
@click_options(LINT_OPTIONS)
@live_options
def lint(**params: Any) -> None:
    """Lint files and directories (default: the current directory)."""
    run_lint(**params)


_RULE_DIRS = click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Extra folder of rule YAML files (the configuration's `rules` are included).",
)


def _catalog_with_custom_rules(rule_dirs: tuple[str, ...]) -> Catalog:
    """Built-in rules plus --rules folders and the configuration's, so custom rules can be listed."""
    from ..config.settings import ConfigError, load_config

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
                **(
                    {"severity_when": {k: str(v) for k, v in r.severity_when.items()}}
                    if r.severity_when
                    else {}
                ),
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
    from ..engine.rule_docs import rule_markdown

    found = _catalog_with_custom_rules(rule_dirs).get(rule)
    if found is None:
        fail(f"unknown rule {rule!r} (see `efslint rules`)")
    click.echo(rule_markdown(found), nl=False)


@cli.command()
@click.option("--force", is_flag=True, help="Overwrite an existing .efslint.yaml.")
def init(force: bool) -> None:
    """Write a commented starter .efslint.yaml here and print the pre-commit snippet."""
    from ..config.settings import CONFIG_FILE, PRE_COMMIT_SNIPPET, STARTER_CONFIG

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
