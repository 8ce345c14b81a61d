"""Reporters: one module per output format, each with ``render(report) -> str``.

The Markdown and HTML formats also draw the topology of the linted models (``topology.py`` builds
the graphs, ``sections.py`` orders them, ``diagram_layout.py`` and ``svg_diagram.py`` draw them for
HTML); only those two formats import them.  Reporters read the run's result, the catalog and the
model; they never import a front-end or the pipeline's discovery.
"""

from __future__ import annotations

from importlib import import_module

from ..engine.catalog import Catalog
from ..findings import Severity
from ..pipeline.result import LintResult
from ..record import Record

FORMATS = ("text", "json", "sarif", "junit", "github", "markdown", "html")
# Formats that draw the topology: the run keeps its models for them (``LintResult.models``).
TOPOLOGY_FORMATS = frozenset({"markdown", "html"})


class Report(Record):
    """Everything a reporter needs to render one run."""

    result: LintResult
    catalog: Catalog
    fail_on: Severity
    exit_code: int
    reason: str
    color: bool = False
    # Rule ids that ran (after select/ignore); empty means the whole catalog (JUnit test cases).
    active_rules: tuple[str, ...] = ()


def render(fmt: str, report: Report) -> str:
    module = import_module(f"{__name__}.{fmt}_format")
    return module.render(report)


def summary_line(report: Report) -> str:
    counts = report.result.counts()
    parts = [
        f"{counts[s]} {s}{'s' if counts[s] != 1 and s != Severity.INFO else ''}" for s in reversed(Severity)
    ]
    suppressed = len(report.result.findings) - len(report.result.active())
    extra = f", {suppressed} suppressed" if suppressed else ""
    files = len(set(report.result.files))
    plural = "s" if files != 1 else ""
    exit_note = f"exit {report.exit_code}: {report.reason}"
    return f"{', '.join(parts)}{extra} in {files} file{plural} linted; {exit_note}"
