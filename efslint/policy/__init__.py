"""IAM policies: parsing policy documents and evaluating them for EFS client requests.

Front-ends call :func:`parse_policy` (file system policies, role policies) and
:func:`managed_policy_statements` (AWS-managed policy ARNs); checks call :func:`allows` /
:func:`evaluate` with targets built by :func:`file_system_target` and a request context from
:func:`mount_context`.
"""

from __future__ import annotations

from .arn import ArnTarget, entity_target, match_arn, match_resource, parse_arn
from .conditions import evaluate_conditions
from .efs import (
    ACCESS_POINT_ARN,
    CLIENT_ACTIONS,
    CLIENT_MOUNT,
    CLIENT_ROOT_ACCESS,
    CLIENT_WRITE,
    PRINCIPAL_ARN,
    SECURE_TRANSPORT,
    VIA_MOUNT_TARGET,
    access_point_target,
    file_system_target,
    mount_context,
    volume_file_system,
)
from .evaluate import (
    ANONYMOUS,
    Evaluation,
    Principal,
    allows,
    combine,
    evaluate,
    match_action,
    match_principal,
    statement_applies,
)
from .managed import MANAGED_POLICIES, managed_policy_name, managed_policy_statements
from .parse import parse_policy
from .principals import RoleIdentity, match_principal_arn, principal_arn_target, role_identity
from .tristate import Tri, all3, any3, not3

__all__ = [
    "ACCESS_POINT_ARN",
    "ANONYMOUS",
    "CLIENT_ACTIONS",
    "CLIENT_MOUNT",
    "CLIENT_ROOT_ACCESS",
    "CLIENT_WRITE",
    "MANAGED_POLICIES",
    "PRINCIPAL_ARN",
    "SECURE_TRANSPORT",
    "VIA_MOUNT_TARGET",
    "ArnTarget",
    "Evaluation",
    "Principal",
    "RoleIdentity",
    "Tri",
    "access_point_target",
    "all3",
    "allows",
    "any3",
    "combine",
    "entity_target",
    "evaluate",
    "evaluate_conditions",
    "file_system_target",
    "managed_policy_name",
    "managed_policy_statements",
    "match_action",
    "match_arn",
    "match_principal",
    "match_principal_arn",
    "match_resource",
    "mount_context",
    "not3",
    "parse_arn",
    "parse_policy",
    "principal_arn_target",
    "role_identity",
    "statement_applies",
    "volume_file_system",
]
