"""Who a requester is, and whether a policy's ``Principal`` (or an ``aws:PrincipalArn`` condition)
names it, in three-valued logic.

An ECS task calls EFS with its task role. What a static input knows of that role is its
:class:`RoleIdentity`: partition, account, path and name, each a value, Unknown, or "the
deployment's own" (a role the input creates lives in the account and partition it is deployed to).

The one inference this module adds (AWS IAM User Guide, "IAM identifiers" and "IAM object quotas":
role names are unique within an account, whatever their path and case): a principal ARN
``arn:<partition>:iam::<account>:role/<path><name>`` whose name differs from the role's known name
is another role in **every** account, so it provably does not name the task role even when neither
account is known. Equal names with unknown or different paths, case-only differences, wildcards and
placeholders that could match all stay Unknown: a wildcard inside a principal ARN is not matched by
IAM ("You cannot use a wildcard to match part of a principal name or ARN", IAM User Guide,
"AWS JSON policy elements: Principal"), so it may match nothing, but claiming that is not needed.
"""

from __future__ import annotations

import re

from ..model import Entity, Maybe, PartlyKnown, Role, Unknown
from ..record import Record
from .arn import OWN_ACCOUNT, OWN_PARTITION, ArnTarget, _Own, _segment, _split_segments
from .tristate import Tri, all3

# Resource types of principal ARNs that are never an IAM role (or a session of one).
# (``:root`` is the account principal, handled by the caller.)
_NOT_ROLES = {"user", "group", "federated-user", "oidc-provider", "saml-provider", "instance-profile"}


class RoleIdentity(Record, frozen=True):
    """What is known of a role: each part a value, Unknown, or the deployment's own."""

    partition: Maybe[str] | _Own
    account: Maybe[str] | _Own
    path: Maybe[str]  # "/" or "/a/b/"
    name: Maybe[str]


def _text(value: object) -> str | None:
    """A string, or the template of a partly known one (``${...}`` placeholders); else None."""
    if isinstance(value, PartlyKnown):
        return value.template
    return value if isinstance(value, str) else None


def parse_role_arn(text: str) -> RoleIdentity | None:
    """``arn:<p>:iam::<a>:role/<path>/<name>`` as an identity; None for anything else."""
    parts = _split_segments(text)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "iam" or not parts[5].startswith("role/"):
        return None
    rest = parts[5][len("role/") :]
    path, _, name = rest.rpartition("/")

    def known(segment: str, own: _Own) -> Maybe[str] | _Own:
        if "${" not in segment:
            return segment
        return (
            own
            if segment == f"${{AWS::{'AccountId' if own is OWN_ACCOUNT else 'Partition'}}}"
            else Unknown(segment)
        )

    return RoleIdentity(
        partition=known(parts[1], OWN_PARTITION),
        account=known(parts[4], OWN_ACCOUNT),
        path=f"/{path}/" if path and "${" not in path else "/" if not path else Unknown("path not known"),
        name=name if name and "${" not in name else Unknown("role name not known"),
    )


def role_identity(principal: object) -> RoleIdentity | None:
    """The identity of a requester: a role entity, or a role ARN (string or partly known)."""
    if isinstance(principal, Role):
        parsed = parse_role_arn(_text(principal.arn) or "")
        if parsed is not None:
            return parsed
        # A role the input defines (its ARN not known yet) is deployed to the input's account.
        name = principal.name if principal.name is not None else Unknown("role name not known")
        path = principal.path if principal.path is not None else Unknown("role path not known")
        return RoleIdentity(OWN_PARTITION, OWN_ACCOUNT, path, name)
    text = _text(principal)
    return parse_role_arn(text) if text is not None else None


def _is_literal(text: str) -> bool:
    return not any(c in text for c in "*?") and "${" not in text


def _could_be_named(rest: str, name: str) -> bool:
    """Whether some reading of ``<path><name>`` (wildcards and placeholders standing for any text,
    even with slashes; any path) ends in a role of this name, case ignored (names are unique in an
    account regardless of case)."""
    last = rest.rsplit("/", 1)[-1]  # after the last literal slash: the name, or its tail
    if _is_literal(last):
        return last.lower() == name.lower()
    suffix = re.split(r"\$\{[^}]*\}|[*?]", last)[-1]
    return name.lower().endswith(suffix.lower())


def _names_role(rest: str, identity: RoleIdentity) -> Tri:
    """Whether ``<path><name>`` of a principal (``rest``, after ``role/``) names the role."""
    name = identity.name
    if not isinstance(name, str):
        return Unknown("role name not known")
    if not _could_be_named(rest, name):
        return False  # another name: another role, in every account
    path = identity.path
    if isinstance(path, str) and _is_literal(rest) and rest == path.lstrip("/") + name:
        return True
    return Unknown("principal may name the role (path, case, wildcard or placeholder)")


def match_principal_arn(pattern: str, identity: RoleIdentity) -> Tri:
    """A principal ARN (possibly with placeholders) against a role's identity."""
    parts = _split_segments(pattern)
    if len(parts) != 6:
        return Unknown(f"principal {pattern!r} is not an ARN")
    head, partition, service, _region, account, resource = parts
    if head != "arn" or "${" in service:
        return Unknown(f"principal {pattern!r} is not an ARN")
    kind, _, rest = resource.partition("/")
    if "${" in kind or not _is_literal(kind):
        return Unknown(f"principal {pattern!r} has a computed resource type")
    if service == "iam" and kind == "role":
        names = _names_role(rest, identity)
    elif service == "sts" and kind == "assumed-role":
        # arn:...:sts::<account>:assumed-role/<name>/<session>: one session of the role named.
        role_name = rest.split("/", 1)[0]
        mine = identity.name
        names = (
            False if isinstance(mine, str) and not _could_be_named(role_name, mine) else Unknown("a session")
        )
    elif (service == "iam" and kind in _NOT_ROLES) or service not in ("iam", "sts"):
        return False
    else:
        return Unknown(f"principal {pattern!r} is not understood")
    if names is False:
        return False
    return all3(
        (names, _exact_segment(partition, identity.partition), _exact_segment(account, identity.account))
    )


def _exact_segment(pattern: str, value: Maybe[str] | _Own) -> Tri:
    # A wildcard here is not matched by IAM, nor provably unmatched: Unknown either way.
    if not _is_literal(pattern.replace("${AWS::AccountId}", "").replace("${AWS::Partition}", "")):
        return Unknown(f"{pattern!r} in a principal ARN")
    return _segment(pattern, value, False, False)


def principal_arn_target(principal: object) -> ArnTarget | Unknown:
    """The requester as the value of ``aws:PrincipalArn`` (the role's ARN, however much is known)."""
    identity = role_identity(principal)
    if identity is None:
        return Unknown("the requester's ARN is not known")
    if isinstance(identity.name, str) and isinstance(identity.path, str):
        rid: Maybe[str] = identity.path.lstrip("/") + identity.name
    else:
        rid = Unknown("role name or path not known")
    entity = principal if isinstance(principal, Entity) else None
    return ArnTarget("iam", "role", rid, identity.partition, "", identity.account, entity)


def roles_differ(a: RoleIdentity | None, b: RoleIdentity | None) -> bool:
    """Two roles with known names that differ (even ignoring case) are different roles, whatever
    their accounts: each account's role names are unique regardless of case."""
    if a is None or b is None or not isinstance(a.name, str) or not isinstance(b.name, str):
        return False
    return a.name.lower() != b.name.lower()
