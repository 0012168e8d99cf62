"""Conversation state transitions through the emulator's REST API, and their webhooks."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from concierge.intercom.emulator import Emulator
from tests.unit.intercom.emulator.conftest import Captured, admin_reply, call, say


def _parts(body: dict[str, Any]) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = body["conversation_parts"]["conversation_parts"]
    return parts


async def test_a_customer_message_starts_an_open_unassigned_conversation(
    emulator: Emulator,
) -> None:
    sent = await say(
        emulator, "Do you stock 4-inch LED cans?", contact={"email": "ada@example.com"}
    )
    response = await call(emulator, "GET", f"/conversations/{sent['conversation_id']}")
    conversation = response.body
    assert conversation["state"] == "open"
    assert conversation["open"] is True
    assert conversation["admin_assignee_id"] is None
    assert conversation["team_assignee_id"] is None
    assert conversation["source"]["id"] == sent["part_id"]
    assert conversation["source"]["body"] == "<p>Do you stock 4-inch LED cans?</p>"
    assert conversation["source"]["author"] == {
        "type": "user",
        "id": sent["contact_id"],
        "name": None,
        "email": "ada@example.com",
    }
    assert conversation["contacts"]["contacts"][0]["id"] == sent["contact_id"]
    assert conversation["waiting_since"] is not None
    assert _parts(conversation) == []


async def test_an_admin_comment_is_a_part_with_the_app_package_code(emulator: Emulator) -> None:
    sent = await say(emulator, "Hello")
    path = f"/conversations/{sent['conversation_id']}/reply"
    response = await call(emulator, "POST", path, admin_reply("Hi! How can we help?"))
    assert response.status == 200
    part = _parts(response.body)[-1]
    assert part["part_type"] == "comment"
    assert part["body"] == "<p>Hi! How can we help?</p>"
    assert part["author"]["id"] == "9000001"
    assert part["author"]["type"] == "bot"
    assert part["app_package_code"] == "concierge-local"
    assert response.body["waiting_since"] is None


async def test_a_human_admin_reply_is_authored_as_an_admin(emulator: Emulator) -> None:
    sent = await say(emulator, "Hello")
    path = f"/conversations/{sent['conversation_id']}/reply"
    response = await call(emulator, "POST", path, admin_reply("<p>Maya here</p>", "9000101"))
    part = _parts(response.body)[-1]
    assert part["author"] == {
        "type": "admin",
        "id": "9000101",
        "name": "Maya Chen",
        "email": "maya.chen@portlandia-electric.example",
    }
    assert part["body"] == "<p>Maya here</p>"


async def test_notes_and_quick_replies_keep_their_types(emulator: Emulator) -> None:
    sent = await say(emulator, "Hello")
    path = f"/conversations/{sent['conversation_id']}/reply"
    note = {**admin_reply("Lead score 72"), "message_type": "note"}
    await call(emulator, "POST", path, note)
    options = [{"text": "Yes", "uuid": "a5e1c524-5ddd-4c3e-9328-6bca5d6e3edb"}]
    quick = {
        "message_type": "quick_reply",
        "type": "admin",
        "admin_id": "9000001",
        "reply_options": options,
    }
    response = await call(emulator, "POST", path, quick)
    note_part, quick_part = _parts(response.body)
    assert note_part["part_type"] == "note"
    assert quick_part["part_type"] == "quick_reply"
    assert quick_part["body"] is None
    assert quick_part["metadata"] == {"quick_reply_options": options}


async def test_a_contact_reply_reopens_a_closed_conversation(emulator: Emulator) -> None:
    sent = await say(emulator, "Hello", contact={"email": "bo@example.com"})
    conversation_id = sent["conversation_id"]
    close = {"message_type": "close", "type": "admin", "admin_id": "9000101"}
    closed = await call(emulator, "POST", f"/conversations/{conversation_id}/parts", close)
    assert closed.body["state"] == "closed"
    assert closed.body["open"] is False
    reply = {"message_type": "comment", "type": "user", "email": "bo@example.com", "body": "Wait"}
    response = await call(emulator, "POST", f"/conversations/{conversation_id}/reply", reply)
    assert response.body["state"] == "open"
    assert _parts(response.body)[-1]["author"]["id"] == sent["contact_id"]
    assert _parts(response.body)[-1]["app_package_code"] is None


async def test_a_contact_can_reply_to_their_last_conversation(emulator: Emulator) -> None:
    await say(emulator, "First", contact={"email": "cy@example.com"})
    second = await say(emulator, "Second", contact={"email": "cy@example.com"})
    reply = {
        "message_type": "comment",
        "type": "user",
        "intercom_user_id": second["contact_id"],
        "body": "Again",
    }
    response = await call(emulator, "POST", "/conversations/last/reply", reply)
    assert response.body["id"] == second["conversation_id"]


async def test_assignment_to_an_admin_then_a_team_then_nobody(emulator: Emulator) -> None:
    sent = await say(emulator, "Quote for 300 fixtures")
    path = f"/conversations/{sent['conversation_id']}/parts"
    assign = {
        "message_type": "assignment",
        "type": "admin",
        "admin_id": "9000001",
        "assignee_id": "9000102",
        "body": "Hot lead, score 85",
    }
    response = await call(emulator, "POST", path, assign)
    assert response.body["admin_assignee_id"] == 9000102
    part = _parts(response.body)[-1]
    assert part["part_type"] == "assignment"
    assert part["assigned_to"] == {"type": "admin", "id": "9000102"}
    assert part["body"] == "<p>Hot lead, score 85</p>"
    team = {**assign, "type": "team", "assignee_id": "5000001"}
    del team["body"]
    response = await call(emulator, "POST", path, team)
    assert response.body["team_assignee_id"] == 5000001
    assert response.body["admin_assignee_id"] == 9000102
    response = await call(emulator, "POST", path, {**team, "assignee_id": "0"})
    assert response.body["team_assignee_id"] is None


async def test_assigning_to_an_unknown_admin_is_a_404(emulator: Emulator) -> None:
    sent = await say(emulator, "Hi")
    assign = {
        "message_type": "assignment",
        "type": "admin",
        "admin_id": "9000001",
        "assignee_id": "123",
    }
    response = await call(
        emulator, "POST", f"/conversations/{sent['conversation_id']}/parts", assign
    )
    assert response.status == 404
    assert response.body["errors"][0]["code"] == "assignee_not_found"


async def test_assigning_a_closed_conversation_reopens_it(emulator: Emulator) -> None:
    response = await call(
        emulator,
        "POST",
        "/conversations/1/parts",
        {
            "message_type": "assignment",
            "type": "admin",
            "admin_id": "9000001",
            "assignee_id": "9000103",
        },
    )
    assert response.body["state"] == "open"
    assert _parts(response.body)[-1]["part_type"] == "assign_and_reopen"


async def test_snooze_and_open(emulator: Emulator) -> None:
    sent = await say(emulator, "Hi")
    path = f"/conversations/{sent['conversation_id']}/parts"
    until = int(time.time()) + 3600
    snoozed = await call(
        emulator,
        "POST",
        path,
        {"message_type": "snoozed", "admin_id": "9000101", "snoozed_until": until},
    )
    assert snoozed.body["state"] == "snoozed"
    assert snoozed.body["snoozed_until"] == until
    opened = await call(emulator, "POST", path, {"message_type": "open", "admin_id": "9000101"})
    assert opened.body["state"] == "open"
    assert opened.body["snoozed_until"] is None
    past = await call(
        emulator,
        "POST",
        path,
        {"message_type": "snoozed", "admin_id": "9000101", "snoozed_until": 1},
    )
    assert past.status == 400


async def test_replies_send_the_echo_with_only_the_new_part(
    emulator: Emulator, captured: Captured
) -> None:
    sent = await say(emulator, "Hello")
    path = f"/conversations/{sent['conversation_id']}/reply"
    await call(emulator, "POST", path, admin_reply("one"))
    await call(emulator, "POST", path, admin_reply("two"))
    await call(emulator, "POST", path, {**admin_reply("internal"), "message_type": "note"})
    await emulator.wait_for_deliveries()
    assert captured.topics() == [
        "conversation.user.created",
        "conversation.admin.replied",
        "conversation.admin.replied",
        "conversation.admin.noted",
    ]
    second = captured.bodies()[2]["data"]["item"]
    assert [p["body"] for p in _parts(second)] == ["<p>two</p>"]
    assert _parts(second)[0]["app_package_code"] == "concierge-local"


async def test_manage_actions_send_their_topics(emulator: Emulator, captured: Captured) -> None:
    sent = await say(emulator, "Hello")
    path = f"/conversations/{sent['conversation_id']}/parts"
    await call(
        emulator,
        "POST",
        path,
        {
            "message_type": "assignment",
            "type": "team",
            "admin_id": "9000001",
            "assignee_id": "5000002",
        },
    )
    await call(
        emulator, "POST", path, {"message_type": "close", "type": "admin", "admin_id": "9000001"}
    )
    await call(emulator, "POST", path, {"message_type": "open", "admin_id": "9000001"})
    await say(emulator, "More", conversation_id=sent["conversation_id"])
    await emulator.wait_for_deliveries()
    assert captured.topics() == [
        "conversation.user.created",
        "conversation.admin.assigned",
        "conversation.admin.closed",
        "conversation.admin.opened",
        "conversation.user.replied",
    ]
    assigned = captured.bodies()[1]["data"]["item"]
    assert assigned["team_assignee_id"] == 5000002
    assert _parts(assigned)[0]["assigned_to"] == {"type": "team", "id": "5000002"}


async def test_tags_are_created_by_name_and_applied_once(emulator: Emulator) -> None:
    created = await call(emulator, "POST", "/tags", {"name": "PowerLink"})
    again = await call(emulator, "POST", "/tags", {"name": "powerlink"})
    assert created.body == again.body
    tag_id = created.body["id"]
    sent = await say(emulator, "Hi")
    path = f"/conversations/{sent['conversation_id']}/tags"
    for _ in range(2):
        applied = await call(emulator, "POST", path, {"id": tag_id, "admin_id": "9000001"})
        assert applied.status == 200
    assert applied.body["applied_by"] == {"type": "admin", "id": "9000001"}
    conversation = await call(emulator, "GET", f"/conversations/{sent['conversation_id']}")
    assert [t["id"] for t in conversation.body["tags"]["tags"]] == [tag_id]
    removed = await call(emulator, "DELETE", f"{path}/{tag_id}", {"admin_id": "9000001"})
    assert removed.body == {"type": "tag", "id": tag_id, "name": "PowerLink"}
    again_removed = await call(emulator, "DELETE", f"{path}/{tag_id}", {"admin_id": "9000001"})
    assert again_removed.status == 404


async def test_renaming_a_tag_by_id(emulator: Emulator) -> None:
    response = await call(emulator, "POST", "/tags", {"name": "Very hot lead", "id": "7000001"})
    assert response.body == {"type": "tag", "id": "7000001", "name": "Very hot lead"}
    listed = await call(emulator, "GET", "/tags")
    assert {"type": "tag", "id": "7000001", "name": "Very hot lead"} in listed.body["data"]


async def test_tagging_with_an_unknown_tag_or_conversation_is_a_404(emulator: Emulator) -> None:
    unknown_tag = await call(
        emulator, "POST", "/conversations/1/tags", {"id": "404", "admin_id": "9000001"}
    )
    assert unknown_tag.status == 404
    assert unknown_tag.body["errors"][0]["code"] == "tag_not_found"
    unknown_conversation = await call(
        emulator, "POST", "/conversations/999/tags", {"id": "7000001", "admin_id": "9000001"}
    )
    assert unknown_conversation.body["errors"][0]["message"] == "Conversation not found"


async def test_concurrent_customer_messages_get_distinct_ids(emulator: Emulator) -> None:
    results = await asyncio.gather(*(say(emulator, f"message {n}") for n in range(20)))
    assert len({r["conversation_id"] for r in results}) == 20
    assert len({r["contact_id"] for r in results}) == 20
