"""IAM policy parsing and evaluation (efslint.policy)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from efslint.model import AccessPoint, FileSystem, Location, PolicyStatement, Role, Unknown
from efslint.policy import (
    ANONYMOUS,
    CLIENT_MOUNT,
    CLIENT_ROOT_ACCESS,
    CLIENT_WRITE,
    access_point_target,
    allows,
    combine,
    evaluate,
    file_system_target,
    managed_policy_statements,
    match_arn,
    parse_arn,
    parse_policy,
)
from efslint.policy.arn import OWN_REGION
from efslint.sources.json_reader import loads

LOC = Location("policy.json", 3, 5, "FileSystem")
FS = file_system_target(None, "fs-0123456789abcdef0")
OTHER_FS = file_system_target(None, "fs-0fedcba987654321f")
ROLE_ARN = "arn:aws:iam::123456789012:role/app-task"


def policy(*statements: dict[str, Any]) -> list[PolicyStatement]:
    parsed = parse_policy({"Version": "2012-10-17", "Statement": list(statements)}, LOC)
    assert isinstance(parsed, list)
    return parsed


def allow(action: Any = CLIENT_MOUNT, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any = CLIENT_MOUNT, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


# ---------------------------------------------------------------------------------------------
# parse_policy


def test_parse_single_statement_object_and_strings_become_lists() -> None:
    parsed = parse_policy({"Statement": allow(resource="arn:aws:elasticfilesystem:*:*:file-system/*")}, LOC)
    assert isinstance(parsed, list) and len(parsed) == 1
    statement = parsed[0]
    assert statement.effect == "Allow"
    assert statement.actions == [CLIENT_MOUNT]
    assert statement.resources == ["arn:aws:elasticfilesystem:*:*:file-system/*"]
    assert statement.principals is None and statement.not_actions is None
    assert statement.conditions == {}
    assert statement.loc == LOC


def test_parse_json_string_with_not_action_and_condition() -> None:
    text = json.dumps(
        {
            "Statement": [
                {
                    "Effect": "Deny",
                    "Principal": {"AWS": "*"},
                    "NotAction": ["elasticfilesystem:ClientMount"],
                    "NotResource": "arn:aws:s3:::bucket",
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ]
        }
    )
    (statement,) = parse_policy(text, LOC)  # type: ignore[misc]
    assert statement.effect == "Deny"
    assert statement.actions is None and statement.not_actions == [CLIENT_MOUNT]
    assert statement.not_resources == ["arn:aws:s3:::bucket"]
    assert statement.principals == ["*"]
    assert statement.conditions == {"Bool": {"aws:SecureTransport": "false"}}


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        ("*", ["*"]),
        ({"AWS": "*"}, ["*"]),
        ({"AWS": [ROLE_ARN, "123456789012"]}, [ROLE_ARN, "123456789012"]),
        ({"Service": "ecs-tasks.amazonaws.com"}, ["Service:ecs-tasks.amazonaws.com"]),
    ],
)
def test_parse_principal_forms(principal: Any, expected: list[str]) -> None:
    (statement,) = policy(allow(Principal=principal))
    assert statement.principals == expected


def test_parse_keeps_unknown_leaves_and_entities() -> None:
    fs = FileSystem(loc=LOC)
    unknown = Unknown("parameter")
    (statement,) = policy(allow(action=[CLIENT_MOUNT, unknown], resource=fs, Principal={"AWS": unknown}))
    assert statement.actions == [CLIENT_MOUNT, unknown]
    assert statement.resources == [fs]
    assert statement.principals == [unknown]


def test_parse_statement_positions_from_located_json() -> None:
    text = '{"Statement": [\n  {"Effect": "Allow", "Action": "*", "Resource": "*"},\n  {"Effect": "Deny", "Action": "*", "Resource": "*"}\n]}'
    parsed = parse_policy(loads(text), LOC)
    assert isinstance(parsed, list)
    assert [(s.loc.file, s.loc.line, s.loc.logical_name) for s in parsed] == [
        ("policy.json", 2, "FileSystem"),
        ("policy.json", 3, "FileSystem"),
    ]


def test_parse_unknown_statement_list_and_unknown_statement() -> None:
    unknown = Unknown("Fn::If")
    assert isinstance(parse_policy({"Statement": unknown}, LOC), Unknown)
    assert isinstance(parse_policy(unknown, LOC), Unknown)
    (statement,) = policy(unknown)  # type: ignore[arg-type]
    assert isinstance(statement.effect, Unknown) and isinstance(statement.actions, Unknown)


@pytest.mark.parametrize(
    "document",
    [
        "{not json",
        "[]",
        42,
        {},
        {"Statement": "nope"},
        {"Statement": [42]},
        {"Statement": [{"Action": "*", "Resource": "*"}]},
        {"Statement": [{"Effect": "allow", "Action": "*", "Resource": "*"}]},
        {"Statement": [{"Effect": "Allow", "Resource": "*"}]},
        {"Statement": [{"Effect": "Allow", "Action": "*", "NotAction": "*", "Resource": "*"}]},
        {"Statement": [{"Effect": "Allow", "Action": 3, "Resource": "*"}]},
        {"Statement": [{"Effect": "Allow", "Action": "*", "Principal": "me"}]},
        {"Statement": [{"Effect": "Allow", "Action": "*", "Condition": "x"}]},
    ],
)
def test_parse_malformed_gives_unknown(document: Any) -> None:
    assert isinstance(parse_policy(document, LOC), Unknown)


# ---------------------------------------------------------------------------------------------
# Actions


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("elasticfilesystem:ClientMount", True),
        ("ELASTICFILESYSTEM:clientmount", True),
        ("elasticfilesystem:Client*", True),
        ("elasticfilesystem:*", True),
        ("*", True),
        ("elasticfilesystem:Client?ount", True),
        ("elasticfilesystem:ClientWrite", False),
        ("s3:*", False),
        ("elasticfilesystem:Describe*", False),
    ],
)
def test_action_wildcards_case_insensitive(pattern: str, expected: bool) -> None:
    assert allows(policy(allow(action=pattern)), CLIENT_MOUNT, FS) is expected


def test_not_action_allows_everything_else() -> None:
    statements = policy(
        {"Effect": "Allow", "NotAction": ["elasticfilesystem:ClientRootAccess"], "Resource": "*"}
    )
    assert allows(statements, CLIENT_MOUNT, FS) is True
    assert allows(statements, CLIENT_ROOT_ACCESS, FS) is False


def test_unknown_action_is_unknown_unless_a_known_item_matches() -> None:
    unknown = Unknown("parameter")
    assert isinstance(allows(policy(allow(action=[unknown])), CLIENT_MOUNT, FS), Unknown)
    assert allows(policy(allow(action=[unknown, "elasticfilesystem:Client*"])), CLIENT_MOUNT, FS) is True


# ---------------------------------------------------------------------------------------------
# Resources


@pytest.mark.parametrize(
    ("resource", "target", "expected"),
    [
        ("*", FS, True),
        ("arn:aws:elasticfilesystem:*:*:file-system/*", FS, True),
        ("arn:aws:elasticfilesystem:*:*:file-system/fs-0123456789abcdef0", FS, True),
        ("arn:aws:elasticfilesystem:*:*:file-system/fs-0123456789abcdef0", OTHER_FS, False),
        ("arn:aws:elasticfilesystem:*:*:access-point/*", FS, False),
        ("arn:aws:s3:::bucket/*", FS, False),
        (
            "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/fs-0123456789abcdef0",
            FS,
            True,
        ),
        (
            "arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/fs-0fedcba987654321f",
            FS,
            False,
        ),
    ],
)
def test_resource_matching(resource: str, target: Any, expected: bool) -> None:
    assert allows(policy(allow(resource=resource)), CLIENT_MOUNT, target) is expected


def test_literal_region_against_unknown_region_is_unknown() -> None:
    statements = policy(
        allow(resource="arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0")
    )
    assert isinstance(allows(statements, CLIENT_MOUNT, FS), Unknown)
    # ... but a different id is a mismatch whatever the Region is.
    assert allows(statements, CLIENT_MOUNT, OTHER_FS) is False


def test_fully_known_target_from_live_arn() -> None:
    target = file_system_target(
        None, "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0"
    )
    assert (
        allows(
            policy(allow(resource="arn:aws:elasticfilesystem:eu-west-1:*:file-system/*")),
            CLIENT_MOUNT,
            target,
        )
        is True
    )
    assert (
        allows(
            policy(allow(resource="arn:aws:elasticfilesystem:us-east-1:*:file-system/*")),
            CLIENT_MOUNT,
            target,
        )
        is False
    )
    assert allows(policy(allow(resource="arn:aws:elasticfilesystem:eu-*")), CLIENT_MOUNT, target) is True


def test_unknown_resource_or_target_is_unknown() -> None:
    assert isinstance(allows(policy(allow(resource=Unknown("GetAtt"))), CLIENT_MOUNT, FS), Unknown)
    assert isinstance(
        allows(
            policy(allow(resource="arn:aws:elasticfilesystem:*:*:file-system/fs-0123456789abcdef0")),
            CLIENT_MOUNT,
            Unknown(),
        ),
        Unknown,
    )
    assert allows(policy(allow(resource="*")), CLIENT_MOUNT, Unknown()) is True


def test_entity_resource_matches_its_own_target_only() -> None:
    fs = FileSystem(loc=LOC, id=Unknown("created by the stack"))
    other = FileSystem(loc=LOC, id=Unknown("created by the stack"))
    statements = policy(allow(resource=fs))
    assert allows(statements, CLIENT_MOUNT, file_system_target(fs)) is True
    assert isinstance(allows(statements, CLIENT_MOUNT, file_system_target(other)), Unknown)
    literal = FileSystem(loc=LOC, id="fs-0123456789abcdef0")
    assert allows(policy(allow(resource=literal)), CLIENT_MOUNT, FS) is True
    assert allows(policy(allow(resource=literal)), CLIENT_MOUNT, OTHER_FS) is False
    ap = AccessPoint(loc=LOC, id="fsap-0123456789abcdef0")
    assert allows(policy(allow(resource=ap)), CLIENT_MOUNT, FS) is False


def test_resource_arn_with_unknown_id_of_created_file_system() -> None:
    created = file_system_target(FileSystem(loc=LOC, id=Unknown("created")))
    assert match_arn("arn:aws:elasticfilesystem:*:*:file-system/*", created) is True
    assert match_arn("arn:aws:elasticfilesystem:*:*:access-point/*", created) is False
    assert isinstance(
        match_arn("arn:aws:elasticfilesystem:*:*:file-system/fs-0123456789abcdef0", created), Unknown
    )


def test_parse_arn() -> None:
    target = parse_arn(
        "arn:aws-cn:elasticfilesystem:cn-north-1:123456789012:access-point/fsap-0123456789abcdef0"
    )
    assert target is not None
    assert (target.partition, target.service, target.region, target.account) == (
        "aws-cn", "elasticfilesystem", "cn-north-1", "123456789012",
    )  # fmt: skip
    assert (target.resource_type, target.resource_id) == ("access-point", "fsap-0123456789abcdef0")
    assert parse_arn("fs-0123") is None


# ---------------------------------------------------------------------------------------------
# Deny, principals, combination


def test_explicit_deny_wins() -> None:
    statements = policy(allow(action="elasticfilesystem:*"), deny(action=CLIENT_WRITE))
    assert allows(statements, CLIENT_MOUNT, FS) is True
    assert allows(statements, CLIENT_WRITE, FS) is False


def test_no_statement_is_implicit_deny() -> None:
    assert allows(policy(allow(action="s3:GetObject")), CLIENT_MOUNT, FS) is False
    assert allows([], CLIENT_MOUNT, FS) is False


def test_unknown_deny_makes_an_allow_unknown() -> None:
    statements = policy(allow(), deny(resource=Unknown("parameter")))
    assert isinstance(allows(statements, CLIENT_MOUNT, FS), Unknown)
    # A Deny that might apply cannot make a request allowed: without an Allow it stays denied.
    assert allows(policy(deny(resource=Unknown("parameter"))), CLIENT_MOUNT, FS) is False


def test_unknown_effect_is_unknown() -> None:
    statements = policy({"Effect": Unknown("Fn::If"), "Action": "*", "Resource": "*"})
    assert isinstance(allows(statements, CLIENT_MOUNT, FS), Unknown)


def test_unknown_policy_is_unknown() -> None:
    assert isinstance(allows(Unknown("imported"), CLIENT_MOUNT, FS), Unknown)


def test_principals_anonymous_and_role() -> None:
    role = Role(loc=LOC, arn=ROLE_ARN)
    statements = policy(allow(Principal={"AWS": ROLE_ARN}))
    assert allows(statements, CLIENT_MOUNT, FS, principal=role) is True
    assert allows(statements, CLIENT_MOUNT, FS, principal=ANONYMOUS) is False
    assert allows(statements, CLIENT_MOUNT, FS, principal="arn:aws:iam::123456789012:role/other") is False
    everyone = policy(allow(Principal="*"))
    assert allows(everyone, CLIENT_MOUNT, FS, principal=ANONYMOUS) is True
    assert allows(everyone, CLIENT_MOUNT, FS, principal=role) is True


def test_role_entity_principal_and_unknown_arns() -> None:
    role = Role(loc=LOC, arn=Unknown("GetAtt"))
    assert allows(policy(allow(Principal={"AWS": role})), CLIENT_MOUNT, FS, principal=role) is True
    by_arn = policy(allow(Principal={"AWS": ROLE_ARN}))
    assert isinstance(allows(by_arn, CLIENT_MOUNT, FS, principal=role), Unknown)
    assert isinstance(
        allows(policy(allow(Principal={"AWS": Unknown()})), CLIENT_MOUNT, FS, principal=ANONYMOUS), Unknown
    )


def test_account_principal_is_unknown_for_its_roles_but_its_deny_applies() -> None:
    role = Role(loc=LOC, arn=ROLE_ARN)
    own = policy(allow(Principal={"AWS": "arn:aws:iam::123456789012:root"}))
    assert isinstance(allows(own, CLIENT_MOUNT, FS, principal=role), Unknown)
    other = policy(allow(Principal={"AWS": "999999999999"}))
    assert allows(other, CLIENT_MOUNT, FS, principal=role) is False
    assert allows(own, CLIENT_MOUNT, FS, principal=ANONYMOUS) is False
    statements = policy(allow(Principal="*"), deny(Principal={"AWS": "123456789012"}))
    assert allows(statements, CLIENT_MOUNT, FS, principal=role) is False
    other_account = policy(allow(Principal="*"), deny(Principal={"AWS": "999999999999"}))
    assert allows(other_account, CLIENT_MOUNT, FS, principal=role) is True


def test_service_principal_never_matches_a_role() -> None:
    statements = policy(allow(Principal={"Service": "ecs-tasks.amazonaws.com"}))
    assert allows(statements, CLIENT_MOUNT, FS, principal=Role(loc=LOC, arn=ROLE_ARN)) is False


def test_combine_identity_and_resource_policy() -> None:
    identity = evaluate(policy(allow()), CLIENT_MOUNT, FS)
    resource = evaluate(policy(deny(Principal="*")), CLIENT_MOUNT, FS, principal=ANONYMOUS)
    nothing = evaluate(policy(allow(action="s3:*")), CLIENT_MOUNT, FS)
    assert combine(identity, nothing).decision is True
    assert combine(identity, resource).decision is False
    assert combine(nothing, nothing).decision is False


# ---------------------------------------------------------------------------------------------
# Conditions

TLS = {"aws:securetransport": True, "elasticfilesystem:accessedviamounttarget": True}
NO_TLS = {"aws:securetransport": False, "elasticfilesystem:accessedviamounttarget": True}


def test_secure_transport_deny() -> None:
    statements = policy(
        allow(Principal="*"),
        deny(action="*", Principal="*", Condition={"Bool": {"aws:SecureTransport": "false"}}),
    )
    assert allows(statements, CLIENT_MOUNT, FS, principal=ANONYMOUS, context=TLS) is True
    assert allows(statements, CLIENT_MOUNT, FS, principal=ANONYMOUS, context=NO_TLS) is False
    unknown_tls = {"aws:securetransport": Unknown("parameter")}
    assert isinstance(allows(statements, CLIENT_MOUNT, FS, principal=ANONYMOUS, context=unknown_tls), Unknown)


def test_condition_on_key_not_in_context_is_unknown_for_allow_and_deny() -> None:
    vpc = {"StringEquals": {"aws:SourceVpc": "vpc-0123"}}
    assert isinstance(allows(policy(allow(Condition=vpc)), CLIENT_MOUNT, FS, context=TLS), Unknown)
    assert isinstance(allows(policy(allow(), deny(Condition=vpc)), CLIENT_MOUNT, FS, context=TLS), Unknown)


def test_unsupported_operators_are_unknown() -> None:
    for condition in (
        {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
        {"ForAnyValue:StringEquals": {"aws:securetransport": "true"}},
        {"Made-Up": {"aws:securetransport": "true"}},
    ):
        assert isinstance(allows(policy(allow(Condition=condition)), CLIENT_MOUNT, FS, context=TLS), Unknown)


def test_condition_keys_are_case_insensitive_and_bool_accepts_booleans() -> None:
    statements = policy(allow(Condition={"Bool": {"AWS:SECURETRANSPORT": True}}))
    assert allows(statements, CLIENT_MOUNT, FS, context=TLS) is True
    assert allows(statements, CLIENT_MOUNT, FS, context=NO_TLS) is False


def test_access_point_conditions() -> None:
    ap = AccessPoint(loc=LOC, id="fsap-0123456789abcdef0")
    arn = "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0"
    only_ap = policy(
        allow(Principal="*", Condition={"StringEquals": {"elasticfilesystem:AccessPointArn": arn}})
    )

    def ctx(target: Any) -> dict[str, Any]:
        return {**TLS, "elasticfilesystem:accesspointarn": target}

    # No access point: the key is absent, a positive operator is false.
    assert allows(only_ap, CLIENT_MOUNT, FS, principal=ANONYMOUS, context=ctx(None)) is False
    # Another access point id: false whatever the Region and account are.
    other = access_point_target(None, "fsap-0fedcba9876543210")
    assert allows(only_ap, CLIENT_MOUNT, FS, principal=ANONYMOUS, context=ctx(other)) is False
    # The same id: the Region and account of the deployment are not known.
    assert isinstance(
        allows(only_ap, CLIENT_MOUNT, FS, principal=ANONYMOUS, context=ctx(access_point_target(ap))), Unknown
    )
    # An entity as the condition value (GetAtt AccessPoint.Arn) matches that entity.
    by_entity = policy(
        allow(Principal="*", Condition={"ArnEquals": {"elasticfilesystem:AccessPointArn": ap}})
    )
    assert (
        allows(by_entity, CLIENT_MOUNT, FS, principal=ANONYMOUS, context=ctx(access_point_target(ap))) is True
    )
    assert allows(by_entity, CLIENT_MOUNT, FS, principal=ANONYMOUS, context=ctx(other)) is False
    # Negated operator with the key absent holds.
    deny_other = policy(
        allow(),
        deny(
            Condition={
                "ArnNotLike": {
                    "elasticfilesystem:AccessPointArn": "arn:aws:elasticfilesystem:*:*:access-point/fsap-0123456789abcdef0"
                }
            }
        ),
    )
    assert allows(deny_other, CLIENT_MOUNT, FS, context=ctx(None)) is False
    assert allows(deny_other, CLIENT_MOUNT, FS, context=ctx(access_point_target(ap))) is True
    assert allows(deny_other, CLIENT_MOUNT, FS, context=ctx(other)) is False


def test_null_and_if_exists() -> None:
    needs_ap = policy(allow(), deny(Condition={"Null": {"elasticfilesystem:AccessPointArn": "true"}}))
    assert allows(needs_ap, CLIENT_MOUNT, FS, context={"elasticfilesystem:accesspointarn": None}) is False
    ap = access_point_target(None, "fsap-0123456789abcdef0")
    assert allows(needs_ap, CLIENT_MOUNT, FS, context={"elasticfilesystem:accesspointarn": ap}) is True
    if_exists = policy(allow(Condition={"StringEqualsIfExists": {"elasticfilesystem:AccessPointArn": "x"}}))
    assert allows(if_exists, CLIENT_MOUNT, FS, context={"elasticfilesystem:accesspointarn": None}) is True


def test_unknown_condition_value() -> None:
    statements = policy(allow(Condition={"Bool": {"aws:SecureTransport": Unknown("parameter")}}))
    assert isinstance(allows(statements, CLIENT_MOUNT, FS, context=TLS), Unknown)
    assert isinstance(allows(policy(allow(Condition=Unknown())), CLIENT_MOUNT, FS, context=TLS), Unknown)


# ---------------------------------------------------------------------------------------------
# Managed policies


@pytest.mark.parametrize(
    ("arn", "granted"),
    [
        ("arn:aws:iam::aws:policy/AmazonElasticFileSystemClientReadOnlyAccess", {CLIENT_MOUNT}),
        (
            "arn:aws:iam::aws:policy/AmazonElasticFileSystemClientReadWriteAccess",
            {CLIENT_MOUNT, CLIENT_WRITE},
        ),
        (
            "arn:aws:iam::aws:policy/AmazonElasticFileSystemClientFullAccess",
            {CLIENT_MOUNT, CLIENT_WRITE, CLIENT_ROOT_ACCESS},
        ),
        (
            "arn:aws-us-gov:iam::aws:policy/AmazonElasticFileSystemClientFullAccess",
            {CLIENT_MOUNT, CLIENT_WRITE, CLIENT_ROOT_ACCESS},
        ),
    ],
)
def test_managed_policies(arn: str, granted: set[str]) -> None:
    statements = managed_policy_statements(arn, LOC)
    assert statements is not None
    for action in (CLIENT_MOUNT, CLIENT_WRITE, CLIENT_ROOT_ACCESS):
        assert allows(statements, action, FS) is (action in granted)


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        "arn:aws:iam::123456789012:policy/Mine",
        Unknown(),
        None,
    ],
)
def test_unknown_managed_policy_is_none(arn: Any) -> None:
    assert managed_policy_statements(arn, LOC) is None


# ---------------------------------------------------------------------------------------------
# Property: evaluation never raises, whatever the statements hold

_leaf = st.one_of(
    st.sampled_from(["*", "elasticfilesystem:Client*", "elasticfilesystem:ClientMount", "s3:*", "true", "false",
                     "arn:aws:elasticfilesystem:*:*:file-system/*", "arn:${AWS::Partition}:x", "${AWS::Region}",
                     "arn:aws:iam::123456789012:root", "123456789012", ROLE_ARN, "", ":::::", "?*"]),
    st.text(max_size=12),
    st.builds(Unknown),
    st.booleans(),
    st.integers(),
    st.none(),
)  # fmt: skip
_value = st.one_of(_leaf, st.lists(_leaf, max_size=3))
_condition = st.dictionaries(
    st.sampled_from(["Bool", "StringEquals", "StringNotLike", "ArnLike", "Null", "BoolIfExists", "NumericLessThan",
                     "ForAllValues:StringEquals", "x"]),
    st.one_of(st.builds(Unknown), st.dictionaries(
        st.sampled_from(["aws:SecureTransport", "elasticfilesystem:AccessPointArn", "aws:SourceVpc"]), _value, max_size=2)),
    max_size=2,
)  # fmt: skip
_statement = st.fixed_dictionaries(
    {"Effect": st.one_of(st.sampled_from(["Allow", "Deny"]), st.builds(Unknown), _leaf)},
    optional={
        "Action": _value,
        "NotAction": _value,
        "Resource": _value,
        "NotResource": _value,
        "Principal": st.one_of(
            _leaf, st.dictionaries(st.sampled_from(["AWS", "Service"]), _value, max_size=2)
        ),
        "NotPrincipal": st.dictionaries(st.just("AWS"), _value, max_size=1),
        "Condition": st.one_of(_condition, _leaf),
    },
)
_contexts = st.fixed_dictionaries(
    {
        "aws:securetransport": st.one_of(st.booleans(), st.builds(Unknown)),
        "elasticfilesystem:accesspointarn": st.sampled_from(
            [None, Unknown(), access_point_target(None, "fsap-0123456789abcdef0")]
        ),
    }
)


@settings(max_examples=300, deadline=None)
@given(
    statements=st.one_of(st.lists(_statement, max_size=4), _statement, _leaf),
    context=_contexts,
    principal=st.sampled_from(
        [None, ANONYMOUS, Role(loc=LOC, arn=ROLE_ARN), Role(loc=LOC, arn=Unknown()), Unknown()]
    ),
    target=st.sampled_from([FS, Unknown(), file_system_target(FileSystem(loc=LOC, id=Unknown()))]),
)
def test_allows_never_raises(statements: Any, context: dict[str, Any], principal: Any, target: Any) -> None:
    parsed = parse_policy({"Statement": statements}, LOC)
    result = allows(parsed, CLIENT_MOUNT, target, principal=principal, context=context)
    assert result is True or result is False or isinstance(result, Unknown)


def test_entity_named_by_arn_gives_region_and_account() -> None:
    arn = "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0"
    live = FileSystem(loc=Location(arn, logical_name=arn), id="fs-0123456789abcdef0")
    target = file_system_target(live)
    assert (target.region, target.account, target.resource_id) == (
        "eu-west-1",
        "123456789012",
        "fs-0123456789abcdef0",
    )
    assert allows(policy(allow(resource=arn)), CLIENT_MOUNT, target) is True
    other_region = arn.replace("eu-west-1", "us-east-1")
    assert allows(policy(allow(resource=other_region)), CLIENT_MOUNT, target) is False
    # A logical name that is not this resource's ARN is ignored.
    named = FileSystem(
        loc=Location("t.yaml", logical_name="arn:aws:elasticfilesystem:eu-west-1:1:file-system/fs-1"),
        id="fs-2",
    )
    assert file_system_target(named).region is OWN_REGION
