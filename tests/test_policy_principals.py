"""Principals that provably name another role (role names are unique in an account), in every
partition, with placeholders for the deployment's account and partition; and the soundness
property: the three-valued answer never says "no" where a concrete deployment says "yes"."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from efslint.cli.commands import cli
from efslint.model import Location, PartlyKnown, PolicyStatement, Role, Unknown
from efslint.policy import (
    CLIENT_MOUNT,
    PRINCIPAL_ARN,
    ArnTarget,
    evaluate,
    match_principal,
    parse_policy,
    principal_arn_target,
    role_identity,
)
from efslint.policy.arn import OWN_ACCOUNT, OWN_PARTITION, match_resource
from efslint.policy.managed import managed_policy_name

LOC = Location("policy.json", 1, 1, "Policy")
FS = ArnTarget("elasticfilesystem", "file-system", "fs-0123456789abcdef0")


def role(name: str | None = "app-task", path: str | None = "/", arn: Any = None) -> Role:
    return Role(loc=Location("t.yaml", 1, 1, "TaskRole"), arn=arn, name=name, path=path)


def sub(text: str) -> PartlyKnown:
    return PartlyKnown(text, "deployment values")


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        # Another name, whatever the account and partition: another role.
        (sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/other"), False),
        (sub("arn:aws:iam::${Account}:role/other"), False),
        ("arn:aws-cn:iam::111122223333:role/other", False),
        ("arn:aws-us-gov:iam::111122223333:role/team/other", False),
        (sub("arn:aws:sts::${AWS::AccountId}:assumed-role/other/session"), False),
        ("arn:aws:iam::111122223333:user/app-task", False),
        # A wildcard or placeholder that cannot produce the name is no match either (read as a glob
        # that may span slashes, "batch-*" could be "batch-x/app-task": Unknown below).
        (sub("arn:aws:iam::${AWS::AccountId}:role/batch-*-writer"), False),
        (sub("arn:aws:iam::${AWS::AccountId}:role/${AWS::StackName}-writer"), False),
        # The same role in the deployment's own account and partition.
        (sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app-task"), True),
        (sub("arn:aws-cn:iam::${AWS::AccountId}:role/app-task"), True),
        # May be the role: stays Unknown.
        ("arn:aws:iam::111122223333:role/app-task", Unknown()),  # is the account ours?
        (sub("arn:aws:iam::${AWS::AccountId}:role/app-*"), Unknown()),  # IAM matches no partial wildcard
        (sub("arn:aws:iam::${AWS::AccountId}:role/batch-*"), Unknown()),
        (sub("arn:aws:iam::${AWS::AccountId}:role/${Name}"), Unknown()),
        (sub("arn:aws:iam::${AWS::AccountId}:role/team/app-task"), Unknown()),  # same name, other path
        (sub("arn:aws:iam::${AWS::AccountId}:role/App-Task"), Unknown()),  # names ignore case
        (sub("arn:aws:iam::*:role/app-task"), Unknown()),
        (sub("arn:aws:sts::${AWS::AccountId}:assumed-role/app-task/s"), Unknown()),
        (sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root"), Unknown()),  # account principal
        (sub("${AWS::AccountId}"), Unknown()),
    ],
)
def test_role_defined_here_with_known_name(item: Any, expected: Any) -> None:
    got = match_principal(item, role(), "Allow")
    assert got == expected if not isinstance(expected, Unknown) else isinstance(got, Unknown), got


def test_role_path_matters_only_when_known() -> None:
    team = role(path="/team/")
    assert match_principal(sub("arn:aws:iam::${AWS::AccountId}:role/team/app-task"), team, "Allow") is True
    assert isinstance(
        match_principal(sub("arn:aws:iam::${AWS::AccountId}:role/app-task"), team, "Allow"), Unknown
    )
    unknown_path = role(path=None)
    assert match_principal(sub("arn:aws:iam::${AWS::AccountId}:role/x/other"), unknown_path, "Allow") is False
    assert isinstance(
        match_principal(sub("arn:aws:iam::${AWS::AccountId}:role/app-task"), unknown_path, "Allow"), Unknown
    )


def test_generated_role_name_proves_nothing() -> None:
    generated = role(name=None)
    for item in (sub("arn:aws:iam::${AWS::AccountId}:role/other"), "arn:aws:iam::111122223333:role/other"):
        assert isinstance(match_principal(item, generated, "Allow"), Unknown)


@pytest.mark.parametrize("partition", ["aws", "aws-cn", "aws-us-gov"])
def test_live_role_arn_in_any_partition(partition: str) -> None:
    live = role(name=None, path=None, arn=f"arn:{partition}:iam::111122223333:role/team/app-task")
    ident = role_identity(live)
    assert ident is not None and (ident.partition, ident.account, ident.path, ident.name) == (
        partition, "111122223333", "/team/", "app-task"
    )  # fmt: skip
    assert match_principal(f"arn:{partition}:iam::111122223333:role/team/app-task", live, "Allow") is True
    other = "aws-cn" if partition != "aws-cn" else "aws"
    assert match_principal(f"arn:{other}:iam::111122223333:role/team/app-task", live, "Allow") is False
    # The account as a root principal, in the role's partition, covers it for a Deny.
    assert match_principal(f"arn:{partition}:iam::111122223333:root", live, "Deny") is True
    assert (
        match_principal(sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app-task"), live, "Allow")
        == Unknown()
    )


def test_principal_arn_condition() -> None:
    task = role()
    context = {PRINCIPAL_ARN: principal_arn_target(task)}

    def applies(operator: str, value: Any) -> Any:
        statements = parse_policy(
            {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": CLIENT_MOUNT,
                            "Condition": {operator: {"aws:PrincipalArn": value}}}]},
            LOC,
        )  # fmt: skip
        return evaluate(statements, CLIENT_MOUNT, FS, principal=task, context=context).allowed

    assert applies("StringEquals", sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/other")) is False
    assert applies("StringEquals", sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app-task")) is True
    assert applies("ArnLike", "arn:aws-us-gov:iam::*:role/app-*") is True
    assert applies("StringLike", "arn:aws:iam::111122223333:role/app-*") == Unknown()  # account?
    assert applies("StringNotEquals", sub("arn:aws:iam::${AWS::AccountId}:role/other")) is True
    assert applies("ArnEquals", task) is True
    assert applies("ArnEquals", role(name="other")) is False


def test_partition_placeholders_in_resources_and_managed_policies() -> None:
    pattern = sub("arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/*")
    assert match_resource(pattern, FS) is True
    china = ArnTarget("elasticfilesystem", "file-system", "fs-1", "aws-cn", "cn-north-1", "111122223333")
    # The deployment's partition is not known to be aws-cn, nor known not to be: never a silent "no".
    assert isinstance(match_resource(pattern, china), Unknown)
    assert match_resource("arn:aws-cn:elasticfilesystem:*:*:file-system/*", china) is True
    assert match_resource("arn:aws:elasticfilesystem:*:*:file-system/*", china) is False
    for arn in (
        "arn:aws-cn:iam::aws:policy/AdministratorAccess",
        sub("arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"),
    ):
        assert managed_policy_name(arn) == "AdministratorAccess"


# ---------------------------------------------------------------------------------------------
# Soundness: a concrete deployment fills in every placeholder and unknown; whatever it is, a
# three-valued False must be a concrete no, and a three-valued True a concrete yes.

NAMES = st.sampled_from(["app-task", "App-Task", "other", "app", "app-task-admin", "batch"])
PATHS = st.sampled_from(["/", "/team/", "/a/b/"])
ACCOUNTS = st.sampled_from(["111122223333", "444455556666"])
PARTITIONS = st.sampled_from(["aws", "aws-cn", "aws-us-gov"])


@st.composite
def worlds(draw: Any) -> dict[str, Any]:
    """The real role (name, path, account, partition) and the values of every placeholder."""
    return {
        "name": draw(NAMES), "path": draw(PATHS), "account": draw(ACCOUNTS), "partition": draw(PARTITIONS),
        "Other": draw(ACCOUNTS), "Name": draw(NAMES),
    }  # fmt: skip


@st.composite
def principal_patterns(draw: Any) -> str:
    partition = draw(st.sampled_from(["aws", "aws-cn", "aws-us-gov", "${AWS::Partition}", "*"]))
    account = draw(st.sampled_from(["111122223333", "444455556666", "${AWS::AccountId}", "${Other}", "*"]))
    kind = draw(st.sampled_from(["role", "role", "user", "assumed-role", "root"]))
    if kind == "root":
        return f"arn:{partition}:iam::{account}:root"
    path = draw(st.sampled_from(["", "team/", "a/b/", "*/", "${Path}/"]))
    name = draw(
        st.one_of(NAMES, st.sampled_from(["app-*", "*", "app-tas?", "${Name}", "${AWS::StackName}-x"]))
    )
    if kind == "assumed-role":
        return f"arn:{partition}:sts::{account}:assumed-role/{name}/session"
    return f"arn:{partition}:iam::{account}:{kind}/{path}{name}"


def _concrete(pattern: str, world: dict[str, Any]) -> str:
    values = {"AWS::AccountId": world["account"], "AWS::Partition": world["partition"], "Other": world["Other"],
              "Name": world["Name"], "Path": "team", "AWS::StackName": "stack"}  # fmt: skip
    return re.sub(r"\$\{([^}]*)\}", lambda m: values[m.group(1)], pattern)


def _role_arn(world: dict[str, Any]) -> str:
    return f"arn:{world['partition']}:iam::{world['account']}:role{world['path']}{world['name']}"


def _glob(text: str) -> str:
    return "^" + "".join(".*" if c == "*" else ".?" if c == "?" else re.escape(c) for c in text) + "$"


def _could_name(text: str, world: dict[str, Any]) -> bool:
    """Whether a concrete principal could be the role under the loosest reading: wildcards as globs,
    case ignored, a role named alike at another path, a session of the role, the account root."""
    if text.endswith(":root"):
        return True  # the account principal: the account's identity policies decide
    session = f"arn:{world['partition']}:sts::{world['account']}:assumed-role/{world['name']}/session"
    if any(re.match(_glob(text), mine, re.IGNORECASE) for mine in (_role_arn(world), session)):
        return True
    parts = text.split(":")
    same_place = re.match(_glob(parts[1]), world["partition"]) and re.match(_glob(parts[4]), world["account"])
    last = text.rsplit("/", 1)[-1]
    return bool(same_place) and ":role/" in text and last.lower() == world["name"].lower()


@given(worlds(), principal_patterns(), st.booleans(), st.booleans(), st.booleans())
@settings(max_examples=400, deadline=None)
def test_principal_verdict_is_sound(
    world: dict[str, Any], pattern: str, name_known: bool, path_known: bool, as_text: bool
) -> None:
    """False only where no reading of the principal can be the role; True only for its exact ARN."""
    task = role(name=world["name"] if name_known else None, path=world["path"] if path_known else None)
    # CloudFormation keeps `${AWS::Partition}` in plain text; other placeholders make it PartlyKnown.
    item: Any = sub(pattern) if "${" in pattern and not as_text else pattern
    verdict = match_principal(item, task, "Allow")
    partition = pattern.split(":")[1]
    if "${" not in partition and partition != "*":
        world = {**world, "partition": partition}  # an input that writes its partition is deployed there
    text = _concrete(pattern, world)
    if verdict is False:
        assert not _could_name(text, world), (pattern, world)
    if verdict is True:
        assert text == _role_arn(world), (pattern, world)


@given(
    worlds(), principal_patterns(), st.sampled_from(["StringEquals", "StringLike", "ArnEquals", "ArnLike"])
)
@settings(max_examples=300, deadline=None)
def test_never_denied_where_a_concrete_allow_exists(
    world: dict[str, Any], pattern: str, operator: str
) -> None:
    """A statement granting ClientMount to `*` on condition aws:PrincipalArn = pattern: whenever the
    concrete deployment's role ARN satisfies it, the evaluation must not say "not allowed"."""
    task = role(name=world["name"], path=world["path"])
    value: Any = sub(pattern) if "${" in pattern else pattern
    statements = [PolicyStatement(effect="Allow", actions=[CLIENT_MOUNT], resources=None, principals=["*"],
                                  conditions={operator: {"aws:PrincipalArn": value}}, loc=LOC)]  # fmt: skip
    context = {PRINCIPAL_ARN: principal_arn_target(task)}
    decision = evaluate(statements, CLIENT_MOUNT, FS, principal=task, context=context).decision
    mine = f"arn:{world['partition']}:iam::{world['account']}:role{world['path']}{world['name']}"
    text = _concrete(pattern, world)
    literal_parts = pattern.split(":")
    if "${" not in literal_parts[1] and literal_parts[1] not in ("*", world["partition"]):
        world = {**world, "partition": literal_parts[1]}  # the input names its own partition
        mine = f"arn:{world['partition']}:iam::{world['account']}:role{world['path']}{world['name']}"
    wild = operator.endswith("Like")
    rx = "^" + "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text) + "$"
    concrete = bool(re.match(rx, mine)) if wild else text == mine
    if operator.startswith("Arn") and not wild:
        concrete = bool(re.match(rx, mine))  # ArnEquals takes wildcards too
    if concrete:
        assert decision is not False, (pattern, world, operator)


def test_principal_arn_target_of_a_live_role() -> None:
    live = role(name=None, path=None, arn="arn:aws-cn:iam::111122223333:role/team/app-task")
    target = principal_arn_target(live)
    assert isinstance(target, ArnTarget)
    assert str(target) == "arn:aws-cn:iam::111122223333:role/team/app-task"
    own = principal_arn_target(role())
    assert isinstance(own, ArnTarget) and (own.partition, own.account) == (OWN_PARTITION, OWN_ACCOUNT)
    assert isinstance(principal_arn_target(Unknown()), Unknown)


# ---------------------------------------------------------------------------------------------
# Fixtures: the quiet ones are quiet for the stated reason (renaming the role makes them fire).

FIXTURES = Path(__file__).parent / "fixtures"


def _efs401_lines(path: Path) -> list[int]:
    result = CliRunner().invoke(
        cli, ["--format", "json", "--select", "EFS401", str(path)], catch_exceptions=False
    )
    return [f["location"]["line"] for f in json.loads(result.stdout)["findings"]]


def test_quiet_fixtures_fire_once_the_role_has_another_name(tmp_path: Path) -> None:
    cfn = (FIXTURES / "cloudformation" / "EFS401-other-role-quiet.yaml").read_text()
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(
        cfn.replace("RoleName: app-task", "RoleName: api-task").replace("RoleName: worker", "RoleName: jobs")
    )
    assert len(_efs401_lines(renamed)) == 2  # AppRole and WorkerRole; the generated name stays quiet
    hcl = (FIXTURES / "terraform" / "efs401-other-role-quiet" / "main.tf").read_text()
    module = tmp_path / "module"
    module.mkdir()
    (module / "main.tf").write_text(
        hcl.replace('name               = "app-task"', 'name               = "api-task"')
    )
    assert len(_efs401_lines(module)) == 1
    plan = json.loads((FIXTURES / "plan" / "efs401-other-role-quiet.json").read_text())
    for section in (
        plan["planned_values"]["root_module"]["resources"],
        [r["change"] for r in plan["resource_changes"]],
    ):
        for item in section:
            values = item.get("values", item.get("after"))
            if isinstance(values, dict) and "name_prefix" in values:
                values["name"] = "api-task"
    for change in plan["resource_changes"]:
        change["change"]["after_unknown"].pop("name", None)
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    assert len(_efs401_lines(tmp_path / "plan.json")) == 1
