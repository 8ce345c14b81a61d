"""AWS-managed policies whose effect on EFS clients is known, as statements.

Front-ends turn an attached AWS-managed policy ARN into statements with
:func:`managed_policy_statements`; a managed policy not in this table is unreadable for a linter,
so the role's ``statements_known`` must become False.
"""

from __future__ import annotations

import re

from ..model import Location, PartlyKnown, PolicyStatement
from .efs import CLIENT_MOUNT, CLIENT_ROOT_ACCESS, CLIENT_WRITE

# Name → the actions it allows on every resource ("Resource": "*"), per the AWS managed-policy
# reference.  Only what EFS checks need: other actions in these policies are irrelevant here.
MANAGED_POLICIES: dict[str, tuple[str, ...]] = {
    "AmazonElasticFileSystemClientReadOnlyAccess": (CLIENT_MOUNT,),
    "AmazonElasticFileSystemClientReadWriteAccess": (CLIENT_MOUNT, CLIENT_WRITE),
    "AmazonElasticFileSystemClientFullAccess": (CLIENT_MOUNT, CLIENT_WRITE, CLIENT_ROOT_ACCESS),
    "AdministratorAccess": ("*",),
}

# Any partition (aws, aws-cn, aws-us-gov, ...), or the deployment's own one as a placeholder.
_MANAGED_ARN = re.compile(
    r"^arn:(?:aws[-a-z]*|\$\{AWS::Partition\}):iam::aws:policy/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)$"
)


def managed_policy_name(arn: object) -> str | None:
    """The name of an AWS-managed policy ARN (``arn:aws:iam::aws:policy/...``), else None."""
    if isinstance(arn, PartlyKnown):
        arn = arn.template
    if not isinstance(arn, str):
        return None
    match = _MANAGED_ARN.match(arn)
    return match.group(1) if match else None


def managed_policy_statements(arn: object, loc: Location) -> list[PolicyStatement] | None:
    """Statements of a known AWS-managed policy; None when the policy is not in the table."""
    name = managed_policy_name(arn)
    actions = MANAGED_POLICIES.get(name) if name else None
    if actions is None:
        return None
    return [PolicyStatement(effect="Allow", actions=list(actions), resources=["*"], loc=loc)]
