"""The benchmark corpus is what the benchmark claims: seeded, 200-800-line stacks that parse and
that efslint reads as CloudFormation, Terraform and task definitions (not skipped, no EFS000)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.pipeline.lint import lint_paths

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus_gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_gen", ROOT / "bench" / "corpus_gen.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_gen"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(corpus_gen, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    return corpus_gen.generate(tmp_path_factory.mktemp("corpus"), 6, seed=7)


def text_of(path: Path) -> str:
    return "".join(p.read_text() for p in sorted(path.iterdir())) if path.is_dir() else path.read_text()


def test_every_stack_is_200_to_800_lines(generated: dict[str, list[Path]]) -> None:
    for kind, paths in generated.items():
        assert len(paths) == 6, kind
        for path in paths:
            lines = text_of(path).count("\n")
            assert 200 <= lines <= 800, f"{path}: {lines} lines"


def test_stacks_parse_and_hold_efs_among_other_resources(generated: dict[str, list[Path]]) -> None:
    class Tags(yaml.SafeLoader):
        pass

    Tags.add_multi_constructor("!", lambda loader, suffix, node: None)
    for path in generated["cfn-yaml"] + generated["cfn-json"]:
        doc = json.loads(path.read_text()) if path.suffix == ".json" else yaml.load(path.read_text(), Tags)
        types = {r["Type"] for r in doc["Resources"].values()}
        assert {"AWS::EFS::FileSystem", "AWS::ECS::TaskDefinition", "AWS::ECS::Service"} <= types
        assert len(types) >= 12, "EFS resources sit among unrelated ones"
    for path in generated["taskdef"]:
        assert "efsVolumeConfiguration" in path.read_text()
    for path in generated["terraform"]:
        assert 'resource "aws_efs_file_system"' in text_of(path)


def test_same_seed_same_bytes(corpus_gen, tmp_path: Path) -> None:
    first = corpus_gen.generate(tmp_path / "a", 2, seed=3)
    second = corpus_gen.generate(tmp_path / "b", 2, seed=3)
    for kind in first:
        assert [text_of(p) for p in first[kind]] == [text_of(p) for p in second[kind]]


def test_efslint_reads_every_kind(generated: dict[str, list[Path]]) -> None:
    engine = Engine(Catalog.load())
    for kind, paths in generated.items():
        result = lint_paths(engine, [str(p) for p in paths], jobs=1)
        assert not result.errors, [f.message for f in result.errors]
        assert len(result.files) >= len(paths), f"{kind}: some stacks were not recognised"
    findings = lint_paths(engine, [str(p) for p in generated["cfn-yaml"]], jobs=1).findings
    assert findings, "a third of the stacks carry a mistake; six should show at least one"


def test_scale_template_has_the_resources_asked_for(corpus_gen) -> None:
    template = corpus_gen.scale_template(625)
    assert 600 <= len(template["Resources"]) <= 625
