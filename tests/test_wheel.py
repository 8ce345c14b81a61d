"""The built wheel works on its own: installed into a fresh virtualenv, it finds its rules and
schemas inside the package (not in a checkout) and lints a file."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "taskdef" / "EFS101-fire.json"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if build.returncode != 0:
        pytest.fail(f"wheel build failed:\n{build.stdout[-2000:]}\n{build.stderr[-2000:]}")
    wheel = next(dist.glob("efslint-*.whl"))
    env = work / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    return env


def test_wheel_contains_rules_and_schemas(installed: Path) -> None:
    python = installed / "bin" / "python"
    out = subprocess.run(
        [
            str(python),
            "-c",
            "import efslint.engine.catalog as c; print(c.data_dir('rules')); print(c.data_dir('schemas'))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=installed,
    ).stdout.split()
    site = str(installed / "lib")
    assert all(path.startswith(site) for path in out), out


def test_installed_command_lints_a_file(installed: Path, tmp_path: Path) -> None:
    target = tmp_path / "td.json"
    shutil.copy(FIXTURE, target)
    version = subprocess.run(
        [str(installed / "bin" / "efslint"), "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0 and version.stdout.startswith("efslint, version ")
    result = subprocess.run(
        [str(installed / "bin" / "efslint"), "td.json"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 1
    assert result.stdout.startswith("td.json:") and "td.json:27:9: EFS101 [error]" in result.stdout
    explain = subprocess.run(
        [str(installed / "bin" / "efslint"), "explain", "EFS104"], capture_output=True, text=True
    )
    assert explain.returncode == 0 and "# EFS104 transit-encryption-disabled" in explain.stdout
