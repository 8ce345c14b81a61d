"""Terraform inputs the HCL parser swap made first-class: duplicate addresses reported (never
silently dropped), ``.tf.json`` files, ``count``/``for_each`` on module calls, and bad input."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from efslint.catalog import Catalog
from efslint.cli import cli
from efslint.engine import Engine
from efslint.lint import lint_paths

ENGINE = Engine(Catalog.load())

TD = """
resource "aws_ecs_task_definition" "service" {
  family = "app"
  volume {
    name = "%s"
    efs_volume_configuration {
      file_system_id     = "fs-0123456789abcdef0"
      transit_encryption = %s
      authorization_config {
        iam = "ENABLED"
      }
    }
  }
}
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return folder


def lint(*paths: Path) -> list[tuple[str, str, int, str]]:
    result = lint_paths(ENGINE, [str(p) for p in paths], jobs=1)
    return [(f.rule_id, Path(f.location.file).name, f.location.line, f.message) for f in result.findings]


def rules_at(found: list[tuple[str, str, int, str]]) -> list[tuple[str, str, int]]:
    return [(rule, file, line) for rule, file, line, _ in found]


# --------------------------------------------------------------------------------------------
# Duplicate addresses


def test_duplicate_resource_in_two_files_is_reported_and_both_blocks_are_checked(tmp_path: Path) -> None:
    write(tmp_path, {"a.tf": TD % ("a", '"ENABLED"'), "b.tf": TD % ("b", '"DISABLED"')})
    found = lint(tmp_path)
    errors = [f for f in found if f[0] == "EFS000"]
    assert len(errors) == 1
    _, file, line, message = errors[0]
    assert (file, line) == ("b.tf", 2)
    assert "aws_ecs_task_definition.service is declared twice" in message and "a.tf:2" in message
    # The second block's own mistake (IAM without TLS) is still found, at its own line.
    assert ("EFS101", "b.tf", 8) in rules_at(found)
    assert not any(rule == "EFS101" and file == "a.tf" for rule, file, _ in rules_at(found))


def test_duplicate_in_one_file_names_both_lines_and_exits_2(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": TD % ("a", '"DISABLED"') + TD % ("b", '"DISABLED"')})
    result = CliRunner().invoke(cli, [str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    dup = [line for line in result.output.splitlines() if "EFS000" in line]
    assert len(dup) == 1 and "main.tf:16:" in dup[0] and "at line 2 and here" in dup[0]
    assert sum("EFS101" in line for line in result.output.splitlines()) == 2


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ('data "aws_vpc" "v" {}\ndata "aws_vpc" "v" {}\n', "data resource aws_vpc.v"),
        ('variable "x" {}\nvariable "x" {}\n', "variable 'x'"),
        ('output "o" { value = 1 }\noutput "o" { value = 2 }\n', "output 'o'"),
        ('module "m" { source = "./m" }\nmodule "m" { source = "./m" }\n', "module 'm'"),
        ("locals {\n  a = 1\n}\nlocals {\n  a = 2\n}\n", "local value 'a'"),
    ],
)
def test_every_kind_of_duplicate_address_is_reported(tmp_path: Path, text: str, what: str) -> None:
    write(tmp_path, {"main.tf": text})
    errors = [f for f in lint(tmp_path) if f[0] == "EFS000"]
    assert len(errors) == 1 and errors[0][3].startswith(f"{what} is declared twice"), errors


def test_override_files_and_distinct_addresses_are_not_duplicates(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": TD % ("a", '"ENABLED"') + 'resource "aws_efs_file_system" "service" {}\n',
            "main_override.tf": 'resource "aws_ecs_task_definition" "service" {\n  family = "other"\n}\n',
        },
    )
    assert not [f for f in lint(tmp_path) if f[0] == "EFS000"]
