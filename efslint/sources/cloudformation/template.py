"""CloudFormation templates (YAML or JSON; SAM and CDK output included) into the model.

``load_yaml`` parses with :mod:`.yaml_loader` (libyaml, positions kept); JSON arrives already parsed by
:mod:`json_reader`.  Both go through :func:`build_model`: structural checks, duplicate keys,
``# efslint: ignore[...]`` comments, then :class:`~efslint.sources.cloudformation.resources.TemplateMapper`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ...model import Location, Model
from ..errors import InputError
from ..located import LMap, iter_duplicates

# CloudFormation accepts template bodies up to 1 MB (from S3); anything far larger is not a template
# CloudFormation would run, and parsing it would only cost time and memory.
MAX_TEMPLATE_CHARS = 8 * 1024 * 1024
_TEMPLATE_MARK = re.compile(r"^[\"']?Resources[\"']?\s*:", re.MULTILINE)
_TEMPLATE_URL = re.compile(r"""["']?TemplateURL["']?\s*:\s*["']?([^"'\s,}]+)""")
_SUPPRESSION = re.compile(r"#\s*efslint:\s*ignore\[([^\]]*)\]\s*(.*)$")


def load_yaml(path: str, text: str, explicit: bool) -> Model | None:
    """The model of a YAML template; None when the document is not a CloudFormation template."""
    check_size(text)
    from . import yaml_loader as cfn_yaml

    try:
        doc = cfn_yaml.loads(text)
    except InputError:
        # Other YAML dialects mention AWS:: too (CI files, Helm charts) and use their own tags; only
        # a document with a top-level Resources section is ours to report.
        if not explicit and not _TEMPLATE_MARK.search(text):
            return None
        raise
    if not is_template(doc):
        if isinstance(doc, dict) and "Resources" in doc and "AWS::" in text:
            _structure(doc)  # raises with a clear message
        return None
    return build_model(path, doc, text)


def is_template(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("Resources"), dict)


def check_size(text: str) -> None:
    if len(text) > MAX_TEMPLATE_CHARS:
        raise InputError(
            f"template is {len(text) / 1e6:.1f} MB; CloudFormation accepts at most 1 MB and efslint "
            f"reads templates up to {MAX_TEMPLATE_CHARS // 2**20} MiB"
        )


def _structure(doc: Any) -> None:
    resources = doc.get("Resources")
    if not isinstance(resources, dict):
        line, col = doc.pos_of("Resources") if isinstance(doc, LMap) else (0, 0)
        kind = {list: "a list", str: "a string", type(None): "empty", bool: "a boolean"}.get(
            type(resources), "a number"
        )
        raise InputError(
            f"Resources must be a mapping of logical ids to resources, not {kind} (line {line})", line, col
        )


def build_model(path: str, doc: Any, text: str = "") -> Model | None:
    """The model of a parsed template (JSON or YAML)."""
    if not isinstance(doc, dict) or "Resources" not in doc:
        return None
    check_size(text)
    _structure(doc)
    from .resources import TemplateMapper

    try:
        model = TemplateMapper(path, doc).build()
    except RecursionError:
        # Depth is bounded when parsing and resolving; this guards what those bounds cannot see.
        raise InputError("template nests values too deeply to evaluate") from None
    for key, (line, col) in iter_duplicates(doc):
        model.notes.append(
            (
                "EFS000",
                f"duplicate key '{key}' at line {line}; CloudFormation rejects the template",
                Location(path, line, col, key),
            )
        )
    resources = doc["Resources"]
    for name, res in resources.items():
        if not isinstance(res, dict) and not name.startswith("Fn::"):
            line, col = resources.pos_of(name) if isinstance(resources, LMap) else (0, 0)
            model.notes.append(
                (
                    "EFS000",
                    f"resource {name} must be a mapping with Type and Properties",
                    Location(path, line, col, name),
                )
            )
    if text and "efslint:" in text:
        model.line_suppressions[path] = line_suppressions(text)
    return model


def line_suppressions(text: str) -> dict[int, dict[str, str]]:
    """``# efslint: ignore[EFS104, EFS105] reason`` comments by line number."""
    from .resources import rule_key

    found: dict[int, dict[str, str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if "efslint:" not in line:
            continue
        match = _SUPPRESSION.search(line)
        if not match:
            continue
        reason = match.group(2).strip()
        for key in match.group(1).split(","):
            if key.strip():
                found.setdefault(number, {})[rule_key(key)] = reason
    return found


def nested_templates(path: Path, text: str) -> list[Path]:
    """Local files named by ``TemplateURL`` of nested stacks (``AWS::CloudFormation::Stack``).

    Before ``aws cloudformation package`` uploads them, nested templates are paths relative to the
    parent template; each one found is linted as its own template.  URLs (``https://``, ``s3://``)
    and computed values are not followed.
    """
    found: list[Path] = []
    for match in _TEMPLATE_URL.finditer(text):
        url = match.group(1)
        if "://" in url or url.startswith(("!", "{", "$")):
            continue
        child = path.parent / url
        if child.is_file() and child not in found:
            found.append(child)
    return found
