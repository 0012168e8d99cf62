"""A whole conversation in local mode: customer → emulator → signed webhook → bot → reply."""

from __future__ import annotations

import json
import time

import httpx

from tests.e2e.conftest import LocalServer
from tests.support.intercom import (
    bot_replies,
    reply_requests,
    say,
    signed_canvas_post,
    signed_webhook_post,
    wait_for,
)


def test_new_conversation_gets_exactly_one_greeting_within_two_seconds(
    local_server: LocalServer,
) -> None:
    started = time.monotonic()
    sent = say(local_server.emulator, "Hi, do you have LED high-bays?", email="ada@example.com")
    conversation_id = sent["conversation_id"]
    wait_for(lambda: bot_replies(local_server.emulator, conversation_id), timeout=2.0)
    assert time.monotonic() - started < 2.0
    time.sleep(0.5)  # the echo webhook of our own reply must not cause another reply
    replies = bot_replies(local_server.emulator, conversation_id)
    assert len(replies) == 1
    assert "Portlandia" in replies[0]["body"]
    assert len(reply_requests(local_server.emulator, conversation_id)) == 1


def test_follow_up_gets_an_answer_but_no_second_welcome(local_server: LocalServer) -> None:
    emulator = local_server.emulator
    conversation_id = say(emulator, "Hello")["conversation_id"]
    first = wait_for(lambda: bot_replies(emulator, conversation_id))
    assert "Thanks for reaching out" in first[0]["body"]
    say(emulator, "we need a quote for 300 LED high-bays", conversation_id=conversation_id)
    replies = wait_for(lambda: (r := bot_replies(emulator, conversation_id))[2:] and r)
    assert all("Thanks for reaching out" not in reply["body"] for reply in replies[1:])
    assert "residential, commercial" in replies[-1]["body"]  # the quote flow's first question


def test_the_same_notification_delivered_twice_yields_one_reply(local_server: LocalServer) -> None:
    conversation_id = say(local_server.emulator, "Hello twice")["conversation_id"]
    wait_for(lambda: bot_replies(local_server.emulator, conversation_id))
    log = httpx.get(local_server.emulator + "/_log", timeout=5).json()
    assert log  # the emulator saw our requests
    conversation = httpx.get(
        f"{local_server.emulator}/conversations/{conversation_id}",
        headers={"Authorization": "Bearer t"},
        timeout=5,
    ).json()
    duplicate = {
        "type": "notification_event",
        "id": "notif_dup_1",
        "topic": "conversation.user.created",
        "app_id": "ecosim01",
        "created_at": int(time.time()),
        "delivery_attempts": 1,
        "data": {"type": "notification_event_data", "item": {**conversation, "id": "dup-conv"}},
    }
    for _ in range(2):
        assert (
            signed_webhook_post(local_server.base, duplicate, local_server.secret).status_code
            == 200
        )
    wait_for(lambda: reply_requests(local_server.emulator, "dup-conv"))
    time.sleep(0.5)
    assert len(reply_requests(local_server.emulator, "dup-conv")) == 1


def test_rate_limits_and_server_errors_still_deliver_the_reply_once(
    local_server: LocalServer,
) -> None:
    for status in (429, 500):
        httpx.post(
            local_server.emulator + "/_faults",
            timeout=5,
            json={"path_prefix": "/conversations", "method": "POST", "status": status, "count": 2},
        )
    conversation_id = say(local_server.emulator, "Flaky Intercom today")["conversation_id"]
    wait_for(lambda: bot_replies(local_server.emulator, conversation_id), timeout=20)
    time.sleep(0.5)
    assert len(bot_replies(local_server.emulator, conversation_id)) == 1
    statuses = [e["status"] for e in reply_requests(local_server.emulator, conversation_id)]
    assert 200 in statuses
    assert len(statuses) > 1


def test_signed_initialize_gets_a_canvas_and_tampering_gets_401(local_server: LocalServer) -> None:
    payload = {
        "workspace_id": "ecosim01",
        "workspace_region": "US",
        "card_creation_options": {},
        "context": {"location": "home", "locale": "en"},
    }
    ok = signed_canvas_post(
        local_server.base, "/canvas/messenger/initialize", payload, local_server.secret
    )
    assert ok.status_code == 200
    assert ok.json()["canvas"]["content"]["components"]
    raw = json.dumps(payload).encode()
    unsigned = httpx.post(local_server.base + "/canvas/messenger/initialize", content=raw)
    assert unsigned.status_code == 401
    assert unsigned.json()["error"]["code"] == "bad_signature"
    wrong = signed_canvas_post(local_server.base, "/canvas/messenger/initialize", payload, "other")
    assert wrong.status_code == 401
