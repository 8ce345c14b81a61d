"""Linting input unit by unit (a file, or a Terraform module), with garbage collection per unit.

CPython's cyclic collector starts a collection whenever allocations outrun deallocations by a
threshold, and every so often a full one that walks every live object.  A parser building a large
document allocates millions of objects, so full collections come often and each walks a bigger
heap: time grows faster than the input (a 5,000-resource template took 1.0 s instead of 0.62 s).
Here the automatic collector is paused while a unit is parsed and checked; once the unit is done
and its model unreachable, one young collection frees its reference cycles (entities link to each
other).  Each unit is thus walked about once, memory stays bounded by the largest unit, and what
outlives a unit (findings) is never walked again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..model import Model
from ..sources.errors import InputError
from ..sources.files import display_path
from .discovery import Discovery, error_model, load_all
from .result import model_files

if TYPE_CHECKING:
    from ..engine.runner import Engine
    from ..findings import Finding

# (findings, files linted — None when the input could not be read, the model itself when the
# report draws the topology, else None) for one model.
Outcome = tuple[list["Finding"], list[str] | None, "Model | None"]


def split(found: Discovery) -> Iterator[Discovery]:
    """One Discovery per unit, in the order a serial run takes them (errors first)."""
    if found.errors:
        yield Discovery(errors=found.errors)
    for item in found.files:
        yield Discovery(files=[item])
    for directory in sorted(found.modules):
        yield Discovery(modules={directory: found.modules[directory]})


def lint_unit(engine: Engine, unit: Discovery, keep_models: bool = False) -> list[Outcome]:
    """Load and check one unit.  Unless ``keep_models``, nothing refers to its model any more when
    this returns."""
    outcomes: list[Outcome] = []
    try:
        for model in load_all(unit):
            failed = any(rule == "EFS000" for rule, _, _ in model.notes)
            findings = engine.run(model)
            if keep_models:
                model.derived.clear()  # the rules' indexes: not part of the topology, and not small
            outcomes.append(
                (findings, None if failed else model_files(model), model if keep_models else None)
            )
    except Exception as exc:
        # A bug met on one input costs that input, not the run: the other files are still linted,
        # and the user gets one line naming the file instead of a traceback.
        outcomes.append((engine.run(internal_error_model(unit, exc)), None, None))
    return outcomes


def internal_error_model(unit: Discovery, exc: Exception) -> Model:
    path = unit.files[0][0] if unit.files else next(iter(unit.modules), None)
    shown = display_path(path) if path is not None else "(input)"
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    message = (
        f"efslint could not lint this input: internal error ({type(exc).__name__}"
        f"{': ' + detail if detail else ''}); please report it with the input that causes it"
    )
    return error_model(shown, InputError(message))


@contextmanager
def collect_per_unit() -> Iterator[None]:
    """Pause automatic collection; callers run :func:`gc.collect` (generation 0) after each unit."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def lint_units(engine: Engine, units: Iterable[Discovery], keep_models: bool = False) -> list[Outcome]:
    outcomes: list[Outcome] = []
    with collect_per_unit():
        for unit in units:
            outcomes.extend(lint_unit(engine, unit, keep_models))
            # The unit's objects are all in the youngest generation: collecting it frees the
            # model's cycles and moves the survivors (findings) out of the way for good.
            gc.collect(0)
    return outcomes
