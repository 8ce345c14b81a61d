"""efslint's rules inside the real cfn-lint (``cfn-lint --append-rules``)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from efslint.engine.catalog import Catalog
from efslint.integrations.cfn_lint import RULES_DIR, cfn_lint_id

FIXTURES = Path(__file__).parent / "fixtures" / "cloudformation"
CFN_LINT = shutil.which(
    "cfn-lint", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
)
needs_cfn_lint = pytest.mark.skipif(CFN_LINT is None, reason="cfn-lint is not installed")
_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+):\d+:\d+:(?P<id>[EWI]\d+):(?P<message>.*)$")


def cfn_lint(*paths: Path) -> list[tuple[str, int, int, str, str]]:
    result = subprocess.run(
        [
            CFN_LINT,
            "--append-rules",
            str(RULES_DIR),
            "--format",
            "parseable",
            "-c",
            "I",
            "--",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    found = []
    for line in result.stdout.splitlines():
        match = _LINE.match(line)
        if match and match["id"][1] == "9":
            found.append(
                (
                    Path(match["file"]).name,
                    int(match["line"]),
                    int(match["col"]),
                    match["id"],
                    match["message"],
                )
            )
    return found


def test_ids_are_in_the_custom_range_with_the_severity_letter() -> None:
    assert cfn_lint_id("EFS101", "error") == "E9101"
    assert cfn_lint_id("EFS302", "warning") == "W9302"
    assert cfn_lint_id("EFS112", "info") == "I9112"


def test_python_m_prints_the_rules_directory() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "efslint.integrations.cfn_lint"], capture_output=True, text=True, check=True
    )
    assert Path(out.stdout.strip()) == RULES_DIR
    assert (RULES_DIR / "efslint_rules.py").is_file()


@needs_cfn_lint
def test_findings_come_out_of_cfn_lint_with_efslint_positions() -> None:
    found = cfn_lint(FIXTURES / "EFS101-fire.yaml", FIXTURES / "EFS302-fire.yaml")
    ours = {(name, line, col, ident) for name, line, col, ident, _ in found}
    assert {
        ("EFS101-fire.yaml", 27, 13, "E9101"),
        ("EFS101-fire.yaml", 32, 11, "E9101"),
        ("EFS302-fire.yaml", 38, 3, "W9302"),
    } <= ours
    message = next(m for name, line, _, ident, m in found if ident == "E9101" and line == 27)
    assert message.startswith("EFS volume 'explicit' enables IAM authorization") and message.endswith(
        "[EFS101]"
    )


@needs_cfn_lint
def test_quiet_fixture_and_suppressions_stay_quiet(tmp_path: Path) -> None:
    text = (
        (FIXTURES / "EFS104-fire.yaml")
        .read_text()
        .replace("TransitEncryption: DISABLED", "TransitEncryption: DISABLED  # efslint: ignore[EFS104] lab")
    )
    (tmp_path / "suppressed.yaml").write_text(text)
    found = cfn_lint(FIXTURES / "EFS101-quiet.yaml", tmp_path / "suppressed.yaml")
    assert not [f for f in found if f[3] == "E9101"]
    assert [(f[0], f[1]) for f in found if f[3] == "W9104"] == [("suppressed.yaml", 20)]


@needs_cfn_lint
def test_every_cloudformation_rule_has_a_cfn_lint_rule() -> None:
    out = subprocess.run(
        [CFN_LINT, "--append-rules", str(RULES_DIR), "--list-rules"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    expected = {
        cfn_lint_id(r.id, str(r.severity))
        for r in Catalog.load()
        if "C" in r.applies and r.id not in ("EFS000", "EFS001")
    }
    listed = set(re.findall(r"^([EWI]9\d{3})\b", out, re.MULTILINE))
    assert expected <= listed
