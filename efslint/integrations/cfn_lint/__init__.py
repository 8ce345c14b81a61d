"""efslint's rules inside cfn-lint: ``cfn-lint --append-rules <RULES_DIR> template.yaml``.

cfn-lint imports every ``*.py`` file of an ``--append-rules`` directory and instantiates the
``CloudFormationLintRule`` subclasses it finds; ``efslint_rules.py`` in this directory defines one
per efslint rule that applies to CloudFormation, with an id in cfn-lint's custom range: the
letter is the severity (E error, W warning, I info) and the digits follow the efslint id
(EFS101 → E9101, EFS302 → W9302, EFS112 → I9112).  ``python -m efslint.integrations.cfn_lint``
prints the directory.

Nothing here imports cfn-lint; only ``efslint_rules.py`` does, and only cfn-lint loads it.
"""

from __future__ import annotations

from pathlib import Path

RULES_DIR = Path(__file__).resolve().parent
_LETTER = {"error": "E", "warning": "W", "info": "I"}


def cfn_lint_id(rule_id: str, severity: str) -> str:
    """The cfn-lint id of an efslint rule: ``EFS101`` with severity error → ``E9101``."""
    return f"{_LETTER[severity]}9{rule_id[3:]}"
