"""JUnit XML: one test case per rule and file; failures carry the messages; parse errors are errors."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from efslint.cli.commands import cli
from efslint.engine.catalog import Catalog

TASKDEFS = Path(__file__).parent / "fixtures" / "taskdef"
BROKEN = TASKDEFS / "EFS101-fire.json"  # EFS101 error at 27:9, EFS112 info at 25:7
CLEAN = TASKDEFS / "EFS101-quiet.json"


def junit(*args: str) -> tuple[int, ET.Element]:
    result = CliRunner().invoke(cli, ["--format", "junit", *args], catch_exceptions=False)
    return result.exit_code, ET.fromstring(result.stdout)


def cases(root: ET.Element) -> dict[tuple[str, str], ET.Element]:
    return {(c.get("classname", ""), c.get("name", "").split()[0]): c for c in root.iter("testcase")}


def test_one_case_per_rule_and_file() -> None:
    code, root = junit(str(BROKEN), str(CLEAN))
    assert code == 1
    rules = [r.id for r in Catalog.load() if r.id != "EFS000"]
    files = sorted(os.path.relpath(p) for p in (BROKEN, CLEAN))
    got = cases(root)
    assert set(got) == {(f, r) for f in files for r in rules}
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("tests") == str(len(files) * len(rules)) and suite.get("failures") == "1"
    assert root.get("failures") == "1" and suite.get("errors") == "0"
    assert got[(files[0], "EFS101")].get("name") == "EFS101 iam-requires-transit-encryption"


def test_failure_carries_the_message_and_info_stays_green() -> None:
    _, root = junit(str(BROKEN))
    got = cases(root)
    path = os.path.relpath(BROKEN)
    failure = got[(path, "EFS101")].find("failure")
    assert failure is not None
    assert failure.get("type") == "EFS101 [error]"
    assert failure.get("message", "").startswith("EFS volume 'data' enables IAM authorization")
    assert (failure.text or "").startswith(f"{path}:27:9: EFS101 [error] EFS volume 'data'")
    info = got[(path, "EFS112")]
    assert info.find("failure") is None, "below --fail-on: not a failure, like the exit code"
    assert f"{path}:25:7: EFS112 [info]" in (info.findtext("system-out") or "")
    _, root = junit("--fail-on", "info", str(BROKEN))
    assert cases(root)[(path, "EFS112")].find("failure") is not None


def test_select_limits_cases_and_parse_errors_are_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"containerDefinitions": [}')
    good = tmp_path / "good.json"
    shutil.copy(BROKEN, good)
    code, root = junit("--select", "EFS101", str(bad), str(good))
    assert code == 2
    got = cases(root)
    assert set(got) == {
        (os.path.relpath(bad), "EFS000"),
        (os.path.relpath(good), "EFS101"),
    }
    error = got[(os.path.relpath(bad), "EFS000")].find("error")
    assert error is not None and "invalid JSON" in error.get("message", "")
    assert root.get("errors") == "1" and root.get("failures") == "1"
