"""Webhook delivery: Intercom's envelope, headers, signature over the exact bytes, one retry."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import re

import httpx

from concierge.intercom.emulator import Emulator
from tests.unit.intercom.emulator.conftest import SECRET, Captured, admin_reply, call, say


def _expected_signature(raw: bytes, secret: str = SECRET) -> str:
    return "sha1=" + hmac.new(secret.encode(), raw, hashlib.sha1).hexdigest()


async def test_a_customer_message_is_delivered_signed_in_intercoms_envelope(
    emulator: Emulator, captured: Captured
) -> None:
    sent = await say(
        emulator,
        "Do you carry <b>Lutron</b> dimmers & plates?",
        contact={"email": "kim@example.com", "name": "Kim"},
    )
    await emulator.wait_for_deliveries()
    [request] = captured.requests
    assert request.method == "POST"
    assert str(request.url) == "http://receiver.test/webhooks"
    assert request.headers["X-Hub-Signature"] == _expected_signature(request.content)
    assert request.headers["User-Agent"] == "intercom-parrot-service-client/1.0"
    assert request.headers["Content-Type"] == "application/json"
    assert b"\\u003cp\\u003e" in request.content  # HTML escaped like Intercom's JSON
    body = json.loads(request.content)
    assert re.fullmatch(r"notif_[0-9a-f-]{36}", body["id"])
    assert {k: body[k] for k in ("type", "topic", "app_id", "delivery_attempts")} == {
        "type": "notification_event",
        "topic": "conversation.user.created",
        "app_id": "ecosim01",
        "delivery_attempts": 1,
    }
    assert body["created_at"] == body["first_sent_at"]
    assert body["data"]["type"] == "notification_event_data"
    item = body["data"]["item"]
    assert item["id"] == sent["conversation_id"]
    assert (
        item["source"]["body"]
        == "<p>Do you carry &lt;b&gt;Lutron&lt;/b&gt; dimmers &amp; plates?</p>"
    )
    assert item["source"]["author"]["type"] == "user"
    assert item["conversation_parts"]["conversation_parts"] == []


async def test_a_tampered_body_or_other_secret_would_not_verify(
    emulator: Emulator, captured: Captured
) -> None:
    await say(emulator, "Hi")
    await emulator.wait_for_deliveries()
    [request] = captured.requests
    signature = request.headers["X-Hub-Signature"]
    reserialised = json.dumps(json.loads(request.content)).encode()
    assert signature != _expected_signature(reserialised)
    assert signature != _expected_signature(request.content, "other-secret")


async def test_a_failed_delivery_is_retried_once_with_the_attempt_counted(
    emulator: Emulator, captured: Captured
) -> None:
    captured.statuses = [500, 200]
    await say(emulator, "Hi")
    await emulator.wait_for_deliveries()
    first, second = captured.bodies()
    assert first["id"] == second["id"]
    assert (first["delivery_attempts"], second["delivery_attempts"]) == (1, 2)
    assert first["first_sent_at"] == second["first_sent_at"]
    for request in captured.requests:
        assert request.headers["X-Hub-Signature"] == _expected_signature(request.content)
    [delivery] = emulator.deliveries
    assert delivery.state == "delivered"
    assert [a.status for a in delivery.attempts] == [500, 200]


async def test_a_delivery_failing_twice_is_marked_failed(
    emulator: Emulator, captured: Captured
) -> None:
    captured.statuses = [404, 503, 200]
    await say(emulator, "Hi")
    await emulator.wait_for_deliveries()
    assert len(captured.requests) == 2
    assert emulator.deliveries[0].state == "failed"


async def test_a_timed_out_delivery_is_retried() -> None:
    calls = []

    def slow_then_fine(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ReadTimeout("no answer", request=request)
        return httpx.Response(204)

    emulator = Emulator(
        client_secret=SECRET,
        webhook_url="http://r.test/",
        retry_delay=0.01,
        webhook_transport=httpx.MockTransport(slow_then_fine),
    )
    emulator.send_ping()
    await emulator.wait_for_deliveries()
    [delivery] = emulator.deliveries
    assert delivery.state == "delivered"
    assert delivery.attempts[0].error is not None
    assert delivery.attempts[0].status is None
    assert json.loads(calls[0].content)["data"]["item"]["type"] == "ping"
    await emulator.aclose()


async def test_410_gone_disables_the_subscription(emulator: Emulator, captured: Captured) -> None:
    captured.statuses = [410]
    await say(emulator, "One")
    await emulator.wait_for_deliveries()
    await say(emulator, "Two")
    await emulator.wait_for_deliveries()
    assert len(captured.requests) == 1
    assert [d.state for d in emulator.deliveries] == ["failed", "skipped"]


async def test_rest_calls_do_not_wait_for_deliveries() -> None:
    release = asyncio.Event()

    async def held(request: httpx.Request) -> httpx.Response:
        await release.wait()
        return httpx.Response(200)

    emulator = Emulator(
        client_secret=SECRET,
        webhook_url="http://r.test/",
        webhook_transport=httpx.MockTransport(held),
    )
    async with asyncio.timeout(2):
        sent = await say(emulator, "Hi")
        await call(
            emulator, "POST", f"/conversations/{sent['conversation_id']}/reply", admin_reply()
        )
    assert [d.state for d in emulator.deliveries] == ["pending", "pending"]
    release.set()
    await emulator.wait_for_deliveries()
    assert [d.state for d in emulator.deliveries] == ["delivered", "delivered"]
    await emulator.aclose()


async def test_aclose_cancels_a_pending_retry() -> None:
    emulator = Emulator(
        client_secret=SECRET,
        webhook_url="http://r.test/",
        retry_delay=60,
        webhook_transport=httpx.MockTransport(lambda _: httpx.Response(500)),
    )
    await say(emulator, "Hi")
    await asyncio.sleep(0.05)
    async with asyncio.timeout(2):
        await emulator.aclose()
    assert emulator.deliveries[0].state == "cancelled"


async def test_without_a_webhook_url_nothing_is_sent() -> None:
    emulator = Emulator(client_secret=SECRET, webhook_url=None)
    await say(emulator, "Hi")
    await emulator.wait_for_deliveries()
    assert [d.state for d in emulator.deliveries] == ["skipped"]
    assert emulator.deliveries[0].envelope["topic"] == "conversation.user.created"


async def test_ping_and_deliveries_helpers(emulator: Emulator, captured: Captured) -> None:
    ping = await call(emulator, "POST", "/_ping", auth=False)
    assert ping.body["topic"] == "ping"
    await emulator.wait_for_deliveries()
    listed = await call(emulator, "GET", "/_deliveries", auth=False)
    assert listed.body[0]["state"] == "delivered"
    assert captured.bodies()[0]["data"]["item"] == {
        "type": "ping",
        "message": "something something interzen",
    }
