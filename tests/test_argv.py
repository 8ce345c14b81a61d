"""The click-free command-line parser reads every call it accepts exactly as click does.

``efslint PATHS...`` runs without importing click (efslint/argv.py); click still answers everything
the plain parser declines. The property: whenever :func:`plain_lint` returns parameters, click's own
parse of the same command line is the ``lint`` command with the same parameters.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from efslint.__main__ import COMMANDS, plain_lint
from efslint.cli.commands import cli
from efslint.cli.lint import LINT_OPTIONS
from efslint.report import FORMATS

LIVE_DEFAULTS = {"live": False, "profile": None, "regions": (), "endpoint_url": None}


def click_parse(args: list[str]) -> tuple[str, dict[str, Any]] | None:
    """The command and parameters click resolves ``args`` to; None when click refuses them."""
    try:
        with cli.make_context("efslint", list(args), resilient_parsing=False) as ctx:
            # Click 8.2+ keeps the command name apart from the remaining arguments.
            protected = ctx._protected_args if hasattr(ctx, "_protected_args") else ctx.protected_args
            rest = [*protected, *ctx.args]
            name, command, rest = cli.resolve_command(ctx, rest)
            assert command is not None
            with command.make_context(name, rest, parent=ctx) as sub:
                return str(name), dict(sub.params)
    except (click.exceptions.ClickException, click.exceptions.Exit):
        return None


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("argv")
    (root / "file.yaml").write_text("{}\n", encoding="utf-8")
    (root / "dir").mkdir()
    return {"file": str(root / "file.yaml"), "dir": str(root / "dir"), "missing": str(root / "missing")}


def tokens(places: dict[str, str]) -> st.SearchStrategy[list[str]]:
    flags = [flag for option in LINT_OPTIONS for flag in option.flags]
    odd = ["-h", "--help", "--version", "--live", "--profile", "-x", "--nope", "--", "-", "-j2", "-ox"]
    values = [
        "text",
        "json",
        "sarif",
        "markdown",
        "html",
        "bad",
        "error",
        "info",
        "1",
        "2",
        "0",
        "-1",
        "01",
        "x",
        "1_0",
        " 2",
        "",
    ]
    attached = [
        f"{flag}={value}" for flag in flags if flag.startswith("--") for value in ("json", "2", "", "x")
    ]
    words = ["lint", "rules", "scan", "a.yaml", "dir/b.json", *places.values()]
    return st.lists(st.sampled_from([*flags, *odd, *values, *attached, *words]), max_size=7)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_call_the_plain_parser_accepts_click_reads_the_same(
    data: st.DataObject, places: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    args = data.draw(tokens(places))
    plain = plain_lint(args)
    event(f"plain parser {'accepts' if plain is not None else 'declines'}")
    if plain is None:
        return
    assert click_parse(args) == ("lint", {**plain, **LIVE_DEFAULTS}), args


def valid_calls(places: dict[str, str]) -> st.SearchStrategy[list[str]]:
    """Command lines a person or pre-commit writes: paths, and options with acceptable values."""
    good = {
        "--format": list(FORMATS),
        "--output": [places["missing"], places["file"]],
        "-o": [places["missing"]],
        "--fail-on": ["error", "warning", "info"],
        "--select": ["EFS101", "EFS1,EFS2"],
        "--ignore": ["EFS5"],
        "--rules": [places["dir"], places["missing"]],
        "--config": [places["file"]],
        "--baseline": [places["file"]],
        "--write-baseline": [places["missing"]],
        "--jobs": ["1", "2"],
        "-j": ["3"],
    }
    option = st.sampled_from(sorted(good)).flatmap(
        lambda flag: st.tuples(st.just(flag), st.sampled_from(good[flag]))
    )
    pair = option.flatmap(
        lambda pv: st.sampled_from(
            [[pv[0], pv[1]], [f"{pv[0]}={pv[1]}"]] if pv[0].startswith("--") else [[pv[0], pv[1]]]
        )
    )
    path = st.sampled_from(["a.yaml", "templates/", places["file"], places["dir"]]).map(lambda p: [p])
    parts = st.lists(st.one_of(pair, path, st.just(["--exit-zero"])), max_size=6)
    return st.tuples(st.booleans(), parts).map(
        lambda t: (["lint"] if t[0] else []) + [a for part in t[1] for a in part]
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_calls_people_write_need_no_click(
    data: st.DataObject, places: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    args = data.draw(valid_calls(places))
    plain = plain_lint(args)
    assert plain is not None, args
    assert click_parse(args) == ("lint", {**plain, **LIVE_DEFAULTS})


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["lint", "--help"],
        ["rules"],
        ["--format", "bad", "x"],
        ["--jobs", "0"],
        ["--live", "x"],
        ["-oreport.txt", "x"],
        ["--exit-zero=1"],
        ["--output"],
        ["--format", "--select", "x"],
    ],
)
def test_click_answers_what_the_plain_parser_declines(args: list[str]) -> None:
    assert plain_lint(args) is None


def test_plain_parser_knows_every_command_name() -> None:
    assert set(COMMANDS) == set(cli.commands)


def test_a_path_of_the_wrong_kind_is_left_to_click(places: dict[str, str]) -> None:
    assert plain_lint(["--output", places["dir"], "x"]) is None
    assert plain_lint(["--rules", places["file"], "x"]) is None
    assert click_parse(["--output", places["dir"], "x"]) is None


def test_the_plain_call_runs_without_click(tmp_path: Path) -> None:
    template = Path(__file__).parent / "fixtures" / "cloudformation" / "EFS101-fire.yaml"
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "efslint", "--format", "json", str(template)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert '"EFS101"' in proc.stdout
    imported = {
        line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")
    }
    assert "efslint.cli.lint" in imported
    assert "click" not in imported


def test_output_is_the_same_with_and_without_click(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    template = Path(__file__).parent / "fixtures" / "cloudformation" / "EFS101-fire.yaml"
    args = ["--format", "json", "--select", "EFS1", str(template)]
    proc = subprocess.run(
        [sys.executable, "-m", "efslint", *args], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args)
    assert '"EFS101"' in proc.stdout
    assert (proc.returncode, proc.stdout, proc.stderr) == (result.exit_code, result.stdout, result.stderr)
