"""Lint large inputs on every core: worker processes parse files and run the rules, the parent
only collects findings (and the models, when a report draws the topology).

Parsing and rule evaluation are CPU-bound Python, so threads would not help; processes do.  A pool
costs tens of milliseconds to start, more than a pre-commit run over a few files takes in total,
so small inputs stay serial (:func:`worth_parallel`).  Workers send back findings, and models only
for the topology reports, so the parent's memory does not otherwise grow with the number of files;
results come back in input order, so the output is the same as a serial run's.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .discovery import Discovery
from .units import Outcome, lint_units, split

if TYPE_CHECKING:
    from ..engine.runner import Engine

# Below these, starting and feeding workers costs more than the work they share: two forked
# workers cost 30-50 ms, a 500-line template lints in about 4 ms, and on two CPUs the pool broke
# even at about 40 templates (bench/run.py, bench/profile_lint.py).
MIN_UNITS = 32
MIN_BYTES = 256 * 1024
# Files per task: enough to amortise the round trip, few enough to keep workers evenly loaded.
MAX_BATCH = 8

_ENGINE: Engine | None = None


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worth_parallel(found: Discovery, jobs: int) -> bool:
    units = len(found.files) + len(found.modules)
    if jobs < 2 or units < MIN_UNITS:
        return False
    size = 0
    for path, _ in found.files:
        try:
            size += path.stat().st_size
        except OSError:
            continue
        if size >= MIN_BYTES:
            return True
    # A Terraform module costs more than its bytes say (several files, evaluation); count it as large.
    return size + len(found.modules) * 64 * 1024 >= MIN_BYTES


def batches(found: Discovery, jobs: int) -> list[Discovery]:
    """Split the work into tasks, in the order a serial run would take it."""
    units = len(found.files) + len(found.modules)
    size = max(1, min(MAX_BATCH, units // (jobs * 4)))
    tasks = [Discovery(files=found.files[i : i + size]) for i in range(0, len(found.files), size)]
    directories = sorted(found.modules)
    for i in range(0, len(directories), size):
        tasks.append(Discovery(modules={d: found.modules[d] for d in directories[i : i + size]}))
    return tasks


def _init_worker(catalog: object = None, options: object = None) -> None:
    """Ctrl-C is the parent's to handle (it stops the pool); a spawned worker also rebuilds the
    engine, whose compiled rules hold closures and cannot be pickled."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if catalog is None:
        return
    from ..engine.runner import Engine

    global _ENGINE
    _ENGINE = Engine(catalog, options)  # type: ignore[arg-type]


def _lint_task(task: tuple[Discovery, bool]) -> bytes:
    import pickle

    assert _ENGINE is not None
    unit, keep_models = task
    outcomes = lint_units(_ENGINE, split(unit), keep_models)
    # Pickled here and unpickled by the caller: a result the pool's own thread failed to unpickle
    # would leave imap() waiting for ever, where this way the error reaches the caller.
    return pickle.dumps(outcomes, protocol=pickle.HIGHEST_PROTOCOL)


def lint_parallel(
    engine: Engine, found: Discovery, jobs: int, keep_models: bool = False
) -> Iterator[Outcome]:
    """``(findings, files linted or None on a parse error, model if kept)`` per model, in serial order."""
    import multiprocessing
    import pickle
    import threading

    global _ENGINE
    # Errors met during discovery need no worker.
    yield from lint_units(engine, [Discovery(errors=found.errors)], keep_models)
    tasks = batches(Discovery(files=found.files, modules=found.modules), jobs)
    # fork shares the already built engine and imported modules for free; it is only safe on
    # Linux and while this process runs no other thread.
    if sys.platform == "linux" and threading.active_count() == 1:
        context = multiprocessing.get_context("fork")
        _ENGINE = engine
        initargs: tuple[object, ...] = ()
    else:
        context = multiprocessing.get_context("spawn")
        initargs = (engine.catalog, engine.options)
    try:
        with context.Pool(min(jobs, len(tasks)), _init_worker, initargs) as pool:
            for results in pool.imap(_lint_task, [(task, keep_models) for task in tasks]):
                yield from pickle.loads(results)
    finally:
        _ENGINE = None
