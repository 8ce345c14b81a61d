"""The rule catalog: well-formed files, complete documentation, generated docs kept fresh."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from efslint.engine.catalog import Catalog, RuleError, builtin_rules, data_dir, validate_rule_document
from efslint.engine.rule_docs import rule_markdown, rule_table

ROOT = Path(__file__).resolve().parent.parent
RULES = sorted((ROOT / "rules").glob("*.yaml"))


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.stem)
def test_rule_file_is_valid(path: Path) -> None:
    doc = yaml.safe_load(path.read_text())
    validate_rule_document(doc, path)
    assert path.stem == f"{doc['id']}-{doc['name']}", "file name must be <id>-<name>.yaml"


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.stem)
def test_rule_documentation_is_complete(path: Path) -> None:
    doc = yaml.safe_load(path.read_text())
    docs = doc["docs"]
    for section in ("what", "why", "fix"):
        assert len(docs[section].strip()) >= 10, f"{section} is too short"
    if doc["id"] not in ("EFS000", "EFS001"):
        assert docs.get("example"), "rules need an example of the mistake"
        assert doc.get("references"), "rules cite the AWS documentation they rely on"
    assert not doc["title"].lower().startswith("ensure"), "titles state what was found"
    markdown = rule_markdown(Catalog(builtin_rules()).get(doc["id"]))
    for heading in ("## What it does", "## Why it matters", "## Fix"):
        assert heading in markdown


def test_catalog_ids_and_names_are_unique_and_match_rules_md() -> None:
    rules = list(builtin_rules())
    assert len({r.id for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)
    shared = ROOT.parent / "shared" / "RULES.md"
    if not shared.exists():
        pytest.skip("../shared/RULES.md is not available here")
    catalog = dict(re.findall(r"^\| (EFS\d{3}) \| ([a-z0-9-]+) \|", shared.read_text(), re.M))
    for rule in rules:
        if rule.id in catalog:
            assert catalog[rule.id] == rule.name, f"{rule.id} must be named {catalog[rule.id]}"


def test_selection_by_id_name_and_prefix() -> None:
    catalog = Catalog(builtin_rules())
    assert [r.id for r in catalog.resolve("EFS101")] == ["EFS101"]
    assert [r.id for r in catalog.resolve("transit-encryption-disabled")] == ["EFS104"]
    assert {r.id for r in catalog.resolve("EFS10")} >= {"EFS101", "EFS109"}
    assert all(r.id.startswith("EFS1") for r in catalog.resolve("EFS1"))
    selected = catalog.select(select=["EFS1"], ignore=["EFS112", "iam-authorization-disabled"])
    ids = {r.id for r in selected}
    assert "EFS101" in ids and "EFS112" not in ids and "EFS105" not in ids
    with pytest.raises(KeyError):
        catalog.resolve("EFS999")
    with pytest.raises(KeyError):
        catalog.resolve("no-such-rule")


def test_user_rule_file_is_validated(tmp_path: Path) -> None:
    bad = tmp_path / "ORG001-bad.yaml"
    bad.write_text("id: ORG001\nname: bad\nseverity: fatal\n")
    with pytest.raises(RuleError, match=r"ORG001-bad\.yaml: invalid rule"):
        Catalog.load([tmp_path])


def test_data_dirs_are_found() -> None:
    assert (data_dir("rules") / "EFS101-iam-requires-transit-encryption.yaml").exists()
    assert (data_dir("schemas") / "rule.schema.json").exists()


def test_readme_rule_table_is_fresh() -> None:
    readme = (ROOT / "README.md").read_text()
    table = rule_table(Catalog(builtin_rules()))
    assert table in readme, "README rule table is stale: run `python -m efslint.engine.rule_docs --write`"


def test_generated_rule_docs_are_fresh() -> None:
    for rule in Catalog(builtin_rules()):
        page = ROOT / "docs" / "rules" / f"{rule.id}.md"
        assert page.exists() and page.read_text() == rule_markdown(rule), (
            f"{page} is stale: run `python -m efslint.engine.rule_docs --write`"
        )
