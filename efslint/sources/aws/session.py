"""boto3 clients for the scanner: read-only by construction, adaptive retries, calls counted.

Every client the scanner uses comes from :class:`ClientFactory`.  A ``before-call`` hook refuses
any operation that is not ``Describe*``, ``List*`` or ``Get*`` before a request is signed, so no
code path — ours or a future one — can write to the account.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from typing import Any

# Operation-name prefixes the scanner may call. Anything else is refused before it is sent.
READ_ONLY_PREFIXES = ("Describe", "List", "Get")
# IAM action prefix of each boto3 service name the scanner uses.
IAM_PREFIX = {"efs": "elasticfilesystem", "elasticfilesystem": "elasticfilesystem"}
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
# Enough for a bounded pool of workers sharing one client per service and Region.
MAX_POOL_CONNECTIONS = 16


class ScanError(Exception):
    """The scan cannot run at all (credentials, profile, Region, endpoint). One line, exit 2."""


class WriteRefused(Exception):
    """An operation outside the read-only allowlist was attempted (a bug, never a user error)."""


def refuse_writes(model: Any = None, **_: Any) -> None:
    """botocore ``before-call`` handler: let only Describe*/List*/Get* operations through."""
    name = getattr(model, "name", "")
    if not name.startswith(READ_ONLY_PREFIXES):
        raise WriteRefused(f"efslint scan is read-only and refuses to call {name}")


def check_region(region: str) -> None:
    if not _REGION.match(region):
        raise ScanError(f"invalid Region {region!r} (expected a Region code such as us-east-1)")


class ClientFactory:
    """One boto3 session; one client per (service, Region), created once and shared by threads.

    ``calls`` counts API calls by ``service:Operation`` (each page of a paginated call counts),
    which the benchmark compares against the minimum an ideal scanner needs.
    """

    def __init__(self, profile: str | None = None, endpoint_url: str | None = None) -> None:
        import boto3
        from botocore.exceptions import ProfileNotFound

        try:
            self.session = boto3.Session(profile_name=profile)
        except ProfileNotFound as exc:
            name = profile or exc.kwargs.get("profile", "")
            raise ScanError(f"AWS profile {name!r} not found in the AWS config files") from None
        self.endpoint_url = endpoint_url
        self.calls: Counter[str] = Counter()
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def default_region(self) -> str | None:
        return self.session.region_name

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        with self._lock:
            found = self._clients.get(key)
            if found is None:
                found = self._clients[key] = self._create(service, region)
            return found

    def _create(self, service: str, region: str) -> Any:
        from botocore.config import Config

        config = Config(
            retries={"mode": "adaptive", "max_attempts": 8},
            max_pool_connections=MAX_POOL_CONNECTIONS,
            connect_timeout=5,
            read_timeout=30,
            user_agent_extra="efslint-scan",
        )
        client = self.session.client(
            service, region_name=region, endpoint_url=self.endpoint_url, config=config
        )
        event_name = client.meta.service_model.service_id.hyphenize()
        client.meta.events.register_first(f"before-call.{event_name}.*", refuse_writes)
        client.meta.events.register(f"before-call.{event_name}.*", self._count)
        return client

    def _count(self, model: Any = None, **_: Any) -> None:
        action = iam_action(model.service_model.endpoint_prefix, model.name)
        with self._lock:
            self.calls[action] += 1


def iam_action(service: str, operation: str) -> str:
    return f"{IAM_PREFIX.get(service, service)}:{operation}"
