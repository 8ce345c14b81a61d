"""Repository configuration: ``.efslint.yaml`` or ``[tool.efslint]`` in ``pyproject.toml``.

The file is found upward from the working directory (``--config FILE`` names one explicitly),
validated against ``schemas/config.schema.json``, and every error names the file, the key and the
line, so a typo in CI is fixed in one look.  Paths and globs in the file are relative to the folder
that holds it, wherever efslint is run from.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..engine.catalog import Catalog, data_dir
from ..findings import Severity
from ..model import is_resource_id
from ..record import Record, field
from ..sources.files import file_problem, is_directory, printable, safe_resolve
from .globs import GlobError, GlobSet, compile_glob, compile_resource_glob

if TYPE_CHECKING:
    from ..engine.runner import Engine

CONFIG_FILE = ".efslint.yaml"
PYPROJECT = "pyproject.toml"

KeyPath = tuple[str | int, ...]


class ConfigError(Exception):
    """The configuration cannot be used; the message is one line naming file, key and line."""


class PathIgnore(Record):
    """Rules suppressed in the files a glob selects (``per-path-ignores``)."""

    glob: str
    pattern: re.Pattern[str]
    rules: list[str]
    reason: str = ""


class Config(Record):
    """The settled configuration; ``path`` is None when no file was found (all defaults)."""

    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_path_ignores: list[PathIgnore] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity | None = None
    exclude: GlobSet = field(default_factory=lambda: GlobSet([]))
    rule_dirs: list[Path] = field(default_factory=list)
    # Line of every key and list item, for errors found after loading (unknown rule ids).
    lines: dict[KeyPath, int] = field(default_factory=dict, repr=False)

    def relative(self, path: str | Path) -> str | None:
        """``path`` relative to the configuration's folder, POSIX style; None when outside it."""
        rel = os.path.relpath(Path(path).absolute(), self.root.absolute())
        if rel == ".." or rel.startswith(".." + os.sep):
            return None
        return Path(rel).as_posix()

    def excluded(self, path: Path) -> bool:
        if not self.exclude:
            return False
        rel = self.relative(path)
        return rel is not None and self.exclude.match(rel)

    def error(self, key: KeyPath, message: str) -> ConfigError:
        return ConfigError(_located(self.path, _line_of(self.lines, key), key, message))

    def check_rule_selectors(self, catalog: Catalog) -> None:
        """Every rule id, name or prefix the file mentions must exist in ``catalog``."""
        mentioned: list[tuple[KeyPath, str]] = []
        mentioned += [(("select", i), s) for i, s in enumerate(self.select)]
        mentioned += [(("ignore", i), s) for i, s in enumerate(self.ignore)]
        for entry in self.per_path_ignores:
            mentioned += [(("per-path-ignores", entry.glob, i), s) for i, s in enumerate(entry.rules)]
        mentioned += [(("severity", s), s) for s in self.severity]
        for key, selector in mentioned:
            try:
                catalog.resolve(selector)
            except KeyError:
                raise self.error(key, f"unknown rule or prefix {selector!r} (see `efslint rules`)") from None


# --------------------------------------------------------------------------------------------
# Finding the file


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``.efslint.yaml``, or ``pyproject.toml`` with ``[tool.efslint]``, upward."""
    here = (start or Path.cwd()).absolute()
    for directory in (here, *here.parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file():
            return candidate
        if os.path.lexists(candidate):
            # A link to nowhere, a loop or a FIFO: the user meant a configuration; say why it fails.
            problem = file_problem(candidate)
            raise ConfigError(f"{_display(candidate)}: cannot read configuration file: {problem}")
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _has_efslint_table(pyproject):
            return pyproject
    return None


def _has_efslint_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "efslint" not in text:
        return False
    try:
        data = _parse_toml(text)
    except ValueError:
        # A broken pyproject.toml that mentions efslint is meant for us: report it when loading.
        return True
    tool = data.get("tool")
    return isinstance(tool, dict) and "efslint" in tool


def load_config(explicit: str | Path | None = None, start: Path | None = None) -> Config:
    """The configuration named by ``--config``, else the one found upward, else the defaults."""
    if explicit is not None:
        path = Path(explicit)
        problem = file_problem(path)
        if problem is not None:
            reason = "no such file" if not os.path.lexists(path) else problem
            if reason not in ("no such file", "is a directory"):
                reason = f"cannot be read: {reason}"
            raise ConfigError(f"{printable(str(path))}: configuration file {reason}")
    else:
        found = find_config(start)
        if found is None:
            return Config(root=(start or Path.cwd()).absolute())
        path = found
    return parse_config(path)


def parse_config(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{_display(path)}: configuration file is not valid UTF-8") from None
    except OSError as exc:
        problem = exc.strerror or exc
        raise ConfigError(f"{_display(path)}: cannot read configuration file: {problem}") from None
    if path.name == PYPROJECT:
        data, lines = _load_pyproject(path, text)
    else:
        data, lines = _load_yaml(path, text)
    return _build(path, data, lines)


# --------------------------------------------------------------------------------------------
# Reading YAML and TOML with the line of every key


def _load_yaml(path: Path, text: str) -> tuple[Any, dict[KeyPath, int]]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{_display(path)}{line}: invalid YAML: {problem}") from None
    lines: dict[KeyPath, int] = {}
    if node is not None:
        _yaml_lines(node, (), lines)
    return ({} if data is None else data), lines


def _yaml_lines(node: Any, key: KeyPath, out: dict[KeyPath, int]) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*key, str(key_node.value))
            out[child] = key_node.start_mark.line + 1
            _yaml_lines(value_node, child, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*key, index)
            out[child] = item.start_mark.line + 1
            _yaml_lines(item, child, out)


def _parse_toml(text: str) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(str(exc)) from None


# Patterns, not compiled ones: only a pyproject.toml with [tool.efslint] needs them (re caches them).
_TOML_HEADER = r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$"
_TOML_KEY = r"""^\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*="""


def _load_pyproject(path: Path, text: str) -> tuple[Any, dict[KeyPath, int]]:
    try:
        data = _parse_toml(text)
    except ValueError as exc:
        where = re.search(r"at line (\d+)", str(exc))
        line = f":{where.group(1)}" if where else ""
        if "at end of document" in str(exc):
            line = f":{text.count(chr(10)) + (0 if text.endswith(chr(10)) else 1)}"
        problem = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise ConfigError(f"{_display(path)}{line}: invalid TOML: {problem}") from None
    tool = data.get("tool")
    section = tool.get("efslint") if isinstance(tool, dict) else None
    if section is None:
        raise ConfigError(f"{_display(path)}: no [tool.efslint] table")
    return section, _toml_lines(text)


def _toml_lines(text: str) -> dict[KeyPath, int]:
    """Lines of keys under ``[tool.efslint]`` (and its sub-tables), found by reading the text.

    tomllib keeps no positions; keys and table headers are enough to point at the right line.
    """
    lines: dict[KeyPath, int] = {}
    table: KeyPath | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(_TOML_HEADER, line)
        if header:
            parts = tuple(p.strip().strip("\"'") for p in header.group(1).split("."))
            table = parts[2:] if parts[:2] == ("tool", "efslint") else None
            if table:
                lines.setdefault(table, number)
            continue
        key = re.match(_TOML_KEY, line)
        if key is not None and table is not None:
            name = next(g for g in key.groups() if g is not None)
            lines.setdefault((*table, name), number)
    return lines


# --------------------------------------------------------------------------------------------
# Validation


def _display(path: Path) -> str:
    try:
        return printable(os.path.relpath(path))
    except ValueError:
        return printable(str(path))


def _line_of(lines: dict[KeyPath, int], key: KeyPath) -> int:
    for end in range(len(key), 0, -1):
        if key[:end] in lines:
            return lines[key[:end]]
    return 0


def key_text(key: KeyPath) -> str:
    out = ""
    for part in key:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z0-9_-]+", part):
            out += f".{part}" if out else part
        else:
            out += f".{json.dumps(part)}" if out else json.dumps(part)
    return out or "(top level)"


def _located(path: Path | None, line: int, key: KeyPath, message: str) -> str:
    shown = _display(path) if path is not None else "configuration"
    where = f"{shown}:{line}" if line else shown
    return f"{where}: {key_text(key)}: {message}"


_TYPE_WORDS = {"array": "a list", "object": "a mapping", "string": "a string", "boolean": "true or false"}


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "a string"


def _describe(err: Any) -> tuple[KeyPath, str]:
    """The key an error is about and a short human message for it."""
    from jsonschema.exceptions import best_match

    if err.validator == "oneOf" and err.context:
        # Explain the alternative whose type fits (a mapping under per-path-ignores), not the first.
        fitting = [e for e in err.context if e.validator != "type"] or list(err.context)
        err = min(fitting, key=lambda e: (e.validator != "additionalProperties", -len(e.absolute_path)))
        err = best_match([err])
    key: KeyPath = tuple(err.absolute_path)
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        known = sorted(err.schema.get("properties", {}))
        extra = sorted(k for k in err.instance if k not in known)
        hint = f" (expected one of: {', '.join(known)})" if known else ""
        return (*key, extra[0]), f"unknown key{hint}"
    if err.validator == "type":
        wanted = err.validator_value
        wanted = [wanted] if isinstance(wanted, str) else wanted
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
        return key, f"must be {words}, not {_json_type(err.instance)}"
    if err.validator == "enum":
        options = ", ".join(str(o) for o in err.validator_value)
        return key, f"must be one of {options}, not {err.instance!r}"
    if err.validator == "minLength":
        return key, "must not be empty"
    return key, err.message


def config_schema() -> dict[str, Any]:
    return json.loads((data_dir("schemas") / "config.schema.json").read_text(encoding="utf-8"))


_SEVERITIES = ("error", "warning", "info")
_LIST_KEYS = ("select", "ignore", "exclude", "rules")


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def quick_valid(data: Any) -> bool:
    """True exactly when ``data`` satisfies ``schemas/config.schema.json`` (a test keeps them equal).

    The schema stays the documented contract and produces the error messages; this spares every
    valid run the cost of importing jsonschema.
    """
    if not isinstance(data, dict):
        return False
    for key, value in data.items():
        if key in _LIST_KEYS:
            ok = _strings(value)
        elif key == "fail-on":
            ok = isinstance(value, str) and value in _SEVERITIES
        elif key == "severity":
            ok = isinstance(value, dict) and all(
                k and isinstance(v, str) and v in _SEVERITIES for k, v in value.items()
            )
        elif key == "per-path-ignores":
            ok = isinstance(value, dict) and all(k and _path_ignore_valid(v) for k, v in value.items())
        else:
            ok = False
        if not ok:
            return False
    return True


def _path_ignore_valid(value: Any) -> bool:
    if isinstance(value, list):
        return _strings(value)
    return (
        isinstance(value, dict)
        and "rules" in value
        and set(value) <= {"rules", "reason"}
        and _strings(value["rules"])
        and isinstance(value.get("reason", ""), str)
    )


def _build(path: Path, data: Any, lines: dict[KeyPath, int]) -> Config:
    config = Config(path=path, root=path.absolute().parent, lines=lines)
    if not isinstance(data, dict):
        raise config.error((), f"the configuration must be a mapping, not {_json_type(data)}")

    if not quick_valid(data):
        # Only a broken file pays for importing jsonschema (slower than the whole hook run).
        from jsonschema import Draft202012Validator

        errors = list(Draft202012Validator(config_schema()).iter_errors(data))
        if errors:
            described = [_describe(e) for e in errors]
            key, message = min(described, key=lambda km: (_line_of(lines, km[0]) or 10**9, len(km[0])))
            raise config.error(key, message)

    config.select = list(data.get("select", []))
    config.ignore = list(data.get("ignore", []))
    config.severity = {k: Severity.parse(v) for k, v in data.get("severity", {}).items()}
    if "fail-on" in data:
        config.fail_on = Severity.parse(data["fail-on"])

    excludes = list(data.get("exclude", []))
    for index, glob in enumerate(excludes):
        _check_glob(config, ("exclude", index), glob)
    config.exclude = GlobSet(excludes)

    for glob, value in data.get("per-path-ignores", {}).items():
        key = ("per-path-ignores", glob)
        pattern = compile_resource_glob(glob) if is_resource_id(glob) else _check_glob(config, key, glob)
        rules, reason = (value, "") if isinstance(value, list) else (value["rules"], value.get("reason", ""))
        config.per_path_ignores.append(PathIgnore(glob, pattern, list(rules), reason))

    for index, folder in enumerate(data.get("rules", [])):
        directory = safe_resolve(config.root / folder)
        if not is_directory(directory):
            raise config.error(("rules", index), f"rule folder {folder!r} does not exist")
        config.rule_dirs.append(directory)
    return config


def _check_glob(config: Config, key: KeyPath, glob: str) -> re.Pattern[str]:
    try:
        return compile_glob(glob)
    except GlobError as exc:
        raise config.error(key, f"bad glob {glob!r}: {exc}") from None


# --------------------------------------------------------------------------------------------
# From configuration and command line to an engine


def build_engine(
    config: Config, rule_dirs: list[Path], select: list[str], ignore: list[str]
) -> tuple[Catalog, Engine]:
    """The catalog and engine for one run: ``--select`` replaces the file's ``select``;
    ``--ignore`` adds to its ``ignore``; ``--rules`` folders come before the file's ``rules``.

    Raises ``RuleError`` for a bad rule file, ``ConfigError`` for an unknown rule in the file, and
    ``KeyError`` (the selector) for an unknown rule on the command line.
    """
    from ..engine.custom_rules import check_user_rules
    from ..engine.runner import Engine, RunOptions

    catalog = Catalog.load([*rule_dirs, *config.rule_dirs])
    if any(not rule.builtin for rule in catalog):
        check_user_rules(catalog)
    config.check_rule_selectors(catalog)
    options = RunOptions(
        select=select or config.select,
        ignore=[*config.ignore, *ignore],
        severity_overrides=dict(config.severity),
    )
    return catalog, Engine(catalog, options)


STARTER_CONFIG = """\
# efslint configuration (https://github.com/efslint/efslint/blob/main/docs/ci.md).
# Paths and globs are relative to this file's folder. Rules are named by id (EFS101), name
# (iam-requires-transit-encryption) or id prefix (EFS3 = every network rule); `efslint rules` lists them.

# Only these rules (default: all of them).
# select: [EFS1, EFS2, EFS3]

# Never run these rules.
ignore: []

# Rules suppressed in matching files, with an optional reason (shown in SARIF and JSON reports).
per-path-ignores: {}
#   "legacy/**": [EFS104]
#   "infra/dev/*.yaml":
#     rules: [EFS112]
#     reason: dev stacks share one file system without access points

# Severity overrides: error | warning | info.
severity: {}
#   EFS112: warning

# Lowest severity that fails the run (exit 1); --fail-on on the command line wins.
fail-on: warning

# Files and folders never linted, even when passed explicitly (as pre-commit does).
# A glob without "/" matches a name at any depth.
exclude:
  - cdk.out
  - .terraform

# Folders of your own rule files (same format as efslint's rules/), e.g. org policies.
rules: []
"""

PRE_COMMIT_SNIPPET = """\
# .pre-commit-config.yaml
repos:
  - repo: https://github.com/efslint/efslint
    rev: v{version}
    hooks:
      - id: efslint
"""
