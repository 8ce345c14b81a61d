"""Command-line options declared once, and a click-free parser for the plain calls.

``efslint PATHS...`` is what pre-commit runs on every commit, and importing click costs about a
fifth of that run.  So a command's options are declared as :class:`Option` values: click commands
get them through :func:`click_options` (help, completion, error messages), and :func:`parse` reads
the same options without click.  :func:`parse` accepts only what it can read exactly as click
would, and returns None for anything else (``--help``, a bad value, an unknown option, short-option
clusters), so click still answers every call that needs it.  ``tests/test_argv.py`` checks the two
agree.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from typing import Any

# A path option's kind, as click.Path(file_okay=..., dir_okay=...) spells it.
FILE = "file"
DIRECTORY = "directory"


class Option:
    """One option: what click declares and what :func:`parse` needs to read it the same way."""

    __slots__ = (
        "choices",
        "default",
        "dest",
        "flags",
        "help",
        "is_flag",
        "minimum",
        "multiple",
        "path",
        "writable",
    )

    def __init__(
        self,
        dest: str,
        *flags: str,
        help: str = "",
        choices: tuple[str, ...] | None = None,
        multiple: bool = False,
        is_flag: bool = False,
        minimum: int | None = None,
        path: str | None = None,
        writable: bool = False,
        default: str | None = None,
    ) -> None:
        self.dest = dest
        self.flags = flags
        self.help = help
        self.choices = choices
        self.multiple = multiple
        self.is_flag = is_flag
        self.minimum = minimum
        self.path = path
        self.writable = writable
        # The value when the option is absent, as click gives it.
        self.default: object = False if is_flag else () if multiple else default

    def accepts(self, value: str) -> object:
        """``value`` converted as click would, or :data:`REFUSED` when click might say otherwise."""
        if not value or value.startswith("-"):
            # Click would take it as the value; a person who writes it usually forgot one.
            return REFUSED
        if self.choices is not None:
            return value if value in self.choices else REFUSED
        if self.minimum is not None:
            if not (value.isascii() and value.isdigit()) or int(value) < self.minimum:
                return REFUSED
            return int(value)
        if self.path is not None and not _path_ok(value, self.path, self.writable):
            return REFUSED
        return value


# Returned by Option.accepts for a value only click may judge.
REFUSED = object()


def _path_ok(value: str, kind: str, writable: bool) -> bool:
    """click.Path's checks for a path that need not exist: right kind, readable, writable."""
    try:
        mode = os.stat(value).st_mode
    except (OSError, ValueError):
        return True
    if kind == FILE and stat.S_ISDIR(mode):
        return False
    if kind == DIRECTORY and stat.S_ISREG(mode):
        return False
    return os.access(value, os.R_OK) and (not writable or os.access(value, os.W_OK))


def parse(options: tuple[Option, ...], args: list[str]) -> dict[str, object] | None:
    """``args`` (options and positional paths) as click's parameters, or None to let click parse.

    Returns every option's value (its default when absent) and ``paths``, a tuple.
    """
    by_flag = {flag: option for option in options for flag in option.flags}
    values: dict[str, object] = {option.dest: option.default for option in options}
    paths: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            paths.extend(rest)
            break
        if not arg.startswith("-"):
            paths.append(arg)
            continue
        name, equals, attached = arg.partition("=")
        option = by_flag.get(name)
        if option is None or (equals and not name.startswith("--")):
            return None
        if option.is_flag:
            if equals:
                return None
            values[option.dest] = True
            continue
        raw = attached if equals else next(rest, None)
        if raw is None:
            return None
        value = option.accepts(raw)
        if value is REFUSED:
            return None
        if option.multiple:
            values[option.dest] = (*values[option.dest], value)  # type: ignore[misc]
        else:
            values[option.dest] = value
    values["paths"] = tuple(paths)
    return values


def click_options(options: tuple[Option, ...]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator adding ``options`` to a click command, in table order (only ``cli`` imports click)."""
    import click

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            kwargs: dict[str, Any] = {"help": option.help, "multiple": option.multiple}
            if option.is_flag:
                kwargs["is_flag"] = True
            elif option.choices is not None:
                kwargs["type"] = click.Choice(option.choices)
            elif option.minimum is not None:
                kwargs["type"] = click.IntRange(min=option.minimum)
            elif option.path is not None:
                kwargs["type"] = click.Path(
                    file_okay=option.path == FILE, dir_okay=option.path == DIRECTORY, writable=option.writable
                )
            if option.default not in (None, (), False):
                kwargs.update(default=option.default, show_default=True)
            func = click.option(*option.flags, option.dest, **kwargs)(func)
        return func

    return decorate
