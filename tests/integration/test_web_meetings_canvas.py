"""Booking a meeting in the Messenger app and sending a booking card from the Inbox panel, as
signed Canvas Kit requests through the real app: the home card's "Book a meeting", a slot
picked, confirmed and booked (stored, noted in the emulator's conversation, `.ics` served);
a slot taken meanwhile; the Inbox panel's team availability and its "send booking card"."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from litestar.testing import AsyncTestClient

from concierge.intercom.client import IntercomClient
from concierge.intercom.signatures import sign_canvas_body
from concierge.store import assignments as assignment_store
from concierge.store import bookings as booking_store
from concierge.store.assignments import AdminEntry
from concierge.store.tables import ConversationRecord
from concierge.web.app import EMULATOR_PATH
from concierge.web.resources import MeetingDesks, Resources
from tests.support.app import SECRET, build_app
from tests.unit.canvas.spec import canvas_spec_errors, spec_errors

Client = AsyncTestClient[Any]
LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=LA)  # Monday 2 March 2026, 08:00 in Portland
PUBLIC = "https://concierge.example"


def signed(payload: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return raw, {"X-Body-Signature": sign_canvas_body(raw, SECRET)}


async def call(client: Client, path: str, payload: dict[str, Any]) -> dict[str, Any]:
    raw, headers = signed(payload)
    response = await client.post(f"/canvas/{path}", content=raw, headers=headers)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    assert spec_errors(body, "submit_response") == []
    assert canvas_spec_errors(body["canvas"]) == []
    return body


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[Client]:
    app = build_app(
        f"sqlite:///{tmp_path / 'web.db'}", base_url="http://127.0.0.1:9", run_worker=False
    )
    async with AsyncTestClient(app=app) as test_client:
        resources: Resources = app.state.resources
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # Litestar's ASGI types
        intercom = IntercomClient(
            base_url=f"http://app{EMULATOR_PATH}", access_token="t", transport=transport
        )
        resources.meetings = MeetingDesks(
            brain=resources.brain,
            db=resources.db,
            client=intercom,
            public_url=PUBLIC,
            clock=lambda: NOW,
            admin_id=lambda: resources.bot_admin_id,
        )
        yield test_client
        await intercom.aclose()


async def conversation_with(client: Client, email: str) -> tuple[str, str]:
    """A customer writes in (in the app's Intercom emulator): conversation and contact ids."""
    body = {"body": "Can we go through my quote?", "contact": {"email": email}}
    sent = (await client.post(f"{EMULATOR_PATH}/_messages", json=body)).json()
    return str(sent["conversation_id"]), str(sent["contact_id"])


def messenger(conversation_id: str, contact_id: str, **contact: Any) -> dict[str, Any]:
    who = {"type": "user", "id": contact_id, "name": "Ada Lovelace", **contact}
    return {
        "workspace_id": "ecosim01",
        "workspace_region": "US",
        "context": {"location": "conversation", "conversation_id": conversation_id},
        "user": who,
    }


async def click(
    client: Client, base: dict[str, Any], card: dict[str, Any], component_id: str, **values: Any
) -> dict[str, Any]:
    payload = {
        **base,
        "component_id": component_id,
        "input_values": values,
        "current_canvas": card["canvas"],
    }
    return await call(client, "messenger/submit", payload)


def buttons(card: dict[str, Any]) -> dict[str, str]:
    shown = card["canvas"]["content"]["components"]
    return {c["label"]: c["id"] for c in shown if c["type"] == "button"}


def texts(card: dict[str, Any]) -> list[str]:
    return [c["text"] for c in card["canvas"]["content"]["components"] if c["type"] == "text"]


def rows(card: dict[str, Any]) -> dict[str, str]:
    shown = card["canvas"]["content"]["components"]
    tables = [c for c in shown if c["type"] == "data-table"]
    return {row["field"]: row["value"] for table in tables for row in table["items"]}


async def open_picker(client: Client, base: dict[str, Any]) -> dict[str, Any]:
    """Home card → "Book a meeting" → "Quote review": the free times."""
    home = await call(client, "messenger/initialize", base)
    types = await click(client, base, home, buttons(home)["Book a meeting"])
    return await click(client, base, types, buttons(types)["Quote review"])


async def notes(client: Client, conversation_id: str) -> list[str]:
    conversation = await client.app.state.resources.meetings.client.get_conversation(
        conversation_id
    )
    return [str(part.body) for part in conversation.parts if part.part_type == "note"]


async def test_customer_books_from_the_home_card_and_gets_the_invitation(client: Client) -> None:
    conversation_id, contact_id = await conversation_with(client, "ada@example.com")
    base = messenger(conversation_id, contact_id, email="ada@example.com")
    home = await call(client, "messenger/initialize", base)
    assert "Book a meeting" in buttons(home)

    types = await click(client, base, home, "book_meeting")
    assert list(buttons(types)) == ["Quote review", "PowerLink onboarding", "Back"]
    picker = await click(client, base, types, "meeting:quote_review")
    times = [label for label in buttons(picker) if label != "Back"]
    assert times[0] == "Mon 2 Mar 12:00 PM PST"  # 4 h notice from 08:00, Maya's calendar
    assert len(times) == 5
    assert any("Pacific time" in line for line in texts(picker))

    confirm = await click(client, base, picker, buttons(picker)[times[0]])
    assert rows(confirm)["Invitation to"] == "ada@example.com"
    done = await click(client, base, confirm, "confirm_meeting")

    assert done["event"] == {"type": "completed"}
    assert rows(done)["When"] == "Mon 2 Mar 12:00 PM PST"
    link = next(c for c in done["canvas"]["content"]["components"] if c.get("id") == "invitation")
    uid = link["action"]["url"].removeprefix(f"{PUBLIC}/meetings/").removesuffix(".ics")
    async with client.app.state.resources.db.transaction() as session:
        booking = await booking_store.find_booking(session, uid)
    assert booking is not None
    assert (booking.conversation_id, booking.attendee_email) == (conversation_id, "ada@example.com")
    assert any(
        "Meeting booked: Quote review" in note for note in await notes(client, conversation_id)
    )
    invitation = await client.get(f"/meetings/{uid}.ics")
    assert invitation.status_code == 200
    assert b"BEGIN:VEVENT" in invitation.content


async def test_a_time_taken_meanwhile_shows_fresh_times_and_says_so(client: Client) -> None:
    ada = messenger(*await conversation_with(client, "ada@example.com"), email="ada@example.com")
    bob = messenger(*await conversation_with(client, "bob@example.com"))  # email not known
    noon = "Mon 2 Mar 12:00 PM PST"
    bob_picker = await open_picker(client, bob)
    bob_confirm = await click(client, bob, bob_picker, buttons(bob_picker)[noon])
    assert "Invitation to" not in rows(bob_confirm)
    bad = await click(client, bob, bob_confirm, "confirm_meeting", email="bob at home")
    assert "Please enter the email for the invitation." in texts(bad)

    ada_picker = await open_picker(client, ada)  # Ada takes 12:00 while Bob fixes his email
    ada_confirm = await click(client, ada, ada_picker, buttons(ada_picker)[noon])
    assert (await click(client, ada, ada_confirm, "confirm_meeting"))["event"]
    cy = messenger(*await conversation_with(client, "cy@example.com"))
    assert noon not in buttons(await open_picker(client, cy))  # gone for everyone else

    again = await click(client, bob, bad, "confirm_meeting", email="bob@example.com")
    assert "event" not in again
    assert any("that time was just taken" in line for line in texts(again))
    assert noon not in buttons(again)
    assert len(buttons(again)) == 6  # five fresh times and Back


async def test_inbox_panel_shows_the_routed_teams_availability(client: Client) -> None:
    conversation_id, contact_id = await conversation_with(client, "ada@example.com")
    resources: Resources = client.app.state.resources
    async with resources.db.transaction() as session:
        session.add(
            ConversationRecord(
                id=conversation_id,
                created_at=NOW.timestamp(),
                updated_at=NOW.timestamp(),
                route={"team": "sales", "rule": "hot_lead"},
            )
        )
        directory = [
            AdminEntry("9000101", "Maya Chen"),
            AdminEntry("9000102", "Luis Ortega", away=True),
        ]  # Dana Whitfield is missing from the directory
        stamp = NOW.timestamp()
        await assignment_store.sync_directory(session, directory, [], as_of=stamp, at=stamp)
    inbox = {
        "workspace_id": "ecosim01",
        "admin": {"id": "42", "type": "admin", "name": "Sam"},
        "conversation": {"type": "conversation", "id": conversation_id},
        "contact": {"type": "contact", "id": contact_id, "email": "ada@example.com"},
    }
    panel = await call(client, "inbox/initialize", inbox)
    shown = rows(panel)
    assert shown["Online now"] == "Maya Chen (1 of 3)"
    assert shown["Luis Ortega"] == "away"
    assert shown["Dana Whitfield"] == "not in the Intercom directory"
    assert shown["Expected reply"] == "within a few hours"  # too few replies measured yet
    assert "Next opening" not in shown  # open now (Monday 08:00 in Portland)
    assert "Sales · open now" in texts(panel)

    sent = await call(
        client,
        "inbox/submit",
        {**inbox, "component_id": "send_booking:quote_review", "input_values": {}},
    )
    assert sent["card_creation_options"] == {"meeting": "quote_review"}
    assert "Booking card added to your reply." in texts(sent)

    card = await call(
        client,
        "messenger/initialize",
        {
            "workspace_id": "ecosim01",
            "workspace_region": "US",
            "card_creation_options": sent["card_creation_options"],
            "context": {"location": "conversation", "conversation_id": conversation_id},
            "admin": inbox["admin"],
        },
    )
    assert card["canvas"]["stored_data"]["screen"] == "meeting_slots"
    assert "Mon 2 Mar 12:00 PM PST" in buttons(card)


async def test_customer_reschedules_then_cancels_their_booked_meeting(
    client: Client,
) -> None:
    conversation_id, contact_id = await conversation_with(client, "ada@example.com")
    base = messenger(conversation_id, contact_id, email="ada@example.com")
    noon = "Mon 2 Mar 12:00 PM PST"
    picker = await open_picker(client, base)
    confirm = await click(client, base, picker, buttons(picker)[noon])
    booked = await click(client, base, confirm, "confirm_meeting")
    link = next(c for c in booked["canvas"]["content"]["components"] if c.get("id") == "invitation")
    uid = link["action"]["url"].removeprefix(f"{PUBLIC}/meetings/").removesuffix(".ics")

    home = await call(client, "messenger/initialize", base)
    mine = await click(client, base, home, buttons(home)["Book a meeting"])
    host = rows(booked)["With"]
    assert f"Your meeting: Quote review, {noon} with {host}" in texts(mine)
    assert list(buttons(mine))[:3] == ["Reschedule", "Cancel meeting", "Book another"]
    times = await click(client, base, mine, buttons(mine)["Reschedule"])
    assert noon not in buttons(times)  # the booked time is not offered again
    later = next(label for label in buttons(times) if label != "Back")
    moved = await click(client, base, times, buttons(times)[later])
    assert moved["event"] == {"type": "completed"}
    assert rows(moved)["When"] == later
    async with client.app.state.resources.db.transaction() as session:
        booking = await booking_store.find_booking(session, uid)
    assert booking is not None
    assert (booking.status, booking.sequence) == ("booked", 1)
    assert any(
        "Meeting rescheduled: Quote review" in n for n in await notes(client, conversation_id)
    )

    home = await call(client, "messenger/initialize", base)
    mine = await click(client, base, home, buttons(home)["Book a meeting"])
    assert f"Your meeting: Quote review, {later} with {rows(moved)['With']}" in texts(mine)
    sure = await click(client, base, mine, buttons(mine)["Cancel meeting"])
    assert "event" not in sure
    gone = await click(client, base, sure, buttons(sure)["Yes, cancel it"])
    assert gone["event"] == {"type": "completed"}
    assert any(line.startswith("Cancelled.") for line in texts(gone))
    async with client.app.state.resources.db.transaction() as session:
        booking = await booking_store.find_booking(session, uid)
    assert booking is not None
    assert booking.status == "cancelled"
    cancellation = await client.get(f"/meetings/{uid}.ics")
    assert b"METHOD:CANCEL" in cancellation.content
    types = await click(client, base, home, buttons(home)["Book a meeting"])  # nothing booked
    assert "Cancel meeting" not in buttons(types)
    assert later in buttons(await click(client, base, types, buttons(types)["Quote review"]))


async def test_a_time_taken_while_rescheduling_shows_fresh_times(
    client: Client,
) -> None:
    ada = messenger(*await conversation_with(client, "ada@example.com"), email="ada@example.com")
    picker = await open_picker(client, ada)
    confirm = await click(client, ada, picker, buttons(picker)["Mon 2 Mar 12:00 PM PST"])
    await click(client, ada, confirm, "confirm_meeting")
    home = await call(client, "messenger/initialize", ada)
    mine = await click(client, ada, home, buttons(home)["Book a meeting"])
    times = await click(client, ada, mine, buttons(mine)["Reschedule"])
    wanted = next(label for label in buttons(times) if label != "Back")

    for n in range(3):  # others take that time from every host while Ada looks
        email = f"customer{n}@example.com"
        other = messenger(*await conversation_with(client, email), email=email)
        their_picker = await open_picker(client, other)
        if wanted not in buttons(their_picker):
            break
        their_confirm = await click(client, other, their_picker, buttons(their_picker)[wanted])
        assert (await click(client, other, their_confirm, "confirm_meeting"))["event"]

    again = await click(client, ada, times, buttons(times)[wanted])
    assert "event" not in again
    assert any("that time was just taken" in line for line in texts(again))
    assert wanted not in buttons(again)
    assert again["canvas"]["stored_data"]["uid"]  # still rescheduling the same booking
