"""cfn-lint rules that run efslint (loaded by ``cfn-lint --append-rules``; see ``__init__.py``).

efslint lints each template once (the first rule to run caches the findings per file); every
rule class then reports the findings of its own efslint rule at efslint's line and column.
Findings suppressed in the template (Metadata or ``# efslint: ignore[...]``) are not reported.
"""

from __future__ import annotations

import os
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.findings import Finding
from efslint.integrations.cfn_lint import cfn_lint_id
from efslint.pipeline.discovery import load_file

_CACHE: dict[tuple[str, float], list[Finding]] = {}
_ENGINE: list[Engine] = []


def _findings(filename: str | None) -> list[Finding]:
    if not filename or not os.path.isfile(filename):
        return []
    key = (os.path.abspath(filename), os.path.getmtime(filename))
    if key not in _CACHE:
        from pathlib import Path

        if not _ENGINE:
            _ENGINE.append(Engine(Catalog.load()))
        model = load_file(Path(filename), explicit=True)
        found = _ENGINE[0].run(model) if model is not None else []
        # cfn-lint reports parse errors itself (E0000).
        _CACHE[key] = [f for f in found if f.rule_id not in ("EFS000", "EFS001") and f.suppressed is None]
    return _CACHE[key]


class _EfslintRule(CloudFormationLintRule):
    efslint_id = ""

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for finding in _findings(getattr(cfn, "filename", None)):
            if finding.rule_id != self.efslint_id:
                continue
            loc = finding.location
            logical = loc.logical_name.split("/", 1)[0]
            line, col = max(loc.line - 1, 0), max(loc.column - 1, 0)
            matches.append(
                RuleMatch(
                    ["Resources", logical],
                    f"{finding.message} [{finding.rule_id}]",
                    location=(line, col, line, col),
                )
            )
        return matches


def _rule_classes() -> dict[str, type]:
    classes: dict[str, type] = {}
    for rule in Catalog.load():
        if "C" not in rule.applies or rule.id in ("EFS000", "EFS001"):
            continue
        ident = cfn_lint_id(rule.id, str(rule.severity))
        classes[f"Efslint{rule.id}"] = type(
            f"Efslint{rule.id}",
            (_EfslintRule,),
            {
                "id": ident,
                "efslint_id": rule.id,
                "shortdesc": rule.title,
                "description": (rule.docs.get("what") or rule.title).strip(),
                "source_url": rule.help_uri,
                "tags": ["efslint", "efs", "ecs", rule.name],
            },
        )
    return classes


globals().update(_rule_classes())
