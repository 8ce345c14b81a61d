"""Configuration: discovery upward, validation errors naming file/key/line, and every key's effect."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from efslint.cli.commands import cli
from efslint.config.globs import GlobError, compile_glob
from efslint.config.settings import (
    STARTER_CONFIG,
    ConfigError,
    config_schema,
    find_config,
    load_config,
    parse_config,
    quick_valid,
)

TASKDEFS = Path(__file__).parent / "fixtures" / "taskdef"
BROKEN = TASKDEFS / "EFS101-fire.json"  # EFS101 (error) at 27, EFS112 (info) at 25
WARN = TASKDEFS / "EFS104-fire.json"  # EFS104 warning, EFS105 and EFS112 info


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def findings(*args: str) -> list[dict]:
    code, out, err = run("--format", "json", *args)
    assert code in (0, 1), err
    return json.loads(out)["findings"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder that is the working directory."""
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


# -- discovery ---------------------------------------------------------------------------------


def test_found_upward_from_the_working_directory(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / ".efslint.yaml").write_text("ignore: [EFS112]\n")
    deep = repo / "infra" / "ecs"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_config() == (repo / ".efslint.yaml").absolute()
    assert load_config().ignore == ["EFS112"]


def test_pyproject_needs_a_tool_efslint_table(repo: Path) -> None:
    sub = repo / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (repo / "pyproject.toml").write_text("[tool.efslint]\nignore = ['EFS112']\n")
    assert find_config(sub) == repo / "pyproject.toml"
    (repo / ".efslint.yaml").write_text("select: [EFS1]\n")
    assert find_config(repo) == repo / ".efslint.yaml", ".efslint.yaml wins in the same folder"


def test_pyproject_table_and_sub_tables(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        "[tool.efslint]\nignore = ['EFS112']\nfail-on = 'error'\n\n"
        "[tool.efslint.severity]\nEFS104 = 'error'\n\n"
        "[tool.efslint.per-path-ignores]\n'legacy/**' = ['EFS101']\n"
    )
    config = load_config()
    assert config.ignore == ["EFS112"] and str(config.fail_on) == "error"
    assert {k: str(v) for k, v in config.severity.items()} == {"EFS104": "error"}
    assert [(p.glob, p.rules) for p in config.per_path_ignores] == [("legacy/**", ["EFS101"])]


def test_no_config_means_defaults(repo: Path) -> None:
    config = load_config(start=repo)
    assert config.path is None and config.select == [] and config.fail_on is None


def test_missing_explicit_config_is_exit_2(repo: Path) -> None:
    code, _, err = run("--config", "nope.yaml", str(BROKEN))
    assert code == 2
    assert err.strip() == "efslint: error: nope.yaml: configuration file no such file"


# -- validation: file, key and line ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ignore: []\nselct: [EFS101]\n",
            ":2: selct: unknown key (expected one of: exclude, fail-on, ignore,",
        ),
        ("select: EFS101\n", ":1: select: must be a list, not a string"),
        ("select:\n  - EFS101\n  - 42\n", ":3: select[1]: must be a string, not a number"),
        ("fail-on: fatal\n", ":1: fail-on: must be one of error, warning, info, not 'fatal'"),
        (
            "severity:\n  EFS112: loud\n",
            ":2: severity.EFS112: must be one of error, warning, info, not 'loud'",
        ),
        ("exclude:\n  - ok/**\n  - 'legacy/[ab'\n", ":3: exclude[1]: bad glob 'legacy/[ab': unterminated"),
        ("per-path-ignores:\n  'x/[': [EFS101]\n", ':2: per-path-ignores."x/[": bad glob'),
        (
            "per-path-ignores:\n  legacy:\n    rulez: [EFS101]\n",
            ":3: per-path-ignores.legacy.rulez: unknown key (expected one of: reason, rules)",
        ),
        ("select:\n  - EFS1\n  - EFS999\n", ":3: select[1]: unknown rule or prefix 'EFS999'"),
        ("ignore: [no-such-rule]\n", ":1: ignore[0]: unknown rule or prefix 'no-such-rule'"),
        ("severity:\n  EFS998: error\n", ":2: severity.EFS998: unknown rule or prefix 'EFS998'"),
        (
            "per-path-ignores:\n  a/*: [EFS101, EFS997]\n",
            ':2: per-path-ignores."a/*"[1]: unknown rule or prefix',
        ),
        ("rules: [policies]\n", ":1: rules[0]: rule folder 'policies' does not exist"),
        ("select: [EFS101\n", ":2: invalid YAML: "),
        ("- EFS101\n", ": (top level): the configuration must be a mapping, not a list"),
    ],
)
def test_invalid_config_names_file_key_and_line(repo: Path, text: str, expected: str) -> None:
    (repo / ".efslint.yaml").write_text(text)
    code, out, err = run(str(BROKEN))
    assert code == 2 and out == ""
    assert err.startswith("efslint: error: ")
    assert f"efslint: error: .efslint.yaml{expected}" in err, err
    assert len(err.strip().splitlines()) == 1, "one line, no traceback"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[tool.efslint]\nselect = ['EFS1']\nselct = 1\n", ":3: selct: unknown key"),
        (
            "[tool.efslint]\n\n[tool.efslint.severity]\nEFS112 = 'loud'\n",
            ":4: severity.EFS112: must be one of",
        ),
        ("[tool.efslint]\nselect = [\n", ":2: invalid TOML: Invalid value"),
    ],
)
def test_invalid_pyproject_names_file_key_and_line(repo: Path, text: str, expected: str) -> None:
    (repo / "pyproject.toml").write_text(text)
    code, _, err = run(str(BROKEN))
    assert code == 2
    assert f"efslint: error: pyproject.toml{expected}" in err, err


def test_explicit_config_is_used_instead_of_the_found_one(repo: Path) -> None:
    (repo / ".efslint.yaml").write_text("selct: oops\n")
    (repo / "ci.yaml").write_text("ignore: [EFS112]\n")
    assert {f["rule"] for f in findings("--config", "ci.yaml", str(BROKEN))} == {"EFS101"}


# -- what each key does ----------------------------------------------------------------------------


def test_select_ignore_and_command_line_precedence(repo: Path) -> None:
    (repo / ".efslint.yaml").write_text("select: [EFS104, EFS105]\nignore: [iam-authorization-disabled]\n")
    assert {f["rule"] for f in findings(str(WARN))} == {"EFS104"}
    # --select replaces the file's select; the file's ignore still applies, --ignore adds to it.
    assert {f["rule"] for f in findings("--select", "EFS1", str(WARN))} == {"EFS104", "EFS112"}
    assert {f["rule"] for f in findings("--select", "EFS1", "--ignore", "EFS112", str(WARN))} == {"EFS104"}


def test_severity_override_and_fail_on(repo: Path) -> None:
    (repo / ".efslint.yaml").write_text("severity:\n  EFS104: info\n  iam-authorization-disabled: info\n")
    code, out, _ = run(str(WARN))
    assert code == 0, "EFS104 and EFS105 lowered to info no longer fail at 'warning'"
    assert "EFS104 [info]" in out and "EFS105 [info]" in out
    (repo / ".efslint.yaml").write_text("fail-on: info\n")
    assert run(str(WARN))[0] == 1
    (repo / ".efslint.yaml").write_text("fail-on: error\n")
    assert run(str(WARN))[0] == 0
    assert run("--fail-on", "warning", str(WARN))[0] == 1, "--fail-on wins over the file"


def test_per_path_ignores_suppress_with_reason(repo: Path) -> None:
    (repo / "legacy").mkdir()
    shutil.copy(BROKEN, repo / "legacy" / "old.json")
    shutil.copy(BROKEN, repo / "new.json")
    (repo / ".efslint.yaml").write_text(
        "per-path-ignores:\n  legacy/**:\n    rules: [EFS101]\n    reason: migrating in Q3\n  '*.json': [EFS112]\n"
    )
    got = {(f["location"]["file"], f["rule"]): f["suppressed"] for f in findings(".")}
    assert got == {
        ("legacy/old.json", "EFS101"): {"kind": "config", "reason": "migrating in Q3"},
        ("legacy/old.json", "EFS112"): {"kind": "config", "reason": "per-path-ignores '*.json'"},
        ("new.json", "EFS101"): None,
        ("new.json", "EFS112"): {"kind": "config", "reason": "per-path-ignores '*.json'"},
    }


def test_exclude_applies_to_explicit_paths_relative_to_the_config(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "generated").mkdir()
    shutil.copy(BROKEN, repo / "generated" / "td.json")
    shutil.copy(BROKEN, repo / "td.json")
    (repo / ".efslint.yaml").write_text("exclude: [generated/]\n")
    code, out, _ = run("generated/td.json", "td.json")
    assert code == 1
    assert {line.split(":")[0] for line in out.splitlines()[:-1]} == {"td.json"}
    monkeypatch.chdir(repo / "generated")
    code, out, _ = run("td.json")
    assert code == 0 and "in 0 files linted" in out, "the glob is relative to the config's folder"


def test_config_rules_folder_loads_custom_rules(repo: Path) -> None:
    shutil.copytree(Path(__file__).parents[1] / "examples" / "custom-rules" / "rules", repo / "policies")
    (repo / ".efslint.yaml").write_text("rules: [policies]\nselect: [ORG]\n")
    got = findings(str(BROKEN))
    assert [(f["rule"], f["location"]["line"]) for f in got] == [("ORG001", 25)]


# -- globs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("glob", "path", "matches"),
    [
        ("cdk.out", "cdk.out/stack.template.json", True),
        ("cdk.out", "app/cdk.out/x.json", True),
        ("*.generated.json", "a/b/td.generated.json", True),
        ("*.json", "a/b.yaml", False),
        ("legacy/**", "legacy/a/b.yaml", True),
        ("legacy/**", "src/legacy/a.yaml", False),
        ("legacy/*.yaml", "legacy/a/b.yaml", False),
        ("legacy/*.yaml", "legacy/b.yaml", True),
        ("**/dev/*.tf", "envs/eu/dev/main.tf", True),
        ("./infra/", "infra/x.tf", True),
        ("td-[0-9].json", "td-7.json", True),
        ("td-[!0-9].json", "td-7.json", False),
        ("a?c", "abc", True),
        ("a?c", "a/c", False),
    ],
)
def test_glob_semantics(glob: str, path: str, matches: bool) -> None:
    assert bool(compile_glob(glob).fullmatch(path)) is matches


@pytest.mark.parametrize("glob", ["a[bc", "", "/"])
def test_bad_globs(glob: str) -> None:
    with pytest.raises(GlobError):
        compile_glob(glob)


# -- init ------------------------------------------------------------------------------------------


def test_init_writes_a_valid_commented_starter_and_prints_the_snippet(repo: Path) -> None:
    code, out, _ = run("init")
    assert code == 0
    written = (repo / ".efslint.yaml").read_text()
    assert written == STARTER_CONFIG and written.count("#") > 10
    config = parse_config(repo / ".efslint.yaml")
    assert config.exclude.match("cdk.out/a.json") and str(config.fail_on) == "warning"
    assert "repo: https://github.com/efslint/efslint" in out and "- id: efslint" in out
    # The starter must be usable as is: linting with it behaves like the defaults.
    assert run(str(BROKEN))[0] == 1
    code, _, err = run("init")
    assert code == 2 and "already exists" in err
    assert run("init", "--force")[0] == 0


def test_config_error_class_is_one_line(repo: Path) -> None:
    (repo / ".efslint.yaml").write_text("select: [EFS101]\nfail-on: [error]\n")
    with pytest.raises(ConfigError) as info:
        load_config()
    assert str(info.value) == ".efslint.yaml:2: fail-on: must be one of error, warning, info, not ['error']"
    assert os.linesep not in str(info.value)


# -- the fast validity check agrees with the schema -----------------------------------------------

_selectors = st.lists(st.one_of(st.sampled_from(["EFS1", "EFS101", ""]), st.integers(0, 2)), max_size=3)
_severity = st.one_of(st.sampled_from(["error", "warning", "info", "fatal"]), st.integers(0, 1), st.none())
_ignore_entry = st.one_of(
    _selectors,
    st.fixed_dictionaries(
        {"rules": _selectors}, optional={"reason": st.one_of(st.text(max_size=3), st.integers())}
    ),
    st.fixed_dictionaries({"rulez": _selectors}),
    st.text(max_size=3),
)
_value = {
    "select": st.one_of(_selectors, st.text(max_size=3)),
    "ignore": _selectors,
    "exclude": st.one_of(_selectors, st.none()),
    "rules": _selectors,
    "fail-on": _severity,
    "severity": st.one_of(
        st.dictionaries(st.sampled_from(["EFS112", ""]), _severity, max_size=2), st.lists(_severity)
    ),
    "per-path-ignores": st.one_of(
        st.dictionaries(st.sampled_from(["a/**", ""]), _ignore_entry, max_size=2), _selectors
    ),
    "selct": _selectors,
}
_configs = st.one_of(
    st.lists(st.sampled_from(sorted(_value)), unique=True, max_size=4).flatmap(
        lambda keys: st.fixed_dictionaries({k: _value[k] for k in keys})
    ),
    st.lists(st.integers(), max_size=1),
)


@settings(max_examples=400, deadline=None)
@given(_configs)
def test_quick_check_agrees_with_the_schema(data: object) -> None:
    from jsonschema import Draft202012Validator

    assert quick_valid(data) == Draft202012Validator(config_schema()).is_valid(data)


def test_valid_config_does_not_import_jsonschema(repo: Path) -> None:
    (repo / ".efslint.yaml").write_text(STARTER_CONFIG)
    code = (
        "import sys; from efslint.config.settings import load_config; c = load_config(); "
        "assert c.path is not None and c.exclude; print('jsonschema' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
