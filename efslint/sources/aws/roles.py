"""Task roles' policy documents (IAM is global: each role and managed policy is read once)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .reader import NotFound, Reader

AFFECTS = "the task role's EFS permissions (EFS401)"


@dataclass
class RoleData:
    # Inline and attached managed policy documents; None when any of them could not be read.
    documents: list[Any] | None


def _document(value: Any) -> Any:
    # IAM returns policy documents URL-encoded when they come as strings.
    return unquote(value) if isinstance(value, str) else value


class RoleReader:
    def __init__(self, reader: Reader, region: str) -> None:
        self.reader = reader
        self.region = region
        self._managed: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._policy_locks: dict[str, threading.Lock] = {}

    def jobs(self, arns: list[str], into: dict[str, RoleData]) -> list[Callable[[], None]]:
        def read(arn: str) -> None:
            into[arn] = self.read_role(arn)

        return [lambda a=a: read(a) for a in sorted(set(arns))]

    def read_role(self, arn: str) -> RoleData:
        name = arn.rsplit("/", 1)[-1]
        call, pages, region = self.reader.call, self.reader.pages, self.region
        inline = pages(
            "iam", region, "ListRolePolicies", "PolicyNames", RoleName=name, affects=AFFECTS, resource=arn,
            not_found=("NoSuchEntity",),
        )  # fmt: skip
        attached = pages(
            "iam", region, "ListAttachedRolePolicies", "AttachedPolicies", RoleName=name, affects=AFFECTS,
            resource=arn, not_found=("NoSuchEntity",),
        )  # fmt: skip
        if not isinstance(inline, list) or not isinstance(attached, list):
            return RoleData(None)
        documents: list[Any] = []
        for policy_name in inline:
            found = call(
                "iam", region, "GetRolePolicy", RoleName=name, PolicyName=policy_name, affects=AFFECTS,
                resource=arn,
            )  # fmt: skip
            if not isinstance(found, dict):
                return RoleData(None)
            documents.append(_document(found.get("PolicyDocument")))
        for policy in attached:
            document = self.managed(policy["PolicyArn"])
            if document is None:
                return RoleData(None)
            documents.append(document)
        return RoleData(documents)

    def managed(self, arn: str) -> Any:
        """The default version's document of a managed policy, read once per scan."""
        with self._lock:
            lock = self._policy_locks.setdefault(arn, threading.Lock())
        with lock:
            if arn in self._managed:
                return self._managed[arn]
            document = None
            found = self.reader.call(
                "iam", self.region, "GetPolicy", PolicyArn=arn, affects=AFFECTS, resource=arn
            )
            if isinstance(found, dict) and not isinstance(found, NotFound):
                version = found["Policy"].get("DefaultVersionId")
                got = self.reader.call(
                    "iam", self.region, "GetPolicyVersion", PolicyArn=arn, VersionId=version, affects=AFFECTS,
                    resource=arn,
                )  # fmt: skip
                if isinstance(got, dict):
                    document = _document(got["PolicyVersion"].get("Document"))
            self._managed[arn] = document
            return document
