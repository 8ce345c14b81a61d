"""IAM evaluation over parsed statements, in three-valued logic.

Semantics (IAM policy evaluation logic, single account): a request is allowed when some Allow
statement applies and no Deny statement applies; an explicit Deny always wins.  A statement
applies when its action, resource, principal and every condition match.  Whatever the input does
not determine makes the answer Unknown — never a silent yes or no.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..model import Entity, PartlyKnown, PolicyStatement, Role, Unknown
from ..record import Record
from .arn import ArnTarget, glob_match, match_resource
from .conditions import evaluate_conditions
from .principals import match_principal_arn, role_identity, roles_differ
from .tristate import Tri, all3, any3, not3

# An account principal: the id alone, or its root ARN in any partition (aws, aws-cn, aws-us-gov).
_ACCOUNT_ROOT = re.compile(r"^(?:arn:aws[-a-z]*:iam::)?(\d{12})(?::root)?$")
# The same with placeholders for the partition or the account (``${AWS::AccountId}``).
_PLACEHOLDER_ROOT = re.compile(r"^(?:arn:(?:[^:$]*|\$\{[^}]*\}):iam::)?(\d{12}|\$\{[^}]*\})(?::root)?$")
_ARN_ACCOUNT = re.compile(r"^arn:(?:\$\{AWS::Partition\}|[^:]*):[^:]*:[^:]*:(\d{12}):")


class _Anonymous:
    """A client that presents no identity (an EFS mount without ``iam``)."""

    _instance: _Anonymous | None = None

    def __new__(cls) -> _Anonymous:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ANONYMOUS"


ANONYMOUS = _Anonymous()
# Who makes the request: anonymous, a role entity, an ARN string, or Unknown.
Principal = _Anonymous | Role | str | Unknown


class Evaluation(Record, frozen=True):
    """What a set of statements says about one request."""

    allowed: Tri  # some Allow statement applies
    denied: Tri  # some Deny statement applies

    @property
    def decision(self) -> Tri:
        """True: allowed; False: implicitly or explicitly denied; Unknown: cannot tell."""
        if self.denied is True or self.allowed is False:
            return False
        if self.allowed is True and self.denied is False:
            return True
        return Unknown("policy evaluation depends on values not known statically")


UNKNOWN_EVALUATION = Evaluation(Unknown("policy not known"), Unknown("policy not known"))
NOTHING = Evaluation(False, False)


def combine(*evaluations: Evaluation) -> Evaluation:
    """Identity and resource policy together: either may allow, either may deny."""
    return Evaluation(any3(e.allowed for e in evaluations), any3(e.denied for e in evaluations))


def match_action(pattern: object, action: str) -> Tri:
    if isinstance(pattern, Unknown):
        return pattern
    if not isinstance(pattern, str):
        return Unknown(f"action {pattern!r} is not a string")
    return glob_match(pattern, action, ignore_case=True)


def _match_list(items: Any, match: Any) -> Tri:
    if isinstance(items, Unknown):
        return items
    return any3(match(item) for item in items)


def _account_of(principal: Principal) -> str | Unknown:
    arn = principal.arn if isinstance(principal, Role) else principal
    if isinstance(arn, str):
        found = _ARN_ACCOUNT.match(arn)
        if found:
            return found.group(1)
    return Unknown("account of the principal not known")


def match_principal(item: object, principal: Principal, effect: str) -> Tri:
    """One ``Principal`` element item against the requester."""
    if isinstance(item, str) and item == "*":
        return True
    if isinstance(principal, Unknown):
        return principal
    if isinstance(item, PartlyKnown):
        return _match_partly_known(item.template, principal, effect)
    if isinstance(item, str) and "${" in item:
        return _match_partly_known(item, principal, effect)  # `arn:${AWS::Partition}:iam::...`
    if isinstance(item, Unknown):
        return item
    if principal is ANONYMOUS:
        return False
    if isinstance(item, Entity):
        if item is principal:
            return True
        theirs = getattr(item, "arn", None)
        mine = principal.arn if isinstance(principal, Role) else principal
        if isinstance(theirs, str) and isinstance(mine, str):
            return theirs == mine
        if isinstance(item, Role) and roles_differ(role_identity(item), role_identity(principal)):
            return False  # role names are unique in an account: another name is another role
        return Unknown("principal ARN not known")
    if not isinstance(item, str):
        return False
    account = _ACCOUNT_ROOT.match(item)
    if account:
        # An account principal delegates to the account's identity policies; whether that alone lets
        # a role of the same account mount is not something a linter should decide. A Deny on the
        # account covers every principal in it.
        mine = _account_of(principal)
        if effect == "Allow":
            return (
                False if isinstance(mine, str) and mine != account.group(1) else Unknown("account principal")
            )
        return mine if isinstance(mine, Unknown) else mine == account.group(1)
    if ":" in item and not item.startswith("arn:"):
        return False  # Service:, Federated:, CanonicalUser: principals
    mine = principal.arn if isinstance(principal, Role) else principal
    if not isinstance(mine, str) or "${" in mine:
        # The role's ARN is not known, but its name may be: another role name is another role.
        identity = role_identity(principal)
        return match_principal_arn(item, identity) if identity is not None else Unknown("role ARN not known")
    if item == mine:
        return True
    if item.lower() == mine.lower():
        return Unknown("principal differs from the role ARN only in case")
    return False


def _match_partly_known(template: str, principal: Principal, effect: str) -> Tri:
    """A principal with ``${...}`` placeholders (``arn:aws:iam::${AWS::AccountId}:role/x``)."""
    if principal is ANONYMOUS:
        return False
    root = _PLACEHOLDER_ROOT.match(template)
    if root:
        if root.group(1).isdigit():
            return match_principal(root.group(1), principal, effect)  # a known account, any partition
        # An account we cannot name: for a Deny it may be the role's; an Allow delegates to it.
        return Unknown("account principal of an account not known statically")
    if ":" in template and not template.startswith(("arn:", "${")):
        return False  # Service:, Federated:, CanonicalUser: principals
    identity = role_identity(principal)
    if identity is None:
        return Unknown("who mounts is not known")
    return match_principal_arn(template, identity)


def statement_applies(
    statement: PolicyStatement,
    action: str,
    resource: ArnTarget | Unknown,
    principal: Principal | None,
    context: Mapping[str, Any],
) -> Tri:
    """Whether the statement covers the request (its effect aside)."""
    effect = statement.effect if isinstance(statement.effect, str) else "Deny"
    checks: list[Tri] = []
    if statement.actions is not None:
        checks.append(_match_list(statement.actions, lambda p: match_action(p, action)))
    elif statement.not_actions is not None:
        checks.append(not3(_match_list(statement.not_actions, lambda p: match_action(p, action))))
    else:
        checks.append(Unknown("statement without Action"))
    if checks[-1] is False:
        return False
    if statement.resources is not None:
        checks.append(_match_list(statement.resources, lambda p: match_resource(p, resource)))
    elif statement.not_resources is not None:
        checks.append(not3(_match_list(statement.not_resources, lambda p: match_resource(p, resource))))
    elif statement.principals is None and statement.not_principals is None:
        checks.append(Unknown("identity statement without Resource"))
    # A resource policy statement without Resource is about the resource it is attached to.
    if checks[-1] is False:
        return False
    if principal is not None:
        if statement.principals is not None:
            checks.append(_match_list(statement.principals, lambda p: match_principal(p, principal, effect)))
        elif statement.not_principals is not None:
            checks.append(
                not3(_match_list(statement.not_principals, lambda p: match_principal(p, principal, "Deny")))
            )
        if checks[-1] is False:
            return False
    checks.append(evaluate_conditions(statement.conditions, context))
    return all3(checks)


def evaluate(
    statements: Iterable[PolicyStatement] | Unknown | None,
    action: str,
    resource: ArnTarget | Unknown,
    *,
    principal: Principal | None = None,
    context: Mapping[str, Any] | None = None,
) -> Evaluation:
    """Which Allow and Deny statements cover the request.

    ``principal`` is checked against the statements' ``Principal`` (resource policies); leave it
    None for identity policies.  ``context`` maps lower-case condition keys to request values
    (see :mod:`efslint.policy.conditions`); keys it lacks are Unknown.
    """
    if isinstance(statements, Unknown):
        return UNKNOWN_EVALUATION
    if statements is None:
        return NOTHING
    ctx = context or {}
    allowed: list[Tri] = []
    denied: list[Tri] = []
    for statement in statements:
        applies = statement_applies(statement, action, resource, principal, ctx)
        if applies is False:
            continue
        if statement.effect == "Allow":
            allowed.append(applies)
        elif statement.effect == "Deny":
            denied.append(applies)
        else:
            unknown = Unknown("statement effect not known")
            allowed.append(unknown)
            denied.append(unknown)
    return Evaluation(any3(allowed), any3(denied))


def allows(
    statements: Iterable[PolicyStatement] | Unknown | None,
    action: str,
    resource: ArnTarget | Unknown,
    *,
    principal: Principal | None = None,
    context: Mapping[str, Any] | None = None,
) -> Tri:
    """True when the statements allow the request, False when they do not, Unknown when unsure."""
    return evaluate(statements, action, resource, principal=principal, context=context).decision
