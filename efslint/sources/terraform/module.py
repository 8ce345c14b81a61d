"""A Terraform module: its files, variables, locals, resources and local child modules.

Every ``.tf`` file of a directory is parsed once; values are computed lazily and cached, with a
guard that turns reference cycles into Unknown.  Child modules are followed when their
``source`` is a local path (their variables take the caller's inputs); registry and git modules
are opaque, so their outputs are Unknown.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...model import Unknown
from ..errors import InputError
from ..files import display_path, file_problem, is_directory, read_regular_bytes, read_text, safe_resolve
from ..located import LMap
from .document import Document
from .evaluate import Evaluator, Ref, ResourceSet, Scope, SourceText, materialise, unknown_in
from .hcl import (
    Attribute,
    Block,
    Body,
    Call,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Lit,
    ObjectExpr,
    ParsedFile,
    Splat,
    Template,
    TupleExpr,
    Var,
    parse_file,
)

MAX_MODULE_DEPTH = 8
MAX_INSTANCES = 1000
# Each instance of a repeated module call is a whole module to evaluate.
MAX_MODULE_INSTANCES = 100
_IN_PROGRESS = object()


class Instance:
    """One instance of a resource (``aws_subnet.a[0]``); evaluates its arguments on demand."""

    def __init__(
        self, resource: Resource, key: Any, count_index: Any = None, each: tuple[Any, Any] | None = None
    ):
        self.resource = resource
        self.key = key
        self.scope_args = {"count_index": count_index}
        if each is not None:
            self.scope_args.update(each_key=each[0], each_value=each[1])
        if resource.single:
            self.address = resource.address
        elif isinstance(key, Unknown):
            self.address = f"{resource.address}[?]"
        elif isinstance(key, str):
            self.address = f'{resource.address}["{key}"]'
        else:
            self.address = f"{resource.address}[{key}]"
        self._attrs: dict[str, Any] = {}
        self._doc: LMap | None = None
        self._scope: Scope | None = None
        # (id(mapping), key) -> where a value came from, e.g. "from the default of variable tls".
        self.notes: dict[tuple[int, str], str] = {}

    def __repr__(self) -> str:
        return f"Instance({self.address})"

    @property
    def conditional(self) -> bool:
        return not self.resource.count_known

    def scope(self) -> Scope:
        # One per instance: evaluation never changes a scope (``child`` copies), and the depth
        # it counts is back to zero after every evaluation.
        if self._scope is None:
            self._scope = Scope(self.resource.module, self, **self.scope_args)
        return self._scope

    def attribute(self, name: str, ev: Evaluator) -> Any:
        body = self.resource.block.body
        attr = body.attributes.get(name)
        if attr is None:
            if body.block(name) is not None or any(
                b.type == "dynamic" and b.labels[:1] == [name] for b in body.blocks
            ):
                return self.document(ev).get(name, Unknown(name))
            return Ref(self, name)
        cached = self._attrs.get(name)
        if cached is _IN_PROGRESS:
            return Unknown(f"{self.address}.{name} refers to itself")
        if name in self._attrs:
            return cached
        self._attrs[name] = _IN_PROGRESS
        value = ev.eval(attr.expr, self.scope())
        self._attrs[name] = value
        return value

    def release(self) -> None:
        """Drop what this instance evaluated (see :meth:`Module.release`)."""
        self._attrs.clear()
        self._doc = None
        self._scope = None

    def document(self, ev: Evaluator) -> LMap:
        """All arguments: attributes as values, nested blocks as lists of mappings, each evaluated
        when first read."""
        if self._doc is None:
            self._doc = Document(self, ev)
        return self._doc


class Resource:
    def __init__(self, module: Module, mode: str, block: Block) -> None:
        self.module = module
        self.mode = mode
        self.block = block
        self.type, self.name = block.labels[0], block.labels[1]
        self.address = f"{module.prefix}{'data.' if mode == 'data' else ''}{self.type}.{self.name}"
        attrs = block.body.attributes
        self.single = "count" not in attrs and "for_each" not in attrs
        self.count_known = True
        self._instances: list[Instance] | None = None

    @property
    def file(self) -> str:
        return self.block.file

    @property
    def instances(self) -> list[Instance]:
        if self._instances is None:
            self._instances = []
            self._instances = self._expand()
        return self._instances

    def _expand(self) -> list[Instance]:
        attrs = self.block.body.attributes
        ev = self.module.evaluator
        scope = Scope(self.module)
        if "count" in attrs:
            count = ev.eval(attrs["count"].expr, scope)
            if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_INSTANCES:
                self.count_known = False
                return [Instance(self, Unknown("count"), count_index=Unknown("count.index"))]
            return [Instance(self, i, count_index=i) for i in range(count)]
        if "for_each" in attrs:
            coll = materialise(ev.eval(attrs["for_each"].expr, scope))
            if isinstance(coll, dict) and not any(isinstance(k, Unknown) for k in coll):
                return [Instance(self, k, each=(k, v)) for k, v in list(coll.items())[:MAX_INSTANCES]]
            if isinstance(coll, list) and all(isinstance(v, str) for v in coll):
                return [Instance(self, v, each=(v, v)) for v in coll[:MAX_INSTANCES]]
            self.count_known = False
            return [Instance(self, Unknown("each.key"), each=(Unknown("each.key"), Unknown("each.value")))]
        return [Instance(self, None)]

    def instance_at(self, key: Any) -> Any:
        if not self.count_known:
            return Unknown(f"{self.address} has an unknown number of instances")
        for inst in self.instances:
            if inst.key == key or (isinstance(key, str) and str(inst.key) == key):
                return inst
        return Unknown(f"{self.address}[{key!r}] does not exist")

    def value(self) -> Any:
        if self.single:
            return self.instances[0]
        return ResourceSet(self)

    def references(self) -> set[tuple[str, str, str, str]]:
        """Names this resource's arguments and ``depends_on`` refer to (syntactically)."""
        return self.module.expr_references(self.block.body)


@dataclass
class ChildOutputs:
    module: Module | None
    name: str

    def lookup(self, attr: str) -> Any:
        if self.module is None:
            return Unknown(f"module.{self.name} is not a local module")
        return self.module.output(attr)


@dataclass
class Module:
    directory: Path
    files: list[ParsedFile]
    prefix: str = ""
    root_directory: Path | None = None
    parent: Module | None = None
    call: Block | None = None
    depth: int = 0
    evaluator: Evaluator = field(default_factory=Evaluator)
    tfvars: dict[str, Any] = field(default_factory=dict)
    tfvars_origin: dict[str, str] = field(default_factory=dict)
    errors: list[tuple[str, InputError]] = field(default_factory=list)
    # count.index / each.key / each.value of the module call instance this module is.
    call_scope: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root_directory = self.root_directory or self.directory
        self.variables: dict[str, Block] = {}
        self.locals: dict[str, Attribute] = {}
        self.outputs: dict[str, Attribute] = {}
        self.resources: dict[tuple[str, str, str], Resource] = {}
        self.module_calls: dict[str, Block] = {}
        self._values: dict[str, Any] = {}
        self._children: dict[str, Module | None] = {}
        self._instances: dict[str, list[tuple[Any, Module]] | None] = {}
        self._file_cache: dict[Path, Any] = {}
        # Files read by file()/templatefile(): findings inside them belong to this module.
        self.files_read: list[Path] = []
        # Addresses declared twice: (what, (file, line, col) of the first, of the second).
        self.duplicates: list[tuple[str, tuple[str, int, int], tuple[str, int, int]]] = []
        self._declared: dict[tuple[str, ...], tuple[str, int, int]] = {}
        # Terraform reads override files (override.tf, *_override.tf) last and merges them in.
        ordered = sorted(self.files, key=lambda f: _is_override(f.path))
        for parsed in ordered:
            override = _is_override(parsed.path)
            for block in parsed.body.blocks:
                self._add_block(block, override)

    def _add_block(self, block: Block, override: bool = False) -> None:
        if override:
            block = self._merged(block)
        elif self._duplicate(block):
            return
        if block.type == "variable" and block.labels:
            self.variables[block.labels[0]] = block
        elif block.type == "locals" and override:
            self.locals.update(block.body.attributes)
        elif block.type == "locals":
            for name, attr in block.body.attributes.items():
                self.locals.setdefault(name, attr)
        elif block.type == "output" and block.labels:
            value = block.body.attributes.get("value")
            if value is not None:
                self.outputs[block.labels[0]] = value
        elif block.type in ("resource", "data") and len(block.labels) >= 2:
            mode = "managed" if block.type == "resource" else "data"
            self.resources[(mode, block.labels[0], block.labels[1])] = Resource(self, mode, block)
        elif block.type == "module" and block.labels:
            self.module_calls[block.labels[0]] = block

    def _duplicate(self, block: Block) -> bool:
        """Record a second declaration of an address; True when ``block`` must not replace the first.

        Terraform refuses such a module ("Duplicate resource configuration" and the like), so the
        load reports it; a duplicate resource is still mapped, under a key of its own, so the
        mistakes in either block are found.
        """
        labels = block.labels
        first: tuple[str, int, int] | None = None
        if block.type == "locals":
            for name, attr in block.body.attributes.items():
                seen = self._declared.get(("local", name))
                if seen is not None:
                    self.duplicates.append((f"local value {name!r}", seen, (block.file, attr.line, attr.col)))
                else:
                    self._declared[("local", name)] = (block.file, attr.line, attr.col)
            return False
        if block.type in ("variable", "output", "module") and labels:
            key, what = (block.type, labels[0]), f"{block.type} {labels[0]!r}"
        elif block.type in ("resource", "data") and len(labels) >= 2:
            key = (block.type, labels[0], labels[1])
            what = f"{'data ' if block.type == 'data' else ''}resource {labels[0]}.{labels[1]}"
        else:
            return False
        first = self._declared.get(key)
        here = (block.file, block.line, block.col)
        if first is None:
            self._declared[key] = here
            return False
        self.duplicates.append((what, first, here))
        if block.type in ("resource", "data"):
            mode = "managed" if block.type == "resource" else "data"
            # No reference can name this key: references resolve to the first block, as the
            # message says.
            unique = f"{labels[1]}\x00{len(self.duplicates)}"
            self.resources[(mode, labels[0], unique)] = Resource(self, mode, block)
        return True

    def _merged(self, block: Block) -> Block:
        """An override block merged into the block it overrides: its arguments replace the
        original's, and its nested blocks replace all original nested blocks of the same type."""
        original: Block | None = None
        if block.type == "variable" and block.labels:
            original = self.variables.get(block.labels[0])
        elif block.type in ("resource", "data") and len(block.labels) >= 2:
            mode = "managed" if block.type == "resource" else "data"
            found = self.resources.get((mode, block.labels[0], block.labels[1]))
            original = found.block if found is not None else None
        elif block.type == "module" and block.labels:
            original = self.module_calls.get(block.labels[0])
        if original is None:
            return block
        replaced = {b.type for b in block.body.blocks}
        body = Body(
            {**original.body.attributes, **block.body.attributes},
            [b for b in original.body.blocks if b.type not in replaced] + block.body.blocks,
        )
        return Block(original.type, original.labels, body, original.line, original.col, original.file)

    # Values -----------------------------------------------------------------------------------

    def _cached(self, key: str, compute: Any) -> Any:
        value = self._values.get(key)
        if value is _IN_PROGRESS:
            return Unknown(f"{key} refers to itself")
        if key in self._values:
            return value
        self._values[key] = _IN_PROGRESS
        value = compute()
        self._values[key] = value
        return value

    def variable_origin(self, name: str) -> str | None:
        """Where ``var.<name>`` gets its value, when that is worth telling the reader."""
        if self.call is not None and self.call.body.attributes.get(name) is not None:
            return None
        if self.call is None and name in self.tfvars:
            return f"from {self.tfvars_origin.get(name, 'a tfvars file')}"
        block = self.variables.get(name)
        if block is not None and "default" in block.body.attributes:
            return f"from the default of variable {name}"
        return None

    def variable_note(self, expr: Expr, value: Any) -> str | None:
        """A provenance note for an argument written as ``var.x`` (or ``"${var.x}"``)."""
        if isinstance(expr, Template) and len(expr.parts) == 1 and isinstance(expr.parts[0], Expr):
            expr = expr.parts[0]
        if not (isinstance(expr, GetAttr) and isinstance(expr.obj, Var) and expr.obj.name == "var"):
            return None
        origin = self.variable_origin(expr.name)
        if origin is None or not isinstance(value, (str, int, float, bool)):
            return None
        shown = json.dumps(value)
        return f"value {origin}: {shown}"

    def variable(self, name: str) -> Any:
        def compute() -> Any:
            if self.call is not None and self.parent is not None:
                given = self.call.body.attributes.get(name)
                if given is not None:
                    return self.parent.evaluator.eval(given.expr, Scope(self.parent, **self.call_scope))
            elif name in self.tfvars:
                return self.tfvars[name]
            block = self.variables.get(name)
            if block is None:
                return Unknown(f"variable {name} is not declared")
            default = block.body.attributes.get("default")
            if default is None:
                return Unknown(f"variable {name} has no default")
            return self.evaluator.eval(default.expr, Scope(self))

        return self._cached(f"var.{name}", compute)

    def local(self, name: str, ev: Evaluator) -> Any:
        attr = self.locals.get(name)
        if attr is None:
            return Unknown(f"local.{name} is not defined")
        return self._cached(f"local.{name}", lambda: ev.eval(attr.expr, Scope(self)))

    def output(self, name: str) -> Any:
        attr = self.outputs.get(name)
        if attr is None:
            return Unknown(f"output {name} is not defined")
        return self._cached(f"output.{name}", lambda: self.evaluator.eval(attr.expr, Scope(self)))

    def child(self, name: str) -> Module | None:
        """The module a call without ``count``/``for_each`` loads (None: not a local module)."""
        if name not in self._children:
            self._children[name] = None
            self._children[name] = self._load_child(name)
        return self._children[name]

    def child_instances(self, name: str) -> list[tuple[Any, Module]] | None:
        """``(key, module)`` for each instance of a call with ``count``/``for_each``; None when the
        call has neither, is not a local module, or its instances cannot be known."""
        if name not in self._instances:
            self._instances[name] = None
            self._instances[name] = self._load_instances(name)
        return self._instances[name]

    def children(self, name: str) -> list[Module]:
        """Every module instance a call loads, with or without ``count``/``for_each``."""
        single = self.child(name)
        if single is not None:
            return [single]
        return [m for _, m in self.child_instances(name) or ()]

    def child_output_namespace(self, name: str) -> Any:
        call = self.module_calls.get(name)
        if call is not None and _is_repeated(call):
            instances = self.child_instances(name)
            if instances is not None:
                # module.x[0].out / module.x["k"].out, as Terraform gives them.
                if "count" in call.body.attributes:
                    return [ChildOutputs(m, name) for _, m in instances]
                return {key: ChildOutputs(m, name) for key, m in instances}
        return ChildOutputs(self.child(name), name)

    def _load_child(self, name: str) -> Module | None:
        call = self.module_calls.get(name)
        if call is None or _is_repeated(call):
            return None
        directory = self._child_directory(call)
        if directory is None:
            return None
        return self._child_module(directory, self._child_files(directory), call, f"module.{name}.")

    def _load_instances(self, name: str) -> list[tuple[Any, Module]] | None:
        call = self.module_calls.get(name)
        if call is None or not _is_repeated(call):
            return None
        keys = self._instance_keys(call)
        directory = self._child_directory(call) if keys is not None else None
        if keys is None or directory is None:
            return None
        files = self._child_files(directory)
        out = []
        for key, scope_args in keys:
            shown = f'"{key}"' if isinstance(key, str) else str(key)
            out.append(
                (key, self._child_module(directory, files, call, f"module.{name}[{shown}].", scope_args))
            )
        return out

    def _instance_keys(self, call: Block) -> list[tuple[Any, dict[str, Any]]] | None:
        """The instance keys of a repeated call, as for a resource (``Resource._expand``)."""
        attrs = call.body.attributes
        scope = Scope(self)
        if "count" in attrs:
            count = self.evaluator.eval(attrs["count"].expr, scope)
            if (
                isinstance(count, bool)
                or not isinstance(count, int)
                or not 0 <= count <= MAX_MODULE_INSTANCES
            ):
                return None
            return [(i, {"count_index": i}) for i in range(count)]
        coll = materialise(self.evaluator.eval(attrs["for_each"].expr, scope))
        if isinstance(coll, list) and all(isinstance(v, str) for v in coll):
            coll = {v: v for v in coll}
        if not isinstance(coll, dict) or len(coll) > MAX_MODULE_INSTANCES:
            return None
        if any(not isinstance(k, str) for k in coll):
            return None
        return [(k, {"each_key": k, "each_value": v}) for k, v in coll.items()]

    def _child_directory(self, call: Block) -> Path | None:
        if self.depth >= MAX_MODULE_DEPTH:
            return None
        attrs = call.body.attributes
        source = self.evaluator.eval(attrs["source"].expr, Scope(self)) if "source" in attrs else None
        if not isinstance(source, str) or not source.startswith(("./", "../")):
            return None
        directory = safe_resolve(self.directory / source)
        ancestors = []
        node: Module | None = self
        while node is not None:
            ancestors.append(safe_resolve(node.directory))
            node = node.parent
        # A source that loops back to a module being loaded would never end.
        if directory in ancestors or not is_directory(directory):
            return None
        return directory

    def _child_files(self, directory: Path) -> list[ParsedFile]:
        files = []
        for path in module_files(directory):
            try:
                files.append(parse_tf(path))
            except InputError as exc:
                self.errors.append((_display(path), exc))
        return files

    def _child_module(
        self,
        directory: Path,
        files: list[ParsedFile],
        call: Block,
        address: str,
        scope_args: dict[str, Any] | None = None,
    ) -> Module:
        return Module(
            directory,
            files,
            f"{self.prefix}{address}",
            self.root_directory,
            self,
            call,
            self.depth + 1,
            self.evaluator,
            errors=self.errors,
            call_scope=scope_args or {},
        )

    def release(self) -> None:
        """Break the reference cycles of this module tree once its model is built: modules and
        their resources, resources and their instances, instances and their scopes, documents and
        values.  All of it is then freed as soon as the load drops it, instead of waiting for the
        cyclic collector to walk it (a twentieth of a module's lint).  Nothing is read after."""
        for module in self.all_modules():
            for resource in module.resources.values():
                for instance in resource._instances or ():
                    instance.release()
                resource._instances = None
            for held in (
                module.resources,
                module.locals,
                module.variables,
                module.outputs,
                module.module_calls,
                module._values,
                module._children,
                module._instances,
                module._file_cache,
            ):
                held.clear()

    def all_modules(self) -> list[Module]:
        found = [self]
        for name in self.module_calls:
            for child in self.children(name):
                found.extend(child.all_modules())
        return found

    # Files ------------------------------------------------------------------------------------

    def read_file(self, relative: str) -> Any:
        # Terraform resolves relative paths against its working directory, the root module.
        base = self.root_directory or self.directory
        path = Path(relative) if Path(relative).is_absolute() else (base / relative)
        path = safe_resolve(path)
        if path not in self._file_cache:
            try:
                # Regular files only: a device or FIFO (`file("/dev/zero")`) would never end.
                if file_problem(path) is not None:
                    raise OSError("not a regular file")
                text = read_regular_bytes(path, 1024 * 1024).decode("utf-8")
                self._file_cache[path] = SourceText(text, _display(path), 1)
                self.files_read.append(path)
            except (OSError, UnicodeDecodeError):
                self._file_cache[path] = Unknown(f"file {relative} cannot be read")
        return self._file_cache[path]

    def render_template(self, relative: str, variables: dict[str, Any], ev: Evaluator) -> Any:
        text = self.read_file(relative)
        if not isinstance(text, SourceText):
            return text
        if "${" not in text and "%{" not in text:
            return text
        from .hcl import parse_template

        try:
            template = parse_template(text)
        except InputError:
            return Unknown(f"template {relative} cannot be parsed")
        scope = Scope(self, locals_=dict(variables))
        value = ev.eval(template, scope)
        return SourceText(value, text.path, 1) if isinstance(value, str) else value

    # References (for the dependency graph) -----------------------------------------------------

    def expr_references(self, body: Body, seen: set[str] | None = None) -> set[tuple[str, str, str, str]]:
        """``(module prefix, mode, type, name)`` of every resource the body refers to; module
        outputs and variables are followed into the child and parent modules."""
        seen = set() if seen is None else seen
        found: set[tuple[str, str, str, str]] = set()
        for name, attr in body.attributes.items():
            if name == "depends_on" and isinstance(attr.expr, TupleExpr):
                for item in attr.expr.items:
                    found |= self.references_in(item, seen)
            else:
                found |= self.references_in(attr.expr, seen)
        for block in body.blocks:
            found |= self.expr_references(block.body, seen)
        return found

    def references_in(self, expr: Expr, seen: set[str]) -> set[tuple[str, str, str, str]]:
        """Resources ``expr`` refers to, through locals, module outputs and (into the caller)
        variables; a worklist, so a long chain of locals cannot exhaust the stack."""
        found: set[tuple[str, str, str, str]] = set()
        work: list[tuple[Module, Expr]] = [(self, expr)]
        while work:
            module, current = work.pop()
            for chain in _chains(current):
                root = chain[0]
                key = f"{module.prefix}{'.'.join(chain[:3])}"
                if key in seen or len(chain) < 2:
                    continue
                seen.add(key)
                if root == "local":
                    attr = module.locals.get(chain[1])
                    if attr is not None:
                        work.append((module, attr.expr))
                elif root == "var":
                    given = module.call.body.attributes.get(chain[1]) if module.call is not None else None
                    if given is not None and module.parent is not None:
                        work.append((module.parent, given.expr))
                elif root == "data" and len(chain) > 2:
                    found.add((module.prefix, "data", chain[1], chain[2]))
                elif root == "module":
                    for child in module.children(chain[1]):
                        output = child.outputs.get(chain[2]) if len(chain) > 2 else None
                        if output is not None:
                            work.append((child, output.expr))
                        else:
                            for mode, type_, name in child.resources:
                                found.add((child.prefix, mode, type_, name))
                elif root not in ("count", "each", "path", "self", "terraform"):
                    found.add((module.prefix, "managed", root, chain[1]))
        return found


def _chains(expr: Any) -> list[list[str]]:
    """Every ``a.b.c`` traversal in an expression, as name lists."""
    # Exact types, most frequent first: the syntax classes have no subclasses, and this runs
    # over every argument of every resource a workload depends on.
    found: list[list[str]] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is Lit:
            continue
        if kind in _TRAVERSALS:
            names: list[str] = []
            cur: Any = node
            kind = type(cur)
            while kind is GetAttr or kind is Index or kind is Splat:
                if kind is GetAttr:
                    names.append(cur.name)
                elif kind is Index:
                    stack.append(cur.key)
                else:
                    for step_kind, step in cur.steps:
                        if step_kind == "index":
                            stack.append(step)
                cur = cur.obj
                kind = type(cur)
            if kind is Var:
                found.append([cur.name, *reversed(names)])
            else:
                stack.append(cur)
        elif kind is Template:
            stack.extend(p for p in node.parts if type(p) is not str)
        elif kind is Call:
            stack.extend(node.args)
        elif kind is TupleExpr:
            stack.extend(node.items)
        elif kind is ObjectExpr:
            for k, v in node.items:
                stack.extend((k, v))
        elif kind is ForExpr:
            stack.extend(x for x in (node.collection, node.value, node.key, node.cond) if x is not None)
        elif hasattr(node, "__slots__"):
            for slot in ("test", "then", "other", "left", "right", "operand"):
                child = getattr(node, slot, None)
                if child is not None:
                    stack.append(child)
    return found


_TRAVERSALS = frozenset({Var, GetAttr, Index, Splat})


_PARSED: dict[tuple[str, str], ParsedFile] = {}
_PARSED_MAX = 256


def parse_tf(path: Path) -> ParsedFile:
    """One ``.tf`` or ``.tf.json`` file, parsed once per load even when several modules of it read
    the file (each instance of a repeated module call, the same local module called twice).  An
    empty file is valid."""
    try:
        text = _read(path)
    except InputError as exc:
        if exc.message != "empty file":
            raise
        text = ""
    # abspath, not resolve: no system call per file, and a file reached through a link is only
    # parsed twice.  The text itself completes the key (a dict hashes it once, no digest needed).
    key = (os.path.abspath(path), text)
    parsed = _PARSED.get(key)
    if parsed is None:
        if path.name.endswith(".tf.json"):
            from .hcl_json import parse_json_file

            parsed = parse_json_file(_display(path), text)
        else:
            parsed = parse_file(_display(path), text, lazy=True)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = parsed
    return parsed


def forget_parsed() -> None:
    """Drop the files parsed for one load.  Kept across loads, they cost more than they saved:
    a module's syntax trees freed at once leave memory warm for the next module's."""
    _PARSED.clear()


def _is_repeated(call: Block) -> bool:
    return "count" in call.body.attributes or "for_each" in call.body.attributes


Entries = dict[str, "os.DirEntry[str]"]


def directory_entries(directory: Path) -> Entries:
    """The entries of ``directory`` by name, listed once for both :func:`module_files` and
    :func:`load_tfvars`; none when it cannot be listed (as a glob finds nothing there)."""
    try:
        with os.scandir(directory) as listing:
            return {os.path.normcase(entry.name): entry for entry in listing}
    except (OSError, ValueError):
        return {}


def module_files(directory: Path, entries: Entries | None = None) -> list[Path]:
    """A module's files: ``*.tf`` and ``*.tf.json`` (Terraform's JSON syntax), merged as one.

    Terraform reads only files: a folder named ``x.tf`` is not part of the module.  Links to
    nowhere, loops and FIFOs are kept, so that loading reports them (never opening a FIFO)."""
    entries = directory_entries(directory) if entries is None else entries
    return sorted(
        directory / entry.name
        for name, entry in entries.items()
        if name.endswith((".tf", ".tf.json")) and not _holds(entry.is_dir)
    )


def _holds(test: Callable[[], bool]) -> bool:
    """``entry.is_dir`` or ``entry.is_file``, through links; False for a loop, a link to nowhere
    or a bad name, as for :func:`.files.is_directory`."""
    try:
        return test()
    except OSError:
        return False


def _is_override(path: str) -> bool:
    name = Path(path).name.removesuffix(".json")
    return name == "override.tf" or name.endswith("_override.tf")


def _display(path: Path) -> str:
    return display_path(path)


def _read(path: Path) -> str:
    return read_text(path)


def load_tfvars(directory: Path, entries: Entries | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """``terraform.tfvars`` then ``*.auto.tfvars`` (lexical order), as Terraform reads them; the
    values and the file each came from."""
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    entries = directory_entries(directory) if entries is None else entries
    found = [entries[n] for n in ("terraform.tfvars", "terraform.tfvars.json") if n in entries]
    for suffix in (".auto.tfvars", ".auto.tfvars.json"):
        found += sorted((e for n, e in entries.items() if n.endswith(suffix)), key=lambda e: e.name)
    ev = Evaluator()
    for entry in found:
        name = entry.name
        path = directory / name
        if not _holds(entry.is_file):
            continue
        try:
            text = _read(path)
            if name.endswith(".json"):
                data = json.loads(text)
                if isinstance(data, dict):
                    values.update(data)
                    origins.update(dict.fromkeys(data, name))
                continue
            parsed = parse_file(_display(path), text)
        except (InputError, ValueError):
            continue
        scratch = Module(directory, [])
        for attr_name, attr in parsed.body.attributes.items():
            value = ev.eval(attr.expr, Scope(scratch))
            if not unknown_in(value):
                values[attr_name] = value
                origins[attr_name] = name
    return values, origins
