"""The compiled catalog is the YAML catalog, and a stale copy is never used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from efslint.engine import catalog_cache
from efslint.engine.catalog import builtin_rules, data_dir, load_rules_from


def test_compiled_catalog_is_fresh() -> None:
    assert catalog_cache.cached_documents(data_dir("rules")) is not None, (
        "efslint/rules.compiled.json does not match rules/*.yaml; run: python -m efslint.engine.rule_docs --write (or python -m efslint.engine.catalog_cache)"
    )


def test_compiled_catalog_equals_the_yaml_catalog() -> None:
    from_yaml = load_rules_from(data_dir("rules"), builtin=True)
    assert [vars(r) for r in builtin_rules()] == [vars(r) for r in from_yaml]


def test_a_changed_rule_file_makes_the_copy_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(data_dir("rules"), rules)
    monkeypatch.setattr(catalog_cache, "COMPILED", tmp_path / "compiled.json")
    catalog_cache.COMPILED.write_text(
        __import__("json").dumps(catalog_cache.compile_catalog(rules)), encoding="utf-8"
    )
    documents = catalog_cache.cached_documents(rules)
    assert documents is not None and len(documents) == len(list(rules.glob("*.yaml")))

    first = sorted(rules.glob("*.yaml"))[0]
    first.write_text(first.read_text().replace("severity:", "severity: ", 1))
    assert catalog_cache.cached_documents(rules) is None
    first.unlink()
    assert catalog_cache.cached_documents(rules) is None


def test_unreadable_or_foreign_copy_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_cache, "COMPILED", tmp_path / "missing.json")
    assert catalog_cache.cached_documents(data_dir("rules")) is None
    (tmp_path / "bad.json").write_text("{not json")
    monkeypatch.setattr(catalog_cache, "COMPILED", tmp_path / "bad.json")
    assert catalog_cache.cached_documents(data_dir("rules")) is None
    (tmp_path / "old.json").write_text('{"format": 0, "checksum": "x", "rules": []}')
    monkeypatch.setattr(catalog_cache, "COMPILED", tmp_path / "old.json")
    assert catalog_cache.cached_documents(data_dir("rules")) is None
