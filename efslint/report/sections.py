"""What the Markdown and HTML reports share: the topology in reading order, what is drawn, rule links."""

from __future__ import annotations

from ..engine.catalog import Catalog
from ..findings import Severity
from ..record import Record, field
from . import Report
from .topology import Graph, Topology, build

# Diagrams drawn per report; the rest are listed without one, and the report says so.  Twenty
# workloads is about what a pull-request reviewer scrolls through.
MAX_DIAGRAMS = 20
LEGEND = "Red: broken (rule id on it); blue: advice (info); dashed: not known from the input."


class Sections(Record):
    """The report body: graphs in reading order, which of them are drawn, and what is left over."""

    topology: Topology
    # Graphs with findings (worst first), then clean workloads and task definitions with an EFS volume.
    groups: list[Graph] = field(default_factory=list)
    drawn: set[int] = field(default_factory=set)
    # Drawable graphs left without a diagram: (with findings, without).
    undrawn: tuple[int, int] = (0, 0)


def sections(report: Report, limit: int = MAX_DIAGRAMS) -> Sections:
    topology = build(report.result.models, report.result.findings)
    with_findings = sorted((g for g in topology.graphs if g.findings), key=Graph.weight)
    # A clean access point or file system nothing mounts is not worth a picture (a live account
    # has many); one with findings is drawn like a workload.
    pictured = ("workload", "task_definition")
    clean = [g for g in topology.graphs if not g.findings and g.drawable and g.root in pictured]
    result = Sections(topology, with_findings + clean)
    left_with = left_clean = 0
    for graph in result.groups:
        if not graph.drawable:
            continue
        if len(result.drawn) < limit:
            result.drawn.add(id(graph))
        elif graph.findings:
            left_with += 1
        else:
            left_clean += 1
    result.undrawn = (left_with, left_clean)
    # Clean graphs past the limit are only counted.
    result.groups = [g for g in result.groups if g.findings or id(g) in result.drawn]
    return result


def rule_url(catalog: Catalog, rule_id: str) -> str | None:
    """The rule's page under ``docs/rules/``; a custom rule's first reference, if it has one."""
    rule = catalog.get(rule_id)
    if rule is None:
        return None
    return rule.help_uri if rule.builtin else next(iter(rule.references), None)


def count_rows(report: Report) -> list[tuple[str, int]]:
    counts = report.result.counts()
    rows = [(str(severity), counts[severity]) for severity in reversed(Severity)]
    rows.append(("suppressed", len(report.result.findings) - len(report.result.active())))
    return rows


def undrawn_note(sections: Sections, limit: int = MAX_DIAGRAMS) -> str:
    left_with, left_clean = sections.undrawn
    if not left_with and not left_clean:
        return ""
    parts = []
    if left_with:
        parts.append(f"{left_with} with findings (listed below without a diagram)")
    if left_clean:
        parts.append(f"{left_clean} without findings")
    return f"Diagrams are drawn for the first {limit} groups only; left out: {' and '.join(parts)}."
