"""One self-contained HTML page: summary, findings by workload with topology diagrams as inline
SVG (drawn here, see :mod:`.svg_diagram`), a filter by severity and rule, and source snippets.

Nothing is fetched when the page is opened: the stylesheet and the filter script are inline, and
the only links are to rule documentation, followed on a click.  Without JavaScript every finding
is shown.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from ..findings import Finding
from . import Report
from .sections import LEGEND, MAX_DIAGRAMS, count_rows, rule_url, sections, undrawn_note
from .svg_diagram import render as render_svg

# Lines shown on each side of a finding's line, and limits that keep a page small.
CONTEXT_LINES = 2
MAX_SOURCE_BYTES = 2 * 1024 * 1024
MAX_LINE_CHARS = 200

STYLE = """
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1200px;
padding:0 1rem;color:#1f2328;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.3rem}h2{font-size:1.2rem;margin:2rem 0 .2rem;
border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
table.counts{border-collapse:collapse;margin:.5rem 0}table.counts td,table.counts th{border:1px solid #d0d7de;
padding:.2rem .8rem;text-align:left}table.counts td.n{text-align:right}
.file,.legend,.note{color:#57606a;font-size:.9rem}.file code{font-size:.85rem}
figure{margin:.8rem 0;overflow-x:auto;border:1px solid #d0d7de;border-radius:6px;padding:.4rem;
background:#fff}
.finding{border-left:4px solid #d0d7de;margin:.8rem 0;padding:.1rem .8rem}
.finding.error{border-color:#cf222e}.finding.warning{border-color:#bf8700}.finding.info{border-color:#0969da}
.sev{display:inline-block;font-size:.75rem;font-weight:600;padding:0 .4rem;border-radius:1rem;color:#fff}
.sev.error{background:#cf222e}.sev.warning{background:#9a6700}.sev.info{background:#0969da}
.related{margin:.2rem 0;padding-left:1.2rem;font-size:.9rem;color:#57606a}
pre.snippet{background:#f6f8fa;border-radius:6px;padding:.4rem .6rem;overflow-x:auto;font-size:.8rem;
margin:.3rem 0}
pre.snippet .ln{color:#8c959f;user-select:none;display:inline-block;min-width:3ch;text-align:right;
margin-right:1ch}pre.snippet .hit{background:#fff8c5;display:inline-block;min-width:100%}
form.filters{display:flex;gap:1rem;flex-wrap:wrap;align-items:center;margin:1rem 0;padding:.5rem .8rem;
background:#f6f8fa;border-radius:6px}
.hidden{display:none}
""".strip()

SCRIPT = """
(function(){
  var form=document.getElementById('filters');
  function apply(){
    var sev={},boxes=form.querySelectorAll('input[name=severity]');
    for(var i=0;i<boxes.length;i++){sev[boxes[i].value]=boxes[i].checked;}
    var rule=form.querySelector('select[name=rule]').value;
    var groups=document.querySelectorAll('section.group');
    for(var g=0;g<groups.length;g++){
      var items=groups[g].querySelectorAll('.finding'),shown=0;
      for(var f=0;f<items.length;f++){
        var ok=sev[items[f].dataset.severity]&&(!rule||items[f].dataset.rule===rule);
        items[f].classList.toggle('hidden',!ok);if(ok){shown++;}
      }
      var filtered=rule||Object.keys(sev).some(function(k){return !sev[k];});
      groups[g].classList.toggle('hidden',filtered&&shown===0);
    }
  }
  form.addEventListener('change',apply);apply();
})();
""".strip()


class Sources:
    """Source files read once each, for snippets; anything unreadable gives no snippet."""

    def __init__(self) -> None:
        self.lines: dict[str, list[str] | None] = {}

    def get(self, file: str) -> list[str] | None:
        if file not in self.lines:
            self.lines[file] = self._read(file)
        return self.lines[file]

    @staticmethod
    def _read(file: str) -> list[str] | None:
        path = Path(file)
        try:
            if not path.is_file() or path.stat().st_size > MAX_SOURCE_BYTES:
                return None
            return path.read_text(encoding="utf-8", errors="replace").splitlines()
        except (OSError, ValueError):
            return None


def snippet(sources: Sources, finding: Finding) -> str:
    loc = finding.location
    lines = sources.get(loc.file) if loc.line > 0 else None
    if not lines or loc.line > len(lines):
        return ""
    first, last = max(1, loc.line - CONTEXT_LINES), min(len(lines), loc.line + CONTEXT_LINES)
    width = len(str(last))
    out = []
    for number in range(first, last + 1):
        text = lines[number - 1]
        if len(text) > MAX_LINE_CHARS:
            text = text[: MAX_LINE_CHARS - 1] + "…"
        row = f'<span class="ln">{number:>{width}}</span>{escape(text)}'
        out.append(f'<span class="hit">{row}</span>' if number == loc.line else row)
    return '<pre class="snippet"><code>' + "\n".join(out) + "</code></pre>"


def finding_html(report: Report, sources: Sources, finding: Finding) -> str:
    url = rule_url(report.catalog, finding.rule_id)
    rule = escape(finding.rule_id)
    if url:
        rule = f'<a href="{escape(url)}" title="{escape(finding.rule_name)}">{rule}</a>'
    severity = str(finding.severity)
    parts = [
        f'<div class="finding {severity}" data-severity="{severity}" data-rule="{escape(finding.rule_id)}">',
        f'<p><span class="sev {severity}">{severity}</span> <strong>{rule}</strong> '
        f"<code>{escape(str(finding.location))}</code><br>{escape(finding.message)}</p>",
    ]
    if finding.related:
        items = "".join(
            f"<li><code>{escape(str(r.location))}</code> {escape(r.message)}</li>" for r in finding.related
        )
        parts.append(f'<ul class="related">{items}</ul>')
    parts.append(snippet(sources, finding))
    parts.append("</div>")
    return "\n".join(part for part in parts if part)


def filters(report: Report) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" name="severity" value="{name}" checked> {name}</label>'
        for name, _ in count_rows(report)
        if name != "suppressed"
    )
    rules = sorted({f.rule_id for f in report.result.active()})
    options = "".join(f'<option value="{escape(r)}">{escape(r)}</option>' for r in rules)
    return (
        f'<form class="filters" id="filters"><strong>Show</strong>{boxes}'
        f'<label>rule <select name="rule"><option value="">all rules</option>{options}</select></label>'
        "</form>"
    )


def render(report: Report) -> str:
    body = sections(report)
    sources = Sources()
    files = len(set(report.result.files))
    counts = "".join(f'<tr><th>{name}</th><td class="n">{n}</td></tr>' for name, n in count_rows(report))
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>efslint report</title>",
        f"<style>\n{STYLE}\n</style></head>",
        "<body>",
        "<h1>efslint report</h1>",
        f'<table class="counts"><tr><th>Severity</th><th>Findings</th></tr>{counts}</table>',
        f"<p><strong>{files} file{'s' if files != 1 else ''} linted · exit {report.exit_code}:</strong> "
        f"{escape(report.reason)}</p>",
    ]
    if report.result.active():
        out.append(filters(report))
    if body.drawn:
        out.append(f'<p class="legend">{escape(LEGEND)}</p>')
    note = undrawn_note(body, MAX_DIAGRAMS)
    if note:
        out.append(f'<p class="note">{escape(note)}</p>')
    for index, graph in enumerate(body.groups):
        out.append(f'<section class="group" id="g{index}">')
        out.append(f"<h2>{escape(graph.title)}</h2>")
        out.append(f'<p class="file"><code>{escape(graph.file)}</code></p>')
        if id(graph) in body.drawn:
            out.append(f"<figure>\n{render_svg(graph, f'g{index}')}\n</figure>")
        if graph.findings:
            out += [finding_html(report, sources, f) for f in graph.findings]
        else:
            out.append("<p>No findings.</p>")
        out.append("</section>")
    if body.topology.unplaced:
        out.append('<section class="group" id="other"><h2>Other findings</h2>')
        out += [finding_html(report, sources, f) for f in body.topology.unplaced]
        out.append("</section>")
    if report.result.active():
        out.append(f"<script>\n{SCRIPT}\n</script>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
