"""Find input files, classify them by content, and hand each to its front-end.

Classification is by content, not by name: a CloudFormation template has ``Resources`` with
``AWS::`` types, a task definition has ``containerDefinitions``, a plan has ``format_version`` and
``planned_values``; ``.tf`` and ``.tf.json`` files are Terraform.  Anything else is skipped
silently.  A file that cannot be parsed is reported (EFS000) when it was named explicitly or its
text shows it is ours.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

from ..model import Location, Model
from ..record import Record, field
from ..sources.errors import InputError
from ..sources.files import display_path, file_problem, is_directory, os_problem, read_text, safe_resolve

JSON_SUFFIXES = (".json",)
YAML_SUFFIXES = (".yaml", ".yml", ".template", ".cfn")
# Terraform files by name: HCL, and the same configuration in Terraform's JSON syntax.
TF_SUFFIXES = (".tf", ".tf.json")
# Folders that never hold a user's own infrastructure code.
SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages", "vendor"})
_OURS = ("AWS::", "containerDefinitions", 'resource "aws_', "planned_values", "containerProperties")


class Discovery(Record):
    """What to lint: loose files by kind, Terraform modules, and errors met on the way."""

    files: list[tuple[Path, bool]] = field(default_factory=list)  # (path, named explicitly)
    modules: dict[Path, list[Path]] = field(default_factory=dict)  # directory -> requested .tf
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, message)


def _skip_dir(name: str) -> bool:
    return name.startswith(".") or name in SKIP_DIRS or name.startswith("asset.")


def discover(paths: Iterable[str], exclude: Any = None) -> Discovery:
    """Walk ``paths``; ``exclude(path) -> bool`` drops files (applied to explicit paths too)."""
    found = Discovery()
    named: set[Path] = set()  # resolved paths of files named explicitly or as nested templates
    for raw in paths:
        path = Path(raw)
        if is_directory(path):
            if not os.access(path, os.R_OK | os.X_OK):
                found.errors.append((display_path(path), "permission denied"))
                continue
            for file in _walk(path, found):
                if not (exclude and exclude(file)):
                    _add(found, file, explicit=False)
            continue
        # Loops, dangling links, FIFOs and the like are named here, before anything opens them.
        problem = file_problem(path)
        if problem is not None:
            found.errors.append((display_path(path), problem))
        elif not (exclude and exclude(path)):
            # A nested template may already have been added through its parent.
            resolved = safe_resolve(path)
            if path.name.endswith(TF_SUFFIXES) or resolved not in named:
                named.add(resolved)
                _add(found, path, explicit=True)
            _add_nested_templates(found, path, exclude, named)
    return found


def _add_nested_templates(found: Discovery, path: Path, exclude: Any, named: set[Path]) -> None:
    """Nested stack templates a named CloudFormation template points to with a local TemplateURL."""
    if path.suffix not in JSON_SUFFIXES + YAML_SUFFIXES:
        return
    try:
        if path.stat().st_size > 1024 * 1024:
            return
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    if "AWS::CloudFormation::Stack" not in text:
        return
    cloudformation = import_module("efslint.sources.cloudformation.template")
    for child in cloudformation.nested_templates(path, text):
        resolved = safe_resolve(child)
        if resolved not in named and not (exclude and exclude(child)):
            named.add(resolved)
            _add(found, child, explicit=True)


def _walk(root: Path, found: Discovery) -> Iterator[Path]:
    def onerror(exc: OSError) -> None:
        where = exc.filename or root
        found.errors.append((display_path(Path(where)), os_problem(where, exc)))

    for directory, dirnames, filenames in os.walk(root, onerror=onerror):
        dirnames[:] = sorted(d for d in dirnames if not _skip_dir(d))
        for name in sorted(filenames):
            if name.endswith(JSON_SUFFIXES + YAML_SUFFIXES + TF_SUFFIXES):
                path = Path(directory, name)
                # os.walk lists links to nowhere, loops, FIFOs and sockets among the files: one
                # line each, and never an open (a FIFO would wait for a writer forever).  A bad
                # `.tf` file is reported by its module, which cannot be loaded without it.
                problem = None if name.endswith(TF_SUFFIXES) else file_problem(path)
                if problem is None:
                    yield path
                else:
                    found.errors.append((display_path(path), problem))


def _add(found: Discovery, path: Path, explicit: bool) -> None:
    if path.name.endswith(TF_SUFFIXES):
        found.modules.setdefault(path.parent, []).append(path)
    elif path.suffix in JSON_SUFFIXES + YAML_SUFFIXES or explicit:
        found.files.append((path, explicit))


def error_model(path: str, error: InputError) -> Model:
    model = Model(source=path)
    model.notes.append(("EFS000", error.message, Location(path, error.line, error.column, path)))
    return model


def load_file(path: Path, explicit: bool) -> Model | None:
    """The model of one JSON or YAML file, or None when the file is not ours."""
    shown = display_path(path)
    try:
        text = read_text(path)
    except InputError as exc:
        return error_model(shown, exc) if explicit else None
    try:
        if path.suffix in JSON_SUFFIXES or text.lstrip().startswith(("{", "[")):
            return _load_json(shown, text, explicit)
        if "AWS::" not in text and not explicit:
            return None
        cloudformation = import_module("efslint.sources.cloudformation.template")
        return cloudformation.load_yaml(shown, text, explicit)
    except InputError as exc:
        if explicit or any(marker in text for marker in _OURS):
            return error_model(shown, exc)
        return None


def _load_json(shown: str, text: str, explicit: bool) -> Model | None:
    from ..sources import json_reader
    from ..sources.taskdef import task_definition as taskdef

    if '"AWS::' in text and '"Resources"' in text and '"planned_values"' not in text:
        # A CloudFormation template: refuse an oversized one before paying for the parse.
        import_module("efslint.sources.cloudformation.template").check_size(text)
    doc = json_reader.loads(text)
    if taskdef.looks_like_task_definitions(doc):
        return taskdef.build_model(shown, doc)
    if "jobDefinition" in text:
        batch_job = import_module("efslint.sources.taskdef.batch_job")
        if batch_job.looks_like_job_definitions(doc):
            return batch_job.build_model(shown, doc)
    if (
        isinstance(doc, dict)
        and "format_version" in doc
        and ("planned_values" in doc or "configuration" in doc)
    ):
        return import_module("efslint.sources.terraform.plan").build_model(shown, doc)
    if isinstance(doc, dict) and "Resources" in doc and "AWS::" in text:
        return import_module("efslint.sources.cloudformation.template").build_model(shown, doc, text)
    return None


def load_module(directory: Path, requested: list[Path]) -> Model:
    terraform = import_module("efslint.sources.terraform.load")
    return terraform.load_module(directory, requested)


def load_all(found: Discovery) -> Iterator[Model]:
    """Models for everything discovered, in a stable order (errors first)."""
    for raw, message in found.errors:
        yield error_model(raw, InputError(message))
    for path, explicit in found.files:
        model = load_file(path, explicit)
        if model is not None:
            yield model
    for directory in sorted(found.modules):
        try:
            yield load_module(directory, found.modules[directory])
        except ModuleNotFoundError as exc:
            if exc.name != "efslint.sources.terraform.load":
                raise
