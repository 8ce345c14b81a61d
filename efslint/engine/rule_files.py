"""Where the bundled rule and schema files live, and reading one rule file.

Below both the catalog and its compiled cache, so neither has to import the other to find or read
the YAML files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# The efslint package: the wheel ships rules/ and schemas/ inside it, a checkout has them beside it.
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


class RuleError(Exception):
    """A rule file is malformed (bundled or user-provided)."""


def data_dir(name: str) -> Path:
    """``rules`` or ``schemas``: inside the wheel they sit in the package, in a checkout beside it."""
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"efslint installation is incomplete: no {name}/ directory found")


def load_rule_yaml(path: Path) -> Any:
    import yaml

    from ..sources.files import file_problem, printable

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    problem = file_problem(path)
    if problem is not None:  # checked first: opening a FIFO would wait forever
        raise RuleError(f"{printable(str(path))}: cannot read rule file: {problem}")
    try:
        with path.open("rb") as handle:
            return yaml.load(handle, Loader=loader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RuleError(f"{path}: cannot read rule file: {first}") from None
