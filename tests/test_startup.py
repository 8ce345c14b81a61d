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
HEAVY = ("boto3", "botocore", "jsonschema", "cfnlint", "hcl2", "lark", "moto")


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
    from efslint.catalog import data_dir
    from efslint.catalog_cache import cached_documents

    if cached_documents(data_dir("rules")) is None:
        pytest.skip("the compiled catalog is stale; test_catalog_cache.py reports it")
    loaded = imported_modules(str(FIXTURES / "taskdef" / "EFS101-fire.json"))
    assert "efslint.catalog_cache" in loaded
    assert "yaml" not in top_level(loaded), "the compiled catalog is stale: python -m efslint.docs --write"


def test_dataclasses_on_the_start_up_path_have_docstrings() -> None:
    # @dataclass writes a missing docstring from inspect.signature(): a few hundred microseconds
    # per class, which over the model's classes doubled the import time of efslint.model.
    import dataclasses
    import importlib
    import inspect

    paths = [FIXTURES / "taskdef" / "EFS101-fire.json", FIXTURES / "cloudformation" / "EFS101-fire.yaml"]
    modules = set()
    for path in paths:
        if path.exists():
            modules |= {m for m in imported_modules(str(path)) if m.startswith("efslint")}
    missing = []
    for name in sorted(modules):
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if not (inspect.isclass(obj) and dataclasses.is_dataclass(obj) and obj.__module__ == name):
                continue
            if obj.__dict__.get("__doc__") is None or obj.__doc__.startswith(f"{attr}("):
                missing.append(f"{name}.{attr}")
    assert not missing, f"add a docstring to: {', '.join(missing)}"


def test_text_output_does_not_load_openssl() -> None:
    # Fingerprints (JSON, SARIF, baselines) need hashlib; plain text output does not.
    loaded = top_level(imported_modules(str(FIXTURES / "taskdef" / "EFS101-fire.json")))
    assert "hashlib" not in loaded and "_hashlib" not in loaded
