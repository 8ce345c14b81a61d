"""Validators for the Markdown and HTML reports, shared by their tests and the golden-file tests.

* :func:`check_markdown` parses the report as CommonMark (markdown-it-py, GFM tables enabled) and
  checks every ``mermaid`` block with :func:`parse_mermaid`.
* :func:`parse_mermaid` is a parser of exactly the Mermaid subset the report writes; anything else
  is an error, and so is an edge to a node that was never declared.
* :func:`check_html` runs the standard library's ``html.parser`` with a strict tag balance, refuses
  any resource fetched at load time from the network, and parses every inline SVG as XML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser

NODE = re.compile(r'^  (n\d+)\["([^"]*)"\]$')
EDGE = re.compile(r'^  (n\d+) (-->|-\.->)(?:\|"([^"]*)"\|)? (n\d+)$')
CLASS_DEF = re.compile(r"^  classDef ([A-Za-z]+) ([a-z-]+:[^,;]+(?:,[a-z-]+:[^,;]+)*)$")
CLASS = re.compile(r"^  class (n\d+(?:,n\d+)*) ([A-Za-z]+)$")
LINK_STYLE = re.compile(r"^  linkStyle (\d+) ([a-z-]+:[^,;\s]+(?:,[a-z-]+:[^,;\s]+)*)$")
# What a label may hold: safe characters, entity codes, and <br/> line breaks.
LABEL = re.compile(r"^(?:[A-Za-z0-9 ._:/@()+,=*\-\[\]']|#\d+;|<br/>)*$")


@dataclass
class Flowchart:
    nodes: dict[str, str] = field(default_factory=dict)
    edges: list[tuple[str, str, str, bool]] = field(default_factory=list)  # source, target, label, dotted
    classes: dict[str, set[str]] = field(default_factory=dict)  # class name -> node ids
    link_styles: dict[int, str] = field(default_factory=dict)


def parse_mermaid(text: str) -> Flowchart:
    """The flowchart in ``text``; AssertionError on any line outside the emitted grammar."""
    lines = text.split("\n")
    assert lines[0] == "flowchart LR", lines[0]
    chart = Flowchart()
    defined: set[str] = set()
    for line in lines[1:]:
        if m := NODE.match(line):
            assert m.group(1) not in chart.nodes, f"node declared twice: {line}"
            assert LABEL.match(m.group(2)), f"unsafe label: {line}"
            chart.nodes[m.group(1)] = m.group(2)
        elif m := EDGE.match(line):
            assert chart.nodes, "edge before any node"
            label = m.group(3) or ""
            assert LABEL.match(label), f"unsafe edge label: {line}"
            chart.edges.append((m.group(1), m.group(4), label, m.group(2) == "-.->"))
        elif m := CLASS_DEF.match(line):
            defined.add(m.group(1))
        elif m := CLASS.match(line):
            chart.classes.setdefault(m.group(2), set()).update(m.group(1).split(","))
        elif m := LINK_STYLE.match(line):
            chart.link_styles[int(m.group(1))] = m.group(2)
        else:
            raise AssertionError(f"not in the emitted Mermaid grammar: {line!r}")
    for source, target, _, _ in chart.edges:
        assert source in chart.nodes and target in chart.nodes, (
            f"edge to an undeclared node: {source}->{target}"
        )
    for name, ids in chart.classes.items():
        assert name in defined, f"class {name} used but not defined"
        assert ids <= set(chart.nodes), f"class {name} on undeclared nodes {ids - set(chart.nodes)}"
    assert all(i < len(chart.edges) for i in chart.link_styles), "linkStyle past the last edge"
    return chart


def check_markdown(text: str) -> list[Flowchart]:
    """Parse ``text`` as CommonMark; return its flowcharts (each already checked)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    charts = []
    for token in tokens:
        # The report escapes everything: raw HTML would be a hole in a pull-request comment.
        assert token.type not in ("html_block", "html_inline"), token.content
        for child in token.children or ():
            assert child.type != "html_inline", child.content
        if token.type == "fence":
            assert token.info == "mermaid", token.info
            charts.append(parse_mermaid(token.content.rstrip("\n")))
    assert tokens and tokens[0].type == "heading_open"
    return charts


def links(text: str) -> list[str]:
    from markdown_it import MarkdownIt

    found = []
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        for child in token.children or ():
            if child.type == "link_open":
                found.append(str(child.attrs["href"]))
    return found


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Attributes through which a page loads something when it opens (links followed on a click do not).
LOADING = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("image", "href"),
    ("image", "xlink:href"),
    ("use", "href"),
    ("use", "xlink:href"),
    ("feimage", "href"),
}


class StrictParser(HTMLParser):
    """html.parser with the checks it does not make itself: balanced tags, no network loads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.loads: list[str] = []
        self.in_style = False
        self.styles: list[str] = []
        self.doctype = False

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (tag, name) in LOADING and value and not value.startswith("#"):
                self.loads.append(f"<{tag} {name}={value}>")
            if name == "style" and value:
                self.styles.append(value)
        if tag not in VOID:
            self.stack.append(tag)
        self.in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Self-closed SVG elements (<path/>, <rect/>): check attributes, push nothing.
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.styles.append(data)


def check_html(text: str) -> list[ET.Element]:
    """Check the page; return its inline SVG elements, parsed as XML."""
    parser = StrictParser()
    parser.feed(text)
    parser.close()
    assert parser.doctype, "no <!DOCTYPE html>"
    assert not parser.errors, parser.errors[:5]
    assert parser.stack == [], f"unclosed: {parser.stack}"
    assert not parser.loads, parser.loads
    for css in parser.styles:
        assert "@import" not in css and not re.search(r"url\(\s*['\"]?(?!#)", css), css
    svgs = []
    for match in re.finditer(r"<svg\b.*?</svg>", text, re.S):
        svgs.append(ET.fromstring(match.group(0)))
    return svgs
