"""Terraform HCL front-end: a directory is one module.

Linting one ``.tf`` file loads every sibling ``.tf`` file (and local child modules) to resolve
references, but findings are reported only for the files that were asked for — this is how
pre-commit calls us with just the changed files.  Pipeline: :mod:`hcl` parses each file once,
:mod:`module` and :mod:`evaluate` resolve values, :mod:`resources` maps resources into the
model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...model import Location, Model
from ..errors import InputError
from ..files import display_path, safe_resolve
from .hcl import ParsedFile
from .module import (
    Entries,
    Instance,
    Module,
    Resource,
    directory_entries,
    forget_parsed,
    load_tfvars,
    module_files,
    parse_tf,
)
from .resources import Record, build


def load_module(directory: Path, requested: list[Path]) -> Model:
    try:
        return _load_files(Path(directory), requested)
    finally:
        forget_parsed()


def _load_files(directory: Path, requested: list[Path]) -> Model:
    shown = {display_path(p) for p in requested}
    model = Model(source=display_path(directory), report_files=shown)
    parsed: list[ParsedFile] = []
    entries = directory_entries(directory)
    for path in module_files(directory, entries):
        name = display_path(path)
        try:
            parsed.append(parse_tf(path))
        except InputError as exc:
            model.notes.append(("EFS000", exc.message, Location(name, exc.line, exc.column, name)))
    if model.notes:
        # A module missing one of its files would give findings we cannot stand behind.
        model.report_files = shown | {loc.file for _, _, loc in model.notes}
        return model
    asked = set(shown)
    try:
        return _load(directory, entries, parsed, model)
    except InputError as exc:
        # An expression built on first read that we cannot take (nested too deeply without
        # brackets): the module fails as a whole, as a syntax error does.
        where = exc.file or model.source
        failed = Model(source=model.source, report_files=asked | {where})
        failed.notes.append(("EFS000", exc.message, Location(where, exc.line, exc.column, where)))
        return failed


def _load(directory: Path, entries: Entries, parsed: list[ParsedFile], model: Model) -> Model:
    tfvars, origins = load_tfvars(directory, entries)
    root = Module(directory, parsed, tfvars=tfvars, tfvars_origin=origins)
    for file in parsed:
        if file.suppressions:
            model.line_suppressions[file.path] = file.suppressions
    # Instances of one repeated module call share its files: report each duplicate once.
    duplicates = dict.fromkeys(d for module in root.all_modules() for d in module.duplicates)
    for what, first, second in duplicates:
        where = Location(*second, second[0])
        model.notes.append(("EFS000", duplicate_message(what, first, second), where))
        model.report_files.add(second[0])
    try:
        build(model, records(root), escaped=escaped_targets(root))
    finally:
        root.release()
    if root.files_read:
        inside = safe_resolve(directory)
        for path in root.files_read:
            if path.parent == inside:
                model.report_files.add(display_path(path))
    return model


def duplicate_message(what: str, first: tuple[str, int, int], second: tuple[str, int, int]) -> str:
    # Both files are in one module directory: the file name alone says which.
    where = f"line {first[1]}" if first[0] == second[0] else f"{Path(first[0]).name}:{first[1]}"
    checked = "efslint checks both blocks" if "resource" in what else "efslint reads the first"
    return (
        f"{what} is declared twice in one module, at {where} and here; Terraform refuses the "
        f"module (duplicate configuration), and {checked}"
    )


# Arguments of a module call that configure Terraform, not the module.
_META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})


def escaped_targets(root: Module) -> set[int]:
    """Instances handed to a module we cannot read (registry, git, or with count/for_each).

    Such a module may add security group rules, policy attachments, mount targets or routes to
    them, so the mapping must not claim to know all of those.
    """
    by_prefix = {m.prefix: m for m in root.all_modules()}
    escaped: set[int] = set()
    for module in by_prefix.values():
        for name, call in module.module_calls.items():
            if module.children(name):
                continue
            seen: set[str] = set()
            for arg, attr in call.body.attributes.items():
                if arg in _META_ARGUMENTS:
                    continue
                for prefix, mode, type_, rname in module.references_in(attr.expr, seen):
                    owner = by_prefix.get(prefix)
                    target = owner.resources.get((mode, type_, rname)) if owner is not None else None
                    if target is not None:
                        escaped.update(id(inst) for inst in target.instances)
    return escaped


class _LazyRecord(Record):
    """A module's resource instance whose arguments are evaluated when the mapper first reads them,
    and whose dependencies are found when the creation order first asks for them.

    Most resources in a real module are of types no rule looks at (buckets, queues, alarms,
    functions): evaluating every argument of each was a quarter of a module's lint time, and
    finding the references of each was another tenth.
    """

    def __init__(self, instance: Instance, graph: _Dependencies) -> None:
        # Not the dataclass's __init__: `doc` and `depends` stay unset until first read, and a
        # module has a record per resource instance.
        resource = instance.resource
        self.address = instance.address
        self.type = resource.type
        self.mode = resource.mode
        self.file = resource.file
        self.target = instance
        self.conditional = instance.conditional
        self.line = resource.block.line
        self.col = resource.block.col
        self.notes = instance.notes
        self._instance = instance
        self._graph = graph

    def __getattr__(self, name: str) -> Any:
        if name == "doc":
            self.doc = self._instance.document(self._instance.resource.module.evaluator)
            return self.doc
        if name == "depends":
            self.depends = self._graph.of(self._instance.resource)
            return self.depends
        raise AttributeError(name)


class _Dependencies:
    """The resource instances each resource refers to or names in ``depends_on``, on demand."""

    def __init__(self, modules: list[Module]) -> None:
        self.by_prefix = {m.prefix: m for m in modules}
        self.found: dict[int, set[object]] = {}

    def of(self, resource: Resource) -> set[object]:
        depends = self.found.get(id(resource))
        if depends is None:
            depends = self.found[id(resource)] = set()
            for prefix, mode, type_, name in resource.references():
                owner = self.by_prefix.get(prefix)
                target = owner.resources.get((mode, type_, name)) if owner is not None else None
                if target is not None and target is not resource:
                    depends.update(target.instances)
        return depends


def records(root: Module) -> list[Record]:
    modules = root.all_modules()
    graph = _Dependencies(modules)
    out: list[Record] = []
    for module in modules:
        for resource in module.resources.values():
            out += [_LazyRecord(inst, graph) for inst in resource.instances]
    return out
