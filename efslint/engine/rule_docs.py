"""Rule documentation: one source (the rule file) for `efslint explain`, docs/rules and SARIF."""

from __future__ import annotations

from pathlib import Path

from .catalog import Catalog, Rule

SNIPPET_LANGS = {"taskdef": ("Task definition JSON", "json"), "cloudformation": ("CloudFormation", "yaml"),
                 "terraform": ("Terraform", "hcl")}  # fmt: skip
APPLIES = {"T": "task definition JSON", "C": "CloudFormation", "H": "Terraform HCL", "P": "Terraform plan",
           "L": "live account"}  # fmt: skip


def _snippets(section: dict[str, str] | str | None) -> list[str]:
    if not section:
        return []
    if isinstance(section, str):
        return [section.rstrip(), ""]
    out: list[str] = []
    for key, (title, lang) in SNIPPET_LANGS.items():
        if key in section:
            out += [f"{title}:", "", f"```{lang}", section[key].rstrip(), "```", ""]
    return out


def severity_cases(rule: Rule) -> str:
    """`` (`warning` when external)`` for a rule whose findings may take a lower severity."""
    if not rule.severity_when:
        return ""
    return " (" + ", ".join(f"`{sev}` when {case}" for case, sev in rule.severity_when.items()) + ")"


def rule_markdown(rule: Rule) -> str:
    docs = rule.docs
    applies = ", ".join(APPLIES[c] for c in rule.applies if c in APPLIES)
    lines = [
        f"# {rule.id} {rule.name}",
        "",
        f"**{rule.title}** — severity `{rule.severity}`{severity_cases(rule)}; applies to {applies}.",
        "",
        "## What it does",
        "",
        docs.get("what", "").strip(),
        "",
        "## Why it matters",
        "",
        docs.get("why", "").strip(),
        "",
    ]
    if docs.get("example"):
        lines += ["## Example", "", *_snippets(docs["example"])]
    lines += ["## Fix", "", docs.get("fix", "").strip(), ""]
    if docs.get("fixed"):
        lines += _snippets(docs["fixed"])
    if rule.references:
        lines += ["## References", "", *[f"- {ref}" for ref in rule.references], ""]
    return "\n".join(lines).rstrip() + "\n"


def rule_table(catalog: Catalog) -> str:
    rows = ["| id | name | severity | applies to | finds |", "| --- | --- | --- | --- | --- |"]
    for rule in catalog:
        link = f"[{rule.id}](docs/rules/{rule.id}.md)"
        severity = f"{rule.severity}{severity_cases(rule).replace('`', '')}"
        rows.append(f"| {link} | `{rule.name}` | {severity} | {rule.applies} | {rule.title} |")
    return "\n".join(rows) + "\n"


def write_all(root: Path) -> None:
    """Regenerate ``docs/rules/*.md``, the README rule table between its markers, and the
    compiled catalog the CLI starts from."""
    from .catalog_cache import write

    write()
    catalog = Catalog.load()
    pages = root / "docs" / "rules"
    pages.mkdir(parents=True, exist_ok=True)
    for stale in pages.glob("*.md"):
        if catalog.get(stale.stem) is None:
            stale.unlink()
    for rule in catalog:
        (pages / f"{rule.id}.md").write_text(rule_markdown(rule))
    readme = root / "README.md"
    text = readme.read_text()
    start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        tail = rest.split(end, 1)[1]
        readme.write_text(f"{head}{start}{rule_table(catalog)}{end}{tail}")


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m efslint.engine.rule_docs --write")
    write_all(Path.cwd())
