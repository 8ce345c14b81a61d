"""The package layout is the architecture: no import cycles, and dependencies point one way.

Front-ends → model → rules → reporters (DESIGN.md).  Every import counts, lazy ones inside
functions too, and so does ``import_module("efslint....")`` with a literal name: a lazy import
that points back up is still a cycle in the design.  Only ``if TYPE_CHECKING:`` imports, which
never run, are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "efslint"

# (importer prefix, imported prefixes it must never reach).  A prefix names a module or package.
FORBIDDEN: list[tuple[str, tuple[str, ...]]] = [
    ("efslint.model", ("efslint.",)),  # but efslint.record, which declares its classes
    ("efslint.record", ("efslint.",)),
    ("efslint.findings", ("efslint.engine", "efslint.sources", "efslint.pipeline", "efslint.checks")),
    ("efslint.policy", ("efslint.engine", "efslint.pipeline", "efslint.checks", "efslint.report")),
    ("efslint.checks", ("efslint.engine", "efslint.pipeline", "efslint.sources", "efslint.config")),
    ("efslint.sources", ("efslint.engine", "efslint.pipeline", "efslint.checks", "efslint.config")),
    ("efslint.engine", ("efslint.pipeline", "efslint.sources", "efslint.config")),
    ("efslint.config", ("efslint.pipeline", "efslint.sources", "efslint.report")),
    ("efslint.pipeline", ("efslint.report", "efslint.config")),
    ("efslint.report", ("efslint.sources", "efslint.pipeline.discovery", "efslint.config")),
]
# Reading text and JSON with positions is below every front-end; the engine (baseline files) and
# the policy parser (positions inside policy documents) use it too.
SHARED = (
    "efslint.record",
    "efslint.sources.errors",
    "efslint.sources.files",
    "efslint.sources.json_reader",
    "efslint.sources.located",
)
# The CLI is the top: only the entry point imports it.
CLI_IMPORTERS = ("efslint.cli", "efslint.__main__")
UPPER = ("efslint.cli", "efslint.integrations")


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            skipped.update(id(inner) for inner in ast.walk(node))
    return skipped


def _known(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    skipped = _type_checking_nodes(tree)
    names: list[str] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names.append(base)
            names.extend(f"{base}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.append(node.args[0].value)
    found = {_known(name) for name in names if name.startswith("efslint")}
    return {name for name in found if name and name != module}


GRAPH = {module: imports_of(module) for module in MODULES}


def _within(module: str, prefix: str) -> bool:
    return module == prefix.rstrip(".") or module.startswith(prefix if prefix.endswith(".") else prefix + ".")


def test_the_graph_sees_lazy_and_dynamic_imports() -> None:
    # The walker must see what it claims to: an import inside a function, and import_module.
    assert "efslint.sources.cloudformation.template" in GRAPH["efslint.pipeline.discovery"]
    assert "efslint.cli.commands" in GRAPH["efslint.__main__"]


def test_no_import_cycles() -> None:
    cycles: set[str] = set()
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                cycles.add(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif not state.get(nxt):
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for module in sorted(GRAPH):
        if not state.get(module):
            visit(module, [])
    assert not cycles, "\n".join(sorted(cycles))


@pytest.mark.parametrize(("importer", "forbidden"), FORBIDDEN, ids=[rule[0] for rule in FORBIDDEN])
def test_dependencies_point_one_way(importer: str, forbidden: tuple[str, ...]) -> None:
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if _within(module, importer)
        for target in targets
        if any(_within(target, prefix) for prefix in forbidden)
        and not _within(target, importer)
        and target not in SHARED
    )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("top", "importers"),
    [("efslint.cli", CLI_IMPORTERS), ("efslint.integrations", UPPER)],
    ids=["cli", "integrations"],
)
def test_only_the_top_imports_the_top(top: str, importers: tuple[str, ...]) -> None:
    # Nothing below the CLI imports it; nothing inside efslint imports the integrations.
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if not any(_within(module, allowed) for allowed in importers)
        for target in targets
        if _within(target, top)
    )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    "package",
    sorted(m for m, p in MODULES.items() if p.name == "__init__.py" and m != "efslint"),
)
def test_every_package_says_what_it_owns(package: str) -> None:
    tree = ast.parse(MODULES[package].read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree)
    assert doc and len(doc.split()) >= 8, f"{package}/__init__.py needs a docstring saying what it owns"


def test_no_flat_prefix_modules_remain() -> None:
    # A prefix in file names (cli_*, tf_*, cfn_*) is a package waiting to exist.
    flat = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.stem.split("_", 1)[0] in {"cli", "tf", "cfn", "terraform"} and "_" in path.stem
    )
    assert not flat, flat
