"""Terraform plan JSON front-end: unknown values, references, modules, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from efslint.cli.commands import cli
from efslint.model import FileSystem, Model, Subnet, Unknown
from efslint.sources.errors import InputError
from efslint.sources.terraform.plan import build_model


def resource(address: str, values: dict[str, Any], index: Any = None) -> dict[str, Any]:
    parts = address.split(".")
    while parts[0] == "module":
        parts = parts[2:]
    out = {"address": address, "mode": "managed", "type": parts[0], "name": parts[1].split("[")[0]}
    if index is not None:
        out["index"] = index
    return {
        **out,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "schema_version": 0,
        "values": values,
        "sensitive_values": {},
    }


def change(address: str, after: dict[str, Any], unknown: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": address,
        "change": {"actions": ["create"], "before": None, "after": after, "after_unknown": unknown},
    }


def config(address: str, expressions: dict[str, Any]) -> dict[str, Any]:
    rtype, name = address.split(".")[-2:]
    return {"address": address, "mode": "managed", "type": rtype, "name": name, "expressions": expressions}


def plan(
    resources: list[dict[str, Any]],
    changes: list[dict[str, Any]],
    configs: list[dict[str, Any]],
    child_modules: list[dict[str, Any]] | None = None,
    module_calls: dict[str, Any] | None = None,
    version: str = "1.2",
) -> dict[str, Any]:
    root: dict[str, Any] = {"resources": resources}
    if child_modules:
        root["child_modules"] = child_modules
    conf: dict[str, Any] = {"resources": configs}
    if module_calls:
        conf["module_calls"] = module_calls
    return {
        "format_version": version,
        "terraform_version": "1.9.5",
        "planned_values": {"root_module": root},
        "resource_changes": changes,
        "configuration": {"root_module": conf},
    }


def ref(*names: str) -> dict[str, Any]:
    return {"references": [x for n in names for x in (n, n.rsplit(".", 1)[0])]}


def mount_target_plan(subnet_expr: dict[str, Any]) -> Model:
    subnets = [
        resource("aws_subnet.a", {"cidr_block": "10.0.1.0/24", "availability_zone": "us-east-1a"}, None)
    ]
    subnets += [resource("aws_subnet.z[0]", {"availability_zone": "us-east-1b"}, 0)]
    doc = plan(
        [
            resource("aws_efs_file_system.data", {"encrypted": True}),
            *subnets,
            resource("aws_efs_mount_target.mt", {"ip_address": None}),
        ],
        [
            change("aws_efs_file_system.data", {"encrypted": True}, {"id": True, "arn": True}),
            change("aws_efs_mount_target.mt", {}, {"file_system_id": True, "subnet_id": True, "id": True}),
        ],
        [
            config(
                "aws_efs_mount_target.mt",
                {"file_system_id": ref("aws_efs_file_system.data.id"), "subnet_id": subnet_expr},
            )
        ],
    )
    return build_model("plan.json", doc)


def test_unknown_ids_are_linked_through_configuration_references() -> None:
    model = mount_target_plan(ref("aws_subnet.a.id"))
    (mt,) = model.mount_targets
    assert (
        isinstance(mt.file_system, FileSystem)
        and mt.file_system.loc.logical_name == "aws_efs_file_system.data"
    )
    assert isinstance(mt.subnet, Subnet) and mt.subnet.availability_zone == "us-east-1a"
    assert mt.loc.file == "plan.json" and mt.loc.logical_name == "aws_efs_mount_target.mt"
    # An instance key in the reference picks that instance.
    (mt,) = mount_target_plan(ref("aws_subnet.z[0].id")).mount_targets
    assert isinstance(mt.subnet, Subnet) and mt.subnet.availability_zone == "us-east-1b"


def test_count_index_references_stay_unknown() -> None:
    # `aws_subnet.z[count.index].id`: the plan does not say which instance, so we do not guess.
    (mt,) = mount_target_plan({"references": ["aws_subnet.z", "count.index"]}).mount_targets
    assert isinstance(mt.subnet, Unknown)


def test_unknown_without_references_is_unknown_and_known_values_are_used() -> None:
    doc = plan(
        [
            resource(
                "aws_ecs_task_definition.app",
                {
                    "family": "app",
                    "volume": [
                        {
                            "name": "data",
                            "efs_volume_configuration": [
                                {
                                    "root_directory": "/",
                                    "transit_encryption": None,
                                    "transit_encryption_port": 0,
                                    "authorization_config": [],
                                }
                            ],
                        }
                    ],
                    "container_definitions": "[]",
                },
            )
        ],
        [
            change(
                "aws_ecs_task_definition.app",
                {},
                {"volume": [{"efs_volume_configuration": [{"file_system_id": True}]}]},
            )
        ],
        [
            config(
                "aws_ecs_task_definition.app",
                {
                    "volume": [
                        {"efs_volume_configuration": [{"file_system_id": {"references": ["var.fs_id"]}}]}
                    ]
                },
            )
        ],
    )
    (volume,) = build_model("plan.json", doc).efs_volumes
    assert isinstance(volume.file_system_id, Unknown)
    assert volume.transit_encryption == "DISABLED"
    assert volume.transit_encryption_port is None  # 0 is the provider's "not set"
    assert volume.loc.logical_name == "aws_ecs_task_definition.app/volumes/data"


def test_child_module_resources_keep_their_address() -> None:
    child = {
        "address": "module.storage",
        "resources": [resource("module.storage.aws_efs_file_system.this", {"encrypted": False})],
    }
    doc = plan(
        [resource("aws_efs_mount_target.mt", {})],
        [change("aws_efs_mount_target.mt", {}, {"file_system_id": True})],
        [
            config(
                "aws_efs_mount_target.mt",
                {"file_system_id": ref("module.storage.aws_efs_file_system.this.id")},
            )
        ],
        child_modules=[child],
        module_calls={
            "storage": {
                "source": "./storage",
                "module": {
                    "resources": [
                        config("aws_efs_file_system.this", {"encrypted": {"constant_value": False}})
                    ]
                },
            }
        },
    )
    model = build_model("plan.json", doc)
    (fs,) = model.file_systems
    assert fs.loc.logical_name == "module.storage.aws_efs_file_system.this" and fs.encrypted is False
    assert model.mount_targets[0].file_system is fs


def test_references_inside_a_module_name_that_modules_resources() -> None:
    # In `configuration`, a module's references are relative to the module: `aws_efs_file_system.this`
    # inside module.efs is module.efs.aws_efs_file_system.this, not the root's resource of that name.
    efs = [
        resource("module.efs[0].aws_efs_file_system.this", {"encrypted": True}),
        resource("module.efs[0].aws_efs_mount_target.a", {"subnet_id": "subnet-0123456789abcdef0"}),
    ]
    doc = plan(
        [resource("aws_efs_file_system.this", {"encrypted": True})],
        [change("module.efs[0].aws_efs_mount_target.a", {}, {"file_system_id": True})],
        [config("aws_efs_file_system.this", {})],
        child_modules=[{"address": "module.efs[0]", "resources": efs}],
        module_calls={
            "efs": {
                "source": "./efs",
                "count": {"constant_value": 1},
                "module": {
                    "resources": [
                        config("aws_efs_file_system.this", {}),
                        config(
                            "aws_efs_mount_target.a", {"file_system_id": ref("aws_efs_file_system.this.id")}
                        ),
                    ]
                },
            }
        },
    )
    model = build_model("plan.json", doc)
    root_fs, module_fs = model.file_systems
    assert module_fs.loc.logical_name == "module.efs[0].aws_efs_file_system.this"
    assert model.mount_targets[0].file_system is module_fs
    assert root_fs.mount_targets == []


def test_rule_whose_group_a_plan_leaves_unknown_makes_group_rules_incomplete() -> None:
    # Inside a module, `security_group_id = var.sg_id` is unknown in the plan and its configuration
    # names no resource: the rule may be on any group being created, e.g. the tasks' group.
    doc = plan(
        [resource("aws_security_group.task", {"egress": [], "ingress": []})],
        [
            change("aws_security_group.task", {}, {"id": True}),
            change("module.rules.aws_security_group_rule.nfs", {}, {"security_group_id": True}),
        ],
        [config("aws_security_group.task", {})],
        child_modules=[
            {
                "address": "module.rules",
                "resources": [
                    resource(
                        "module.rules.aws_security_group_rule.nfs",
                        {"type": "egress", "protocol": "tcp", "from_port": 2049, "to_port": 2049},
                    )
                ],
            }
        ],
        module_calls={
            "rules": {
                "source": "./rules",
                "expressions": {"sg_id": ref("aws_security_group.task.id")},
                "module": {
                    "resources": [
                        config("aws_security_group_rule.nfs", {"security_group_id": ref("var.sg_id")})
                    ]
                },
            }
        },
    )
    (group,) = build_model("plan.json", doc).security_groups
    assert group.rules_known is False


def test_workload_creation_order_is_unknown_in_plans() -> None:
    doc = plan([resource("aws_ecs_service.app", {"name": "app", "launch_type": "FARGATE"})], [], [])
    (workload,) = build_model("plan.json", doc).workloads
    assert isinstance(workload.waits_for, Unknown)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"format_version": "2.0", "planned_values": {}}, "unsupported Terraform plan format_version '2.0'"),
        ({"format_version": 1, "planned_values": {}}, "unsupported Terraform plan format_version 1"),
        ({"format_version": "1.2", "planned_values": {"root_module": []}}, "root_module is not an object"),
    ],
)
def test_bad_plans_are_input_errors(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        build_model("plan.json", doc)


def test_wrong_format_version_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"format_version": "2.0", "planned_values": {"root_module": {}}}))
    result = CliRunner().invoke(cli, [str(path)])
    assert result.exit_code == 2
    first = result.output.splitlines()[0]
    assert "plan.json" in first and "EFS000" in first and "format_version '2.0'" in first
    assert "Traceback" not in result.output


def test_plan_fixture_links_through_every_layer() -> None:
    path = Path(__file__).parent / "fixtures" / "plan" / "all-good.json"
    model = build_model(str(path), json.loads(path.read_text()))
    (workload,) = model.workloads
    assert workload.capacity_providers == ["FARGATE"]  # the cluster's default strategy
    assert workload.task_definition is not None
    (volume,) = workload.task_definition.efs_volumes
    assert volume.file_system is model.file_systems[0]
    assert volume.access_point is model.access_points[0]
    assert volume.task_definition.task_role_entity is model.roles[0]  # type: ignore[union-attr]
    assert {mt.subnet.availability_zone for mt in model.file_systems[0].mount_targets} == {  # type: ignore[union-attr]
        "us-east-1a",
        "us-east-1b",
    }


def test_findings_point_at_the_lines_of_the_plan_file() -> None:
    path = Path(__file__).parent / "fixtures" / "plan" / "network-broken.json"
    lines = path.read_text().splitlines()
    result = CliRunner().invoke(cli, ["--format", "json", str(path)])
    report = result.stdout[: result.stdout.rindex("}") + 1]  # CliRunner mixes in the summary line (stderr)
    found = {f["rule"]: f["location"] for f in json.loads(report)["findings"]}
    # EFS307 points at the VPC's enable_dns_hostnames value, EFS306 at the open ingress rule.
    assert lines[found["EFS307"]["line"] - 1].strip() == '"enable_dns_hostnames": false,'
    assert found["EFS307"]["logical_name"] == "aws_vpc.main"
    assert lines[found["EFS306"]["line"] - 1].strip() == "{"
    assert '"from_port": 2049' in "\n".join(lines[found["EFS306"]["line"] : found["EFS306"]["line"] + 4])


def test_known_ids_of_existing_resources_link_too() -> None:
    doc = plan(
        [
            resource("aws_efs_file_system.data", {"id": "fs-0123456789abcdef0", "encrypted": True}),
            resource("aws_subnet.a", {"id": "subnet-0a", "availability_zone": "us-east-1a"}),
            resource(
                "aws_efs_mount_target.mt",
                {"file_system_id": "fs-0123456789abcdef0", "subnet_id": "subnet-0a"},
            ),
        ],
        [],
        [],
    )
    model = build_model("plan.json", doc)
    (mt,) = model.mount_targets
    assert mt.file_system is model.file_systems[0]
    assert mt.subnet is model.subnets[0]


def test_known_after_apply_marker_is_unknown() -> None:
    doc = plan([resource("aws_efs_file_system.data", {"encrypted": "(known after apply)"})], [], [])
    (fs,) = build_model("plan.json", doc).file_systems
    assert isinstance(fs.encrypted, Unknown)
