"""Freeze, then compare, the findings (rule, file, line) efslint gives on every Terraform module it
knows of: the test fixtures, the examples and, when it is present, the shared corpus of real public
modules (``../shared/corpus``, never copied into the project: only its findings are written).

    .venv/bin/python bench/tf_equivalence.py --write bench/tf-findings.json   # freeze
    .venv/bin/python bench/tf_equivalence.py --check bench/tf-findings.json   # compare, print the diff

Used to show that swapping the HCL parser changed no finding, or which ones it changed and why.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def module_dirs() -> list[tuple[str, Path]]:
    """(label root, directory) for every directory holding Terraform files."""
    found: list[tuple[str, Path]] = []
    for label, base in (
        ("repo", ROOT / "tests" / "fixtures"),
        ("repo", ROOT / "examples"),
        ("corpus", CORPUS),
    ):
        if not base.is_dir():
            continue
        dirs = {p.parent for p in base.rglob("*.tf")} | {p.parent for p in base.rglob("*.tf.json")}
        found.extend((label, d) for d in sorted(dirs))
    return found


def findings() -> list[dict[str, object]]:
    from efslint.engine.catalog import Catalog
    from efslint.engine.runner import Engine
    from efslint.pipeline.lint import lint_paths

    engine = Engine(Catalog.load())
    out: list[dict[str, object]] = []
    for label, directory in module_dirs():
        base = ROOT if label == "repo" else CORPUS
        os.chdir(base)
        result = lint_paths(engine, [str(directory.relative_to(base))], jobs=1)
        for f in result.findings:
            out.append(
                {
                    "set": label,
                    "rule": f.rule_id,
                    "file": f.location.file,
                    "line": f.location.line,
                    "message": f.message,
                }
            )
    os.chdir(ROOT)
    out.sort(key=lambda f: (str(f["set"]), str(f["file"]), int(f["line"]), str(f["rule"]), str(f["message"])))
    return out


def key(f: dict[str, object]) -> tuple[object, ...]:
    return (f["set"], f["rule"], f["file"], f["line"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path)
    group.add_argument("--check", type=Path)
    args = parser.parse_args()
    current = findings()
    if args.write:
        args.write.write_text(json.dumps(current, indent=1) + "\n")
        print(f"{len(current)} findings written to {args.write}")
        return 0
    frozen = json.loads(args.check.read_text())
    if not CORPUS.is_dir():
        frozen = [f for f in frozen if f["set"] != "corpus"]
    before, after = {key(f): f for f in frozen}, {key(f): f for f in current}
    gone = [before[k] for k in sorted(before.keys() - after.keys(), key=str)]
    new = [after[k] for k in sorted(after.keys() - before.keys(), key=str)]
    for sign, items in (("-", gone), ("+", new)):
        for f in items:
            print(f"{sign} [{f['set']}] {f['file']}:{f['line']} {f['rule']} {f['message']}")
    print(f"{len(frozen)} frozen, {len(current)} now: {len(gone)} gone, {len(new)} new")
    return 1 if gone or new else 0


if __name__ == "__main__":
    sys.exit(main())
