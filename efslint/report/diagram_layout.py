"""Where each node of a topology graph goes: a layered left-to-right layout, deterministic.

Columns are the graph's layers (workload, task definition, EFS volume, access point, file system
and task subnets, mount targets); empty ones are dropped.  Within a column, nodes start in the
order the graph was walked and are then sorted by the mean row of their predecessors (one
barycenter pass, ties kept in walk order), which untangles the usual fan-out without a
crossing-minimisation library.  Task subnets sit in a lane below every box to their left, so the
workload → subnet edges (the only ones that skip columns) run along it without crossing a box.
A gap between columns is as wide as the widest edge label it holds.  The same graph always gets
the same layout, so golden files of the HTML report stay stable.
"""

from __future__ import annotations

from ..record import Record, field
from .topology import Edge, Graph, Node

NODE_WIDTH = 240
LINE_HEIGHT = 15
PADDING = 8
COLUMN_GAP = 110
ROW_GAP = 22
MARGIN = 12
# Characters per line that fit NODE_WIDTH at the diagram's font size; longer text is cut with "…".
LINE_CHARS = 30
# Edge labels: characters per line, the advance of one character and the line height.
LABEL_CHARS = 34
LABEL_CHAR_WIDTH = 6
LABEL_LINE_HEIGHT = 12


class Box(Record):
    node: Node
    x: int
    y: int
    width: int
    height: int
    lines: list[str] = field(default_factory=list)

    @property
    def right(self) -> tuple[int, int]:
        return self.x + self.width, self.y + self.height // 2

    @property
    def left(self) -> tuple[int, int]:
        return self.x, self.y + self.height // 2


class Layout(Record):
    boxes: dict[str, Box] = field(default_factory=dict)
    # Left edge of each column, and each column's index by node id.
    columns: list[int] = field(default_factory=list)
    column_of: dict[str, int] = field(default_factory=dict)
    width: int = 0
    height: int = 0


def clip(text: str, limit: int = LINE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def wrap(text: str, limit: int = LINE_CHARS, max_lines: int = 2) -> list[str]:
    """``text`` in lines of at most ``limit`` characters, broken after a separator where one is
    near the end; the last line is clipped."""
    lines: list[str] = []
    while len(text) > limit and len(lines) < max_lines - 1:
        cut = max(text.rfind(sep, limit // 2, limit) for sep in " ./_-:")
        cut = cut + 1 if cut > 0 else limit
        lines.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    lines.append(clip(text, limit))
    return lines


def node_lines(node: Node) -> list[str]:
    lines = [clip(node.title), *wrap(node.name)]
    if node.detail:
        lines += wrap(node.detail)
    rules = node.mark.rules
    for start in range(0, len(rules), 4):
        lines.append(("⚠ " if start == 0 else "  ") + " ".join(rules[start : start + 4]))
    return lines


def edge_lines(edge: Edge) -> list[str]:
    """An edge's label as lines: the security groups (split at the arrow) and the rule ids."""
    lines: list[str] = []
    if edge.label:
        client, arrow, server = edge.label.partition(" → ")
        lines += [f"{client} →", server] if arrow else [edge.label]
    if edge.mark.rules:
        lines.append("⚠ " + " ".join(edge.mark.rules))
    return [clip(line, LABEL_CHARS) for line in lines]


def label_width(lines: list[str]) -> int:
    return max((len(line) for line in lines), default=0) * LABEL_CHAR_WIDTH + 8


def layout(graph: Graph) -> Layout:
    layers = sorted({node.layer for node in graph.nodes})
    column_of = {layer: index for index, layer in enumerate(layers)}
    columns: list[list[Node]] = [[] for _ in layers]
    for node in graph.nodes:
        columns[column_of[node.layer]].append(node)
    predecessors: dict[str, list[str]] = {}
    for edge in graph.edges:
        predecessors.setdefault(edge.target, []).append(edge.source)
    row: dict[str, float] = {}
    for column in columns:
        walk_order = {node.id: index for index, node in enumerate(column)}

        def key(node: Node, walk_order: dict[str, int] = walk_order) -> tuple[float, int]:
            rows = [row[p] for p in predecessors.get(node.id, ()) if p in row]
            return (sum(rows) / len(rows) if rows else float(walk_order[node.id]), walk_order[node.id])

        column.sort(key=key)
        for index, node in enumerate(column):
            row[node.id] = float(index)
    result = Layout()
    for index, column in enumerate(columns):
        for node in column:
            result.column_of[node.id] = index
    # Column gaps wide enough for the labels of the edges that end in the column.
    gaps = [COLUMN_GAP] * len(columns)
    for edge in graph.edges:
        lines = edge_lines(edge)
        if lines:
            target = result.column_of[edge.target]
            gaps[target] = max(gaps[target], label_width(lines) + 24)
    x = MARGIN
    for index in range(len(columns)):
        if index:
            x += NODE_WIDTH + gaps[index]
        result.columns.append(x)
    lane = MARGIN  # below every box placed so far in the columns to the left
    for index, column in enumerate(columns):
        y = MARGIN
        for node in sorted(column, key=lambda n: n.kind == "subnet"):
            if node.kind == "subnet":
                y = max(y, lane)
            lines = node_lines(node)
            height = len(lines) * LINE_HEIGHT + 2 * PADDING
            result.boxes[node.id] = Box(node, result.columns[index], y, NODE_WIDTH, height, lines)
            y += height + ROW_GAP
        lane = max(lane, y)
    result.width = (result.columns[-1] + NODE_WIDTH + MARGIN) if columns else 2 * MARGIN
    result.height = max((b.y + b.height for b in result.boxes.values()), default=0) + MARGIN
    return result
