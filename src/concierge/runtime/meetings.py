"""Meetings with our people: offer free slots, book one, cancel or move it, and tell Intercom.

:class:`MeetingService` joins four things:

* the playbook's meeting types (``meetings.yaml``) and each host's working hours and timezone
  (the agents of ``routing.yaml``);
* the hosts' calendars (:class:`HostCalendars`: iCalendar feeds, Microsoft 365 through Graph);
  a host whose calendar cannot be read is left out of the offer (and logged), never shown as
  free;
* the store's bookings, which are busy time too, so a booked slot disappears at once, before
  the host's calendar shows it;
* Intercom: a note on the conversation and the contact attribute ``concierge_next_meeting``
  (the ISO start of the contact's next booked meeting, cleared when there is none).

A booking is committed before Intercom is told. If the note or the attribute cannot be
written the booking stands; the failure is logged and listed in the outcome.

Before booking, the start is checked again against the calendars and the bookings, and the
host is chosen among those free then: the one with the fewest upcoming bookings, ties going
to the one listed first. The store holds the slot (see :mod:`concierge.store.bookings`), so
two customers can never both get it; the loser gets :class:`SlotTaken`.
"""

from __future__ import annotations

import asyncio
import html
import secrets
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import structlog

from concierge.intercom.client import IntercomClient
from concierge.intercom.errors import IntercomError
from concierge.routing.calendars import (
    BusyBlock,
    CalendarError,
    CalendarSource,
    GraphScheduleSource,
    ICalendarSource,
    ICalFeed,
    ScheduleLookup,
    collect_busy,
)
from concierge.routing.hours import OfficeHours
from concierge.routing.invitations import cancellation_ics, invitation_ics
from concierge.routing.meetings_loader import MeetingPlan, MeetingsConfig
from concierge.routing.slots import HostAvailability, MeetingType, Slot, booking_window, free_slots
from concierge.routing.table import Agent, RoutingTable
from concierge.runtime.clock import utc_now
from concierge.store import bookings as store
from concierge.store.booking_tables import BOOKED, MeetingBooking
from concierge.store.bookings import BookingRequest, Placement, SlotTaken
from concierge.store.database import Database

log = structlog.get_logger(component="meetings")

NEXT_MEETING_ATTRIBUTE = "concierge_next_meeting"
UID_BYTES = 18  # secrets.token_urlsafe: 24 characters, 144 random bits
_LOOKUP_MARGIN = timedelta(days=1)
_ALL_DAY = ((time(0), None),)
EN_DASH = "\u2013"

Clock = Callable[[], datetime]


class MeetingError(Exception):
    """A meeting that cannot be offered or booked as asked; the message says why."""


def invitation_path(uid: str) -> str:
    """Where the web app serves the invitation of booking ``uid``."""
    return f"/meetings/{uid}.ics"


@dataclass(frozen=True)
class MeetingOutcome:
    """A booking as stored after booking, moving or cancelling it, its iCalendar file (an
    invitation, or the cancellation), the note written to the conversation, and the Intercom
    calls that failed (the booking stands regardless)."""

    booking: MeetingBooking
    ics: bytes
    note: str
    intercom_errors: tuple[str, ...] = ()


# --- calendars --------------------------------------------------------------------------


@dataclass(frozen=True)
class HostCalendars:
    """Which calendar source answers for which hosts.

    Hosts in no source have no calendar: only meetings booked here make them busy. Hosts in
    ``unreadable`` have a calendar that cannot be read at all (say Microsoft 365 without a
    Graph token); they are reported as errors, never as free.
    """

    sources: Sequence[tuple[CalendarSource, Collection[str]]] = ()
    unreadable: Mapping[str, str] = field(default_factory=dict)

    def lookup(self, hosts: Iterable[str], start: datetime, end: datetime) -> ScheduleLookup:
        """Busy blocks per host in ``start``-``end``, and the hosts that could not be read."""
        wanted = list(dict.fromkeys(hosts))
        found = ScheduleLookup()
        for host in wanted:
            if host in self.unreadable:
                found.errors[host] = self.unreadable[host]
        for source, served in self.sources:
            asked = [host for host in wanted if host in served and host not in found.errors]
            if asked:
                _merge(found, _ask(source, asked, start, end))
        for host in wanted:
            if host not in found.errors:
                found.busy.setdefault(host, [])
        return found


def _ask(
    source: CalendarSource, hosts: list[str], start: datetime, end: datetime
) -> ScheduleLookup:
    try:
        return collect_busy(source, hosts, start, end)
    except CalendarError as error:  # a whole Graph request failed
        return ScheduleLookup(errors=dict.fromkeys(hosts, str(error)))


def _merge(into: ScheduleLookup, part: ScheduleLookup) -> None:
    into.errors.update(part.errors)
    for host, blocks in part.busy.items():
        into.busy.setdefault(host, []).extend(blocks)


def host_calendars(
    config: MeetingsConfig,
    routing: RoutingTable,
    *,
    graph: httpx.Client | None = None,
    graph_user: str | None = None,
    http: httpx.Client | None = None,
) -> HostCalendars:
    """The calendar sources of ``config``'s hosts.

    ``graph`` is an :class:`httpx.Client` for Microsoft Graph with base URL and token (see
    :func:`concierge.routing.calendars.graph_client`); without it, hosts with a ``graph:``
    calendar cannot be read, and booking with them fails with that reason. ``graph_user`` is
    the mailbox Graph's getSchedule is asked through (needed with application permissions).
    ``http`` fetches iCalendar URLs (a short-lived client per fetch when left out).
    """
    feeds: dict[str, ICalFeed] = {}
    addresses: dict[str, str] = {}
    unreadable: dict[str, str] = {}
    for host, calendar in config.calendars.items():
        if calendar.ics is not None:
            feeds[host] = ICalFeed(calendar.ics, agent_zone(routing, host))
        elif calendar.graph is not None and graph is not None:
            addresses[host] = calendar.graph
        elif calendar.graph is not None:
            unreadable[host] = (
                f"the Microsoft 365 calendar of {host} ({calendar.graph}) cannot be read: "
                "no Microsoft Graph token is configured"
            )
    sources: list[tuple[CalendarSource, Collection[str]]] = []
    if feeds:
        sources.append((ICalendarSource(feeds, client=http), frozenset(feeds)))
    if addresses and graph is not None:
        source = GraphScheduleSource(graph, user=graph_user, addresses=addresses)
        sources.append((source, frozenset(addresses)))
    return HostCalendars(sources, unreadable)


def _agents(routing: RoutingTable) -> Iterable[Agent]:
    for team in routing.teams.values():
        yield from team.agents


def agent_zone(routing: RoutingTable, admin_id: str) -> ZoneInfo:
    """The timezone of agent ``admin_id`` (the routing file's zone for an unknown admin)."""
    return next((a.zone for a in _agents(routing) if a.admin_id == admin_id), routing.zone)


# --- the invitation of a stored booking ---------------------------------------------------


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def booking_ics(booking: MeetingBooking) -> bytes:
    """The iCalendar file of a stored booking: the invitation (``METHOD:REQUEST``) while it is
    booked, the cancellation (``METHOD:CANCEL``) once cancelled; SEQUENCE is the booking's,
    DTSTAMP its last change, so the same state always gives the same bytes."""
    start, end = _moment(booking.starts_at), _moment(booking.ends_at)
    minutes = max(1, round((end - start).total_seconds() / 60))
    meeting = MeetingType(name=booking.meeting, minutes=minutes, team=booking.team)
    slot = Slot(start, end, (booking.host_id,))
    stamp = _moment(booking.updated_at)
    words = (
        slot,
        meeting,
        booking.organizer_email,
        booking.attendee_email,
        booking.uid,
        booking.title,
        f"{booking.title} with {booking.host_name}.",
    )
    if booking.status == BOOKED:
        return invitation_ics(*words, sequence=booking.sequence, stamp=stamp)
    return cancellation_ics(*words, sequence=booking.sequence - 1, stamp=stamp)


def when_text(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    """``Tue 2 Dec 10:00-10:30 PST`` in ``zone`` (with an en dash)."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    day = f"{first:%a} {first.day} {first:%b}"
    return f"{day} {first:%H:%M}{EN_DASH}{last:%H:%M} {last:%Z}"


# --- the service --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hosting:
    """A meeting type with the agents who host it, in the order listed."""

    plan: MeetingPlan
    agents: dict[str, Agent]

    @property
    def meeting(self) -> MeetingType:
        return self.plan.meeting

    def availability(self, hosts: Iterable[str]) -> dict[str, HostAvailability]:
        """Working hours of ``hosts``; an agent without hours of their own works all day."""
        found = {}
        for host in hosts:
            agent = self.agents[host]
            hours = agent.working_hours or OfficeHours(agent.zone, (_ALL_DAY,) * 7)
            found[host] = HostAvailability(hours)
        return found

    def placement(self, host: str, start: datetime) -> Placement:
        meeting = self.meeting
        end = start + meeting.duration
        return Placement(
            host_id=host,
            host_name=self.agents[host].name,
            starts_at=start.timestamp(),
            ends_at=end.timestamp(),
            blocked_from=(start - meeting.buffer_before).timestamp(),
            blocked_until=(end + meeting.buffer_after).timestamp(),
        )


class MeetingService:
    """Offer, book, cancel and move meetings; see the module docstring.

    ``admin_id`` is the admin the notes are written as (the bot). ``clock`` gives the current
    time (timezone-aware); tests fix it.
    """

    def __init__(
        self,
        config: MeetingsConfig,
        routing: RoutingTable,
        calendars: HostCalendars,
        db: Database,
        client: IntercomClient,
        *,
        admin_id: str,
        clock: Clock = utc_now,
    ) -> None:
        self._config = config
        self._routing = routing
        self._calendars = calendars
        self._db = db
        self._client = client
        self._admin_id = admin_id
        self._clock = clock

    def now(self) -> datetime:
        """The service's notion of now (a fixed clock in tests and conversation scripts)."""
        return self._clock()

    # -- offering ----------------------------------------------------------------------

    async def offer(
        self, meeting_name: str, now: datetime | None = None, limit: int | None = None
    ) -> list[Slot]:
        """Free slots of ``meeting_name``, earliest first, at most ``limit``."""
        hosting = self._hosting(meeting_name)
        now = now or self._clock()
        slots, _ = await self._free_slots(hosting, now, booking_window(hosting.meeting, now))
        return slots if limit is None else slots[: max(limit, 0)]

    async def _free_slots(
        self,
        hosting: _Hosting,
        now: datetime,
        around: tuple[datetime, datetime],
        excluding_uid: str | None = None,
    ) -> tuple[list[Slot], dict[str, str]]:
        """Free slots (judged with busy times around ``around``) and the unreadable hosts."""
        meeting = hosting.meeting
        start = around[0] - meeting.buffer_before - _LOOKUP_MARGIN
        end = around[1] + meeting.buffer_after + _LOOKUP_MARGIN
        hosts = list(hosting.agents)
        lookup = await asyncio.to_thread(self._calendars.lookup, hosts, start, end)
        for host, reason in lookup.errors.items():
            log.warning("calendar unreadable; host left out", host=host, reason=reason)
        readable = [host for host in hosts if host not in lookup.errors]
        busy = {host: list(lookup.busy.get(host, [])) for host in readable}
        async with self._db.transaction() as session:
            booked = await store.booked_periods(
                session, readable, start.timestamp(), end.timestamp(), excluding_uid
            )
        for period in booked:
            block = BusyBlock(_moment(period.blocked_from), _moment(period.blocked_until))
            busy[period.host_id].append(block)
        slots = free_slots(meeting, hosting.availability(readable), busy, now)
        return slots, lookup.errors

    async def _slot_at(
        self, hosting: _Hosting, start: datetime, now: datetime, excluding_uid: str | None = None
    ) -> Slot:
        """The free slot starting at ``start``; :class:`SlotTaken` when no host is free then,
        :class:`MeetingError` when it is not a time this meeting can be booked at."""
        if start.tzinfo is None or start.utcoffset() is None:
            raise MeetingError(f"the start {start.isoformat()} must carry a timezone")
        start = start.astimezone(UTC)
        meeting = hosting.meeting
        earliest, latest = booking_window(meeting, now)
        if not earliest <= start <= latest - meeting.duration:
            raise MeetingError(
                f"{hosting.plan.title} can be booked from {earliest:%Y-%m-%d %H:%M} UTC "
                f"until {latest:%Y-%m-%d %H:%M} UTC, not at {start:%Y-%m-%d %H:%M} UTC"
            )
        around = (start, start + meeting.duration)
        slots, errors = await self._free_slots(hosting, now, around, excluding_uid)
        slot = next((slot for slot in slots if slot.start == start), None)
        if slot is not None:
            return slot
        if errors and set(errors) == set(hosting.agents):
            reasons = "; ".join(errors.values())
            raise MeetingError(f"{hosting.plan.title} cannot be booked: {reasons}")
        unread = f" (calendars not read: {'; '.join(errors.values())})" if errors else ""
        raise SlotTaken(f"{hosting.plan.title} at {start:%Y-%m-%d %H:%M} UTC is not free{unread}")

    # -- booking -----------------------------------------------------------------------

    async def book(
        self,
        meeting_name: str,
        slot_start: datetime,
        conversation_id: str,
        contact_id: str | None,
        email: str,
    ) -> MeetingOutcome:
        """Book ``meeting_name`` at ``slot_start`` for the customer of ``conversation_id``.

        Raises :class:`SlotTaken` when nobody can take it any more (offer other slots), and
        :class:`MeetingError` for an unknown meeting type, a time outside its booking window,
        an email that is not an address, or hosts whose calendars cannot be read.
        """
        hosting = self._hosting(meeting_name)
        now = self._clock()
        request = BookingRequest(
            uid=secrets.token_urlsafe(UID_BYTES),
            meeting=hosting.plan.name,
            title=hosting.plan.title,
            team=hosting.plan.team,
            attendee_email=email.strip(),
            organizer_email=self._config.organizer_email,
            conversation_id=conversation_id,
            contact_id=contact_id,
        )
        slot = await self._slot_at(hosting, slot_start, now)
        self._check_addresses(hosting, slot, request)
        hosts = await self._host_order(hosting, slot, now)
        booking = await self._hold(hosting, slot, hosts, request)
        note = f"Meeting booked: {self._describe(booking)}"
        log.info("meeting booked", uid=booking.uid, meeting=booking.meeting, host=booking.host_id)
        return await self._outcome(booking, note, now)

    @staticmethod
    def _check_addresses(hosting: _Hosting, slot: Slot, request: BookingRequest) -> None:
        """Refuse an attendee (or organizer) address the invitation could not carry."""
        try:
            invitation_ics(
                slot,
                hosting.meeting,
                request.organizer_email,
                request.attendee_email,
                request.uid,
                request.title,
            )
        except ValueError as error:
            raise MeetingError(str(error)) from None

    async def _host_order(
        self, hosting: _Hosting, slot: Slot, now: datetime, preferred: str | None = None
    ) -> list[str]:
        """The hosts free for ``slot``: ``preferred`` first, then the fewest upcoming
        bookings first, ties in the order the meeting lists its hosts."""
        async with self._db.transaction() as session:
            counts = await store.upcoming_counts(session, slot.hosts, now.timestamp())
        listed = {host: index for index, host in enumerate(hosting.agents)}
        return sorted(slot.hosts, key=lambda h: (h != preferred, counts[h], listed[h]))

    async def _hold(
        self, hosting: _Hosting, slot: Slot, hosts: list[str], request: BookingRequest
    ) -> MeetingBooking:
        """Store the booking with the first of ``hosts`` the store lets hold the slot."""
        for host in hosts:
            try:
                async with self._db.transaction() as session:
                    place = hosting.placement(host, slot.start)
                    return await store.book(session, request, place, self._clock().timestamp())
            except SlotTaken:
                log.info("slot taken meanwhile; trying the next host", host=host)
        raise SlotTaken(f"{hosting.plan.title} at {slot.start:%Y-%m-%d %H:%M} UTC was just taken")

    # -- cancelling and moving ---------------------------------------------------------

    async def cancel(self, uid: str) -> MeetingOutcome:
        """Cancel booking ``uid``: its time is free again, the conversation gets a note and
        the outcome carries the cancellation (``METHOD:CANCEL``) for the customer's calendar.

        Raises :class:`~concierge.store.bookings.BookingNotFoundError` or
        :class:`~concierge.store.bookings.BookingCancelledError`.
        """
        now = self._clock()
        async with self._db.transaction() as session:
            booking = await store.cancel(session, uid, now.timestamp())
        log.info("meeting cancelled", uid=uid, meeting=booking.meeting, host=booking.host_id)
        return await self._outcome(booking, f"Meeting cancelled: {self._describe(booking)}", now)

    async def reschedule(self, uid: str, new_start: datetime) -> MeetingOutcome:
        """Move booking ``uid`` to ``new_start``: same uid, SEQUENCE one higher, the same host
        when they are free then (else another free host). Raises what :meth:`book` raises,
        and :class:`~concierge.store.bookings.BookingNotFoundError` or
        :class:`~concierge.store.bookings.BookingCancelledError`."""
        now = self._clock()
        async with self._db.transaction() as session:
            current = await store.find_booking(session, uid)
        if current is None:
            raise store.BookingNotFoundError(f"no booking {uid!r}")
        if current.status != BOOKED:
            raise store.BookingCancelledError(f"booking {uid!r} was cancelled")
        before = self._describe(current)
        hosting = self._hosting(current.meeting)
        slot = await self._slot_at(hosting, new_start, now, excluding_uid=uid)
        hosts = await self._host_order(hosting, slot, now, preferred=current.host_id)
        booking = await self._move(hosting, slot, hosts, uid)
        note = f"Meeting rescheduled: {self._describe(booking)} (was {before})"
        log.info("meeting rescheduled", uid=uid, meeting=booking.meeting, host=booking.host_id)
        return await self._outcome(booking, note, now)

    async def _move(
        self, hosting: _Hosting, slot: Slot, hosts: list[str], uid: str
    ) -> MeetingBooking:
        for host in hosts:
            try:
                async with self._db.transaction() as session:
                    place = hosting.placement(host, slot.start)
                    return await store.reschedule(session, uid, place, self._clock().timestamp())
            except SlotTaken:
                log.info("slot taken meanwhile; trying the next host", host=host)
        raise SlotTaken(f"{hosting.plan.title} at {slot.start:%Y-%m-%d %H:%M} UTC was just taken")

    async def bookings_for(self, conversation_id: str) -> list[MeetingBooking]:
        """Every booking made in the conversation (booked and cancelled), earliest first."""
        async with self._db.transaction() as session:
            return await store.bookings_of_conversation(session, conversation_id)

    async def next_for_contact(self, contact_id: str) -> MeetingBooking | None:
        """The contact's earliest booked meeting that has not ended, in any conversation."""
        async with self._db.transaction() as session:
            return await store.next_booking_of_contact(session, contact_id, self.now().timestamp())

    # -- telling Intercom --------------------------------------------------------------

    async def _outcome(self, booking: MeetingBooking, note: str, now: datetime) -> MeetingOutcome:
        errors = [*await self._post_note(booking, note), *await self._record(booking, now)]
        return MeetingOutcome(booking, booking_ics(booking), note, tuple(errors))

    async def _post_note(self, booking: MeetingBooking, note: str) -> list[str]:
        if booking.conversation_id is None:
            return []
        try:
            await self._client.reply(
                booking.conversation_id,
                admin_id=self._admin_id,
                body=f"<p>{html.escape(note)}</p>",
                message_type="note",
            )
        except IntercomError as error:
            log.warning("meeting note not posted", uid=booking.uid, error=str(error))
            return [f"the note on conversation {booking.conversation_id}: {error}"]
        return []

    async def _record(self, booking: MeetingBooking, now: datetime) -> list[str]:
        """Set the contact's next meeting (ISO start, UTC) or clear it when none is left."""
        contact_id = booking.contact_id
        if contact_id is None:
            return []
        async with self._db.transaction() as session:
            upcoming = await store.next_booking_of_contact(session, contact_id, now.timestamp())
        value = _moment(upcoming.starts_at).isoformat() if upcoming else None
        try:
            await self._client.update_contact_attributes(
                contact_id, {NEXT_MEETING_ATTRIBUTE: value}
            )
        except IntercomError as error:
            log.warning("next meeting not recorded", contact=contact_id, error=str(error))
            return [f"{NEXT_MEETING_ATTRIBUTE} on contact {contact_id}: {error}"]
        return []

    # -- the playbook ------------------------------------------------------------------

    def _hosting(self, meeting_name: str) -> _Hosting:
        try:
            plan = self._config.plan(meeting_name)
        except KeyError as error:
            raise MeetingError(str(error.args[0])) from None
        team = self._routing.teams.get(plan.team)
        if team is None:
            raise MeetingError(f"meeting {plan.name!r} names unknown team {plan.team!r}")
        agents = {agent.admin_id: agent for agent in plan.host_agents(team)}
        if not agents:
            raise MeetingError(f"meeting {plan.name!r} has no hosts in team {plan.team!r}")
        return _Hosting(plan, agents)

    def _describe(self, booking: MeetingBooking) -> str:
        """``Quote review, Tue 2 Dec 10:00-10:30 PST with Maya Chen`` (host's timezone)."""
        zone = agent_zone(self._routing, booking.host_id)
        when = when_text(_moment(booking.starts_at), _moment(booking.ends_at), zone)
        return f"{booking.title}, {when} with {booking.host_name}"
