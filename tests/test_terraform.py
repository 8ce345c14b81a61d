"""Terraform HCL front-end: module loading, value resolution, mapping, bad input."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from efslint.cli.commands import cli
from efslint.engine.catalog import Catalog
from efslint.engine.runner import Engine
from efslint.model import EfsVolume, FileSystem, Model, SecurityGroup, Subnet, Unknown, symbolic_az
from efslint.pipeline.lint import lint_paths
from efslint.sources.errors import InputError
from efslint.sources.terraform.hcl import parse_file
from efslint.sources.terraform.load import load_module

ENGINE = Engine(Catalog.load())


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return folder


def model_of(folder: Path, *names: str) -> Model:
    requested = [folder / n for n in names] or sorted(folder.glob("*.tf"))
    return load_module(folder, requested)


def findings(*paths: Path) -> list[tuple[str, str, int]]:
    result = lint_paths(ENGINE, [str(p) for p in paths])
    return [
        (f.rule_id, Path(f.location.file).name, f.location.line) for f in result.findings if not f.suppressed
    ]


def only_volume(model: Model) -> EfsVolume:
    (volume,) = list(model.efs_volumes)
    return volume


TD = """
resource "aws_ecs_task_definition" "app" {
  family = "app"
  volume {
    name = "data"
    efs_volume_configuration {
      file_system_id     = %s
      transit_encryption = %s
    }
  }
  container_definitions = jsonencode([{ name = "app", mountPoints = [{ sourceVolume = "data", containerPath = "/d" }] }])
}
"""


# --------------------------------------------------------------------------------------------
# A directory is one module


def test_linting_one_file_resolves_siblings_but_reports_only_that_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "efs.tf": 'resource "aws_efs_file_system" "data" {\n  encrypted = false\n}\n',
            "ecs.tf": TD % ("aws_efs_file_system.data.id", '"DISABLED"'),
        },
    )
    only_ecs = findings(tmp_path / "ecs.tf")
    assert ("EFS104", "ecs.tf", 8) in only_ecs
    assert all(file == "ecs.tf" for _, file, _ in only_ecs)
    # The sibling was loaded: the volume is linked to the file system defined in efs.tf.
    volume = only_volume(model_of(tmp_path, "ecs.tf"))
    assert isinstance(volume.file_system, FileSystem)
    assert volume.file_system.loc.file.endswith("efs.tf")
    # Linting the directory reports both files.
    everything = findings(tmp_path)
    assert ("EFS501", "efs.tf", 2) in everything


def test_variable_defaults_and_tfvars(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": TD % ('"fs-0123456789abcdef0"', "var.tls")
            + 'variable "tls" {\n  default = "ENABLED"\n}\n',
        },
    )
    assert only_volume(model_of(tmp_path)).transit_encryption == "ENABLED"
    write(tmp_path, {"terraform.tfvars": 'tls = "DISABLED"\n'})
    assert only_volume(model_of(tmp_path)).transit_encryption == "DISABLED"
    # *.auto.tfvars are read after terraform.tfvars, in lexical order.
    write(tmp_path, {"z.auto.tfvars": 'tls = "ENABLED"\n'})
    assert only_volume(model_of(tmp_path)).transit_encryption == "ENABLED"


def test_variable_without_default_is_unknown_and_keeps_rules_quiet(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": TD % ("var.fs_id", "var.tls") + 'variable "fs_id" {}\nvariable "tls" {}\n'})
    volume = only_volume(model_of(tmp_path))
    assert isinstance(volume.file_system_id, Unknown)
    assert isinstance(volume.transit_encryption, Unknown)
    rules = {rule for rule, _, _ in findings(tmp_path)}
    assert not rules & {"EFS104", "EFS109", "EFS101"}


def test_local_child_module_inputs_and_outputs(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
            module "storage" {
              source    = "./modules/storage"
              encrypted = false
            }
        """
            + TD % ("module.storage.id", '"ENABLED"'),
            "modules/storage/main.tf": """
            variable "encrypted" {
              default = true
            }
            resource "aws_efs_file_system" "this" {
              encrypted = var.encrypted
            }
            output "id" {
              value = aws_efs_file_system.this.id
            }
        """,
        },
    )
    model = model_of(tmp_path, "main.tf")
    volume = only_volume(model)
    assert isinstance(volume.file_system, FileSystem)
    assert volume.file_system.loc.logical_name == "module.storage.aws_efs_file_system.this"
    assert volume.file_system.encrypted is False
    # Findings inside the child module's files belong to the child's own lint run.
    assert all(
        f.location.file.endswith("main.tf") and "modules" not in f.location.file for f in ENGINE.run(model)
    )


def test_registry_module_outputs_are_unknown(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'module "efs" {\n  source = "cloudposse/efs/aws"\n}\n'
            + TD % ("module.efs.id", '"ENABLED"'),
        },
    )
    volume = only_volume(model_of(tmp_path))
    assert volume.file_system is None
    assert isinstance(volume.file_system_id, Unknown)
    assert "EFS109" not in {rule for rule, _, _ in findings(tmp_path)}


def test_count_for_each_splat_and_symbolic_azs(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
        data "aws_availability_zones" "az" {}
        resource "aws_subnet" "private" {
          count             = 3
          cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
          availability_zone = data.aws_availability_zones.az.names[count.index]
        }
        resource "aws_efs_file_system" "data" {}
        resource "aws_efs_mount_target" "mt" {
          for_each       = toset(aws_subnet.private[*].cidr_block)
          file_system_id = aws_efs_file_system.data.id
          subnet_id      = aws_subnet.private[index(aws_subnet.private[*].cidr_block, each.key)].id
        }
        resource "aws_efs_mount_target" "unknown_count" {
          count          = var.n
          file_system_id = aws_efs_file_system.data.id
          subnet_id      = aws_subnet.private[count.index].id
        }
        variable "n" {}
    """
        },
    )
    model = model_of(tmp_path)
    subnets = {s.loc.logical_name: s for s in model.subnets}
    assert subnets["aws_subnet.private[2]"].cidr == "10.0.2.0/24"
    assert subnets["aws_subnet.private[1]"].availability_zone == symbolic_az(
        "data.aws_availability_zones.az", 1
    )
    (fs,) = model.file_systems
    names = sorted(mt.loc.logical_name for mt in fs.mount_targets)
    assert names[:3] == [
        'aws_efs_mount_target.mt["10.0.0.0/24"]',
        'aws_efs_mount_target.mt["10.0.1.0/24"]',
        'aws_efs_mount_target.mt["10.0.2.0/24"]',
    ]
    # index() is not evaluated, so those subnets are unknown; a count from a variable without a
    # default makes the mount target conditional and the file system's list incomplete.
    assert all(isinstance(mt.subnet, Unknown) for mt in fs.mount_targets)
    assert names[3] == "aws_efs_mount_target.unknown_count[?]"
    assert fs.mount_targets_known is False


def test_security_groups_inline_dynamic_self_and_separate_rules(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
        locals {
          ports = [2049, 443]
        }
        resource "aws_security_group" "efs" {
          dynamic "ingress" {
            for_each = local.ports
            content {
              protocol    = "6"
              from_port   = ingress.value
              to_port     = ingress.value
              cidr_blocks = ["10.0.0.0/16"]
            }
          }
          ingress {
            self      = true
            protocol  = "all"
            from_port = 0
            to_port   = 0
          }
        }
        resource "aws_security_group" "opaque" {
          dynamic "egress" {
            for_each = var.rules
            content {}
          }
        }
        resource "aws_security_group_rule" "extra" {
          type                     = "egress"
          security_group_id        = aws_security_group.efs.id
          protocol                 = "tcp"
          from_port                = 2049
          to_port                  = 2049
          source_security_group_id = "sg-0123456789abcdef0"
        }
        variable "rules" {}
    """
        },
    )
    groups = {g.loc.logical_name: g for g in model_of(tmp_path).security_groups}
    efs = groups["aws_security_group.efs"]
    assert [(r.protocol, r.from_port, r.cidr_ipv4) for r in efs.ingress[:2]] == [
        ("tcp", 2049, "10.0.0.0/16"),
        ("tcp", 443, "10.0.0.0/16"),
    ]
    assert efs.ingress[2].protocol == "-1" and efs.ingress[2].peer_group is efs
    (egress,) = efs.egress
    assert isinstance(egress.peer_group, SecurityGroup)
    assert egress.peer_group.id == "sg-0123456789abcdef0" and egress.peer_group.rules_known is False
    # Terraform adds no default egress rule; an unexpandable dynamic block makes the rules unknown.
    assert groups["aws_security_group.opaque"].egress == []
    assert groups["aws_security_group.opaque"].rules_known is False


def test_rule_on_a_group_picked_by_an_unknown_key_leaves_those_groups_incomplete(tmp_path: Path) -> None:
    # `aws_security_group.sg[each.value.sg]`: the rule may be on either group, so neither group's rule
    # list is complete (the task group may well get its 2049 egress from it: no EFS305).
    write(
        tmp_path,
        {
            "main.tf": """
        variable "egress" {}
        resource "aws_security_group" "sg" {
          for_each = toset(["efs", "task"])
          vpc_id   = "vpc-0123456789abcdef0"
        }
        resource "aws_security_group" "other" {
          vpc_id = "vpc-0123456789abcdef0"
        }
        resource "aws_vpc_security_group_egress_rule" "dyn" {
          for_each          = var.egress
          security_group_id = aws_security_group.sg[each.value.sg].id
          ip_protocol       = "tcp"
          from_port         = 2049
          to_port           = 2049
          cidr_ipv4         = "0.0.0.0/0"
        }
    """
        },
    )
    groups = {g.loc.logical_name: g for g in model_of(tmp_path).security_groups}
    assert groups['aws_security_group.sg["efs"]'].rules_known is False
    assert groups['aws_security_group.sg["task"]'].rules_known is False
    # A group the rule does not refer to keeps its complete (empty) rule list.
    assert groups["aws_security_group.other"].rules_known is True


def test_routes_public_subnets_and_workload_order(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
        resource "aws_vpc" "v" {
          cidr_block = "10.0.0.0/16"
        }
        resource "aws_internet_gateway" "igw" {
          vpc_id = aws_vpc.v.id
        }
        resource "aws_route_table" "public" {
          vpc_id = aws_vpc.v.id
        }
        resource "aws_route" "out" {
          route_table_id         = aws_route_table.public.id
          destination_cidr_block = "0.0.0.0/0"
          gateway_id             = aws_internet_gateway.igw.id
        }
        resource "aws_subnet" "public" {
          vpc_id = aws_vpc.v.id
        }
        resource "aws_subnet" "private" {
          vpc_id = aws_vpc.v.id
        }
        resource "aws_route_table_association" "public" {
          subnet_id      = aws_subnet.public.id
          route_table_id = aws_route_table.public.id
        }
        resource "aws_ecs_service" "app" {
          name       = "app"
          depends_on = [aws_route.out]
        }
    """
        },
    )
    model = model_of(tmp_path)
    subnets = {s.loc.logical_name: s for s in model.subnets}
    assert subnets["aws_subnet.public"].route_to_igw is True
    assert subnets["aws_subnet.private"].route_to_igw is False
    (vpc,) = model.vpcs
    assert (vpc.dns_support, vpc.dns_hostnames) == (True, False)
    (workload,) = model.workloads
    # Through aws_route -> route table / internet gateway (not model entities) to the VPC.
    assert {e.loc.logical_name for e in workload.waits_for} == {"aws_vpc.v"}


def test_commented_out_code_is_never_read(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
        # resource "aws_efs_file_system" "commented" {}
        /* resource "aws_efs_file_system" "block" {} */
        // resource "aws_efs_file_system" "slashes" {}
        resource "aws_efs_file_system" "real" {
          encrypted = true # efslint: ignore[EFS506] backups are done by the application
        }
    """
        },
    )
    model = model_of(tmp_path)
    assert [fs.loc.logical_name for fs in model.file_systems] == ["aws_efs_file_system.real"]
    assert list(model.line_suppressions.values()) == [{6: {"EFS506": "backups are done by the application"}}]


def test_heredoc_container_definitions_keep_their_lines(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
        resource "aws_ecs_task_definition" "app" {
          family = "app"
          container_definitions = <<EOF
        [
          {
            "name": "app",
            "mountPoints": [
              {"sourceVolume": "missing", "containerPath": "/d"}
            ]
          }
        ]
        EOF
        }
    """
        },
    )
    assert findings(tmp_path) == [("EFS107", "main.tf", 9)]


# --------------------------------------------------------------------------------------------
# Bad input: one clear line naming the file, exit code 2, never a traceback


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('resource "aws_vpc" "x" {\n  cidr_block = \n}\n', "invalid HCL at line 2", 2),
        ('resource "x" "y" {\n  a = <<EOF\nnever closed\n', "unterminated heredoc", 2),
        ('resource "x" "y" {\n  a = 1\n', "unexpected end of file", 0),
        ("locals {\n  x = " + "[" * 3000 + "]" * 3000 + "\n}\n", "nested too deeply", 0),
        ('x = "' + "a" * (17 * 1024 * 1024) + '"\n', "too large to lint as Terraform", 0),
    ],
)
def test_bad_hcl_is_efs000(tmp_path: Path, text: str, message: str, line: int) -> None:
    (tmp_path / "main.tf").write_text(text)
    result = CliRunner().invoke(cli, [str(tmp_path / "main.tf")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    first = result.output.splitlines()[0]
    assert "main.tf" in first and "EFS000" in first and message in first
    if line:
        assert f"main.tf:{line}:" in first


def test_sibling_that_cannot_be_parsed_is_reported_with_the_requested_file(tmp_path: Path) -> None:
    write(tmp_path, {"ok.tf": TD % ('"fs-0123456789abcdef0"', '"DISABLED"'), "broken.tf": "resource {\n"})
    result = lint_paths(ENGINE, [str(tmp_path / "ok.tf")])
    assert [(f.rule_id, Path(f.location.file).name) for f in result.findings] == [("EFS000", "broken.tf")]


def test_parse_file_raises_only_input_error() -> None:
    for text in ("}", "a = ", "= 1", 'a "b" {', "a = [1,", "\x00", "a = <<EOF\n"):
        with pytest.raises(InputError):
            parse_file("x.tf", text)


def test_hcl_parser_is_imported_only_when_terraform_is_linted(tmp_path: Path) -> None:
    taskdef = Path(__file__).parent / "fixtures" / "taskdef" / "EFS101-fire.json"
    code = (
        "import sys\nfrom efslint.engine.catalog import Catalog\nfrom efslint.engine.runner import Engine\n"
        "from efslint.pipeline.lint import lint_paths\n"
        f"lint_paths(Engine(Catalog.load()), [{str(taskdef)!r}])\n"
        "assert 'tree_sitter' not in sys.modules and 'tree_sitter_hcl' not in sys.modules, 'parser imported'\n"
        f"lint_paths(Engine(Catalog.load()), [{str(Path(__file__).parent / 'fixtures' / 'terraform' / 'volume-good')!r}])\n"
        "assert 'tree_sitter_hcl' in sys.modules and 'hcl2' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_external_ids_become_external_entities(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
        resource "aws_efs_mount_target" "mt" {
          file_system_id  = "fs-0123456789abcdef0"
          subnet_id       = "subnet-0123456789abcdef0"
          security_groups = ["sg-0123456789abcdef0"]
        }
    """
        },
    )
    (mt,) = model_of(tmp_path).mount_targets
    assert mt.file_system is None
    assert isinstance(mt.subnet, Subnet) and mt.subnet.id == "subnet-0123456789abcdef0"
    assert isinstance(mt.subnet.availability_zone, Unknown)
    (group,) = mt.security_groups  # type: ignore[misc]
    assert group.rules_known is False


def test_inline_rules_may_name_groups_declared_later(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": """
        resource "aws_security_group" "task" {
          egress {
            protocol        = "tcp"
            from_port       = 2049
            to_port         = 2049
            security_groups = [aws_security_group.efs.id]
          }
        }
        resource "aws_security_group" "efs" {}
    """})  # fmt: skip
    groups = {g.loc.logical_name: g for g in model_of(tmp_path).security_groups}
    (rule,) = groups["aws_security_group.task"].egress
    assert rule.peer_group is groups["aws_security_group.efs"]


def test_unknown_volume_type_values_do_not_claim_a_second_volume_type(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": """
        resource "aws_ecs_task_definition" "app" {
          family = "app"
          volume {
            name      = "data"
            host_path = var.path
            efs_volume_configuration {
              file_system_id     = "fs-0123456789abcdef0"
              transit_encryption = "ENABLED"
            }
          }
        }
        variable "path" {}
    """})  # fmt: skip
    assert only_volume(model_of(tmp_path)).other_configurations == []


def test_messages_say_when_a_value_comes_from_a_variable_default_or_tfvars(tmp_path: Path) -> None:
    write(tmp_path, {
        "main.tf": TD % ('"fs-0123456789abcdef0"', "var.tls") + 'variable "tls" {\n  default = "DISABLED"\n}\n',
    })  # fmt: skip
    result = lint_paths(ENGINE, [str(tmp_path)])
    (finding,) = [f for f in result.findings if f.rule_id == "EFS104"]
    assert finding.message.endswith('(value from the default of variable tls: "DISABLED")')
    write(tmp_path, {"prod.auto.tfvars": 'tls = "DISABLED"\n'})
    result = lint_paths(ENGINE, [str(tmp_path)])
    (finding,) = [f for f in result.findings if f.rule_id == "EFS104"]
    assert finding.message.endswith('(value from prod.auto.tfvars: "DISABLED")')


def test_cluster_default_capacity_provider_strategy(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": """
        resource "aws_ecs_cluster" "main" {
          name = "main"
        }
        resource "aws_ecs_cluster_capacity_providers" "main" {
          cluster_name       = aws_ecs_cluster.main.name
          capacity_providers = ["FARGATE_SPOT"]
          default_capacity_provider_strategy {
            capacity_provider = "FARGATE_SPOT"
          }
        }
        resource "aws_ecs_cluster" "plain" {
          name = "plain"
        }
        resource "aws_ecs_service" "default" {
          name    = "default"
          cluster = aws_ecs_cluster.main.arn
        }
        resource "aws_ecs_service" "plain" {
          name    = "plain"
          cluster = aws_ecs_cluster.plain.id
        }
        resource "aws_ecs_service" "external" {
          name    = "external"
          cluster = "arn:aws:ecs:us-east-1:123456789012:cluster/shared"
        }
        resource "aws_ecs_service" "explicit" {
          name        = "explicit"
          cluster     = aws_ecs_cluster.main.arn
          launch_type = "EC2"
        }
    """})  # fmt: skip
    services = {w.name: w for w in model_of(tmp_path).workloads}
    assert services["default"].capacity_providers == ["FARGATE_SPOT"]
    assert services["plain"].capacity_providers is None  # a cluster without a default strategy
    assert isinstance(services["external"].capacity_providers, Unknown)
    assert services["explicit"].capacity_providers is None and services["explicit"].launch_type == "EC2"


def test_empty_and_comment_only_files_are_valid_terraform(tmp_path: Path) -> None:
    write(tmp_path, {"versions.tf": "\n\n", "notes.tf": "# nothing here yet\n", "empty.tf": ""})
    result = CliRunner().invoke(cli, [str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "3 files linted" in result.output


def test_resources_handed_to_an_unreadable_module_are_no_longer_fully_known(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": """
        resource "aws_security_group" "task" {}
        resource "aws_security_group" "other" {}
        resource "aws_efs_file_system" "data" {}
        resource "aws_iam_role" "task" {
          assume_role_policy = "{}"
        }
        module "rules" {
          source         = "terraform-aws-modules/security-group/aws"
          security_group = aws_security_group.task.id
          role           = aws_iam_role.task.name
          file_system    = local.fs
        }
        locals {
          fs = aws_efs_file_system.data.id
        }
    """})  # fmt: skip
    model = model_of(tmp_path)
    groups = {g.loc.logical_name: g for g in model.security_groups}
    # A registry module may add egress rules, policies, mount targets or a file system policy.
    assert groups["aws_security_group.task"].rules_known is False
    assert groups["aws_security_group.other"].rules_known is True
    assert model.roles[0].statements_known is False
    (fs,) = model.file_systems
    assert fs.mount_targets_known is False and isinstance(fs.policy, Unknown)


def test_aws_backup_selection_counts_as_backup(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": """
        resource "aws_efs_file_system" "selected" {}
        resource "aws_efs_file_system" "maybe" {}
        resource "aws_efs_file_system" "alone" {}
        resource "aws_backup_selection" "efs" {
          name         = "efs"
          plan_id      = "plan"
          iam_role_arn = "arn:aws:iam::123456789012:role/backup"
          resources    = [aws_efs_file_system.selected.arn]
        }
        resource "aws_backup_selection" "sometimes" {
          count        = var.backup ? 1 : 0
          name         = "sometimes"
          plan_id      = "plan"
          iam_role_arn = "arn:aws:iam::123456789012:role/backup"
          resources    = [aws_efs_file_system.maybe.arn]
        }
        variable "backup" {}
    """})  # fmt: skip
    backup = {fs.loc.logical_name: fs.backup for fs in model_of(tmp_path).file_systems}
    assert backup["aws_efs_file_system.selected"] is True
    assert isinstance(backup["aws_efs_file_system.maybe"], Unknown)
    assert backup["aws_efs_file_system.alone"] is False


def test_service_task_definition_written_as_family_and_revision(tmp_path: Path) -> None:
    write(tmp_path, {
        "main.tf": TD % ('"fs-0123456789abcdef0"', '"ENABLED"') + """
            resource "aws_ecs_service" "app" {
              name            = "app"
              task_definition = "${aws_ecs_task_definition.app.family}:${aws_ecs_task_definition.app.revision}"
            }
            resource "aws_efs_mount_target" "mt" {
              file_system_id = "${aws_efs_file_system.x.id}:/not-an-id"
              subnet_id      = "subnet-0123456789abcdef0"
            }
            resource "aws_efs_file_system" "x" {}
        """,
    })  # fmt: skip
    model = model_of(tmp_path)
    (service,) = model.workloads
    assert service.task_definition is model.task_definitions[0]
    # Elsewhere a string built from a reference is not the resource itself.
    (mt,) = model.mount_targets
    assert mt.file_system is None


def test_override_files_merge_into_the_blocks_they_override(tmp_path: Path) -> None:
    write(tmp_path, {
        "a_override.tf": """
            resource "aws_ecs_task_definition" "app" {
              volume {
                name = "data"
                efs_volume_configuration {
                  file_system_id     = "fs-0123456789abcdef0"
                  transit_encryption = "ENABLED"
                }
              }
            }
        """,
        "main.tf": TD % ('"fs-0123456789abcdef0"', '"DISABLED"'),
    })  # fmt: skip
    model = model_of(tmp_path)
    (td,) = model.task_definitions
    assert td.family == "app" and len(td.containers) == 1  # kept from main.tf
    assert only_volume(model).transit_encryption == "ENABLED"  # the override's volume block


def test_file_of_a_device_or_missing_file_is_unknown(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": """
        resource "aws_ecs_task_definition" "a" {
          family                = "a"
          container_definitions = file("/dev/zero")
        }
        resource "aws_ecs_task_definition" "b" {
          family                = "b"
          container_definitions = file("missing.json")
        }
    """})  # fmt: skip
    assert [td.containers_known for td in model_of(tmp_path).task_definitions] == [False, False]


def test_a_long_chain_of_locals_is_bounded(tmp_path: Path) -> None:
    chain = "\n".join(f"  l{i} = local.l{i + 1}" for i in range(3000))
    write(tmp_path, {"main.tf": f'locals {{\n{chain}\n  l3000 = "DISABLED"\n}}\n'
                     + TD % ('"fs-0123456789abcdef0"', "local.l0")})  # fmt: skip
    result = CliRunner().invoke(cli, [str(tmp_path)])
    assert result.exit_code in (0, 1) and "Traceback" not in result.output


def test_try_does_not_fall_back_past_a_value_it_cannot_know(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"main.tf": TD % ('"fs-0123456789abcdef0"', 'try(var.tls, "DISABLED")') + 'variable "tls" {}\n'},
    )
    assert isinstance(only_volume(model_of(tmp_path)).transit_encryption, Unknown)
    write(tmp_path, {"main.tf": TD % ('"fs-0123456789abcdef0"', 'try("ENABLED", "DISABLED")')})
    assert only_volume(model_of(tmp_path)).transit_encryption == "ENABLED"
