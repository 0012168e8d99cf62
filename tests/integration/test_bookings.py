"""Booked meetings on real SQLite and PostgreSQL: a slot is held so two customers can never take
it (also when they book at the same instant from several server instances), overlapping
bookings are refused, cancelling frees the time and rescheduling keeps the uid."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from concierge.store import bookings as store
from concierge.store.booking_tables import BOOKED, CANCELLED, MeetingBooking
from concierge.store.bookings import BookingRequest, Placement, SlotTaken
from concierge.store.database import Database
from tests.support.databases import fresh_postgres, fresh_sqlite

NINE = 1_790_000_000.0  # a meeting start, Unix seconds
MINUTE = 60.0
AT = NINE - 86_400


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return fresh_sqlite(tmp_path)
    return fresh_postgres(request.getfixturevalue("postgres_url"))


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


def request(uid: str, contact: str = "contact-1", conversation: str = "conv-1") -> BookingRequest:
    return BookingRequest(
        uid=uid,
        meeting="quote_review",
        title="Quote review",
        team="sales",
        attendee_email="pat@example.com",
        organizer_email="meetings@example.com",
        conversation_id=conversation,
        contact_id=contact,
    )


def place(start: float, host: str = "101", minutes: int = 30, buffer: int = 0) -> Placement:
    end = start + minutes * MINUTE
    return Placement(
        host_id=host,
        host_name=f"host {host}",
        starts_at=start,
        ends_at=end,
        blocked_from=start - buffer * MINUTE,
        blocked_until=end + buffer * MINUTE,
    )


async def book(db: Database, uid: str, where: Placement, **who: str) -> MeetingBooking:
    async with db.transaction() as session:
        return await store.book(session, request(uid, **who), where, AT)


async def booked_uids(db: Database) -> list[str]:
    async with db.transaction() as session:
        rows = await store.bookings_of_conversation(session, "conv-1")
    return [row.uid for row in rows if row.status == BOOKED]


# -- holding a slot ----------------------------------------------------------------------


async def test_a_booking_is_stored_with_everything_its_invitation_needs(db: Database) -> None:
    booking = await book(db, "uid-1", place(NINE, buffer=10))
    async with db.transaction() as session:
        stored = await store.find_booking(session, "uid-1")
    assert stored is not None
    assert (stored.id, stored.status, stored.sequence) == (booking.id, BOOKED, 0)
    assert (stored.host_id, stored.starts_at, stored.ends_at) == ("101", NINE, NINE + 1800)
    assert (stored.blocked_from, stored.blocked_until) == (NINE - 600, NINE + 2400)
    assert (stored.title, stored.attendee_email) == ("Quote review", "pat@example.com")


async def test_the_same_host_and_start_cannot_be_booked_twice(db: Database) -> None:
    await book(db, "first", place(NINE))
    with pytest.raises(SlotTaken):
        await book(db, "second", place(NINE), contact="contact-2")
    assert await booked_uids(db) == ["first"]


async def test_an_overlapping_booking_is_refused_buffers_included(db: Database) -> None:
    await book(db, "first", place(NINE, buffer=10))
    with pytest.raises(SlotTaken):  # 09:30 would start inside the first meeting's buffer
        await book(db, "second", place(NINE + 30 * MINUTE))
    with pytest.raises(SlotTaken):  # its own buffer would reach into the first meeting
        await book(db, "third", place(NINE - 35 * MINUTE, buffer=10))
    await book(db, "touching", place(NINE + 40 * MINUTE))  # starts as the buffer ends
    await book(db, "other-host", place(NINE, host="102"))
    assert await booked_uids(db) == ["first", "other-host", "touching"]


async def test_the_database_refuses_two_booked_meetings_at_one_host_and_start(
    db: Database,
) -> None:
    """The partial unique index holds even for a writer that skips the overlap check."""
    first = await book(db, "first", place(NINE))
    values = first.model_dump(exclude={"id"})
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            session.add(MeetingBooking(**{**values, "uid": "sneaky"}))
    async with db.transaction() as session:  # a cancelled meeting does not count
        session.add(MeetingBooking(**{**values, "uid": "old", "status": CANCELLED}))


# -- simultaneous bookings -----------------------------------------------------------------


def run_at_once(
    count: int, url: str, attempt: Callable[[Database, int], Coroutine[Any, Any, Any]]
) -> list[Any]:
    """``count`` threads, each with its own engine and event loop (as separate server instances
    would be), start ``attempt`` at the same moment; their results or exceptions, by thread."""
    start = threading.Barrier(count)
    results: list[Any] = [None] * count

    async def instance(number: int) -> Any:
        database = Database(url)
        try:
            async with database.transaction() as session:  # connect before the race
                await store.find_booking(session, "warm-up")
            start.wait()
            return await attempt(database, number)
        finally:
            await database.dispose()

    def run(number: int) -> None:
        try:
            results[number] = asyncio.run(instance(number))
        except BaseException as exc:  # the test inspects what each thread got
            results[number] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_simultaneous_bookings_of_one_slot_from_several_instances_have_one_winner(
    database_url: str,
) -> None:
    results = run_at_once(
        4, database_url, lambda db, n: book(db, f"customer-{n}", place(NINE), contact=f"c{n}")
    )
    winners = [r for r in results if isinstance(r, MeetingBooking)]
    losers = [r for r in results if isinstance(r, SlotTaken)]
    assert (len(winners), len(losers)) == (1, 3), results
    assert asyncio.run(_booked(database_url)) == [winners[0].uid]


def test_simultaneous_overlapping_bookings_at_different_starts_have_one_winner(
    database_url: str,
) -> None:
    """Starts 5 minutes apart never meet in the unique index: only the host lock keeps the
    second customer out."""
    results = run_at_once(
        4,
        database_url,
        lambda db, n: book(db, f"customer-{n}", place(NINE + n * 5 * MINUTE), contact=f"c{n}"),
    )
    assert sum(isinstance(r, MeetingBooking) for r in results) == 1, results
    assert sum(isinstance(r, SlotTaken) for r in results) == 3, results


async def test_simultaneous_bookings_on_one_engine_have_one_winner(db: Database) -> None:
    results = await asyncio.gather(
        *(book(db, f"customer-{n}", place(NINE)) for n in range(5)), return_exceptions=True
    )
    assert sum(isinstance(r, MeetingBooking) for r in results) == 1, results
    assert sum(isinstance(r, SlotTaken) for r in results) == 4, results


def test_simultaneous_cancels_of_one_booking_cancel_it_once(database_url: str) -> None:
    asyncio.run(_book_once(database_url))

    async def cancel(db: Database, _: int) -> MeetingBooking:
        async with db.transaction() as session:
            return await store.cancel(session, "to-cancel", AT + 1)

    results = run_at_once(3, database_url, cancel)
    cancelled = [r for r in results if isinstance(r, MeetingBooking)]
    assert len(cancelled) == 1, results
    assert sum(isinstance(r, store.BookingCancelledError) for r in results) == 2, results
    assert (cancelled[0].status, cancelled[0].sequence) == (CANCELLED, 1)


async def _book_once(url: str) -> None:
    database = Database(url)
    try:
        await book(database, "to-cancel", place(NINE))
    finally:
        await database.dispose()


async def _booked(url: str) -> list[str]:
    database = Database(url)
    try:
        async with database.transaction() as session:
            periods = await store.booked_periods(session, ["101"], NINE - 86_400, NINE + 86_400)
            rows = [await store.find_booking(session, f"customer-{n}") for n in range(4)]
    finally:
        await database.dispose()
    assert len(periods) == 1
    return [row.uid for row in rows if row is not None]


# -- cancel and reschedule -----------------------------------------------------------------


async def test_cancelling_frees_the_slot_and_bumps_the_sequence(db: Database) -> None:
    await book(db, "first", place(NINE))
    async with db.transaction() as session:
        cancelled = await store.cancel(session, "first", AT + 5)
    assert (cancelled.status, cancelled.sequence, cancelled.updated_at) == (CANCELLED, 1, AT + 5)
    again = await book(db, "second", place(NINE), contact="contact-2")
    assert again.status == BOOKED
    with pytest.raises(store.BookingCancelledError):
        async with db.transaction() as session:
            await store.cancel(session, "first", AT + 6)
    with pytest.raises(store.BookingNotFoundError):
        async with db.transaction() as session:
            await store.cancel(session, "nobody", AT + 6)


async def test_rescheduling_keeps_the_uid_bumps_the_sequence_and_frees_the_old_time(
    db: Database,
) -> None:
    await book(db, "moving", place(NINE))
    async with db.transaction() as session:  # 15 minutes later overlaps only itself
        moved = await store.reschedule(session, "moving", place(NINE + 15 * MINUTE), AT + 5)
    assert (moved.uid, moved.sequence, moved.starts_at) == ("moving", 1, NINE + 15 * MINUTE)
    async with db.transaction() as session:
        moved = await store.reschedule(session, "moving", place(NINE + 120 * MINUTE), AT + 6)
    assert moved.sequence == 2
    await book(db, "takes-the-old-time", place(NINE), contact="contact-2")
    assert await booked_uids(db) == ["takes-the-old-time", "moving"]


async def test_rescheduling_onto_a_taken_time_changes_nothing(db: Database) -> None:
    await book(db, "mine", place(NINE))
    await book(db, "theirs", place(NINE + 60 * MINUTE), contact="contact-2")
    with pytest.raises(SlotTaken):
        async with db.transaction() as session:
            await store.reschedule(session, "mine", place(NINE + 45 * MINUTE), AT + 5)
    async with db.transaction() as session:
        mine = await store.find_booking(session, "mine")
    assert mine is not None
    assert (mine.starts_at, mine.sequence) == (NINE, 0)


async def test_rescheduling_a_cancelled_booking_is_refused(db: Database) -> None:
    await book(db, "gone", place(NINE))
    async with db.transaction() as session:
        await store.cancel(session, "gone", AT + 1)
    with pytest.raises(store.BookingCancelledError):
        async with db.transaction() as session:
            await store.reschedule(session, "gone", place(NINE + 3600), AT + 2)


# -- reading bookings ----------------------------------------------------------------------


async def test_busy_periods_counts_and_the_next_meeting_of_a_contact(db: Database) -> None:
    await book(db, "early", place(NINE, buffer=5))
    await book(db, "late", place(NINE + 7200))
    await book(db, "other", place(NINE, host="102"), contact="contact-2", conversation="conv-2")
    await book(db, "far", place(NINE + 30 * 86_400, host="102"), contact="contact-2")
    async with db.transaction() as session:
        periods = await store.booked_periods(session, ["101"], NINE - 3600, NINE + 3600)
        without = await store.booked_periods(
            session, ["101"], NINE - 3600, NINE + 3600, excluding_uid="early"
        )
        counts = await store.upcoming_counts(session, ["101", "102", "103"], NINE)
        later = await store.upcoming_counts(session, ["101", "102"], NINE + 1800)
        upcoming = await store.next_booking_of_contact(session, "contact-1", NINE + 1800)
        none_left = await store.next_booking_of_contact(session, "contact-1", NINE + 9000)
        conversation = await store.bookings_of_conversation(session, "conv-1")
    assert [(p.host_id, p.blocked_from, p.blocked_until) for p in periods] == [
        ("101", NINE - 300, NINE + 2100)
    ]
    assert without == []
    assert counts == {"101": 2, "102": 2}
    assert later == {"101": 1, "102": 1}  # meetings that have ended no longer count
    assert upcoming is not None
    assert upcoming.uid == "late"
    assert none_left is None
    assert [row.uid for row in conversation] == ["early", "late", "far"]
