"""A moto server on 127.0.0.1 (real HTTP) and helpers to run `efslint scan` against it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

pytest.importorskip("moto.server")

from click.testing import CliRunner

from efslint.cli.commands import cli
from efslint.sources.aws import session as aws_session

from .seed import Account

# Dummy credentials: the scanner must never print them.
ACCESS_KEY = "AKIAEFSLINTTESTKEY01"
SECRET_KEY = "efslint/secret/never-printed"


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def account(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> Account:
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")).read()
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/efslint-test-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/efslint-test-credentials")
    return Account(moto_url)


@dataclass
class ScanRun:
    exit_code: int
    output: str
    stderr: str
    report: dict[str, Any] | None

    @property
    def findings(self) -> list[dict[str, Any]]:
        return list((self.report or {}).get("findings", []))

    def rules(self) -> set[str]:
        return {f["rule"] for f in self.findings}

    def of(self, rule: str) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["rule"] == rule]


def run_scan(account: Account, *args: str, fmt: str = "json") -> ScanRun:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["scan", "--endpoint-url", account.endpoint, "--region", account.region, "--format", fmt, *args]
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    stdout = result.stdout
    report = json.loads(stdout) if fmt == "json" and stdout.strip().startswith("{") else None
    return ScanRun(result.exit_code, stdout, result.stderr, report)


class _Response:
    def __init__(self, status: int) -> None:
        self.status_code = status
        self.headers: dict[str, str] = {}


def refuse(monkeypatch: pytest.MonkeyPatch, operations: dict[str, str]) -> None:
    """Answer ``operations`` (name -> error code) with that error instead of calling moto."""
    original = aws_session.ClientFactory._create

    def create(self: aws_session.ClientFactory, service: str, region: str) -> Any:
        client = original(self, service, region)

        def answer(model: Any = None, **_: Any) -> Any:
            code = operations.get(model.name)
            if code is None:
                return None
            status = 400 if code.startswith("Throttl") else 403
            return _Response(status), {
                "Error": {"Code": code, "Message": "injected by the test"},
                "ResponseMetadata": {"HTTPStatusCode": status},
            }

        client.meta.events.register(
            f"before-call.{client.meta.service_model.service_id.hyphenize()}.*", answer
        )
        return client

    monkeypatch.setattr(aws_session.ClientFactory, "_create", create)


def rewrite(monkeypatch: pytest.MonkeyPatch, operation: str, change: Any) -> None:
    """Edit the parsed response of ``operation`` (for values moto refuses to store, e.g. EXTERNAL)."""
    original = aws_session.ClientFactory._create

    def create(self: aws_session.ClientFactory, service: str, region: str) -> Any:
        client = original(self, service, region)

        def edit(parsed: Any = None, model: Any = None, **_: Any) -> None:
            if model.name == operation and isinstance(parsed, dict):
                change(parsed)

        client.meta.events.register(f"after-call.{client.meta.service_model.service_id.hyphenize()}.*", edit)
        return client

    monkeypatch.setattr(aws_session.ClientFactory, "_create", create)
