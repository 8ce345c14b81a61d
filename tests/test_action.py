"""The composite GitHub Action: inputs reach scripts only through the environment, and the lint
step's script (run here with bash, as the runner does) annotates, writes SARIF and reports the code."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
BROKEN = ROOT / "tests" / "fixtures" / "taskdef" / "EFS101-fire.json"
STEPS = {step.get("id") or step["name"]: step for step in ACTION["runs"]["steps"]}

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def test_every_input_used_is_declared_and_no_input_is_spliced_into_a_script() -> None:
    text = (ROOT / "action.yml").read_text()
    used = set(re.findall(r"\$\{\{\s*inputs\.([a-z-]+)", text))
    assert used == set(ACTION["inputs"])
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), (
            f"step {step['name']!r} splices an expression into its script"
        )
    assert ACTION["runs"]["using"] == "composite"


def run_lint_step(tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    env_inputs = {key: value for key, value in STEPS["lint"]["env"].items()}
    defaults = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    values = {**defaults, **inputs}
    env = dict(os.environ)
    for variable, expression in env_inputs.items():
        name = re.fullmatch(r"\$\{\{\s*inputs\.([a-z-]+)\s*\}\}", expression)
        assert name is not None
        env[variable] = values[name.group(1)]
    output = tmp_path / "github-output"
    output.touch()
    env["GITHUB_OUTPUT"] = str(output)
    # Never the real job summary of a CI run that runs these tests.
    summary = tmp_path / "step-summary.md"
    if not summary.exists():
        summary.touch()
    env["GITHUB_STEP_SUMMARY"] = str(summary)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    done = subprocess.run(
        ["bash", "-c", STEPS["lint"]["run"]], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return done, outputs


@pytest.mark.skipif(
    shutil.which("efslint", path=str(Path(sys.executable).parent)) is None, reason="no efslint"
)
def test_lint_step_annotates_writes_sarif_and_records_the_exit_code(tmp_path: Path) -> None:
    (tmp_path / "infra").mkdir()
    shutil.copy(BROKEN, tmp_path / "infra" / "td.json")
    done, outputs = run_lint_step(tmp_path, paths="infra", sarif="true", args="--select EFS101")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "::error file=infra/td.json,line=27,col=9,title=EFS101::EFS volume 'data' enables IAM authorization "
        "but transitEncryption is DISABLED (omitted means DISABLED); ECS rejects this. Set transitEncryption "
        "to ENABLED. [iam-requires-transit-encryption]"
    ]
    assert outputs == {"sarif-file": "efslint.sarif", "exit-code": "1"}
    sarif = json.loads((tmp_path / "efslint.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["EFS101"]


@pytest.mark.skipif(
    shutil.which("efslint", path=str(Path(sys.executable).parent)) is None, reason="no efslint"
)
def test_lint_step_passes_options_and_skips_sarif_by_default(tmp_path: Path) -> None:
    shutil.copy(BROKEN, tmp_path / "td.json")
    (tmp_path / "ci.yaml").write_text("ignore: [EFS112]\n")
    done, outputs = run_lint_step(tmp_path, paths="td.json", config="ci.yaml", **{"fail-on": "error"})
    assert [line.split(",title=")[1].split("::")[0] for line in done.stdout.splitlines()] == ["EFS101"]
    assert outputs == {"exit-code": "1"} and not (tmp_path / "efslint.sarif").exists()
    done, outputs = run_lint_step(tmp_path, paths="td.json", config="missing.yaml")
    assert outputs == {"exit-code": "2"} and "missing.yaml" in done.stderr


@pytest.mark.parametrize(("code", "expected"), [("0", 0), ("1", 1), ("2", 2)])
def test_final_step_fails_with_efslint_exit_code(code: str, expected: int) -> None:
    done = subprocess.run(
        ["bash", "-c", STEPS["Fail on findings"]["run"]],
        env={**os.environ, "EFSLINT_EXIT_CODE": code},
        capture_output=True,
        text=True,
    )
    assert done.returncode == expected


@pytest.mark.skipif(
    shutil.which("efslint", path=str(Path(sys.executable).parent)) is None, reason="no efslint"
)
def test_lint_step_with_a_broken_config_still_hands_sarif_to_the_upload(tmp_path: Path) -> None:
    shutil.copy(BROKEN, tmp_path / "td.json")
    (tmp_path / ".efslint.yaml").write_text("fail-on: sometimes\n")
    done, outputs = run_lint_step(tmp_path, paths="td.json", sarif="true")
    assert outputs == {"sarif-file": "efslint.sarif", "exit-code": "2"}
    assert ".efslint.yaml:1: fail-on: must be one of error, warning, info" in done.stderr
    sarif = json.loads((tmp_path / "efslint.sarif").read_text())
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is False


@pytest.mark.skipif(
    shutil.which("efslint", path=str(Path(sys.executable).parent)) is None, reason="no efslint"
)
def test_lint_step_appends_the_markdown_report_to_the_job_summary(tmp_path: Path) -> None:
    from report_checks import check_markdown

    shutil.copy(
        ROOT / "examples" / "stateful-task" / "broken" / "cloudformation.yaml", tmp_path / "stack.yaml"
    )
    summary = tmp_path / "step-summary.md"
    summary.write_text("Earlier step\n\n")
    done, outputs = run_lint_step(tmp_path, paths="stack.yaml")
    assert outputs == {"exit-code": "1"}, done.stderr
    text = summary.read_text()
    assert text.startswith("Earlier step\n\n## efslint report\n")
    [chart] = check_markdown(text[len("Earlier step\n\n") :])
    assert any("EFS301" in label for label in chart.nodes.values())
    # Annotations are unchanged: the summary is an extra run, not a different one.
    assert all(line.startswith("::") for line in done.stdout.splitlines())


@pytest.mark.skipif(
    shutil.which("efslint", path=str(Path(sys.executable).parent)) is None, reason="no efslint"
)
def test_job_summary_can_be_turned_off(tmp_path: Path) -> None:
    shutil.copy(BROKEN, tmp_path / "td.json")
    summary = tmp_path / "step-summary.md"
    summary.write_text("")
    done, outputs = run_lint_step(tmp_path, paths="td.json", **{"job-summary": "false"})
    assert outputs == {"exit-code": "1"}, done.stderr
    assert summary.read_text() == ""
    assert ACTION["inputs"]["job-summary"]["default"] == "true"
