"""Meeting invitations: what a calendar app reads back from the .ics we hand the customer."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest

from concierge.routing.invitations import cancellation_ics, invitation_ics
from concierge.routing.slots import MeetingType, Slot

SLOT = Slot(
    datetime(2026, 3, 9, 16, tzinfo=UTC), datetime(2026, 3, 9, 16, 30, tzinfo=UTC), ("ana",)
)
DEMO = MeetingType(name="Lighting demo", minutes=30, team="sales")
STAMP = datetime(2026, 3, 2, 18, 5, tzinfo=UTC)
UID = "booking-42@concierge.example"


def invite(**changes: object) -> bytes:
    options: dict[str, object] = {
        "slot": SLOT,
        "meeting": DEMO,
        "organizer_email": "ana@portlandia.example",
        "attendee_email": "pat@customer.example",
        "uid": UID,
        "summary": "Lighting demo with Portlandia Electric",
        "description": "We'll walk through LED high-bays for your warehouse.",
        "stamp": STAMP,
    }
    options.update(changes)
    return invitation_ics(**options)  # type: ignore[arg-type]


def only_event(data: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.events
    assert len(events) == 1
    return calendar, events[0]


def test_invitation_round_trips_with_every_field_a_calendar_app_needs() -> None:
    calendar, event = only_event(invite())
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Concierge//Meetings//EN"
    assert event["UID"] == UID
    assert event.start == SLOT.start
    assert event.end == SLOT.end
    assert event.DTSTAMP == STAMP
    assert event["SUMMARY"] == "Lighting demo with Portlandia Electric"
    assert event["DESCRIPTION"] == "We'll walk through LED high-bays for your warehouse."
    assert event.sequence == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event["TRANSP"] == "OPAQUE"
    assert event.categories == ["Lighting demo"]
    assert event["ORGANIZER"] == "mailto:ana@portlandia.example"
    [attendee] = event.attendees
    assert attendee == "mailto:pat@customer.example"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["RSVP"] == "TRUE"


def test_invitation_times_are_written_in_utc() -> None:
    data = invite()
    assert b"DTSTART:20260309T160000Z" in data
    assert b"DTEND:20260309T163000Z" in data
    assert b"VTIMEZONE" not in data


def test_cancellation_has_same_uid_and_next_sequence() -> None:
    options = {
        "slot": SLOT,
        "meeting": DEMO,
        "organizer_email": "ana@portlandia.example",
        "attendee_email": "pat@customer.example",
        "uid": UID,
        "summary": "Lighting demo with Portlandia Electric",
        "stamp": STAMP,
        "sequence": 2,
    }
    calendar, event = only_event(cancellation_ics(**options))  # type: ignore[arg-type]
    assert calendar["METHOD"] == "CANCEL"
    assert event["UID"] == UID
    assert event.sequence == 3
    assert event["STATUS"] == "CANCELLED"
    assert event.start == SLOT.start
    assert "DESCRIPTION" not in event


def test_a_reschedule_is_a_new_request_with_a_higher_sequence() -> None:
    later = Slot(
        datetime(2026, 3, 10, 17, tzinfo=UTC), datetime(2026, 3, 10, 17, 30, tzinfo=UTC), ("ben",)
    )
    _, event = only_event(invite(slot=later, sequence=1))
    assert (event["UID"], event.sequence, event.start) == (UID, 1, later.start)


def test_stamp_defaults_to_now() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    _, event = only_event(invite(stamp=None))
    assert before <= event.DTSTAMP <= datetime.now(UTC)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"attendee_email": "pat at customer"}, "the attendee's email 'pat at customer'"),
        ({"organizer_email": "@portlandia.example"}, "the organizer's email"),
        ({"uid": " "}, "needs a UID"),
    ],
)
def test_bad_addresses_and_uids_are_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        invite(**changes)
