"""Terraform inputs the HCL parser swap made first-class: duplicate addresses reported (never
silently dropped), ``.tf.json`` files, ``count``/``for_each`` on module calls, and bad input."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from efslint.cli.commands import cli
from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.model import FileSystem, Model
from efslint.pipeline.lint import lint_paths
from efslint.sources.terraform.load import load_module

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


# --------------------------------------------------------------------------------------------
# Terraform JSON syntax (.tf.json)

PAIR_HCL = """\
variable "tls" {
  default = "DISABLED"
}

locals {
  fs = { id = "fs-0123456789abcdef0" }
}

resource "aws_efs_file_system" "data" {
  encrypted = false
  tags = { Name = "data" }
}

resource "aws_ecs_task_definition" "app" {
  family = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode = "awsvpc"
  volume {
    name = "data"
    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.data.id
      transit_encryption = var.tls
      authorization_config {
        iam = "ENABLED"
      }
    }
  }
  volume {
    name = "other"
    efs_volume_configuration {
      file_system_id = local.fs.id
      root_directory = "/data"
    }
  }
  container_definitions = jsonencode([{ name = "app", mountPoints = [{ sourceVolume = "data", containerPath = "/d" }] }])
  depends_on = [aws_efs_file_system.data]
}
"""

PAIR_JSON = r"""
{
  "variable": {"tls": {"default": "DISABLED"}},
  "locals": {"fs": {"id": "fs-0123456789abcdef0"}},
  "resource": {
    "aws_efs_file_system": {"data": {"encrypted": false, "tags": {"Name": "data"}}},
    "aws_ecs_task_definition": {
      "app": {
        "//": "efslint reads Terraform JSON too",
        "family": "app",
        "requires_compatibilities": ["FARGATE"],
        "network_mode": "awsvpc",
        "volume": [
          {
            "name": "data",
            "efs_volume_configuration": {
              "file_system_id": "${aws_efs_file_system.data.id}",
              "transit_encryption": "${var.tls}",
              "authorization_config": {"iam": "ENABLED"}
            }
          },
          {
            "name": "other",
            "efs_volume_configuration": {"file_system_id": "${local.fs.id}", "root_directory": "/data"}
          }
        ],
        "container_definitions": "${jsonencode([{ name = \"app\", mountPoints = [{ sourceVolume = \"data\", containerPath = \"/d\" }] }])}",
        "depends_on": ["aws_efs_file_system.data"]
      }
    }
  }
}
"""


def test_tf_json_gives_the_findings_of_the_same_module_in_hcl(tmp_path: Path) -> None:
    write(tmp_path, {"hcl/main.tf": PAIR_HCL, "json/main.tf.json": PAIR_JSON})
    hcl = lint(tmp_path / "hcl")
    js = lint(tmp_path / "json")
    assert sorted(f[0] for f in hcl) == sorted(f[0] for f in js)
    assert {"EFS101", "EFS104", "EFS108", "EFS501"} <= {f[0] for f in js}
    assert all(file == "main.tf.json" for _, file, _, _ in js)
    # Every finding points at its own key, like the .tf one points at its argument.
    text = PAIR_JSON.splitlines()
    (line,) = [line for rule, _, line, _ in js if rule == "EFS101"]
    assert '"transit_encryption"' in text[line - 1]
    (note,) = [m for rule, _, _, m in js if rule == "EFS101"]
    assert "from the default of variable tls" in note


def test_tf_json_merges_with_tf_files_of_its_module(tmp_path: Path) -> None:
    """A .tf.json file refers to a resource of a .tf sibling (and the other way round)."""
    fs = {"resource": {"aws_efs_file_system": {"data": {"encrypted": True}}}}
    write(
        tmp_path,
        {
            "efs.tf.json": json.dumps(fs, indent=2),
            "ecs.tf": TD.replace('"fs-0123456789abcdef0"', "aws_efs_file_system.data.id")
            % ("a", '"ENABLED"'),
        },
    )
    result = lint_paths(ENGINE, [str(tmp_path)], jobs=1)
    assert "efs.tf.json" in {Path(f).name for f in result.files}
    # The volume is linked to the file system of the JSON file: the rule that needs the file
    # system's backup policy speaks about it, at its line in the JSON file.
    assert ("EFS506", "efs.tf.json", 4) in rules_at(lint(tmp_path))


def test_tf_json_dynamic_blocks_and_duplicates_with_tf(tmp_path: Path) -> None:
    td = {
        "resource": {
            "aws_ecs_task_definition": {
                "service": {
                    "family": "app",
                    "dynamic": {
                        "volume": {
                            "for_each": ["a", "b"],
                            "content": {
                                "name": "${volume.value}",
                                "efs_volume_configuration": {
                                    "file_system_id": "fs-0123456789abcdef0",
                                    "authorization_config": {"iam": "ENABLED"},
                                },
                            },
                        }
                    },
                }
            }
        }
    }
    write(tmp_path, {"main.tf.json": json.dumps(td, indent=2)})
    found = lint(tmp_path)
    assert sorted(m.split("'")[1] for rule, _, _, m in found if rule == "EFS101") == ["a", "b"]
    write(tmp_path, {"other.tf": TD % ("c", '"ENABLED"')})
    dup = [f for f in lint(tmp_path) if f[0] == "EFS000"]
    assert len(dup) == 1 and "at main.tf.json:4 and here" in dup[0][3], dup


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"resource": ', "invalid JSON"),
        ("[1, 2]", "one JSON object of block types"),
        ('{"resource": {"aws_vpc": {"x": "not a block"}}}', "a block must be an object"),
        ('{"locals": {"x": "${unclosed("}}', "invalid"),
        ('{"resource": {"aws_vpc": {"v": {"depends_on": ["aws_subnet."]}}}}', "invalid HCL"),
    ],
)
def test_bad_tf_json_is_one_efs000_line(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "main.tf.json").write_text(text)
    result = CliRunner().invoke(cli, [str(tmp_path / "main.tf.json")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    first = result.output.splitlines()[0]
    assert "main.tf.json" in first and "EFS000" in first and message in first, first


# --------------------------------------------------------------------------------------------
# Module calls with count / for_each

STORAGE = """
variable "encrypted" {
  default = true
}
resource "aws_efs_file_system" "this" {
  encrypted = var.encrypted
}
output "id" {
  value = aws_efs_file_system.this.id
}
"""


def storage_model(tmp_path: Path, call: str, reference: str) -> Model:
    write(
        tmp_path,
        {
            "main.tf": call + TD.replace('"fs-0123456789abcdef0"', reference) % ("data", '"ENABLED"'),
            "modules/storage/main.tf": STORAGE,
        },
    )
    return load_module(tmp_path, [tmp_path / "main.tf"])


@pytest.mark.parametrize(
    ("call", "reference", "address"),
    [
        (
            'module "storage" {\n  source = "./modules/storage"\n  count = 2\n  encrypted = count.index == 0\n}\n',
            "module.storage[1].id",
            "module.storage[1].aws_efs_file_system.this",
        ),
        (
            'module "storage" {\n  source = "./modules/storage"\n  for_each = { hot = true, cold = false }\n'
            "  encrypted = each.value\n}\n",
            'module.storage["cold"].id',
            'module.storage["cold"].aws_efs_file_system.this',
        ),
        (
            'module "storage" {\n  source = "./modules/storage"\n  for_each = toset(["cold"])\n'
            '  encrypted = each.key != "cold"\n}\n',
            'module.storage["cold"].id',
            'module.storage["cold"].aws_efs_file_system.this',
        ),
    ],
)
def test_repeated_module_calls_expand_into_instances(
    tmp_path: Path, call: str, reference: str, address: str
) -> None:
    model = storage_model(tmp_path, call, reference)
    (volume,) = list(model.efs_volumes)
    assert isinstance(volume.file_system, FileSystem)
    assert volume.file_system.loc.logical_name == address
    # The instance got its own count.index / each.value: this one is the unencrypted one.
    assert volume.file_system.encrypted is False
    names = sorted(fs.loc.logical_name for fs in model.file_systems)
    assert len(names) == len(set(names)) >= 1


def test_module_call_with_unknown_count_stays_unknown(tmp_path: Path) -> None:
    call = 'module "storage" {\n  source = "./modules/storage"\n  count = var.n\n  encrypted = false\n}\n'
    model = storage_model(tmp_path, call, "module.storage[0].id")
    (volume,) = list(model.efs_volumes)
    assert not isinstance(volume.file_system, FileSystem)
    assert not model.file_systems


def test_resources_handed_to_an_expanded_module_stay_fully_known(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
            resource "aws_security_group" "task" {}
            module "rules" {
              source         = "./modules/rules"
              count          = 1
              security_group = aws_security_group.task.id
            }
            module "opaque" {
              source         = "./modules/rules"
              count          = var.unknown
              security_group = aws_security_group.other.id
            }
            resource "aws_security_group" "other" {}
            """,
            "modules/rules/main.tf": 'variable "security_group" {}\n',
        },
    )
    groups = {g.loc.logical_name: g for g in load_module(tmp_path, [tmp_path / "main.tf"]).security_groups}
    assert groups["aws_security_group.task"].rules_known is True
    assert groups["aws_security_group.other"].rules_known is False


def test_module_source_looping_back_to_itself_ends(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'module "self" {\n  source = "./"\n  count = 3\n}\nmodule "again" {\n  source = "../'
            + tmp_path.name
            + '"\n  for_each = toset(["a"])\n}\n'
            + TD % ("a", '"DISABLED"'),
        },
    )
    start = time.perf_counter()
    result = CliRunner().invoke(cli, [str(tmp_path)])
    assert time.perf_counter() - start < 10
    assert "Traceback" not in result.output and "EFS101" in result.output


# --------------------------------------------------------------------------------------------
# Bad input: one EFS000 line naming the file, exit 2, no traceback, bounded time


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'a = "never closed\nb = 2\n', "line 1 column 5: unterminated string"),
        (b"a = <<EOT\nnever\n", "unterminated heredoc"),
        (b"a = 1 b = 2\n", "must start on a new line"),
        (b"x {\n" * 3000 + b"}\n" * 3000, "nested too deeply"),
        (b"locals {\n  x = " + b"(" * 50000 + b"1" + b")" * 50000 + b"\n}\n", "nested too deeply"),
        (bytes(range(256)) * 4, "binary file"),
        (b'a = "\xff"\n', "not valid UTF-8"),
        (b'resource "a" "b" {\n  x = [1,\n}\n', "invalid HCL at line"),
    ],
)
def test_bad_hcl_is_one_efs000_line(tmp_path: Path, data: bytes, message: str) -> None:
    (tmp_path / "main.tf").write_bytes(data)
    start = time.perf_counter()
    result = CliRunner().invoke(cli, [str(tmp_path)])
    assert time.perf_counter() - start < 20
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if "EFS000" in line]
    assert len(lines) == 1 and "main.tf" in lines[0] and message in lines[0], result.output
