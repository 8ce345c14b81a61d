"""Predicates over who may mount: task roles, file system policies (EFS401–EFS406).

Every answer comes from :mod:`efslint.policy`'s three-valued evaluation: a rule fires only when
the evaluation is definitely False (or definitely True, for the "too open" rules), never on
Unknown.  An ECS mount is the request ``elasticfilesystem:ClientMount`` (plus ``ClientWrite`` for
read-write mount points and ``ClientRootAccess`` for an access point that enforces uid/gid 0) on the
volume's file system, by the task role when ``iam`` is ENABLED and by an anonymous client otherwise,
with the condition keys of :func:`efslint.policy.mount_context`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..findings import Related
from ..model import EfsVolume, FileSystem, Model, PolicyStatement, PosixUser, Role, Unknown
from ..policy import (
    ACCESS_POINT_ARN,
    ANONYMOUS,
    CLIENT_ACTIONS,
    CLIENT_MOUNT,
    CLIENT_ROOT_ACCESS,
    CLIENT_WRITE,
    PRINCIPAL_ARN,
    SECURE_TRANSPORT,
    VIA_MOUNT_TARGET,
    Evaluation,
    Principal,
    combine,
    evaluate,
    file_system_target,
    mount_context,
    principal_arn_target,
    statement_applies,
    volume_file_system,
)
from ..policy.evaluate import NOTHING, UNKNOWN_EVALUATION
from . import Violation, check
from .file_system import file_system_name

# The default policy (no explicit one) gives anonymous clients full access. What it means for a
# client that authenticates with IAM is not documented, so that stays Unknown.
_DEFAULT_FOR_ANONYMOUS = Evaluation(True, False)
_DEFAULT_FOR_ROLE = Evaluation(Unknown("default file system policy with IAM authorization"), False)


def _fs_policy(volume: EfsVolume) -> tuple[FileSystem, list[PolicyStatement]] | None:
    """The volume's file system and its explicit, readable policy; None otherwise."""
    fs = volume.file_system
    if fs is None or not isinstance(fs.policy, list):
        return None
    return fs, fs.policy


def _requester(volume: EfsVolume) -> Principal:
    """Who mounts: the task role with IAM authorization (its entity, or its ARN), else anonymous."""
    if volume.iam == "DISABLED":
        return ANONYMOUS
    td = volume.task_definition
    if volume.iam == "ENABLED" and td is not None:
        if td.task_role_entity is not None:
            return td.task_role_entity
        if isinstance(td.task_role, str):
            return td.task_role
    return Unknown("who mounts the volume is not known")


def _identity(principal: Principal, action: str, target: Any, context: Mapping[str, Any]) -> Evaluation:
    if principal is ANONYMOUS:
        return NOTHING  # an anonymous client has no identity policy
    if not isinstance(principal, Role) or not principal.statements_known:
        return UNKNOWN_EVALUATION
    return evaluate(principal.statements, action, target, context=context)


def _resource(fs: FileSystem | None, principal: Principal, action: str, target: Any,
              context: Mapping[str, Any]) -> Evaluation:  # fmt: skip
    if fs is None:
        return UNKNOWN_EVALUATION
    if fs.policy is None:
        return _DEFAULT_FOR_ANONYMOUS if principal is ANONYMOUS else _DEFAULT_FOR_ROLE
    return evaluate(fs.policy, action, target, principal=principal, context=context)


def _decision(volume: EfsVolume, principal: Principal, action: str, context: Mapping[str, Any]) -> Evaluation:
    target = volume_file_system(volume)
    if isinstance(principal, (Role, str)) and PRINCIPAL_ARN not in context:
        # `aws:PrincipalArn` is the task role's ARN, however much of it the input tells.
        context = {**context, PRINCIPAL_ARN: principal_arn_target(principal)}
    identity = _identity(principal, action, target, context)
    resource = _resource(volume.file_system, principal, action, target, context)
    return combine(identity, resource)


def _mentions(statement: PolicyStatement, key: str) -> bool:
    conditions = statement.conditions
    if not isinstance(conditions, dict):
        return False
    return any(
        isinstance(block, dict) and any(str(k).lower() == key for k in block) for block in conditions.values()
    )


def _statement_related(statement: PolicyStatement, text: str) -> list[Related]:
    return [Related(statement.loc, text)] if statement.loc is not None else []


def _describe_access_point(volume: EfsVolume) -> str:
    ap = volume.access_point
    if ap is not None:
        return f"access point '{ap.label}'" if not isinstance(ap.id, str) else f"access point {ap.id}"
    if isinstance(volume.access_point_id, str):
        return f"access point {volume.access_point_id}"
    return "no access point"


# --------------------------------------------------------------------------------------------


def required_actions(volume: EfsVolume) -> list[str]:
    """The client actions a task needs to use the volume as its containers mount it."""
    actions = [CLIENT_MOUNT]
    if any(mp.read_only is False for mp in volume.mounted_by()):
        actions.append(CLIENT_WRITE)
    ap = volume.access_point
    posix = ap.posix_user if ap is not None else None
    if isinstance(posix, PosixUser) and (posix.uid == 0 or posix.gid == 0):
        actions.append(CLIENT_ROOT_ACCESS)
    return actions


@check("task_role_lacks_efs_permissions")
def task_role_lacks_efs_permissions(volume: EfsVolume, model: Model) -> Iterator[Violation]:
    if volume.iam != "ENABLED" or not volume.mounted_by():
        return
    td = volume.task_definition
    role = td.task_role_entity if td is not None else None
    fs = volume.file_system
    if role is None or fs is None:
        return
    context = mount_context(volume)
    missing: list[str] = []
    denied: list[str] = []
    for action in required_actions(volume):
        evaluation = _decision(volume, role, action, context)
        if evaluation.decision is False:
            missing.append(action)
            if evaluation.denied is True:
                denied.append(action)
    if not missing:
        return
    reason = (
        f"an explicit Deny covers {', '.join(denied)}"
        if denied
        else "neither the task role's policies nor the file system policy allow them"
    )
    related = [
        Related(volume.loc, f"EFS volume '{volume.name}' with IAM authorization"),
        Related(fs.loc, "file system"),
    ]
    if fs.policy is not None:
        related.append(Related(fs.at("policy"), "file system policy"))
    if CLIENT_MOUNT in missing:
        consequence = 'the mount fails with "access denied by server"'
    elif CLIENT_WRITE in missing:
        consequence = "the file system is mounted read-only, so writes fail"
    else:
        consequence = "the access point's uid/gid 0 identity is not permitted"
    values = {"role": role.label, "actions": missing, "file_system": file_system_name(fs), "reason": reason}
    yield Violation(
        {**values, "consequence": consequence},
        location=role.loc,
        related=related,
        anchor=str(volume.name),
    )


@check("policy_requires_tls_but_disabled")
def policy_requires_tls_but_disabled(volume: EfsVolume, model: Model) -> Iterator[Violation]:
    if volume.transit_encryption != "DISABLED":
        return
    found = _fs_policy(volume)
    if found is None:
        return
    fs, statements = found
    requester = _requester(volume)
    context = mount_context(volume)
    target = volume_file_system(volume)
    for statement in statements:
        if statement.effect != "Deny" or not _mentions(statement, SECURE_TRANSPORT):
            continue
        if statement_applies(statement, CLIENT_MOUNT, target, requester, context) is True:
            yield Violation(
                {"file_system": file_system_name(fs)},
                related=_statement_related(statement, "Deny on aws:SecureTransport = false"),
            )
            return


def _access_point_decides(volume: EfsVolume, principal: Principal) -> bool:
    """Whether another access point could change the outcome of the volume's ClientMount."""
    relaxed = mount_context(volume, access_point=Unknown("any access point"))
    return _decision(volume, principal, CLIENT_MOUNT, relaxed).decision is not False


@check("policy_requires_iam_but_disabled")
def policy_requires_iam_but_disabled(volume: EfsVolume, model: Model) -> Iterator[Violation]:
    if volume.iam != "DISABLED":
        return
    found = _fs_policy(volume)
    if found is None:
        return
    fs, statements = found
    grant = evaluate(statements, CLIENT_MOUNT, volume_file_system(volume), principal=ANONYMOUS,
                     context=mount_context(volume))  # fmt: skip
    if grant.allowed is not False or _access_point_decides(volume, ANONYMOUS):
        return
    yield Violation(
        {"file_system": file_system_name(fs)},
        related=[Related(fs.at("policy"), "file system policy without an anonymous ClientMount grant")],
    )


def _required_access_points(statements: list[PolicyStatement]) -> list[str]:
    names: list[str] = []
    for statement in statements:
        conditions = statement.conditions if isinstance(statement.conditions, dict) else {}
        for operator, block in conditions.items():
            if not isinstance(block, dict):
                continue
            for key, values in block.items():
                if str(key).lower() != ACCESS_POINT_ARN:
                    continue
                if str(operator).startswith("Null"):
                    # Its value says whether the key is absent: it requires some access point, any.
                    values = "*"
                for value in values if isinstance(values, list) else [values]:
                    label = value if isinstance(value, str) else getattr(value, "label", "an unknown value")
                    if label not in names:
                        names.append(label)
    return names


@check("policy_requires_access_point")
def policy_requires_access_point(volume: EfsVolume, model: Model) -> Iterator[Violation]:
    found = _fs_policy(volume)
    if found is None:
        return
    fs, statements = found
    principal = _requester(volume)
    if _decision(volume, principal, CLIENT_MOUNT, mount_context(volume)).decision is not False:
        return
    if not _access_point_decides(volume, principal):
        return
    yield Violation(
        {
            "file_system": file_system_name(fs),
            "used": _describe_access_point(volume),
            "required": _required_access_points(statements),
        },
        related=[
            Related(fs.at("policy"), "file system policy with an elasticfilesystem:AccessPointArn condition")
        ],
    )


# --------------------------------------------------------------------------------------------
# The file system policy on its own (every file system the input defines)

_TLS_CLIENT = {SECURE_TRANSPORT: True, ACCESS_POINT_ARN: None}
# A mount without TLS can use neither IAM nor an access point (both require TLS): it is anonymous.
_PLAIN_CLIENT = {SECURE_TRANSPORT: False, ACCESS_POINT_ARN: None, VIA_MOUNT_TARGET: True}


def _anonymous(fs: FileSystem, action: str, context: Mapping[str, Any]) -> Any:
    """Decision of the file system's own policy for an anonymous client."""
    return evaluate(fs.policy, action, file_system_target(fs), principal=ANONYMOUS, context=context).decision


@check("file_system_policy_public")
def file_system_policy_public(fs: FileSystem, model: Model) -> Iterator[Violation]:
    if not isinstance(fs.policy, list):
        return
    target = file_system_target(fs)
    public = [action for action in CLIENT_ACTIONS if _anonymous(fs, action, _TLS_CLIENT) is True]
    if not public:
        return
    related: list[Related] = []
    for statement in fs.policy:
        if statement.effect == "Allow" and any(
            statement_applies(statement, a, target, ANONYMOUS, _TLS_CLIENT) is True for a in public
        ):
            related.extend(_statement_related(statement, "Allow to principal * without a limiting condition"))
    # A policy given as a JSON string has no positions of its own: its statements sit on the policy.
    yield Violation({"actions": public}, related=[r for r in related if r.location != fs.at("policy")])


@check("policy_does_not_enforce_tls")
def policy_does_not_enforce_tls(fs: FileSystem, model: Model) -> Iterator[Violation]:
    if not isinstance(fs.policy, list):
        return
    if _anonymous(fs, CLIENT_MOUNT, _PLAIN_CLIENT) is True:
        yield Violation({})
