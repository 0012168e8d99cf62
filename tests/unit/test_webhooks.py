"""Webhook notifications: envelope parsing, part authorship, echo detection, HTML bodies."""

from __future__ import annotations

from typing import Any

import pytest

from concierge.domain.conversation import AuthorKind
from concierge.intercom.webhooks import (
    NotificationError,
    conversation_event,
    html_to_text,
    parse_notification,
)

BOT = "9000001"


def envelope(topic: str, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "notification_event",
        "id": "notif_1",
        "topic": topic,
        "app_id": "ecosim01",
        "created_at": 1726425600,
        "delivery_attempts": 1,
        "data": {"type": "notification_event_data", "item": item},
    }


def part(part_id: str, author_type: str, author_id: str, body: str, **extra: Any) -> dict[str, Any]:
    author = {"type": author_type, "id": author_id, "name": "X"}
    return {
        "type": "conversation_part",
        "id": part_id,
        "part_type": "comment",
        "body": body,
        "author": author,
        "created_at": 1726425601,
        **extra,
    }


def test_user_created_carries_the_message_in_source() -> None:
    item = {
        "type": "conversation",
        "id": 123,
        "source": {
            "type": "conversation",
            "id": "777",
            "body": "<p>Need 300 high-bays</p>",
            "author": {"type": "user", "id": "c1", "name": "Ada", "email": "ada@example.com"},
        },
        "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": "c1"}]},
        "conversation_parts": {"type": "conversation_part.list", "conversation_parts": []},
    }
    event = conversation_event(parse_notification(envelope("conversation.user.created", item)), BOT)
    assert event.conversation_id == "123"
    assert event.is_new_conversation
    assert [m.text for m in event.customer_messages] == ["Need 300 high-bays"]
    assert event.contact.email == "ada@example.com"


def test_api_reply_echo_is_the_bot_not_a_customer() -> None:
    item = {
        "type": "conversation",
        "id": "5",
        "conversation_parts": {
            "conversation_parts": [
                part("p9", "admin", BOT, "<p>Hi</p>", app_package_code="concierge-local")
            ]
        },
    }
    event = conversation_event(
        parse_notification(envelope("conversation.admin.replied", item)), BOT
    )
    assert [m.author for m in event.messages] == [AuthorKind.BOT]
    assert event.customer_messages == ()


def test_bot_author_without_package_code_is_still_the_bot() -> None:
    item = {
        "type": "conversation",
        "id": "5",
        "conversation_parts": {"conversation_parts": [part("p9", "admin", BOT, "Hi")]},
    }
    event = conversation_event(
        parse_notification(envelope("conversation.admin.replied", item)), BOT
    )
    assert event.messages[0].author is AuthorKind.BOT


def test_human_agent_reply_is_an_admin_message() -> None:
    item = {
        "type": "conversation",
        "id": "5",
        "conversation_parts": {"conversation_parts": [part("p10", "admin", "42", "I can help")]},
    }
    event = conversation_event(
        parse_notification(envelope("conversation.admin.replied", item)), BOT
    )
    assert event.messages[0].author is AuthorKind.ADMIN


@pytest.mark.parametrize("body", [[], "x", {"topic": "ping"}, {"id": "n", "data": {}}])
def test_non_notifications_are_rejected(body: Any) -> None:
    with pytest.raises(NotificationError):
        parse_notification(body)


def test_ping_has_no_conversation() -> None:
    notification = parse_notification(envelope("ping", {"type": "ping", "message": "hi"}))
    assert notification.conversation_id is None


def test_html_to_text_keeps_paragraphs_and_entities() -> None:
    assert html_to_text("<p>Hello &amp; welcome</p><p>Line <b>two</b><br>three</p>") == (
        "Hello & welcome\nLine two\nthree"
    )
    assert html_to_text(None) == ""
