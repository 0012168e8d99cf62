"""The standalone emulator over real HTTP (uvicorn), delivering to a real webhook receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from litestar import Litestar, Request, Response, get, post

from concierge.intercom.emulator import Emulator, create_emulator_app
from tests.support.intercom import wait_for
from tests.support.server import free_port, serve_in_thread

SECRET = "integration-secret"
AUTH = {"Authorization": "Bearer integration-token", "Intercom-Version": "2.14"}


@dataclass
class Receiver:
    """A tiny webhook endpoint that records what it gets and can fail on demand."""

    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    fail_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> Litestar:
        @post("/webhooks", status_code=200)
        async def webhook(request: Request[Any, Any, Any]) -> Response[str]:
            raw = await request.body()
            with self.lock:
                self.received.append((dict(request.headers), raw))
                failing = self.fail_next > 0
                self.fail_next -= 1 if failing else 0
            return Response("nope" if failing else "ok", status_code=500 if failing else 200)

        @get("/ready")
        async def ready() -> str:
            return "ok"

        return Litestar(route_handlers=[webhook, ready])

    def bodies(self, topic: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            bodies = [json.loads(raw) for _, raw in self.received]
        return [b for b in bodies if topic is None or b["topic"] == topic]

    def about(self, conversation_id: str, topic: str) -> list[dict[str, Any]]:
        return [b for b in self.bodies(topic) if b["data"]["item"].get("id") == conversation_id]


@dataclass(frozen=True)
class Stack:
    emulator: str
    receiver: Receiver


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    receiver = Receiver()
    receiver_port, emulator_port = free_port(), free_port()
    emulator = Emulator(
        client_secret=SECRET,
        retry_delay=0.2,
        webhook_url=f"http://127.0.0.1:{receiver_port}/webhooks",
    )
    with (
        serve_in_thread(receiver.app(), receiver_port, probe="/ready"),
        serve_in_thread(create_emulator_app(emulator), emulator_port, probe="/_log") as base,
    ):
        yield Stack(emulator=base, receiver=receiver)


def _say(stack: Stack, text: str, **extra: Any) -> dict[str, Any]:
    response = httpx.post(f"{stack.emulator}/_messages", json={"body": text, **extra}, timeout=5)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def _reply(stack: Stack, conversation_id: str, text: str, timeout: float = 5) -> httpx.Response:
    body = {"message_type": "comment", "type": "admin", "admin_id": "9000001", "body": text}
    return httpx.post(
        f"{stack.emulator}/conversations/{conversation_id}/reply",
        json=body,
        headers=AUTH,
        timeout=timeout,
    )


def _signed_correctly(headers: dict[str, str], raw: bytes) -> bool:
    expected = "sha1=" + hmac.new(SECRET.encode(), raw, hashlib.sha1).hexdigest()
    return hmac.compare_digest(headers["x-hub-signature"], expected)


def test_a_customer_message_reaches_the_receiver_signed(stack: Stack) -> None:
    sent = _say(stack, "Need a quote on 200 LED troffers", contact={"email": "lee@example.com"})
    conversation_id = sent["conversation_id"]
    [created] = wait_for(lambda: stack.receiver.about(conversation_id, "conversation.user.created"))
    with stack.receiver.lock:
        headers, raw = next(
            (h, r) for h, r in stack.receiver.received if json.loads(r)["id"] == created["id"]
        )
    assert _signed_correctly(headers, raw)
    assert headers["user-agent"] == "intercom-parrot-service-client/1.0"
    assert created["data"]["item"]["source"]["body"] == "<p>Need a quote on 200 LED troffers</p>"
    assert created["data"]["item"]["contacts"]["contacts"][0]["id"] == sent["contact_id"]


def test_a_rest_reply_comes_back_as_the_admin_replied_echo(stack: Stack) -> None:
    conversation_id = _say(stack, "Hello")["conversation_id"]
    response = _reply(stack, conversation_id, "Welcome to Portlandia Electric Supply!")
    assert response.status_code == 200
    assert response.headers["x-ratelimit-remaining"].isdigit()
    [echo] = wait_for(lambda: stack.receiver.about(conversation_id, "conversation.admin.replied"))
    [part] = echo["data"]["item"]["conversation_parts"]["conversation_parts"]
    assert part["app_package_code"] == "concierge-local"
    assert part["author"]["id"] == "9000001"
    assert part["body"] == "<p>Welcome to Portlandia Electric Supply!</p>"


def test_a_failed_delivery_gets_exactly_one_retry(stack: Stack) -> None:
    with stack.receiver.lock:
        stack.receiver.fail_next = 1
    conversation_id = _say(stack, "Will this arrive?")["conversation_id"]
    attempts = wait_for(
        lambda: [
            b
            for b in stack.receiver.about(conversation_id, "conversation.user.created")
            if b["delivery_attempts"] == 2
        ],
        timeout=5,
    )
    time.sleep(0.5)  # long enough for a (wrong) third attempt after the 0.2 s retry delay
    deliveries = stack.receiver.about(conversation_id, "conversation.user.created")
    assert [d["delivery_attempts"] for d in deliveries] == [1, 2]
    assert deliveries[0]["id"] == deliveries[1]["id"] == attempts[0]["id"]


def test_faults_429_and_500_refuse_and_change_nothing(stack: Stack) -> None:
    conversation_id = _say(stack, "Faults please")["conversation_id"]
    for status in (429, 500):
        httpx.post(
            f"{stack.emulator}/_faults",
            timeout=5,
            json={
                "path_prefix": f"/conversations/{conversation_id}",
                "status": status,
                "count": 1,
                "method": "POST",
            },
        )
    limited = _reply(stack, conversation_id, "first try")
    assert limited.status_code == 429
    assert limited.json()["errors"][0]["code"] == "rate_limit_exceeded"
    assert 0 < int(limited.headers["x-ratelimit-reset"]) - time.time() <= 3
    broken = _reply(stack, conversation_id, "second try")
    assert broken.status_code == 500
    assert broken.json()["errors"][0]["code"] == "server_error"
    assert _reply(stack, conversation_id, "third try").status_code == 200
    conversation = httpx.get(
        f"{stack.emulator}/conversations/{conversation_id}", headers=AUTH, timeout=5
    ).json()
    bodies = [p["body"] for p in conversation["conversation_parts"]["conversation_parts"]]
    assert bodies == ["<p>third try</p>"]


def test_a_timeout_fault_applies_the_reply_but_the_client_gives_up(stack: Stack) -> None:
    conversation_id = _say(stack, "Slow day")["conversation_id"]
    httpx.post(
        f"{stack.emulator}/_faults",
        timeout=5,
        json={
            "path_prefix": f"/conversations/{conversation_id}/reply",
            "status": "timeout",
            "hang_seconds": 2,
        },
    )
    with pytest.raises(httpx.ReadTimeout):
        _reply(stack, conversation_id, "did it go through?", timeout=0.3)
    wait_for(lambda: stack.receiver.about(conversation_id, "conversation.admin.replied"))
    conversation = httpx.get(
        f"{stack.emulator}/conversations/{conversation_id}", headers=AUTH, timeout=5
    ).json()
    [part] = conversation["conversation_parts"]["conversation_parts"]
    assert part["body"] == "<p>did it go through?</p>"


def test_the_log_lists_requests_in_order(stack: Stack) -> None:
    conversation_id = _say(stack, "Log me")["conversation_id"]
    _reply(stack, conversation_id, "logged")
    httpx.get(f"{stack.emulator}/me", timeout=5)  # no token: 401, still logged
    log = httpx.get(f"{stack.emulator}/_log", timeout=5).json()
    tail = [(e["method"], e["path"], e["status"]) for e in log[-3:]]
    assert tail == [
        ("POST", "/_messages", 201),
        ("POST", f"/conversations/{conversation_id}/reply", 200),
        ("GET", "/me", 401),
    ]
    assert log[-3]["body"] == {"body": "Log me"}
    assert all("/_log" not in e["path"] for e in log)
