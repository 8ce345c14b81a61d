"""Project set-up promises: CI runs exactly the README's test command; the hook file is sane."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    setup = ROOT.joinpath("README.md").read_text().split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", setup)


def test_readme_has_the_two_setup_commands() -> None:
    demo, tests = _readme_commands()
    assert demo.startswith("python3 -m venv .venv") and "efslint examples/" in demo
    assert tests.startswith("python3 -m venv .venv") and "pytest" in tests


def test_ci_runs_the_readme_test_command() -> None:
    _, tests = _readme_commands()
    ci_lines = [line.strip() for line in ROOT.joinpath(".ci", "run").read_text().splitlines()]
    assert tests in ci_lines


def test_precommit_hook_is_serial_and_selects_our_file_types() -> None:
    (hook,) = yaml.safe_load(ROOT.joinpath(".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "efslint" and hook["entry"] == "efslint"
    assert hook["require_serial"] is True
    assert set(hook["types_or"]) == {"yaml", "json", "terraform"}
