"""A scripted stand-in for api.intercom.io behind ``httpx.MockTransport``, plus a fake clock.

Each route answers from a queue of responses or exceptions; the last entry repeats. Every
request is recorded (method, path, headers, decoded JSON body) for assertions. Sample
resources follow the 2.14 response schemas (ids as Intercom sends them, sometimes ints).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from concierge.intercom.client import IntercomClient

BASE_URL = "https://api.intercom.io"
TOKEN = "dG9rOnNlY3JldC10b2tlbi12YWx1ZQ=="
NOW = 1_726_425_600.0
BOT = "9000001"

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


@dataclass(frozen=True)
class Recorded:
    """One request the client sent."""

    method: str
    path: str
    headers: httpx.Headers
    params: dict[str, str]
    body: Any


@dataclass
class FakeApi:
    """Routes ``(METHOD, path)`` to queued replies; unknown routes answer 404 error.list."""

    prefix: str = ""
    routes: dict[tuple[str, str], list[Reply]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)

    def on(self, method: str, path: str, *replies: Reply) -> None:
        """Queue replies for a route (the last one repeats)."""
        self.routes[(method, self.prefix + path)] = list(replies)

    def handler(self, request: httpx.Request) -> httpx.Response:
        """The MockTransport handler."""
        self.requests.append(_record(request))
        queue = self.routes.get((request.method, _raw_path(request)))
        if not queue:
            return error_response(404, "not_found", "Resource Not Found")
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, httpx.Response):
            return reply
        return reply(request)

    def sent(self, method: str | None = None) -> list[Recorded]:
        """The recorded requests, optionally only those with one method."""
        return [r for r in self.requests if method is None or r.method == method]


def _raw_path(request: httpx.Request) -> str:
    """The path as sent (still percent-encoded), without the query."""
    return request.url.raw_path.decode("ascii").partition("?")[0]


def _record(request: httpx.Request) -> Recorded:
    content = request.content
    return Recorded(
        method=request.method,
        path=_raw_path(request),
        headers=request.headers,
        params=dict(request.url.params),
        body=json.loads(content) if content else None,
    )


@dataclass
class FakeTime:
    """A clock that only moves when the client sleeps; records every sleep."""

    now: float = NOW
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        """The current fake time."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Record the delay and advance the clock, without sleeping."""
        self.sleeps.append(seconds)
        self.now += seconds


class MaxJitter(random.Random):
    """Jitter that always picks the top of the range, so delays are deterministic."""

    def random(self) -> float:
        """Always 1.0, so ``uniform(a, b)`` returns ``b``."""
        return 1.0


def make_client(
    api: FakeApi,
    time: FakeTime,
    *,
    base_url: str = BASE_URL,
    rng: random.Random | None = None,
    **options: Any,
) -> IntercomClient:
    """A client wired to the fake API and fake time."""
    return IntercomClient(
        base_url=base_url,
        access_token=TOKEN,
        transport=httpx.MockTransport(api.handler),
        sleep=time.sleep,
        clock=time.clock,
        rng=rng if rng is not None else MaxJitter(),
        **options,
    )


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    """A JSON response."""
    return httpx.Response(status, json=body, headers=headers)


def error_response(
    status: int,
    code: str,
    message: str | None = None,
    *,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """An ``error.list`` response the way Intercom sends it."""
    body = {
        "type": "error.list",
        "request_id": "8c288c4f-b699-4209-9de4-064398f02785",
        "errors": [{"code": code, "message": message, "field": field}],
    }
    return json_response(status, body, headers)


def part_json(
    part_id: str, body: str | None, *, author_id: str = BOT, created_at: int = int(NOW)
) -> dict[str, Any]:
    """A conversation part authored by an admin (the bot unless told otherwise)."""
    return {
        "type": "conversation_part",
        "id": part_id,
        "part_type": "comment",
        "body": body,
        "created_at": created_at,
        "updated_at": created_at,
        "notified_at": created_at,
        "author": {"type": "admin", "id": author_id, "name": "Concierge", "email": "b@x.io"},
        "attachments": [],
        "redacted": False,
        "app_package_code": "concierge",
    }


def conversation_json(
    conversation_id: str = "215472", parts: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A conversation as GET /conversations/{id} and the reply/parts calls return it."""
    parts = parts or []
    return {
        "type": "conversation",
        "id": conversation_id,
        "created_at": int(NOW) - 600,
        "updated_at": int(NOW),
        "open": True,
        "state": "open",
        "read": False,
        "admin_assignee_id": 814860,
        "team_assignee_id": None,
        "source": {
            "type": "conversation",
            "id": "403918",
            "delivered_as": "customer_initiated",
            "body": "<p>Do you stock 12/2 Romex?</p>",
            "author": {"type": "user", "id": "6329bd9ffe4e2e91dac76188", "name": "Ada"},
        },
        "contacts": {
            "type": "contact.list",
            "contacts": [{"type": "contact", "id": "6329bd9ffe4e2e91dac76188"}],
        },
        "conversation_parts": {
            "type": "conversation_part.list",
            "conversation_parts": parts,
            "total_count": len(parts),
        },
    }


def admin_json(admin_id: str = BOT, *, away: bool = False) -> dict[str, Any]:
    """An admin as GET /admins lists it (team ids are ints in 2.14)."""
    return {
        "type": "admin",
        "id": admin_id,
        "name": "Concierge",
        "email": "concierge@example.com",
        "job_title": "Bot",
        "away_mode_enabled": away,
        "away_mode_reassign": False,
        "has_inbox_seat": True,
        "team_ids": [814865],
    }


def team_json(team_id: str = "814865") -> dict[str, Any]:
    """A team as GET /teams lists it (admin ids are ints in 2.14)."""
    return {"type": "team", "id": team_id, "name": "Sales", "admin_ids": [814860, 9000001]}


def tag_json(tag_id: str = "7522907", name: str = "hot-lead") -> dict[str, Any]:
    """A tag."""
    return {"type": "tag", "id": tag_id, "name": name}


def contact_json(contact_id: str, custom: dict[str, Any] | None = None) -> dict[str, Any]:
    """A contact with custom attributes."""
    return {
        "type": "contact",
        "id": contact_id,
        "workspace_id": "ecosim01",
        "role": "user",
        "email": "ada@example.com",
        "name": "Ada",
        "custom_attributes": custom or {},
    }


def data_attribute_json(name: str, *, custom: bool = True, data_type: str = "string") -> Any:
    """A contact data attribute (custom ones are ``custom_attributes.<name>`` and have an id)."""
    attribute: dict[str, Any] = {"id": 12878} if custom else {}
    return attribute | {
        "type": "data_attribute",
        "model": "contact",
        "name": name,
        "full_name": f"custom_attributes.{name}" if custom else name,
        "label": name,
        "data_type": data_type,
        "custom": custom,
        "archived": False,
        "api_writable": True,
    }
