"""A topology graph as inline SVG, drawn by efslint itself (no Mermaid, no network when opened).

Boxes for nodes, cubic curves for edges, the edge label at the curve's middle.  Colours and
dashes come from classes (``broken``, ``advice``, ``unknown``) styled by the HTML report's
stylesheet, with presentation attributes as a fallback so the SVG reads on its own too.  Every
piece of text is XML-escaped, and each ``<title>`` holds the full, unclipped text.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .diagram_layout import LABEL_LINE_HEIGHT, LINE_HEIGHT, PADDING, Layout, edge_lines, label_width, layout
from .topology import Edge, Graph, Mark


def classes(mark: Mark, unknown: bool) -> str:
    names = []
    if mark.broken:
        names.append("broken")
    elif mark.rules:
        names.append("advice")
    if unknown:
        names.append("unknown")
    return " ".join(names)


def _stroke(mark: Mark) -> str:
    return "#cf222e" if mark.broken else "#0969da" if mark.rules else "#57606a"


def _edge(edge: Edge, boxes: Layout, marker: str) -> list[str]:
    (x1, y1), (x2, y2) = boxes.boxes[edge.source].right, boxes.boxes[edge.target].left
    if boxes.column_of[edge.target] - boxes.column_of[edge.source] > 1:
        # Skips columns: bend down in the first gap, then run along the target's row (the lane).
        bend = boxes.columns[boxes.column_of[edge.source] + 1] - x1
        xm = x1 + bend // 2
        path = f"M{x1},{y1} C{xm},{y1} {xm - 10},{y2} {xm + 20},{y2} L{x2},{y2}"
        mx, my = (xm + 20 + x2) // 2, y2
    else:
        bend = max(40, (x2 - x1) // 2)
        path = f"M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}"
        # The middle of this cubic curve (t = 0.5) is the midpoint of its ends, by symmetry.
        mx, my = (x1 + x2) // 2, (y1 + y2) // 2
    css = classes(edge.mark, edge.unknown)
    dash = ' stroke-dasharray="6 4"' if edge.unknown else ""
    lines = edge_lines(edge)
    full = " · ".join(part for part in (edge.label, " ".join(edge.mark.rules)) if part)
    out = [
        f'<g class="edge{" " + css if css else ""}">',
        f"<title>{escape(full or 'link')}</title>",
        f'<path d="{path}" fill="none" stroke="{_stroke(edge.mark)}" '
        f'stroke-width="{2 if edge.mark.broken else 1.4}"{dash} marker-end="url(#{marker})"/>',
    ]
    if lines:
        width, height = label_width(lines), len(lines) * LABEL_LINE_HEIGHT + 4
        top = my - height // 2
        out.append(
            f'<rect class="label" x="{mx - width // 2}" y="{top}" width="{width}" height="{height}" '
            'rx="3" fill="#ffffff" fill-opacity="0.92"/>'
        )
        for index, line in enumerate(lines):
            y = top + 2 + (index + 1) * LABEL_LINE_HEIGHT - 2
            out.append(f'<text x="{mx}" y="{y}" text-anchor="middle" font-size="10">{escape(line)}</text>')
    out.append("</g>")
    return out


def render(graph: Graph, prefix: str) -> str:
    """The SVG element for ``graph``; ``prefix`` keeps element ids unique within one page."""
    boxes = layout(graph)
    marker = f"{prefix}-arrow"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="topology" role="img" '
        f'viewBox="0 0 {boxes.width} {boxes.height}" width="{boxes.width}" height="{boxes.height}" '
        f"aria-label={quoteattr('Topology of ' + graph.title)} "
        'font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif">',
        "<defs>",
        f'<marker id="{marker}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#57606a"/></marker>',
        "</defs>",
    ]
    for edge in graph.edges:
        out += _edge(edge, boxes, marker)
    for node in graph.nodes:
        box = boxes.boxes[node.id]
        css = classes(node.mark, node.unknown)
        fill = "#ffebe9" if node.mark.broken else "#ddf4ff" if node.mark.rules else "#f6f8fa"
        dash = ' stroke-dasharray="6 4"' if node.unknown else ""
        full = [node.title, node.name, node.detail, " ".join(node.mark.rules)]
        out.append(f'<g class="node{" " + css if css else ""}" id="{prefix}-{node.id}">')
        out.append(f"<title>{escape(' · '.join(part for part in full if part))}</title>")
        width = 2 if node.mark.broken else 1
        out.append(
            f'<rect x="{box.x}" y="{box.y}" width="{box.width}" height="{box.height}" rx="6" '
            f'fill="{fill}" stroke="{_stroke(node.mark)}" stroke-width="{width}"{dash}/>'
        )
        for index, line in enumerate(box.lines):
            y = box.y + PADDING + (index + 1) * LINE_HEIGHT - 3
            weight = ' font-weight="600"' if index == 1 else ""
            size = "11" if index == 0 else "12"
            x = box.x + PADDING
            out.append(f'<text x="{x}" y="{y}" font-size="{size}"{weight}>{escape(line)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
