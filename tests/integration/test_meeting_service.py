"""Meetings end to end against the embedded Intercom emulator and a real database: the shipped
Portlandia playbook offers slots around the hosts' calendars, a booking holds its slot, notes
the conversation, records the contact's next meeting and serves an invitation that calendar
software reads; cancel and reschedule do the same."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest
from litestar.testing import AsyncTestClient

from concierge.intercom.client import IntercomClient
from concierge.intercom.emulator import Emulator, create_emulator_app
from concierge.routing import RoutingTable, load_routing
from concierge.routing.meetings_loader import HostCalendar, MeetingsConfig, load_meetings
from concierge.runtime.meetings import (
    NEXT_MEETING_ATTRIBUTE,
    MeetingError,
    MeetingService,
    host_calendars,
    invitation_path,
)
from concierge.store.bookings import BookingCancelledError, SlotTaken
from concierge.store.database import Database
from tests.support.app import build_app
from tests.support.databases import fresh_sqlite

ROOT = Path(__file__).resolve().parents[2]
LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=LA)  # Monday 2 March 2026, 08:00 in Portland
MAYA, LUIS = "9000101", "9000102"
BOT = "9000001"


@dataclasses.dataclass
class World:
    emulator: httpx.AsyncClient
    client: IntercomClient
    db: Database
    database_url: str
    routing: RoutingTable
    config: MeetingsConfig

    def service(self, config: MeetingsConfig | None = None) -> MeetingService:
        config = config or self.config
        calendars = host_calendars(config, self.routing)
        return MeetingService(
            config, self.routing, calendars, self.db, self.client, admin_id=BOT, clock=lambda: NOW
        )

    async def customer(self, email: str) -> tuple[str, str]:
        """A customer starts a conversation; its id and the contact's."""
        body = {"body": "Can we go through my quote?", "contact": {"email": email}}
        sent = (await self.emulator.post("/_messages", json=body)).json()
        return str(sent["conversation_id"]), str(sent["contact_id"])

    async def notes(self, conversation_id: str) -> list[str]:
        conversation = await self.client.get_conversation(conversation_id)
        return [str(p.body) for p in conversation.parts if p.part_type == "note"]

    async def next_meeting(self, contact_id: str) -> Any:
        contact = await self.client.get_contact(contact_id)
        return contact.custom_attributes.get(NEXT_MEETING_ATTRIBUTE)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    emulator = create_emulator_app(Emulator(client_secret="s", webhook_url=None))
    transport = httpx.ASGITransport(app=emulator)  # type: ignore[arg-type]  # Litestar's ASGI types
    client = IntercomClient(base_url="http://emulator", access_token="t", transport=transport)
    helper = httpx.AsyncClient(base_url="http://emulator", transport=transport)
    database_url = fresh_sqlite(tmp_path)
    db = Database(database_url)
    routing = load_routing(ROOT / "intents" / "routing.yaml")
    config = load_meetings(ROOT / "intents" / "meetings.yaml", routing)
    yield World(helper, client, db, database_url, routing, config)
    await helper.aclose()
    await client.aclose()
    await db.dispose()


def local(hour: int, minute: int = 0, day: int = 2) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=LA)


def starts(slots: list[Any]) -> dict[datetime, tuple[str, ...]]:
    return {slot.start.astimezone(LA): slot.hosts for slot in slots}


# -- offering ------------------------------------------------------------------------------


async def test_offered_slots_respect_notice_and_the_hosts_calendars(world: World) -> None:
    offered = starts(await world.service().offer("quote_review", NOW, limit=40))
    first = min(offered)
    assert first >= NOW + timedelta(hours=4)  # minimum notice
    # Maya's calendar: lunch 12:00-13:00 (buffers 5 before, 10 after), so at 12:00 and 13:00
    # only Luis (Denver, 07:30-16:00 there) can take a quote review; at 13:30 both can.
    assert offered[local(12)] == (LUIS,)
    assert offered[local(13)] == (LUIS,)
    assert offered[local(13, 30)] == (MAYA, LUIS)
    # Luis's day ends 16:00 in Denver, 15:00 in Portland: from 14:30 only Maya (to 17:00).
    assert offered[local(14, 30)] == (MAYA,)
    assert local(16, 30) not in offered  # 16:30-17:00 + 10 min buffer runs past 17:00


async def test_a_host_whose_calendar_cannot_be_read_is_left_out(world: World) -> None:
    broken = {MAYA: HostCalendar(MAYA, ics=ROOT / "intents" / "calendars" / "missing.ics")}
    config = dataclasses.replace(world.config, calendars=broken)
    offered = starts(await world.service(config).offer("quote_review", NOW))
    assert offered
    assert all(hosts == (LUIS,) for hosts in offered.values())


# -- booking -------------------------------------------------------------------------------


async def test_booking_notes_the_conversation_records_the_contact_and_serves_the_invite(
    world: World,
) -> None:
    conversation, contact = await world.customer("pat@example.com")
    outcome = await world.service().book(
        "quote_review", local(13, 30), conversation, contact, "pat@example.com"
    )
    booking = outcome.booking
    assert (booking.host_id, booking.host_name) == (MAYA, "Maya Chen")  # listed first, free
    expected_note = "Meeting booked: Quote review, Mon 2 Mar 13:30\u201314:00 PST with Maya Chen"
    assert outcome.note == expected_note
    assert outcome.intercom_errors == ()
    assert await world.notes(conversation) == [f"<p>{expected_note}</p>"]
    assert await world.next_meeting(contact) == "2026-03-02T21:30:00+00:00"

    invitation = await fetch(world, invitation_path(booking.uid))
    assert invitation.status_code == 200
    assert invitation.headers["content-type"].startswith("text/calendar")
    assert invitation.content == outcome.ics
    calendar = icalendar.Calendar.from_ical(invitation.content)
    (event,) = calendar.events
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == booking.uid
    assert event.start == local(13, 30)
    assert event.end == local(14)
    assert event["SEQUENCE"] == 0
    assert str(event["SUMMARY"]) == "Quote review"
    assert str(event["ATTENDEE"]) == "mailto:pat@example.com"
    assert str(event["ORGANIZER"]) == "mailto:meetings@portlandia-electric.example"


async def test_an_unknown_invitation_is_not_found(world: World) -> None:
    unknown, not_ics = await fetch(world, invitation_path("A" * 24), "/meetings/not-an-ics-file")
    assert (unknown.status_code, not_ics.status_code) == (404, 404)
    assert unknown.json()["error"]["message"] == "no such meeting"


async def test_a_booked_slot_goes_to_the_next_host_then_is_gone(world: World) -> None:
    service = world.service()
    first = await book(world, service, "pat@example.com", local(13, 30))
    assert starts(await service.offer("quote_review", NOW))[local(13, 30)] == (LUIS,)
    second = await book(world, service, "sam@example.com", local(13, 30))
    assert (first.host_id, second.host_id) == (MAYA, LUIS)
    assert local(13, 30) not in starts(await service.offer("quote_review", NOW, limit=40))
    with pytest.raises(SlotTaken):
        await book(world, service, "lee@example.com", local(13, 30))


async def test_the_least_booked_free_host_gets_the_next_meeting(world: World) -> None:
    service = world.service()
    await book(world, service, "pat@example.com", local(14, 30))  # only Maya then
    later = await book(world, service, "sam@example.com", local(13, 30))  # both free
    assert later.host_id == LUIS


async def test_times_outside_the_booking_window_and_bad_addresses_are_refused(
    world: World,
) -> None:
    service = world.service()
    with pytest.raises(MeetingError, match="can be booked from"):
        await book(world, service, "pat@example.com", local(9))  # inside the 4 h notice
    with pytest.raises(MeetingError, match="is not an address"):
        await book(world, service, "not an address", local(13, 30))
    with pytest.raises(MeetingError, match="unknown meeting type 'lunch'"):
        await service.book("lunch", local(13, 30), "c", None, "pat@example.com")


async def test_a_graph_calendar_without_a_token_is_a_clear_error_at_booking(
    world: World,
) -> None:
    graph_only = {
        LUIS: HostCalendar(LUIS, graph="luis.ortega@portlandia-electric.example"),
    }
    plan = world.config.plan("quote_review")
    config = dataclasses.replace(
        world.config,
        calendars=graph_only,
        meetings={"quote_review": dataclasses.replace(plan, hosts=(LUIS,))},
    )
    with pytest.raises(MeetingError, match="no Microsoft Graph token is configured"):
        await book(world, world.service(config), "pat@example.com", local(13, 30))


# -- cancel and reschedule -----------------------------------------------------------------


async def test_cancelling_notes_it_clears_the_contact_and_serves_the_cancellation(
    world: World,
) -> None:
    service = world.service()
    conversation, contact = await world.customer("pat@example.com")
    booked = await service.book("quote_review", local(13, 30), conversation, contact, "p@x.com")
    outcome = await service.cancel(booked.booking.uid)
    assert (await world.notes(conversation))[-1] == (
        "<p>Meeting cancelled: Quote review, Mon 2 Mar 13:30\u201314:00 PST with Maya Chen</p>"
    )
    assert await world.next_meeting(contact) is None
    calendar = icalendar.Calendar.from_ical(
        (await fetch(world, invitation_path(booked.booking.uid))).content
    )
    (event,) = calendar.events
    assert (calendar["METHOD"], event["SEQUENCE"], str(event["STATUS"])) == (
        "CANCEL",
        1,
        "CANCELLED",
    )
    assert outcome.ics == icalendar.Calendar.from_ical(outcome.ics).to_ical()
    assert starts(await service.offer("quote_review", NOW))[local(13, 30)] == (MAYA, LUIS)
    with pytest.raises(BookingCancelledError):
        await service.cancel(booked.booking.uid)


async def test_rescheduling_keeps_the_uid_bumps_the_sequence_and_says_what_changed(
    world: World,
) -> None:
    service = world.service()
    conversation, contact = await world.customer("pat@example.com")
    booked = await service.book("quote_review", local(13, 30), conversation, contact, "p@x.com")
    moved = await service.reschedule(booked.booking.uid, local(14))
    assert (moved.booking.uid, moved.booking.sequence) == (booked.booking.uid, 1)
    assert moved.booking.host_id == MAYA  # still free then: the same host keeps it
    assert (await world.notes(conversation))[-1] == (
        "<p>Meeting rescheduled: Quote review, Mon 2 Mar 14:00\u201314:30 PST with Maya Chen "
        "(was Quote review, Mon 2 Mar 13:30\u201314:00 PST with Maya Chen)</p>"
    )
    assert await world.next_meeting(contact) == "2026-03-02T22:00:00+00:00"
    event = icalendar.Calendar.from_ical(moved.ics).events[0]
    assert (event.start, event["SEQUENCE"]) == (local(14), 1)
    assert [b.uid for b in await service.bookings_for(conversation)] == [booked.booking.uid]


# -- helpers -------------------------------------------------------------------------------


async def book(world: World, service: MeetingService, email: str, start: datetime) -> Any:
    conversation, contact = await world.customer(email)
    outcome = await service.book("quote_review", start, conversation, contact, email)
    return outcome.booking


async def fetch(world: World, *paths: str) -> Any:
    """GET ``paths`` from the Concierge app on the same database: one response, or a tuple."""
    app = build_app(world.database_url, base_url="http://127.0.0.1:9", run_worker=False)
    async with AsyncTestClient(app=app) as client:
        responses = [await client.get(path) for path in paths]
    return responses[0] if len(responses) == 1 else tuple(responses)
