"""``python -m efslint`` and the ``efslint`` console script."""

from __future__ import annotations

import sys

from . import __version__


def main() -> None:
    # `--version` measures the start-up a pre-commit hook pays; answer it before importing click.
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"efslint, version {__version__}\n")
        return
    from .cli import cli

    cli(prog_name="efslint")


if __name__ == "__main__":
    main()
