"""A compiled copy of the bundled rule catalog: one JSON file instead of 40+ YAML files at start-up.

Parsing every ``rules/*.yaml`` costs more than a pre-commit hook's whole start-up budget (PyYAML's
import plus the documents), while the same documents as JSON load in about a millisecond.  The
compiled file records a checksum of the rule files it was made from; at start-up the rule files
are read (cheap) and checksummed, and the compiled copy is used only when it matches, so a stale
copy can cost time but never change behaviour.  ``tests/test_catalog_cache.py`` keeps it fresh.

Regenerate after editing a rule: ``python -m efslint.engine.rule_docs --write`` (docs, README table and this
file) or ``python -m efslint.engine.catalog_cache`` (this file only).
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

from .rule_files import data_dir, load_rule_yaml

COMPILED = Path(__file__).resolve().parent.parent / "rules.compiled.json"
FORMAT = 1


def fingerprint(directory: Path) -> tuple[list[Path], str]:
    """The rule files and a checksum of their names and bytes."""
    paths = sorted(directory.glob("*.yaml"))
    crc = 0
    size = 0
    for path in paths:
        data = path.read_bytes()
        crc = zlib.crc32(path.name.encode() + b"\0" + data, crc)
        size += len(data)
    return paths, f"{len(paths)}:{size}:{crc:08x}"


def cached_documents(directory: Path) -> list[tuple[Path, dict[str, Any]]] | None:
    """``(path, document)`` per rule file from the compiled copy, or None when it is stale."""
    try:
        compiled = json.loads(COMPILED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(compiled, dict) or compiled.get("format") != FORMAT:
        return None
    paths, checksum = fingerprint(directory)
    if compiled.get("checksum") != checksum:
        return None
    documents = compiled["rules"]
    if [p.name for p in paths] != [name for name, _ in documents]:
        return None
    return [(directory / name, doc) for name, doc in documents]


def compile_catalog(directory: Path) -> dict[str, Any]:
    """The compiled form of ``directory``; raises ValueError if a document does not survive JSON."""
    paths, checksum = fingerprint(directory)
    documents = []
    for path in paths:
        doc = load_rule_yaml(path)
        if json.loads(json.dumps(doc)) != doc:
            raise ValueError(f"{path}: rule document has values JSON cannot hold (dates, non-string keys)")
        documents.append([path.name, doc])
    return {"format": FORMAT, "checksum": checksum, "rules": documents}


def write(directory: Path | None = None) -> Path:
    compiled = compile_catalog(directory or data_dir("rules"))
    COMPILED.write_text(
        json.dumps(compiled, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    return COMPILED


if __name__ == "__main__":
    print(f"wrote {write()}")
