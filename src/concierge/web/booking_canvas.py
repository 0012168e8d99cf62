"""Booking a meeting in the Messenger app: the slot picker's steps, with the meeting service.

Reached from the home card's "Book a meeting" button (:data:`meeting_cards.BOOK`) and from a
card a teammate sent from the Inbox panel (``card_creation_options: {"meeting": <name>}``).
Times are shown in the customer's timezone when the contact carries one (the ``timezone``
attribute, an IANA name), else in the hosting team's. A slot taken meanwhile shows the list
again with fresh times and says so.

A customer who already has an upcoming booked meeting sees it first ("Your meeting: ...") and
can reschedule it (the slot list; a picked time moves the booking at once), cancel it (after
confirming), or book another. Their meetings are found among the bookings of the Canvas Kit
request's conversation made by the request's contact (the service offers no lookup by
contact alone).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import structlog

from concierge.canvas import meeting_cards as cards
from concierge.canvas.meeting_cards import BookedMeeting, SlotChoice
from concierge.canvas.responses import CanvasResponse
from concierge.intercom.canvas_requests import CanvasRequest, EndUser, SubmitRequest
from concierge.routing.table import RoutingTable, customer_zone
from concierge.routing.wording import slot_label, zone_name
from concierge.runtime.events import MeetingDesk
from concierge.runtime.meetings import MeetingError
from concierge.store.booking_tables import MeetingBooking
from concierge.store.bookings import BookingError, SlotTaken

log = structlog.get_logger(component="canvas")

SLOTS_SHOWN = 5
MEETING_OPTION = "meeting"
TIMEZONE = "timezone"


def bookable(desk: MeetingDesk | None) -> dict[str, str]:
    """The meeting types a customer can book (name → title), in playbook order."""
    if desk is None:
        return {}
    return {name: plan.title for name, plan in desk.config.meetings.items()}


def _zone(desk: MeetingDesk, routing: RoutingTable, meeting: str, who: EndUser | None) -> ZoneInfo:
    named = who.custom_attributes.get(TIMEZONE) if who else None
    found = customer_zone(named if isinstance(named, str) else None)
    if found is not None:
        return found
    if meeting not in desk.config.meetings:
        return routing.zone
    team = desk.config.plan(meeting).team
    return routing.teams[team].zone if team in routing.teams else routing.zone


async def slot_picker(
    desk: MeetingDesk,
    routing: RoutingTable,
    meeting: str,
    payload: CanvasRequest,
    notice: str | None = None,
    moving: str | None = None,
) -> CanvasResponse:
    """The next free times of ``meeting`` as buttons (an unknown meeting says so); ``moving``:
    the uid of the booking a picked time reschedules."""
    if meeting not in desk.config.meetings:
        return cards.failed("That meeting can't be booked any more.")
    zone = _zone(desk, routing, meeting, payload.end_user)
    slots = await desk.service.offer(meeting, limit=SLOTS_SHOWN)
    choices = [
        SlotChoice(str(int(slot.start.timestamp())), slot_label(slot.start, zone)) for slot in slots
    ]
    words = f"{zone_name(zone, slots[0].start if slots else datetime.now(UTC))} time"
    title = desk.config.plan(meeting).title
    return cards.slot_list(meeting, title, choices, words, notice=notice, moving=moving)


async def upcoming(
    desk: MeetingDesk, routing: RoutingTable, payload: CanvasRequest
) -> BookedMeeting | None:
    """The earliest booked meeting of the request's contact that has not ended yet, in any
    conversation (``None``: none, or no contact known)."""
    who = payload.end_user
    if who is None or not who.id:
        return None
    booking = await desk.service.next_for_contact(who.id)
    return _shown(desk, routing, booking, who) if booking is not None else None


def _shown(
    desk: MeetingDesk, routing: RoutingTable, booking: MeetingBooking, who: EndUser | None
) -> BookedMeeting:
    zone = _zone(desk, routing, booking.meeting, who)
    label = slot_label(datetime.fromtimestamp(booking.starts_at, UTC), zone)
    return BookedMeeting(booking.uid, booking.meeting, booking.title, label, booking.host_name)


async def start(
    desk: MeetingDesk, routing: RoutingTable, payload: CanvasRequest, *, another: bool = False
) -> CanvasResponse:
    """The first booking screen: the customer's upcoming meeting (unless booking
    ``another``), else the meeting types, or the only one's free times."""
    if not another and (booked := await upcoming(desk, routing, payload)):
        return cards.current(booked)
    meetings = bookable(desk)
    if len(meetings) == 1:
        return await slot_picker(desk, routing, next(iter(meetings)), payload)
    return cards.meeting_types(meetings)


def _email(payload: SubmitRequest, stored: Mapping[str, Any]) -> str | None:
    entered = payload.input_values.get(cards.EMAIL)
    if entered is not None:
        return str(entered).strip()
    known = stored.get("email") or (payload.end_user.email if payload.end_user else None)
    return str(known) if known else None


def _chosen(stored: Mapping[str, Any], component_id: str) -> SlotChoice | None:
    slot_id = component_id.removeprefix(cards.SLOT_PREFIX)
    label = (stored.get("slots") or {}).get(slot_id)
    return SlotChoice(slot_id, str(label)) if label and slot_id.isdigit() else None


async def _book(desk: MeetingDesk, routing: RoutingTable, payload: SubmitRequest) -> CanvasResponse:
    stored = payload.stored_data
    meeting, title = str(stored.get("meeting") or ""), str(stored.get("title") or "")
    slot = SlotChoice(str(stored.get("start") or ""), str(stored.get("label") or ""))
    email = _email(payload, stored)
    if problem := cards.email_problem(email):
        return cards.confirm(meeting, title, slot, email, email_problem=problem)
    if not slot.id.isdigit():
        return await slot_picker(desk, routing, meeting, payload)
    who = payload.end_user
    try:
        outcome = await desk.service.book(
            meeting,
            datetime.fromtimestamp(int(slot.id), UTC),
            payload.conversation_id or "",
            who.id if who else None,
            str(email),
        )
    except SlotTaken:
        return await slot_picker(desk, routing, meeting, payload, notice=cards.TAKEN)
    except MeetingError as error:
        log.warning("meeting not booked from the Messenger", meeting=meeting, error=str(error))
        return cards.failed(str(error))
    booking = outcome.booking
    url = desk.invitation_url(booking.uid)
    return cards.done(title, slot.label, booking.host_name, booking.attendee_email, url)


async def _reschedule(
    desk: MeetingDesk, routing: RoutingTable, payload: SubmitRequest, booked: BookedMeeting
) -> CanvasResponse:
    """Move ``booked`` to the time the customer picked (the list again when it is gone)."""
    chosen = _chosen(payload.stored_data, str(payload.component_id))
    if chosen is None:
        return await slot_picker(desk, routing, booked.meeting, payload, moving=booked.uid)
    try:
        outcome = await desk.service.reschedule(
            booked.uid, datetime.fromtimestamp(int(chosen.id), UTC)
        )
    except SlotTaken:
        return await slot_picker(
            desk, routing, booked.meeting, payload, notice=cards.TAKEN, moving=booked.uid
        )
    except (MeetingError, BookingError) as error:
        log.warning("meeting not moved from the Messenger", uid=booked.uid, error=str(error))
        return cards.failed(str(error), heading="We couldn't move that")
    booking = outcome.booking
    url = desk.invitation_url(booking.uid)
    moved = _shown(desk, routing, booking, payload.end_user)
    return cards.done(
        booked.title,
        moved.label,
        booking.host_name,
        booking.attendee_email,
        url,
        heading="Meeting moved",
    )


async def _cancel(desk: MeetingDesk, booked: BookedMeeting) -> CanvasResponse:
    """Cancel ``booked`` and hand the customer the cancellation for their calendar."""
    try:
        outcome = await desk.service.cancel(booked.uid)
    except BookingError as error:
        log.warning("meeting not cancelled from the Messenger", uid=booked.uid, error=str(error))
        return cards.failed(str(error), heading="We couldn't cancel that")
    return cards.cancelled(booked, desk.invitation_url(outcome.booking.uid))


async def _change(
    desk: MeetingDesk, routing: RoutingTable, payload: SubmitRequest, booked: BookedMeeting
) -> CanvasResponse | None:
    """The next screen about the customer's booked meeting, or ``None`` when the click is
    not about it."""
    component_id = str(payload.component_id)
    if component_id == cards.RESCHEDULE:
        return await slot_picker(desk, routing, booked.meeting, payload, moving=booked.uid)
    if component_id.startswith(cards.SLOT_PREFIX):
        return await _reschedule(desk, routing, payload, booked)
    if component_id == cards.CANCEL:
        return cards.cancel_confirm(booked)
    if component_id == cards.CANCEL_CONFIRMED:
        return await _cancel(desk, booked)
    return None


async def step(
    desk: MeetingDesk, routing: RoutingTable, payload: SubmitRequest
) -> CanvasResponse | None:
    """The next booking screen after the customer clicked, or ``None`` when the click is not
    a booking step (the caller handles it)."""
    component_id, stored = str(payload.component_id), payload.stored_data
    screen = stored.get("screen")
    if component_id == cards.BOOK:
        return await start(desk, routing, payload)
    if screen not in cards.SCREENS or component_id == cards.HOME:
        return None
    if component_id == cards.BOOK_ANOTHER:
        return await start(desk, routing, payload, another=True)
    if component_id.startswith(cards.MEETING_PREFIX):
        return await slot_picker(
            desk, routing, component_id.removeprefix(cards.MEETING_PREFIX), payload
        )
    booked = BookedMeeting.from_state(stored)
    if booked is not None:
        return await _change(desk, routing, payload, booked)
    meeting = str(stored.get("meeting") or "")
    if component_id.startswith(cards.SLOT_PREFIX):
        chosen = _chosen(stored, component_id)
        if chosen is None:
            return await slot_picker(desk, routing, meeting, payload)
        email = _email(payload, stored)
        return cards.confirm(meeting, str(stored.get("title") or ""), chosen, email)
    if component_id == cards.OTHER_TIME:
        return await slot_picker(desk, routing, meeting, payload)
    if component_id == cards.CONFIRM:
        return await _book(desk, routing, payload)
    return None


def requested_meeting(options: Mapping[str, Any]) -> str | None:
    """The meeting a teammate's card asks to book (``card_creation_options``), if any."""
    value = options.get(MEETING_OPTION)
    return str(value) if value else None
