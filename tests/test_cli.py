"""The command line: exit codes, formats, summary line, bad input handling."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from efslint import __version__
from efslint.cli.commands import cli
from efslint.engine.catalog import data_dir

FIXTURES = Path(__file__).parent / "fixtures" / "taskdef"
BROKEN = FIXTURES / "EFS101-fire.json"
CLEAN = FIXTURES / "EFS101-quiet.json"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_findings_exit_1_with_compiler_style_lines() -> None:
    code, out, _ = run(str(BROKEN))
    assert code == 1
    first = next(line for line in out.splitlines() if " EFS101 " in line)
    assert first.startswith(f"{os.path.relpath(BROKEN)}:27:9: EFS101 [error] EFS volume 'data' enables IAM")
    assert out.rstrip().splitlines()[-1].endswith("exit 1: 1 finding(s) at or above 'warning'")


def test_lint_is_the_default_command() -> None:
    assert run(str(BROKEN))[1] == run("lint", str(BROKEN))[1]


def test_clean_file_exits_0_and_summary_counts() -> None:
    code, out, _ = run(str(CLEAN))
    assert code == 0
    assert (
        out.strip()
        == "0 errors, 0 warnings, 0 info in 1 file linted; exit 0: no findings at or above 'warning'"
    )


def test_fail_on_and_exit_zero() -> None:
    warn_only = FIXTURES / "EFS104-fire.json"
    assert run(str(warn_only))[0] == 1
    assert run("--fail-on", "error", str(warn_only))[0] == 0
    code, out, _ = run("--exit-zero", str(BROKEN))
    assert code == 0 and "but --exit-zero" in out


def test_select_and_ignore() -> None:
    _, out, _ = run("--select", "EFS104,EFS105", str(FIXTURES / "EFS104-fire.json"))
    assert {line.split()[1] for line in out.splitlines()[:-1]} == {"EFS104", "EFS105"}
    _, out, _ = run("--ignore", "transit-encryption-disabled", str(FIXTURES / "EFS104-fire.json"))
    assert {line.split()[1] for line in out.splitlines()[:-1]} == {"EFS105", "EFS112"}
    code, _, err = run("--select", "EFS999", str(BROKEN))
    assert code == 2 and "unknown rule or prefix 'EFS999'" in err


def test_json_report_matches_its_schema() -> None:
    from jsonschema import Draft202012Validator

    code, out, err = run("--format", "json", str(FIXTURES))
    doc = json.loads(out)
    schema = json.loads((data_dir("schemas") / "report.schema.json").read_text())
    Draft202012Validator(schema).validate(doc)
    assert code == 1 and doc["summary"]["exit_code"] == 1
    assert doc["summary"]["files"] == len(list(FIXTURES.glob("*.json")))
    assert "in " in err  # the summary goes to stderr for machine formats
    finding = next(
        f
        for f in doc["findings"]
        if f["rule"] == "EFS101" and f["location"]["file"].endswith("EFS101-fire.json")
    )
    assert finding["location"]["line"] == 27 and finding["name"] == "iam-requires-transit-encryption"
    keys = [
        (f["location"]["file"], f["location"]["line"], f["location"]["column"], f["rule"])
        for f in doc["findings"]
    ]
    assert keys == sorted(keys), "findings are sorted by file, line, column, rule"


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, err = run("--format", "json", "--output", str(target), str(BROKEN))
    assert code == 1 and out == ""
    assert [f["rule"] for f in json.loads(target.read_text())["findings"]] == ["EFS112", "EFS101"]
    assert "exit 1" in err


def test_rules_and_explain() -> None:
    code, out, _ = run("rules", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {"EFS101", "EFS112"} <= {r["id"] for r in rows}
    code, out, _ = run("explain", "EFS101")
    assert code == 0
    for heading in ("# EFS101 iam-requires-transit-encryption", "## What it does", "## Why it matters",
                    "## Example", "## Fix", "CloudFormation:", "Terraform:", "Task definition JSON:"):  # fmt: skip
        assert heading in out
    assert run("explain", "iam-requires-transit-encryption")[1] == out
    code, _, err = run("explain", "EFS999")
    assert code == 2 and "unknown rule 'EFS999'" in err


def test_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "efslint", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"efslint, version {__version__}"
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


# -- bad input: one clear line naming the file, exit 2, the rest still linted, never a traceback --


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"family": "x", "containerDefinitions": [}',
            "invalid JSON: unexpected character '}' at line 1 column 42",
        ),
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b'{"family": "caf\xe9"}', "not valid UTF-8 (byte 0xe9 at line 1)"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary file, not text"),
        (b"[" * 10000, "nesting deeper than 200 levels"),
    ],
)
def test_bad_files_are_reported_and_others_still_linted(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    good = tmp_path / "good.json"
    shutil.copy(BROKEN, good)
    code, out, _ = run(str(bad), str(good))
    assert code == 2
    lines = out.splitlines()
    assert any(
        line.startswith(f"{os.path.relpath(bad)}:") and "EFS000 [error] " in line and message in line
        for line in lines
    ), out
    assert any("EFS101" in line for line in lines), "the good file is still linted"
    assert "Traceback" not in out


def test_missing_path(tmp_path: Path) -> None:
    code, out, _ = run(str(tmp_path / "nope.json"))
    assert code == 2 and "nope.json: EFS000 [error] no such file or directory" in out


def test_unreadable_directory_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    # Tests may run as root, which ignores permission bits; simulate the denial the OS would give.
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != locked)
    code, out, _ = run(str(locked))
    assert code == 2 and f"{os.path.relpath(locked)}: EFS000 [error] permission denied" in out


def test_unrelated_json_is_skipped_silently(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "web", "version": "1.0.0"}')
    (tmp_path / "broken-but-not-ours.json").write_text("{not json")
    code, out, _ = run(str(tmp_path))
    assert code == 0
    assert out.strip().startswith("0 errors, 0 warnings, 0 info in 0 files linted")


def test_hidden_and_vendored_folders_are_skipped(tmp_path: Path) -> None:
    for folder in (".git", "node_modules", ".terraform", "cdk.out/asset.1234"):
        (tmp_path / folder).mkdir(parents=True)
        shutil.copy(BROKEN, tmp_path / folder / "td.json")
    shutil.copy(BROKEN, tmp_path / "td.json")
    _, out, _ = run(str(tmp_path))
    assert [line.split(":")[0] for line in out.splitlines() if "EFS101" in line] == [
        os.path.relpath(tmp_path / "td.json")
    ]


def test_explicit_file_of_unknown_kind_is_not_an_error(tmp_path: Path) -> None:
    other = tmp_path / "settings.json"
    other.write_text('{"a": 1}')
    assert run(str(other))[0] == 0


def test_summary_counts_unreadable_files_not_errors() -> None:
    from efslint.findings import Finding, Severity
    from efslint.model import Location
    from efslint.pipeline.result import LintResult

    def parse_error(line: int) -> Finding:
        return Finding("EFS000", "parse-error", Severity.ERROR, "duplicate key", Location("t.yaml", line, 1))

    result = LintResult(findings=[parse_error(3), parse_error(9)])
    assert result.exit_code(Severity.WARNING) == (2, "1 file(s) could not be read or parsed")
