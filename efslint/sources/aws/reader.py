"""Calling the AWS APIs: errors sorted into "not found", "not checked" and "cannot scan at all".

A denied or throttled call never raises out of :class:`Reader`: it is recorded as a :class:`Gap`
(reported as EFS904, naming the IAM action) and the caller gets ``None``, which the mapping turns
into Unknown values so that no rule passes or fails on data that was never read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from .session import ClientFactory, ScanError, iam_action

T = TypeVar("T")
R = TypeVar("R")

DENIED = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "Client.UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthorizationError",
}
THROTTLED = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "RequestThrottled",
    "SlowDown",
}
# The credentials themselves are rejected: nothing can be read, so the scan stops (exit 2).
BAD_CREDENTIALS = {
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "AuthFailure",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidAccessKeyId",
}


class NotFound:
    """The resource asked for does not exist (distinct from "could not ask")."""

    def __repr__(self) -> str:
        return "NOT_FOUND"


NOT_FOUND = NotFound()


@dataclass(frozen=True)
class Gap:
    """One read that did not happen."""

    region: str
    action: str
    error: str
    resource: str
    affects: str


class Reader:
    """Calls, pages and fans out API reads for one scan; collects the gaps."""

    def __init__(self, factory: ClientFactory, workers: int = 8, concurrent: bool = True) -> None:
        self.factory = factory
        self.gaps: list[Gap] = []
        self.concurrent = concurrent and workers > 1
        self._pool = ThreadPoolExecutor(max_workers=workers) if self.concurrent else None
        self._lock = threading.Lock()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    # ----------------------------------------------------------------------------------------

    def call(
        self,
        service: str,
        region: str,
        operation: str,
        *,
        affects: str,
        resource: str = "",
        not_found: Sequence[str] = (),
        **params: Any,
    ) -> dict[str, Any] | NotFound | None:
        from botocore import xform_name

        client = self.factory.client(service, region)
        return self._guard(
            lambda: getattr(client, xform_name(operation))(**params),
            service,
            region,
            operation,
            affects,
            resource,
            not_found,
        )

    def pages(
        self,
        service: str,
        region: str,
        operation: str,
        key: str,
        *,
        affects: str,
        resource: str = "",
        not_found: Sequence[str] = (),
        page_size: int | None = None,
        **params: Any,
    ) -> list[Any] | NotFound | None:
        """All items under ``key`` across every page; None when any page could not be read."""
        from botocore import xform_name

        client = self.factory.client(service, region)
        method = xform_name(operation)

        def read_all() -> list[Any]:
            items: list[Any] = []
            config = {"PageSize": page_size} if page_size else {}
            for page in client.get_paginator(method).paginate(**params, PaginationConfig=config):
                items.extend(page.get(key, []))
            return items

        return self._guard(read_all, service, region, operation, affects, resource, not_found)

    def map(self, func: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """Apply ``func`` to every item, concurrently on the bounded pool (order kept)."""
        items = list(items)
        if self._pool is None or len(items) < 2:
            return [func(item) for item in items]
        return list(self._pool.map(func, items))

    # ----------------------------------------------------------------------------------------

    def _guard(
        self,
        read: Callable[[], Any],
        service: str,
        region: str,
        operation: str,
        affects: str,
        resource: str,
        not_found: Sequence[str],
    ) -> Any:
        from botocore.exceptions import (
            BotoCoreError,
            ClientError,
            EndpointConnectionError,
            NoCredentialsError,
            NoRegionError,
            PartialCredentialsError,
        )

        action = iam_action(service, operation)
        try:
            return read()
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", "Unknown"))
            if code in not_found:
                return NOT_FOUND
            if code in BAD_CREDENTIALS:
                raise ScanError(
                    f"AWS rejected the credentials ({code}) when calling {action} in {region}"
                ) from None
            # Denied and throttled reads are the expected gaps; any other refusal (an unexpected
            # validation error, a service not offered in the Region) is a gap too, never a crash.
            self._record(Gap(region, action, code, resource, affects))
            return None
        except (NoCredentialsError, PartialCredentialsError):
            raise ScanError(
                "no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                "or pass --profile)"
            ) from None
        except NoRegionError:
            raise ScanError("no AWS Region configured (pass --region or set AWS_REGION)") from None
        except EndpointConnectionError as exc:
            raise ScanError(f"cannot reach the AWS endpoint {exc.kwargs.get('endpoint_url', '')}") from None
        except BotoCoreError as exc:
            self._record(Gap(region, action, type(exc).__name__, resource, affects))
            return None

    def forget(self, region: str, action: str) -> None:
        """Drop the gaps of ``action`` in ``region`` once another read covered for them."""
        with self._lock:
            self.gaps = [g for g in self.gaps if (g.region, g.action) != (region, action)]

    def _record(self, gap: Gap) -> None:
        with self._lock:
            self.gaps.append(gap)


def chunks(items: Sequence[T], size: int) -> list[list[T]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]
