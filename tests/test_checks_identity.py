"""EFS401–EFS406 on models: who may mount, and what the file system policy allows."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from model_builders import (
    access_point,
    file_system,
    fs_policy,
    identity_model,
    loc,
    mounted,
    role,
    run,
    task_definition,
)

from efslint.model import EfsVolume, FileSystem, PosixUser, Role, TaskDefinition, Unknown

MOUNT = "elasticfilesystem:ClientMount"
WRITE = "elasticfilesystem:ClientWrite"
ROOT = "elasticfilesystem:ClientRootAccess"
ALL_CLIENT = [MOUNT, WRITE, ROOT]
TLS_DENY = {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "*", "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}  # fmt: skip
CDK_DEFAULT = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": [WRITE, ROOT],
               "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}}}  # fmt: skip


def grant(*actions: str, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": list(actions), "Resource": resource, **extra}


def setup(*, iam: str = "ENABLED", tls: str = "ENABLED", statements: list[dict[str, Any]] | None = None,
          policy: Any = None, read_only: Any = False) -> tuple[TaskDefinition, EfsVolume, Role, FileSystem]:  # fmt: skip
    """One task definition mounting one file system, with field locations on the volume."""
    fs = file_system(policy=policy, encrypted=True, backup=True)
    if policy is not None:
        fs.field_locs["policy"] = loc("FileSystemPolicy")
    task_role = role(statements=statements)
    td = mounted(task_definition(fs, task_role_entity=task_role, task_role="TaskRole"), read_only=read_only)
    volume = td.efs_volumes[0]
    volume.iam, volume.transit_encryption = iam, tls
    for field in ("iam", "transit_encryption", "access_point_id"):
        volume.field_locs[field] = loc(field)
    return td, volume, task_role, fs


def findings(td: TaskDefinition, *rules: str) -> list[tuple[str, int, str]]:
    return [(f.rule_id, f.location.line, f.message) for f in run(identity_model(td), *rules)]


# ---------------------------------------------------------------------------------------------
# EFS401 task-role-lacks-efs-permissions


def test_401_fires_on_the_task_role_when_nothing_allows_the_mount() -> None:
    td, volume, task_role, fs = setup(statements=[grant("s3:GetObject")], policy=fs_policy(TLS_DENY))
    (finding,) = run(identity_model(td), "EFS401")
    assert (finding.rule_id, finding.location) == ("EFS401", task_role.loc)
    assert finding.message.startswith(
        f"Task role 'TaskRole' may not perform {MOUNT}, {WRITE} on file system 'FileSystem', which EFS volume "
        "'data' mounts with IAM authorization (neither the task role's policies nor the file system policy "
        'allow them): the mount fails with "access denied by server".'
    )
    assert [r.location for r in finding.related][:2] == [volume.loc, fs.loc]


def test_401_read_write_mount_needs_client_write() -> None:
    td, *_ = setup(statements=[grant(MOUNT)], policy=fs_policy(TLS_DENY))
    ((rule, _, message),) = findings(td, "EFS401")
    assert rule == "EFS401" and f"perform {WRITE} on" in message and MOUNT not in message
    assert "the file system is mounted read-only, so writes fail." in message


def test_401_read_only_mount_needs_only_client_mount() -> None:
    td, *_ = setup(statements=[grant(MOUNT)], policy=fs_policy(TLS_DENY), read_only=True)
    assert findings(td, "EFS401") == []


def test_401_root_access_point_needs_client_root_access() -> None:
    td, volume, _, fs = setup(statements=[grant(MOUNT, WRITE)], policy=fs_policy(TLS_DENY))
    volume.access_point = access_point(fs, posix_user=PosixUser(0, 0))
    ((_, _, message),) = findings(td, "EFS401")
    assert f"perform {ROOT} on" in message and "uid/gid 0 identity is not permitted" in message


def test_401_explicit_deny_in_the_file_system_policy_wins() -> None:
    deny_write = {"Effect": "Deny", "Principal": "*", "Action": WRITE, "Resource": "*"}
    td, *_ = setup(statements=[grant("elasticfilesystem:Client*")], policy=fs_policy(deny_write))
    ((_, _, message),) = findings(td, "EFS401")
    assert f"perform {WRITE} on" in message and f"an explicit Deny covers {WRITE}" in message


def test_401_wildcard_and_not_action_grants_are_enough() -> None:
    for statements in (
        [grant("elasticfilesystem:Client*", resource="arn:aws:elasticfilesystem:*:*:file-system/*")],
        [{"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}],
        [grant("*")],
    ):
        td, *_ = setup(statements=statements, policy=fs_policy(TLS_DENY))
        assert findings(td, "EFS401") == [], statements


def test_401_grant_for_another_file_system_fires() -> None:
    other = "arn:aws:elasticfilesystem:*:*:file-system/fs-0fedcba987654321f"
    td, _, _, fs = setup(statements=[grant(MOUNT, WRITE, resource=other)], policy=fs_policy(TLS_DENY))
    fs.id = "fs-0123456789abcdef0"
    assert [r for r, *_ in findings(td, "EFS401")] == ["EFS401"]


def test_401_file_system_policy_granting_the_role_is_enough() -> None:
    td, _, task_role, fs = setup(statements=[])
    fs.policy = fs_policy(grant(MOUNT, WRITE, Principal={"AWS": task_role}), TLS_DENY)
    assert findings(td, "EFS401") == []


def test_401_quiet_when_it_cannot_be_proven() -> None:
    # Default policy (no explicit one): its effect on IAM clients is not documented.
    td, *_ = setup(statements=[])
    assert findings(td, "EFS401") == []
    # A managed policy the linter cannot read.
    td, _, task_role, _ = setup(statements=[], policy=fs_policy(TLS_DENY))
    task_role.statements_known = False
    assert findings(td, "EFS401") == []
    # A condition on a key the input does not determine.
    vpc_only = grant(MOUNT, WRITE, Condition={"StringEquals": {"aws:SourceVpc": "vpc-0123"}})
    td, *_ = setup(statements=[vpc_only], policy=fs_policy(TLS_DENY))
    assert findings(td, "EFS401") == []
    # A file system policy that cannot be read, or a file system defined elsewhere.
    td, _, _, _fs = setup(statements=[], policy=Unknown("parameter"))
    assert findings(td, "EFS401") == []
    td, volume, *_ = setup(statements=[], policy=fs_policy(TLS_DENY))
    volume.file_system = None
    assert findings(td, "EFS401") == []
    # IAM authorization off, or unknown.
    for iam in ("DISABLED", Unknown("parameter")):
        td, *_ = setup(iam=iam, statements=[], policy=fs_policy(TLS_DENY))
        assert findings(td, "EFS401") == []


def test_401_superseded_by_404_for_the_same_volume() -> None:
    td, _volume, task_role, fs = setup(statements=[])
    ap = access_point(fs)
    fs.policy = fs_policy(
        grant(
            MOUNT,
            WRITE,
            Principal={"AWS": task_role},
            Condition={"StringEquals": {"elasticfilesystem:AccessPointArn": ap}},
        )
    )
    assert [r for r, *_ in findings(td, "EFS401", "EFS404")] == ["EFS404"]
    assert [r for r, *_ in findings(td, "EFS401")] == ["EFS401"]


# ---------------------------------------------------------------------------------------------
# EFS402 policy-requires-tls-but-disabled


def test_402_fires_on_transit_encryption_and_supersedes_104() -> None:
    td, volume, _, fs = setup(iam="DISABLED", tls="DISABLED",
                              policy=fs_policy(grant(*ALL_CLIENT, Principal="*"), TLS_DENY))  # fmt: skip
    (finding,) = run(identity_model(td), "EFS402", "EFS104")
    assert (finding.rule_id, finding.location) == ("EFS402", volume.at("transit_encryption"))
    assert finding.message == (
        "The policy of file system 'FileSystem' denies clients that do not use TLS (aws:SecureTransport false), "
        "but EFS volume 'data' has transitEncryption DISABLED (omitted means DISABLED): the mount is denied. "
        "Set transitEncryption to ENABLED."
    )
    assert finding.related[0].location == fs.policy[1].loc


def test_402_quiet_cases() -> None:
    allow_all = grant(*ALL_CLIENT, Principal="*")
    # TLS on, or not known.
    for tls in ("ENABLED", Unknown("parameter")):
        td, *_ = setup(iam="DISABLED", tls=tls, policy=fs_policy(allow_all, TLS_DENY))
        assert findings(td, "EFS402") == []
    # No SecureTransport deny; the default policy; a deny for someone else.
    someone = {**TLS_DENY, "Principal": {"AWS": "arn:aws:iam::123456789012:role/other"}}
    for policy in (fs_policy(allow_all), None, fs_policy(allow_all, someone)):
        td, *_ = setup(iam="DISABLED", tls="DISABLED", policy=policy)
        assert findings(td, "EFS402") == []


# ---------------------------------------------------------------------------------------------
# EFS403 policy-requires-iam-but-disabled


def test_403_fires_on_iam_for_a_policy_without_anonymous_client_mount_and_supersedes_105() -> None:
    td, volume, _, fs = setup(iam="DISABLED", policy=fs_policy(CDK_DEFAULT, TLS_DENY))
    (finding,) = run(identity_model(td), "EFS403", "EFS105")
    assert (finding.rule_id, finding.location) == ("EFS403", volume.at("iam"))
    assert finding.message.startswith(
        "File system 'FileSystem' has a file system policy that does not allow elasticfilesystem:ClientMount "
        "to anonymous clients (principal \"*\") for this mount, and EFS volume 'data' has IAM authorization DISABLED"
    )
    assert finding.related[0].location == fs.at("policy")


def test_403_quiet_cases() -> None:
    grant_all = grant(*ALL_CLIENT, Principal={"AWS": "*"})
    vpc_only = grant(MOUNT, Principal="*", Condition={"StringEquals": {"aws:SourceVpc": "vpc-0123"}})
    for policy in (None, fs_policy(grant_all), fs_policy(vpc_only), Unknown("parameter")):
        td, *_ = setup(iam="DISABLED", policy=policy)
        assert findings(td, "EFS403") == [], policy
    td, *_ = setup(iam="ENABLED", policy=fs_policy(CDK_DEFAULT))
    assert findings(td, "EFS403") == []


def test_403_leaves_access_point_conditions_to_404() -> None:
    td, _, _, fs = setup(iam="DISABLED")
    ap = access_point(fs)
    fs.policy = fs_policy(
        grant(MOUNT, Principal="*", Condition={"ArnEquals": {"elasticfilesystem:AccessPointArn": ap}})
    )
    assert [r for r, *_ in findings(td, "EFS403", "EFS404")] == ["EFS404"]


# ---------------------------------------------------------------------------------------------
# EFS404 policy-requires-access-point


def _ap_only(principal: Any, value: Any, operator: str = "StringEquals") -> dict[str, Any]:
    return grant(
        MOUNT, WRITE, Principal=principal, Condition={operator: {"elasticfilesystem:AccessPointArn": value}}
    )


def test_404_fires_when_the_volume_uses_no_access_point() -> None:
    td, volume, task_role, fs = setup(statements=[])
    ap = access_point(fs, name="AppAccessPoint")
    fs.policy = fs_policy(_ap_only({"AWS": task_role}, ap))
    (finding,) = run(identity_model(td), "EFS404")
    assert finding.location == volume.at("access_point_id")
    assert finding.message.startswith(
        "The policy of file system 'FileSystem' allows mounts only through access point(s) AppAccessPoint "
        "(elasticfilesystem:AccessPointArn condition), but EFS volume 'data' uses no access point"
    )


def test_404_fires_for_another_access_point_id() -> None:
    arn = "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0"
    td, volume, _, _ = setup(iam="DISABLED", policy=fs_policy(_ap_only("*", arn)))
    volume.access_point_id = "fsap-0fedcba9876543210"
    ((_rule, _, message),) = findings(td, "EFS404")
    assert (
        f"only through access point(s) {arn}" in message
        and "uses access point fsap-0fedcba9876543210" in message
    )


def test_404_fires_on_a_deny_unless_access_point() -> None:
    deny = {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
            "Condition": {"Null": {"elasticfilesystem:AccessPointArn": "true"}}}  # fmt: skip
    td, *_ = setup(statements=[grant(MOUNT, WRITE)], policy=fs_policy(deny))
    ((rule, _, message),) = findings(td, "EFS404")
    # A Null condition's value says whether the key is absent, not which access point is required.
    assert rule == "EFS404" and "only through access point(s) * (elasticfilesystem" in message


def test_404_null_condition_names_no_boolean_as_access_point() -> None:
    td, *_ = setup(iam="DISABLED", policy=fs_policy(_ap_only("*", "false", operator="Null")))
    ((rule, _, message),) = findings(td, "EFS404")
    assert rule == "EFS404" and "only through access point(s) * (elasticfilesystem" in message


def test_404_quiet_cases() -> None:
    # The volume uses the access point the policy names.
    td, volume, task_role, fs = setup(statements=[])
    ap = access_point(fs)
    fs.policy = fs_policy(_ap_only({"AWS": task_role}, ap, "ArnEquals"))
    volume.access_point, volume.access_point_id = ap, Unknown("Ref AccessPoint")
    assert findings(td, "EFS404") == []
    # The task role's own policy allows the mount (either policy suffices).
    td, volume, task_role, fs = setup(statements=[grant(MOUNT, WRITE)])
    fs.policy = fs_policy(_ap_only({"AWS": task_role}, access_point(fs)))
    assert findings(td, "EFS404") == []
    # Same access point id, Region and account of the deployment unknown: cannot tell.
    arn = "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0"
    td, volume, _, _ = setup(iam="DISABLED", policy=fs_policy(_ap_only("*", arn)))
    volume.access_point_id = "fsap-0123456789abcdef0"
    assert findings(td, "EFS404") == []
    # Denied for another reason (no anonymous grant at all): that is EFS403, not this rule.
    td, *_ = setup(iam="DISABLED", policy=fs_policy(CDK_DEFAULT))
    assert findings(td, "EFS404") == []


# ---------------------------------------------------------------------------------------------
# EFS405 file-system-policy-public, EFS406 policy-does-not-enforce-tls


def fs_findings(policy: Any, *rules: str) -> list[tuple[str, int, str]]:
    fs = file_system(policy=policy, encrypted=True, backup=True)
    fs.field_locs["policy"] = loc("FileSystemPolicy")
    return [(f.rule_id, f.location.line, f.message) for f in run(identity_model(fs), *rules)]


def test_405_fires_on_the_policy_for_unconditional_grants_to_everyone() -> None:
    policy = fs_policy(grant("elasticfilesystem:Client*", Principal={"AWS": "*"}), TLS_DENY)
    fs = file_system(policy=policy)
    fs.field_locs["policy"] = loc("FileSystemPolicy")
    (finding,) = run(identity_model(fs), "EFS405")
    assert finding.location == fs.at("policy")
    assert finding.message.startswith(
        f"The policy of file system 'FileSystem' allows {MOUNT}, {WRITE}, {ROOT} to principal \"*\" with no "
        "condition that limits who can use it"
    )
    assert [r.location for r in finding.related] == [policy[0].loc]


def test_405_lists_only_the_actions_not_denied() -> None:
    no_root = {"Effect": "Deny", "Principal": "*", "Action": ROOT, "Resource": "*"}
    ((_, _, message),) = fs_findings(fs_policy(grant(*ALL_CLIENT, Principal="*"), no_root), "EFS405")
    assert f"allows {MOUNT}, {WRITE} to principal" in message


def test_405_quiet_cases() -> None:
    role_arn = "arn:aws:iam::123456789012:role/app"
    for policy in (
        None,
        Unknown("parameter"),
        fs_policy(CDK_DEFAULT),
        fs_policy(grant(*ALL_CLIENT, Principal={"AWS": role_arn})),
        fs_policy(grant(*ALL_CLIENT, Principal="*", Condition={"StringEquals": {"aws:SourceVpc": "vpc-1"}})),
        fs_policy(
            grant(*ALL_CLIENT, Principal="*"),
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "*",
                "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:SourceVpc": "vpc-1"}},
            },
        ),
    ):
        assert fs_findings(policy, "EFS405") == [], policy


def test_406_fires_when_plain_nfs_is_allowed() -> None:
    anonymous_mount = grant(MOUNT, WRITE, Principal={"AWS": "*"},
                            Condition={"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}})  # fmt: skip
    ((rule, _, message),) = fs_findings(fs_policy(anonymous_mount), "EFS406")
    assert rule == "EFS406" and message.startswith(
        "The policy of file system 'FileSystem' lets clients mount without TLS"
    )


def test_406_quiet_cases() -> None:
    anonymous_mount = grant(MOUNT, Principal="*")
    vpc_only = grant(MOUNT, Principal="*", Condition={"StringEquals": {"aws:SourceVpc": "vpc-1"}})
    for policy in (None, fs_policy(anonymous_mount, TLS_DENY), fs_policy(CDK_DEFAULT), fs_policy(vpc_only)):
        assert fs_findings(policy, "EFS406") == [], policy


def test_402_fires_whoever_mounts_when_the_deny_covers_everyone() -> None:
    td, *_ = setup(iam=Unknown("parameter"), tls="DISABLED", policy=fs_policy(TLS_DENY))
    assert [r for r, *_ in findings(td, "EFS402")] == ["EFS402"]
    # ... but not when the Deny names a principal and who mounts is not known.
    named = {**TLS_DENY, "Principal": {"AWS": "arn:aws:iam::123456789012:role/app"}}
    td, *_ = setup(iam=Unknown("parameter"), tls="DISABLED", policy=fs_policy(named))
    assert findings(td, "EFS402") == []


def test_404_external_task_role_arn() -> None:
    arn = "arn:aws:iam::123456789012:role/app"
    deny = {"Effect": "Deny", "Principal": {"AWS": arn}, "Action": "*", "Resource": "*",
            "Condition": {"Null": {"elasticfilesystem:AccessPointArn": "true"}}}  # fmt: skip
    td, _, _, _ = setup(statements=[], policy=fs_policy(deny))
    td.task_role_entity, td.task_role = None, arn
    assert [r for r, *_ in findings(td, "EFS404")] == ["EFS404"]
    # An Allow only through an access point decides nothing: the role's own policies are unknown.
    td, _, _, _ = setup(
        statements=[],
        policy=fs_policy(_ap_only({"AWS": arn}, "arn:aws:elasticfilesystem:*:*:access-point/*")),
    )
    td.task_role_entity, td.task_role = None, arn
    assert findings(td, "EFS404") == []


# ---------------------------------------------------------------------------------------------
# Property: the 4xx checks never raise, whatever the policies and volume settings hold

_words = st.sampled_from(["*", MOUNT, WRITE, "elasticfilesystem:Client*", "s3:*", "true", "false", "ENABLED",
                          "arn:aws:elasticfilesystem:*:*:file-system/*", "arn:aws:iam::123456789012:root"])  # fmt: skip
_leaf = st.one_of(_words, st.builds(Unknown))
_leaves = st.one_of(_leaf, st.lists(_leaf, max_size=3))
_statement = st.fixed_dictionaries(
    {"Effect": st.sampled_from(["Allow", "Deny"]), "Action": _leaves, "Resource": _leaves},
    optional={
        "Principal": st.one_of(st.just("*"), st.fixed_dictionaries({"AWS": _leaves})),
        "Condition": st.dictionaries(
            st.sampled_from(["Bool", "StringEquals", "ArnNotEquals", "Null", "IpAddress"]),
            st.dictionaries(
                st.sampled_from(["aws:SecureTransport", "elasticfilesystem:AccessPointArn", "aws:SourceVpc"]),
                _leaves,
                max_size=2,
            ),
            max_size=2,
        ),
    },
)
_maybe = st.sampled_from(["ENABLED", "DISABLED", Unknown("parameter")])


@settings(max_examples=150, deadline=None)
@given(
    fs_statements=st.one_of(st.none(), st.lists(_statement, max_size=3)),
    role_statements=st.lists(_statement, max_size=3),
    iam=_maybe,
    tls=_maybe,
    read_only=st.sampled_from([True, False, Unknown("parameter")]),
    root=st.booleans(),
)
def test_identity_checks_never_raise(fs_statements: Any, role_statements: Any, iam: Any, tls: Any,
                                     read_only: Any, root: bool) -> None:  # fmt: skip
    policy = fs_policy(*fs_statements) if fs_statements is not None else None
    td, volume, _, fs = setup(
        iam=iam, tls=tls, statements=role_statements, policy=policy, read_only=read_only
    )
    if root:
        volume.access_point = access_point(fs, posix_user=PosixUser(0, Unknown("parameter")))
    for rule, *_ in findings(td, "EFS401", "EFS402", "EFS403", "EFS404", "EFS405", "EFS406"):
        assert rule in {"EFS401", "EFS402", "EFS403", "EFS404", "EFS405", "EFS406"}


@settings(max_examples=150, deadline=None)
@given(
    fs_statements=st.lists(_statement, max_size=3),
    role_statements=st.lists(_statement, max_size=3),
    read_only=st.sampled_from([True, False]),
)
def test_401_granting_the_actions_removes_the_finding(fs_statements: Any, role_statements: Any,
                                                      read_only: bool) -> None:  # fmt: skip
    td, _, task_role, _ = setup(
        statements=role_statements, policy=fs_policy(*fs_statements), read_only=read_only
    )
    found = findings(td, "EFS401")
    if not found or "explicit Deny" in found[0][2]:
        return
    (grant_all,) = fs_policy(grant("elasticfilesystem:Client*"))
    task_role.statements.append(grant_all)
    assert findings(td, "EFS401") == []
