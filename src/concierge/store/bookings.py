"""Repository for booked meetings: hold a slot so two customers can never take it.

Booking and moving a meeting first lock the host's row in ``meeting_host_locks`` with an upsert
(:func:`lock_host`), as :func:`concierge.store.assignments.lock_team` does for round robin. In
PostgreSQL the upsert takes the row lock (as ``SELECT ... FOR UPDATE`` would) until the
transaction ends; in SQLite it is the transaction's first write, which takes the database's
write lock before anything is read (the effect of ``BEGIN IMMEDIATE``). So the overlap check
and the insert that follows it run for one host at a time, from any number of server
instances. The partial unique index on (host, start) of booked meetings backs this up: a
second booking of the same host and start fails in the database whatever the caller did.

Cancelling only frees time, so it takes no host lock: it is one conditional UPDATE (booked
to cancelled), and a move locks the booking's row before reading it, so a booking is never
both cancelled and moved.

Two bookings of a host clash when their *blocked* periods (the meeting plus its buffers)
share time; touching is fine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from concierge.store.booking_tables import BOOKED, CANCELLED, MeetingBooking, MeetingHostLock


class BookingError(Exception):
    """Root of what booking refuses; the message says why in words."""


class SlotTaken(BookingError):  # noqa: N818 - what the caller is told: "that slot is taken"
    """The host is no longer free at that time: someone else holds an overlapping booking."""


class BookingNotFoundError(BookingError, LookupError):
    """No booking has this uid."""


class BookingCancelledError(BookingError):
    """The booking was cancelled; it can be neither cancelled again nor moved."""


@dataclass(frozen=True)
class Placement:
    """Where and when a booking sits: the host and the meeting's and blocked periods."""

    host_id: str
    host_name: str
    starts_at: float
    ends_at: float
    blocked_from: float
    blocked_until: float


@dataclass(frozen=True)
class BookingRequest:
    """Everything a new booking records besides its placement."""

    uid: str
    meeting: str
    title: str
    team: str
    attendee_email: str
    organizer_email: str
    conversation_id: str | None = None
    contact_id: str | None = None


@dataclass(frozen=True)
class BookedPeriod:
    """A host's blocked time from a booking (meeting plus buffers), Unix seconds."""

    host_id: str
    blocked_from: float
    blocked_until: float


async def lock_host(session: AsyncSession, host_id: str, at: float) -> None:
    """Lock ``host_id``'s row until the transaction ends (created on first use)."""
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgresql_insert
    statement = (
        insert(MeetingHostLock)
        .values(host_id=host_id, updated_at=at)
        .on_conflict_do_update(index_elements=["host_id"], set_={"updated_at": at})
    )
    await session.exec(statement)


async def _clash(
    session: AsyncSession, place: Placement, excluding_uid: str | None
) -> MeetingBooking | None:
    """A booked meeting of the host whose blocked period shares time with ``place``'s."""
    statement = select(MeetingBooking).where(
        col(MeetingBooking.host_id) == place.host_id,
        col(MeetingBooking.status) == BOOKED,
        col(MeetingBooking.blocked_from) < place.blocked_until,
        col(MeetingBooking.blocked_until) > place.blocked_from,
    )
    if excluding_uid is not None:
        statement = statement.where(col(MeetingBooking.uid) != excluding_uid)
    return (await session.exec(statement.limit(1))).first()


def _check(place: Placement) -> None:
    if place.blocked_from > place.starts_at or place.blocked_until < place.ends_at:
        raise ValueError("the blocked period must contain the meeting")


async def _refuse_clash(
    session: AsyncSession, place: Placement, excluding_uid: str | None = None
) -> None:
    """:class:`SlotTaken` when ``place`` clashes with another booking (host locked first)."""
    if await _clash(session, place, excluding_uid) is not None:
        raise SlotTaken(f"host {place.host_id} is already booked at that time")


async def _flush(session: AsyncSession, place: Placement) -> None:
    try:
        await session.flush()
    except IntegrityError:
        raise SlotTaken(f"host {place.host_id} is already booked at that time") from None


async def book(
    session: AsyncSession, request: BookingRequest, place: Placement, at: float
) -> MeetingBooking:
    """Store a new booking; :class:`SlotTaken` when the host is booked at that time.

    The host stays locked until the caller's transaction ends.
    """
    _check(place)
    await lock_host(session, place.host_id, at)
    await _refuse_clash(session, place)
    booking = MeetingBooking(
        uid=request.uid,
        meeting=request.meeting,
        title=request.title,
        team=request.team,
        host_id=place.host_id,
        host_name=place.host_name,
        starts_at=place.starts_at,
        ends_at=place.ends_at,
        blocked_from=place.blocked_from,
        blocked_until=place.blocked_until,
        conversation_id=request.conversation_id,
        contact_id=request.contact_id,
        attendee_email=request.attendee_email,
        organizer_email=request.organizer_email,
        status=BOOKED,
        sequence=0,
        created_at=at,
        updated_at=at,
    )
    session.add(booking)
    await _flush(session, place)
    return booking


async def find_booking(
    session: AsyncSession, uid: str, *, for_update: bool = False
) -> MeetingBooking | None:
    """The booking with ``uid`` (booked or cancelled), if any, as stored now; ``for_update``
    locks its row until the transaction ends (PostgreSQL; SQLite locks the whole database on
    the transaction's first write)."""
    statement = select(MeetingBooking).where(col(MeetingBooking.uid) == uid)
    if for_update:
        statement = statement.with_for_update()
    result = await session.exec(statement.execution_options(populate_existing=True))
    return result.first()


def _refusal(uid: str, booking: MeetingBooking | None) -> BookingError:
    if booking is None:
        return BookingNotFoundError(f"no booking {uid!r}")
    return BookingCancelledError(f"booking {uid!r} was cancelled")


async def cancel(session: AsyncSession, uid: str, at: float) -> MeetingBooking:
    """Cancel a booking (its time is free again) and bump its sequence for the CANCEL.

    One conditional UPDATE, so a booking is cancelled once even when two cancels (or a cancel
    and a move) race; the loser gets :class:`BookingCancelledError`.
    """
    statement = (
        update(MeetingBooking)
        .where(col(MeetingBooking.uid) == uid, col(MeetingBooking.status) == BOOKED)
        .values(status=CANCELLED, sequence=col(MeetingBooking.sequence) + 1, updated_at=at)
    )
    changed = (await session.exec(statement)).rowcount == 1
    booking = await find_booking(session, uid)
    if not changed or booking is None:
        raise _refusal(uid, booking)
    return booking


async def reschedule(
    session: AsyncSession, uid: str, place: Placement, at: float
) -> MeetingBooking:
    """Move a booking to ``place`` in one step: same uid, sequence one higher, the old time
    free and the new one held; :class:`SlotTaken` (nothing changed) when the new time clashes
    with another booking of that host."""
    _check(place)
    await lock_host(session, place.host_id, at)
    booking = await find_booking(session, uid, for_update=True)
    if booking is None or booking.status != BOOKED:
        raise _refusal(uid, booking)
    await _refuse_clash(session, place, excluding_uid=uid)
    booking.host_id, booking.host_name = place.host_id, place.host_name
    booking.starts_at, booking.ends_at = place.starts_at, place.ends_at
    booking.blocked_from, booking.blocked_until = place.blocked_from, place.blocked_until
    booking.sequence += 1
    booking.updated_at = at
    session.add(booking)
    await _flush(session, place)
    return booking


async def bookings_of_conversation(
    session: AsyncSession, conversation_id: str
) -> list[MeetingBooking]:
    """Every booking made in a conversation (booked and cancelled), earliest first."""
    statement = (
        select(MeetingBooking)
        .where(col(MeetingBooking.conversation_id) == conversation_id)
        .order_by(col(MeetingBooking.starts_at), col(MeetingBooking.id))
    )
    return list((await session.exec(statement)).all())


async def next_booking_of_contact(
    session: AsyncSession, contact_id: str, after: float
) -> MeetingBooking | None:
    """The contact's earliest booked meeting that ends after ``after``, if any."""
    statement = (
        select(MeetingBooking)
        .where(
            col(MeetingBooking.contact_id) == contact_id,
            col(MeetingBooking.status) == BOOKED,
            col(MeetingBooking.ends_at) > after,
        )
        .order_by(col(MeetingBooking.starts_at))
        .limit(1)
    )
    return (await session.exec(statement)).first()


async def booked_periods(
    session: AsyncSession,
    hosts: Iterable[str],
    start: float,
    end: float,
    excluding_uid: str | None = None,
) -> list[BookedPeriod]:
    """The blocked periods of the hosts' booked meetings that share time with ``start``-``end``
    (so a booked slot is busy before the host's own calendar shows it)."""
    statement = select(MeetingBooking).where(
        col(MeetingBooking.host_id).in_(list(hosts)),
        col(MeetingBooking.status) == BOOKED,
        col(MeetingBooking.blocked_from) < end,
        col(MeetingBooking.blocked_until) > start,
    )
    if excluding_uid is not None:
        statement = statement.where(col(MeetingBooking.uid) != excluding_uid)
    rows = (await session.exec(statement.order_by(col(MeetingBooking.blocked_from)))).all()
    return [BookedPeriod(row.host_id, row.blocked_from, row.blocked_until) for row in rows]


async def upcoming_counts(
    session: AsyncSession, hosts: Iterable[str], after: float
) -> Counter[str]:
    """How many booked meetings each host has that end after ``after`` (absent: none)."""
    statement = select(MeetingBooking.host_id).where(
        col(MeetingBooking.host_id).in_(list(hosts)),
        col(MeetingBooking.status) == BOOKED,
        col(MeetingBooking.ends_at) > after,
    )
    return Counter(str(host) for host in (await session.exec(statement)).all())
