"""Meeting invitations as iCalendar (RFC 5545 / iTIP RFC 5546) files a customer can open.

:func:`invitation_ics` builds a ``METHOD:REQUEST`` calendar with one event for a booked
:class:`~concierge.routing.slots.Slot`; :func:`cancellation_ics` builds the matching
``METHOD:CANCEL`` with the same UID and the next SEQUENCE, which calendar apps read as "this
meeting is off". A reschedule is a new :func:`invitation_ics` with the same UID and a higher
``sequence``. Times are written in UTC, so no VTIMEZONE is needed.
"""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
from icalendar.enums import PARTSTAT, ROLE, STATUS, TRANSP

from concierge.routing.slots import MeetingType, Slot

PRODUCT_ID = "-//Concierge//Meetings//EN"


def invitation_ics(
    slot: Slot,
    meeting: MeetingType,
    organizer_email: str,
    attendee_email: str,
    uid: str,
    summary: str,
    description: str = "",
    *,
    sequence: int = 0,
    stamp: datetime | None = None,
) -> bytes:
    """An invitation (``METHOD:REQUEST``) to ``slot`` from the organizer to the attendee.

    ``stamp`` (DTSTAMP, when the invitation was made) defaults to now.
    """
    event = _event(slot, meeting, organizer_email, attendee_email, uid, summary, description)
    event.sequence = sequence
    event.status = STATUS.CONFIRMED
    return _calendar_bytes("REQUEST", event, stamp)


def cancellation_ics(
    slot: Slot,
    meeting: MeetingType,
    organizer_email: str,
    attendee_email: str,
    uid: str,
    summary: str,
    description: str = "",
    *,
    sequence: int = 0,
    stamp: datetime | None = None,
) -> bytes:
    """The cancellation (``METHOD:CANCEL``) of the invitation with ``uid`` and ``sequence``:
    same UID, SEQUENCE one higher, STATUS:CANCELLED."""
    event = _event(slot, meeting, organizer_email, attendee_email, uid, summary, description)
    event.sequence = sequence + 1
    event.status = STATUS.CANCELLED
    return _calendar_bytes("CANCEL", event, stamp)


def _event(
    slot: Slot,
    meeting: MeetingType,
    organizer_email: str,
    attendee_email: str,
    uid: str,
    summary: str,
    description: str,
) -> icalendar.Event:
    attendee = icalendar.vCalAddress.new(
        _address(attendee_email, "attendee"),
        role=ROLE.REQ_PARTICIPANT,
        partstat=PARTSTAT.NEEDS_ACTION,
        rsvp=True,
    )
    if not uid.strip():
        raise ValueError("an invitation needs a UID")
    return icalendar.Event.new(
        uid=uid,
        start=slot.start.astimezone(UTC),
        end=slot.end.astimezone(UTC),
        summary=summary,
        description=description or None,
        organizer=icalendar.vCalAddress.new(_address(organizer_email, "organizer")),
        attendees=[attendee],
        categories=[meeting.name],
        transparency=TRANSP.OPAQUE,
    )


def _calendar_bytes(method: str, event: icalendar.Event, stamp: datetime | None) -> bytes:
    """A VCALENDAR with ``method`` around ``event``, serialised."""
    event.DTSTAMP = (stamp or datetime.now(UTC)).astimezone(UTC)
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODUCT_ID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", method)
    calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def _address(email: str, role: str) -> str:
    """``email`` checked to look like an address (``mailto:`` is added by icalendar)."""
    email = email.strip()
    local, at, domain = email.rpartition("@")
    if not at or not local or not domain or any(char.isspace() for char in email):
        raise ValueError(f"the {role}'s email {email!r} is not an address")
    return email
