"""Start-up budget, as facts rather than times: what a command imports.

A pre-commit hook pays efslint's start-up on every commit, and importing boto3, jsonschema,
cfn-lint or the HCL parser costs more than the whole budget.  ``-X importtime`` lists every module
a process imports; these tests fail when a heavy library creeps onto a path that does not need it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
# The HCL parser (tree-sitter and its grammar) counts as heavy: only a linted .tf file may load it.
HEAVY = (
    "boto3",
    "botocore",
    "jsonschema",
    "cfnlint",
    "tree_sitter",
    "tree_sitter_hcl",
    "hcl2",
    "lark",
    "moto",
)


def imported_modules(*args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "efslint", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    assert names, proc.stderr[-2000:]
    return names


def top_level(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def test_version_imports_nothing_but_the_package() -> None:
    loaded = top_level(imported_modules("--version"))
    assert not loaded & {*HEAVY, "click", "yaml", "json"}, sorted(loaded & {*HEAVY, "click", "yaml"})


def test_linting_a_task_definition_imports_no_heavy_library() -> None:
    loaded = top_level(imported_modules(str(FIXTURES / "taskdef" / "EFS101-fire.json")))
    assert "efslint" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_linting_a_template_imports_no_heavy_library() -> None:
    template = FIXTURES / "cloudformation" / "EFS101-fire.yaml"
    if not template.exists():
        template = FIXTURES / "taskdef" / "EFS101-fire.json"
    loaded = top_level(imported_modules(str(template)))
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_linting_a_task_definition_does_not_import_yaml() -> None:
    # The compiled catalog (efslint/rules.compiled.json) spares YAML on JSON-only runs.
    from efslint.engine.catalog import data_dir
    from efslint.engine.catalog_cache import cached_documents

    if cached_documents(data_dir("rules")) is None:
        pytest.skip("the compiled catalog is stale; test_catalog_cache.py reports it")
    loaded = imported_modules(str(FIXTURES / "taskdef" / "EFS101-fire.json"))
    assert "efslint.engine.catalog_cache" in loaded
    assert "yaml" not in top_level(loaded), (
        "the compiled catalog is stale: python -m efslint.engine.rule_docs --write"
    )


@pytest.mark.parametrize("path", ["taskdef/EFS101-fire.json", "cloudformation/EFS101-fire.yaml"])
def test_a_plain_lint_imports_neither_click_nor_dataclasses(path: str) -> None:
    # Click (via `efslint/argv.py`) and dataclasses with `inspect` (via `efslint/record.py`) were
    # together about 40% of a one-template run.
    names = imported_modules(str(FIXTURES / path))
    unwanted = top_level(names) & {"click", "dataclasses", "inspect"}
    # Only a baseline run needs the baseline module, and only worker processes need pickle.
    unwanted |= names & {"efslint.engine.baseline", "pickle"}
    assert "efslint.cli.lint" in names
    assert not unwanted, sorted(unwanted)


def test_text_output_does_not_load_openssl() -> None:
    # Fingerprints (JSON, SARIF, baselines) need hashlib; plain text output does not.
    loaded = top_level(imported_modules(str(FIXTURES / "taskdef" / "EFS101-fire.json")))
    assert "hashlib" not in loaded and "_hashlib" not in loaded


def test_the_collector_is_paused_for_imports_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # __main__ pauses garbage collection while the linter is imported; linting itself must run
    # with it back on (units.py collects per input), and the imported objects frozen out of it.
    import gc

    import efslint.cli.lint
    from efslint import __main__

    seen: dict[str, object] = {}

    def fake_run_lint(**params: object) -> None:
        seen.update(enabled=gc.isenabled(), frozen=gc.get_freeze_count(), paths=params["paths"])

    monkeypatch.setattr(efslint.cli.lint, "run_lint", fake_run_lint)
    monkeypatch.setattr("sys.argv", ["efslint", "some.yaml"])
    try:
        __main__.main()
    finally:
        gc.unfreeze()
        gc.enable()
    assert seen["enabled"] is True
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 0
    assert seen["paths"] == ("some.yaml",)


def test_linting_terraform_imports_the_hcl_parser_and_not_python_hcl2() -> None:
    # The other side of the tests above: the heavy list names what Terraform really loads.
    loaded = top_level(imported_modules(str(FIXTURES / "terraform" / "volume-good")))
    assert {"tree_sitter", "tree_sitter_hcl"} <= loaded
    assert not loaded & {"hcl2", "lark"}


# Reporters are loaded with importlib.import_module, which -X importtime does not list; what they
# import with an import statement it does.
REPORT_MODULES = {
    "efslint.report.topology",
    "efslint.report.sections",
    "efslint.report.markdown_format",
    "efslint.report.html_format",
    "efslint.report.svg_diagram",
    "efslint.report.diagram_layout",
}


def test_a_plain_text_lint_imports_no_topology_report_code() -> None:
    names = imported_modules(str(FIXTURES / "cloudformation" / "EFS101-fire.yaml"))
    assert "efslint.report" in names
    assert not names & REPORT_MODULES, sorted(names & REPORT_MODULES)


def test_the_markdown_report_imports_its_modules_and_no_html() -> None:
    names = imported_modules("--format", "markdown", str(FIXTURES / "cloudformation" / "EFS101-fire.yaml"))
    assert {"efslint.report.sections", "efslint.report.topology"} <= names
    assert not names & {"efslint.report.svg_diagram", "efslint.report.diagram_layout"}
