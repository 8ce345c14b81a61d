"""``python -m efslint`` and the ``efslint`` console script."""

from __future__ import annotations

import gc
import sys

from . import __version__

COMMANDS = ("lint", "rules", "explain", "init", "scan")


def main() -> None:
    # A pre-commit hook pays start-up on every commit: `--version` imports nothing, and a plain
    # `efslint [lint] [options] PATHS...` runs without click (see efslint/argv.py).
    args = sys.argv[1:]
    if args == ["--version"]:
        sys.stdout.write(f"efslint, version {__version__}\n")
        return
    # Importing the linter allocates tens of thousands of long-lived objects and no garbage, so the
    # collector would only walk a growing heap (about 2 ms of a one-file run).  Once imported, the
    # objects are frozen out of later collections; units.py collects per input from then on.
    gc.disable()
    params = plain_lint(args)
    if params is None:
        from .cli.commands import cli

        _collect_from_here()
        cli(prog_name="efslint")
    else:
        _run_lint(params)


def plain_lint(args: list[str]) -> dict[str, object] | None:
    """The ``lint`` parameters of a call that needs no click to read, else None."""
    if args[:1] == ["lint"]:
        args = args[1:]
    elif args and args[0] in COMMANDS:
        return None
    from .cli.argv import parse
    from .cli.lint import LINT_OPTIONS

    return parse(LINT_OPTIONS, args)


def _collect_from_here() -> None:
    gc.freeze()
    gc.enable()


def _run_lint(params: dict[str, object]) -> None:
    from .cli.lint import run_lint

    _collect_from_here()
    try:
        run_lint(**params)  # type: ignore[arg-type]
    except KeyboardInterrupt:
        sys.stderr.write("Aborted!\n")  # as click says it
        sys.exit(1)
    except BrokenPipeError:
        # The reader went away (`efslint ... | head`); point stdout at nothing so that Python's own
        # flush at exit does not fail a second time (the recipe in the `signal` module's docs).
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
