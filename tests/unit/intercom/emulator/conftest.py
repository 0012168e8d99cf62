"""Fixtures for the emulator's unit tests: an emulator with webhooks captured in memory."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from concierge.intercom.emulator import Emulator, EmulatorRequest, EmulatorResponse

SECRET = "unit-test-secret"
AUTH = {"Authorization": "Bearer test-token"}


@dataclass
class Captured:
    """Webhook POSTs the emulator made, as (headers, raw body)."""

    requests: list[httpx.Request] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        status = self.statuses.pop(0) if self.statuses else 200
        return httpx.Response(status)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(request.content) for request in self.requests]

    def topics(self) -> list[str]:
        return [body["topic"] for body in self.bodies()]


@pytest.fixture
def captured() -> Captured:
    return Captured()


@pytest.fixture
async def emulator(captured: Captured) -> AsyncIterator[Emulator]:
    instance = Emulator(
        client_secret=SECRET,
        webhook_url="http://receiver.test/webhooks",
        retry_delay=0.01,
        webhook_transport=httpx.MockTransport(captured.handler),
    )
    yield instance
    await instance.aclose()


async def call(
    emulator: Emulator,
    method: str,
    path: str,
    body: Any = None,
    *,
    auth: bool = True,
    raw: bytes | None = None,
    query: dict[str, str] | None = None,
) -> EmulatorResponse:
    """Send one request straight to ``Emulator.handle``."""
    content = raw if raw is not None else b"" if body is None else json.dumps(body).encode()
    request = EmulatorRequest(
        method=method, path=path, headers=AUTH if auth else {}, query=query or {}, body=content
    )
    return await emulator.handle(request)


async def say(emulator: Emulator, text: str, **extra: Any) -> dict[str, Any]:
    """A customer message through ``POST /_messages``; returns its 201 body."""
    response = await call(emulator, "POST", "/_messages", {"body": text, **extra}, auth=False)
    assert response.status == 201, response.body
    result: dict[str, Any] = response.body
    return result


def admin_reply(body: str = "Hello from the bot", admin_id: str = "9000001") -> dict[str, Any]:
    return {"message_type": "comment", "type": "admin", "admin_id": admin_id, "body": body}
