"""ARNs and the resources a request is about, matched against policy patterns.

A request's resource is an :class:`ArnTarget` whose parts may be Unknown: static inputs rarely know
the Region, the account or (for a resource the input creates) the id.  Matching is segment-wise, as
IAM does for ARNs ("each of the six colon-delimited components of the ARN is checked separately"),
so ``arn:aws:elasticfilesystem:*:*:file-system/*`` matches any file system whatever we do not know
about it, while ``.../file-system/fs-0123`` against an unknown id is Unknown.

Front-ends may put a model entity where a policy holds an ARN (``!GetAtt FileSystem.Arn``,
``aws_efs_file_system.x.arn``): a :class:`~efslint.model.FileSystem`, ``AccessPoint`` or ``Role``
stands for its own ARN and matches a target built from the same entity.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import AccessPoint, Entity, FileSystem, Maybe, PartlyKnown, Role, Unknown
from ..record import Record
from .tristate import Tri, all3


class _Own:
    """The partition, Region or account the input is deployed to: one fixed value we do not know."""

    __slots__ = ("segment",)

    def __init__(self, segment: str) -> None:
        self.segment = segment

    def __repr__(self) -> str:
        return f"<own {self.segment}>"


OWN_PARTITION = _Own("partition")
OWN_REGION = _Own("region")
OWN_ACCOUNT = _Own("account")
# How a pattern names the deployment's own values: CloudFormation pseudo parameters, left in place
# by `Fn::Sub`; front-ends write the same for equivalents (Terraform's aws_region data source, ...).
PLACEHOLDERS = {"partition": "${AWS::Partition}", "region": "${AWS::Region}", "account": "${AWS::AccountId}"}
_PARTITION = re.compile(r"^aws(-[a-z]+)*$")
# The partition may be the placeholder `${AWS::Partition}` (CloudFormation keeps it in `Fn::Sub`).
_ARN = re.compile(r"^arn:(\$\{AWS::Partition\}|[^:]*):([^:]*):([^:]*):([^:]*):(.*)$")
# The resource type an entity's ARN carries.
_ENTITY_TYPES: dict[type[Entity], tuple[str, str]] = {
    FileSystem: ("elasticfilesystem", "file-system"),
    AccessPoint: ("elasticfilesystem", "access-point"),
}


class ArnTarget(Record, frozen=True, eq=False):
    """A resource named by a request, e.g. ``arn:aws:elasticfilesystem:<region>:<acct>:file-system/<id>``."""

    service: str
    resource_type: str
    resource_id: Maybe[str]
    # Unless the input says otherwise, a resource is in the deployment's own partition, Region and
    # account (an ECS task mounts file systems of its own Region through their DNS names).
    partition: Maybe[str] | _Own = OWN_PARTITION
    region: Maybe[str] | _Own = OWN_REGION
    account: Maybe[str] | _Own = OWN_ACCOUNT
    # The model entity the target is, when there is one (links beat string comparison).
    entity: Entity | None = None

    @property
    def resource(self) -> Maybe[str]:
        if isinstance(self.resource_id, Unknown):
            return self.resource_id
        return f"{self.resource_type}/{self.resource_id}"

    def __str__(self) -> str:
        parts = (self.partition, self.service, self.region, self.account, self.resource)
        return "arn:" + ":".join(p if isinstance(p, str) else "?" for p in parts)

    @property
    def fully_known(self) -> bool:
        return all(isinstance(p, str) for p in (self.partition, self.region, self.account, self.resource))


def parse_arn(text: str) -> ArnTarget | None:
    """An ARN string as a fully known target; None when it is not an ARN."""
    match = _ARN.match(text)
    if not match:
        return None
    partition, service, region, account, resource = match.groups()
    rtype, _, rid = resource.partition("/")
    own: str | _Own = OWN_PARTITION if partition == PLACEHOLDERS["partition"] else partition
    return ArnTarget(service, rtype, rid, own, region, account)


def entity_target(entity: Entity) -> ArnTarget | None:
    """The target an entity's ARN denotes (file systems and access points; None for others)."""
    kind = _ENTITY_TYPES.get(type(entity))
    if kind is None:
        return None
    ident = getattr(entity, "id", None)
    # A live account names entities by ARN (the logical name), which says Region and account too.
    for text in (ident, entity.loc.logical_name):
        parsed = parse_arn(text) if isinstance(text, str) else None
        if parsed is None or (parsed.service, parsed.resource_type) != kind:
            continue
        if isinstance(ident, str) and not ident.startswith("arn:") and parsed.resource_id != ident:
            continue
        return ArnTarget(parsed.service, parsed.resource_type, parsed.resource_id, parsed.partition,
                         parsed.region, parsed.account, entity)  # fmt: skip
    rid: Maybe[str] = ident if isinstance(ident, str) else Unknown("id not known")
    return ArnTarget(kind[0], kind[1], rid, entity=entity)


@lru_cache(maxsize=512)
def _glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    # IAM wildcards: `*` any run of characters, `?` one character; everything else is literal.
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(f"^{body}$", re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def glob_match(pattern: str, value: str, *, wildcards: bool = True, ignore_case: bool = False) -> bool:
    if not wildcards:
        return pattern.lower() == value.lower() if ignore_case else pattern == value
    return bool(_glob(pattern, ignore_case).match(value))


def _only_stars(pattern: str) -> bool:
    return bool(pattern) and set(pattern) == {"*"}


def _segment(pattern: str, value: Maybe[str] | _Own, wildcards: bool, ignore_case: bool) -> Tri:
    if wildcards and _only_stars(pattern):
        return True
    if isinstance(value, _Own):
        if pattern == PLACEHOLDERS[value.segment]:
            return True
        if value.segment == "partition" and _PARTITION.match(pattern):
            # An input that writes a literal partition is deployed to that partition.
            return True
        return Unknown(f"the {value.segment} the input is deployed to is not known")
    if isinstance(value, Unknown):
        return value
    if pattern == PLACEHOLDERS["partition"] and _PARTITION.match(value):
        # A partition the input or the account names is the one it is deployed to.
        return True
    if "${" in pattern:
        return Unknown(f"placeholder in {pattern!r}")
    return glob_match(pattern, value, wildcards=wildcards, ignore_case=ignore_case)


def _resource_segment(pattern: str, target: ArnTarget, wildcards: bool, ignore_case: bool) -> Tri:
    resource = target.resource
    if "${" in pattern:
        prefix_matches = _resource_segment(pattern.split("${", 1)[0] + "*", target, True, ignore_case)
        return False if prefix_matches is False else Unknown(f"placeholder in {pattern!r}")
    if isinstance(resource, str):
        return glob_match(pattern, resource, wildcards=wildcards, ignore_case=ignore_case)
    prefix = f"{target.resource_type}/"
    any_id = pattern.startswith(prefix) and _only_stars(pattern[len(prefix) :])
    if wildcards and (_only_stars(pattern) or any_id):
        return True
    # The literal part before the first wildcard must agree with "<type>/" for any id to match.
    literal = re.split(r"[*?]", pattern, maxsplit=1)[0] if wildcards else pattern
    a, b = (literal.lower(), prefix.lower()) if ignore_case else (literal, prefix)
    if not (a.startswith(b) or b.startswith(a)):
        return False
    if not wildcards and len(a) <= len(b):
        return False  # "<type>/" exactly or shorter: no id at all
    return resource


def _split_segments(pattern: str) -> list[str]:
    """Split at the first five colons that are not inside a ``${...}`` placeholder."""
    parts: list[str] = []
    start, depth, i = 0, 0, 0
    while i < len(pattern) and len(parts) < 5:
        if pattern.startswith("${", i):
            depth += 1
            i += 2
            continue
        char = pattern[i]
        if char == "}" and depth:
            depth -= 1
        elif char == ":" and not depth:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def match_arn(pattern: str, target: ArnTarget, *, wildcards: bool = True, ignore_case: bool = False) -> Tri:
    """Whether a pattern (IAM ``Resource`` or a condition value) matches the target."""
    if wildcards and _only_stars(pattern):
        return True
    parts = _split_segments(pattern)
    if len(parts) != 6:
        # Fewer segments: only a wildcard spanning colons could match; decide on a full string only.
        if not wildcards:
            return False
        if not target.fully_known:
            return Unknown("resource ARN not fully known")
        return glob_match(pattern, str(target), ignore_case=ignore_case)
    head, partition, service, region, account, resource = parts
    return all3(
        (
            glob_match(head, "arn", wildcards=wildcards, ignore_case=True),
            _segment(service, target.service, wildcards, True),
            _segment(partition, target.partition, wildcards, ignore_case),
            _segment(region, target.region, wildcards, ignore_case),
            _segment(account, target.account, wildcards, ignore_case),
            _resource_segment(resource, target, wildcards, ignore_case),
        )
    )


def match_entity(entity: Entity, target: ArnTarget) -> Tri:
    """An entity standing for its ARN, against a target."""
    if target.entity is entity:
        return True
    own = entity_target(entity)
    if own is None:
        if isinstance(entity, Role):
            return _match_role(entity, target)
        return Unknown(f"cannot compare a {entity.kind} with {target}")
    if (own.service, own.resource_type) != (target.service, target.resource_type):
        return False
    if isinstance(own.resource_id, str) and isinstance(target.resource_id, str):
        return own.resource_id == target.resource_id
    return Unknown("resource id not known")


def _match_role(role: Role, target: ArnTarget) -> Tri:
    """A role entity (``!GetAtt Role.Arn``) against a role ARN target (``aws:PrincipalArn``)."""
    if (target.service, target.resource_type) != ("iam", "role"):
        return Unknown("a role is not this kind of resource")
    other = target.entity.name if isinstance(target.entity, Role) else None
    if other is None and isinstance(target.resource_id, str):
        other = target.resource_id.rsplit("/", 1)[-1]
    # Role names are unique in an account, whatever the case: another name is another role.
    if isinstance(role.name, str) and isinstance(other, str) and role.name.lower() != other.lower():
        return False
    return Unknown("role ARN not known")


def match_resource(pattern: object, target: ArnTarget | Unknown) -> Tri:
    """A ``Resource`` element item (string, entity or Unknown) against a request's resource."""
    if isinstance(target, Unknown):
        if isinstance(pattern, str) and _only_stars(pattern):
            return True
        return target
    if isinstance(pattern, PartlyKnown):
        # `arn:${AWS::Partition}:elasticfilesystem:...`: placeholders compare segment-wise.
        return match_arn(pattern.template, target)
    if isinstance(pattern, Unknown):
        return pattern
    if isinstance(pattern, Entity):
        return match_entity(pattern, target)
    if isinstance(pattern, str):
        return match_arn(pattern, target)
    return Unknown(f"resource {pattern!r} is not a string")
