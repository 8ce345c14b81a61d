"""Markdown for CI job summaries (``$GITHUB_STEP_SUMMARY``) and pull-request comments.

A summary table, then the findings grouped by workload, each group with a Mermaid ``flowchart``
of its topology (GitHub renders ``mermaid`` code blocks as diagrams).  The Mermaid written here is
a small, fixed subset — node declarations, ``-->``/``-.->`` edges with quoted labels, ``classDef``,
``class`` and ``linkStyle`` lines — which ``tests/test_report_topology.py`` parses back.
"""

from __future__ import annotations

import re

from ..findings import Finding
from . import Report
from .sections import LEGEND, MAX_DIAGRAMS, count_rows, rule_url, sections, undrawn_note
from .topology import Edge, Graph, Mark, Node

# GitHub refuses a job summary over 1 MiB (1024k) and drops it whole, so finding rows stop at
# this many bytes of table (diagrams are capped separately); the JSON and SARIF reports always
# hold every finding.
MAX_TABLE_BYTES = 640 * 1024

CLASS_DEFS = {
    "broken": "fill:#ffebe9,stroke:#cf222e,stroke-width:2px,color:#82071e",
    "advice": "fill:#ddf4ff,stroke:#0969da,color:#0a3069",
    "unknown": "stroke-dasharray:5 5",
    "brokenUnknown": "fill:#ffebe9,stroke:#cf222e,stroke-width:2px,color:#82071e,stroke-dasharray:5 5",
    "adviceUnknown": "fill:#ddf4ff,stroke:#0969da,color:#0a3069,stroke-dasharray:5 5",
}
LINK_STYLES = {"broken": "stroke:#cf222e,stroke-width:2px", "advice": "stroke:#0969da"}

# Characters a Mermaid label may hold as they are; everything else is written as an entity code.
_LABEL_SAFE = re.compile(r"[A-Za-z0-9 ._:/@()+,=*\-\[\]']")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def label_text(text: str) -> str:
    """``text`` for inside a quoted Mermaid label: entity codes for anything that could end it."""
    return "".join(ch if _LABEL_SAFE.fullmatch(ch) else f"#{ord(ch)};" for ch in text)


def style(mark: Mark, unknown: bool) -> str:
    base = "broken" if mark.broken else "advice" if mark.rules else ""
    if unknown:
        return f"{base}Unknown" if base else "unknown"
    return base


def node_label(node: Node) -> str:
    lines = [label_text(node.title), label_text(node.name)]
    if node.detail:
        lines.append(label_text(node.detail))
    if node.mark.rules:
        lines.append(label_text("⚠ " + " ".join(node.mark.rules)))
    return "<br/>".join(lines)


def edge_label(edge: Edge) -> str:
    parts = [edge.label] if edge.label else []
    if edge.mark.rules:
        parts.append("⚠ " + " ".join(edge.mark.rules))
    return label_text(" · ".join(parts))


def mermaid(graph: Graph) -> str:
    lines = ["flowchart LR"]
    classes: dict[str, list[str]] = {}
    for node in graph.nodes:
        lines.append(f'  {node.id}["{node_label(node)}"]')
        name = style(node.mark, node.unknown)
        if name:
            classes.setdefault(name, []).append(node.id)
    link_styles: list[str] = []
    for index, edge in enumerate(graph.edges):
        arrow = "-.->" if edge.unknown else "-->"
        label = edge_label(edge)
        text = f'|"{label}"|' if label else ""
        lines.append(f"  {edge.source} {arrow}{text} {edge.target}")
        kind = "broken" if edge.mark.broken else "advice" if edge.mark.rules else ""
        if kind:
            link_styles.append(f"  linkStyle {index} {LINK_STYLES[kind]}")
    for name in sorted(classes):
        lines.append(f"  classDef {name} {CLASS_DEFS[name]}")
        lines.append(f"  class {','.join(classes[name])} {name}")
    lines.extend(link_styles)
    return "\n".join(lines)


def escape(text: str) -> str:
    """Plain text inside a Markdown paragraph or table cell."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def code(text: str) -> str:
    """An inline code span that holds ``text`` whatever backticks it contains (pipes escaped for tables)."""
    text = " ".join(text.split()).replace("|", "\\|")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def finding_row(report: Report, finding: Finding) -> str:
    url = rule_url(report.catalog, finding.rule_id)
    rule = f"[{finding.rule_id}]({url})" if url else finding.rule_id
    return f"| {finding.severity} | {rule} | {code(str(finding.location))} | {escape(finding.message)} |"


def findings_table(report: Report, findings: list[Finding], budget: list[int]) -> list[str]:
    """A table of ``findings``; ``budget`` is [table bytes left, rows cut so far]."""
    rows = ["| Severity | Rule | Location | Message |", "| --- | --- | --- | --- |"]
    for index, finding in enumerate(findings):
        row = finding_row(report, finding)
        size = len(row.encode("utf-8")) + 1
        if size > budget[0]:
            left = len(findings) - index
            budget[0] = 0
            budget[1] += left
            rows.append(f"| | | | {left} more not shown |")
            break
        budget[0] -= size
        rows.append(row)
    return rows


def render(report: Report) -> str:
    body = sections(report)
    out = ["## efslint report", "", "| Severity | Findings |", "| --- | ---: |"]
    out += [f"| {name} | {count} |" for name, count in count_rows(report)]
    files = len(set(report.result.files))
    linted = f"{files} file{'s' if files != 1 else ''} linted"
    out += ["", f"**{linted} · exit {report.exit_code}:** {escape(report.reason)}", ""]
    if any(id(g) in body.drawn for g in body.groups):
        out += [f"_{escape(LEGEND)}_", ""]
    note = undrawn_note(body, MAX_DIAGRAMS)
    if note:
        out += [f"> {escape(note)}", ""]
    budget = [MAX_TABLE_BYTES, 0]
    for graph in body.groups:
        out += [f"### {escape(graph.title)}", "", code(graph.file), ""]
        if id(graph) in body.drawn:
            out += ["```mermaid", mermaid(graph), "```", ""]
        if graph.findings:
            out += [*findings_table(report, graph.findings, budget), ""]
        else:
            out += ["No findings.", ""]
    if body.topology.unplaced:
        out += ["### Other findings", "", *findings_table(report, body.topology.unplaced, budget), ""]
    if budget[1]:
        cut = f"{budget[1]} findings were left out to keep the report small"
        out += [f"{cut}; the JSON and SARIF reports list all.", ""]
    return "\n".join(out).rstrip("\n") + "\n"
