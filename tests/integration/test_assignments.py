"""Assignment on real SQLite and PostgreSQL: owner first, round robin, the team's queue, the
directory's newest-news-wins rule, counters that survive concurrent hand-offs from several
connections (as several server instances would make them), reset, and the measured reply."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import AsyncIterator, Collection
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from concierge.routing.hours import OfficeHours, parse_day
from concierge.routing.table import Agent, MeasuredReply, Team
from concierge.runtime.assignment import AssignmentChoice, choose_assignee, expected_reply
from concierge.store import assignments as store
from concierge.store.database import Database
from concierge.store.tables import MessageRecord
from tests.support.databases import fresh_postgres, fresh_sqlite

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=LA)  # a Monday morning
WEEKDAY_HOURS = OfficeHours(LA, tuple([parse_day("08:00-17:00")] * 5 + [parse_day("closed")] * 2))
SALES = Team(
    key="sales",
    name="Sales",
    zone=LA,
    intercom_team_id="5000001",
    office_hours=WEEKDAY_HOURS,
    expected_reply="within a few hours",
    agents=(
        Agent("9000101", "Maya Chen", LA, WEEKDAY_HOURS, max_open=8, weight=2),
        Agent("9000102", "Luis Ortega", LA, WEEKDAY_HOURS, max_open=5),
        Agent("9000105", "Dana Whitfield", LA, WEEKDAY_HOURS, max_open=6),
    ),
    measured_reply=MeasuredReply(fallback="within a few hours", days=7, minimum_samples=3),
)


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


def admin(admin_id: str, *, away: bool = False) -> store.AdminEntry:
    return store.AdminEntry(admin_id=admin_id, name=f"admin {admin_id}", away=away)


async def sync(db: Database, away: Collection[str] = (), as_of: float = 100.0) -> None:
    admins = [admin(a.admin_id, away=a.admin_id in away) for a in SALES.agents]
    teams = [store.TeamEntry("5000001", "Sales", tuple(a.admin_id for a in SALES.agents))]
    async with db.transaction() as session:
        await store.sync_directory(session, admins, teams, as_of=as_of, at=as_of)


async def choose(
    db: Database,
    conversation_id: str,
    owner: str | None = None,
    open_counts: dict[str, int] | None = None,
    now: datetime = NOW,
) -> AssignmentChoice:
    async with db.transaction() as session:
        return await choose_assignee(
            session, SALES, owner, now, open_counts or {}, conversation_id=conversation_id
        )


# -- directory ---------------------------------------------------------------------------


async def test_the_directory_keeps_the_newest_news(db: Database) -> None:
    await sync(db, as_of=100.0)
    async with db.transaction() as session:
        assert await store.apply_away(session, admin("9000102", away=True), as_of=200.0, at=201.0)
    await sync(db, as_of=150.0)  # a sync that started before the webhook does not undo it
    async with db.transaction() as session:
        assert (await store.away_flags(session, ["9000102"])) == {"9000102": True}
        assert not await store.apply_away(session, admin("9000102"), as_of=120.0, at=202.0)
    await sync(db, as_of=300.0)
    async with db.transaction() as session:
        assert (await store.away_flags(session, ["9000102"])) == {"9000102": False}


async def test_a_full_sync_removes_admins_and_teams_intercom_no_longer_lists(
    db: Database,
) -> None:
    await sync(db, as_of=100.0)
    async with db.transaction() as session:
        counts = await store.sync_directory(session, [admin("9000101")], [], as_of=200.0, at=200.0)
        assert (counts.removed_admins, counts.removed_teams) == (2, 1)
        assert [row.admin_id for row in await store.list_admins(session)] == ["9000101"]
        assert await store.list_teams(session) == []


# -- owner, round robin, queue -----------------------------------------------------------


async def test_the_contacts_owner_gets_it_when_available(db: Database) -> None:
    await sync(db)
    choice = await choose(db, "c1", owner="9000102")
    assert (choice.admin_id, choice.method) == ("9000102", "owner")
    assert choice.reason == "the contact's owner Luis Ortega is available"
    async with db.transaction() as session:
        assert await store.list_counters(session, "sales") == []  # no round-robin turn used
        [logged] = await store.list_assignments(session, conversation_id="c1")
    assert logged.admin_id == "9000102"
    assert logged.availability["contact_owner_id"] == "9000102"
    assert logged.availability["online"] == ["9000101", "9000102", "9000105"]


async def test_an_away_owner_falls_back_to_round_robin_among_the_available(
    db: Database,
) -> None:
    await sync(db, away={"9000102"})
    choice = await choose(db, "c1", owner="9000102", open_counts={"9000101": 8})
    assert (choice.admin_id, choice.method, choice.position) == ("9000105", "round_robin", 1)
    assert choice.reason == (
        "the contact's owner Luis Ortega is away; round robin, 1 of 3 online: Dana Whitfield"
    )
    async with db.transaction() as session:
        [logged] = await store.list_assignments(session, conversation_id="c1")
    agents = {agent["name"]: agent["reason"] for agent in logged.availability["agents"]}
    assert agents == {
        "Maya Chen": "at cap 8/8",
        "Luis Ortega": "away",
        "Dana Whitfield": "available",
    }


async def test_nobody_available_goes_to_the_teams_queue_with_the_reasons(db: Database) -> None:
    await sync(db, away={"9000101", "9000102", "9000105"})
    choice = await choose(db, "c1")
    assert choice.to_team_queue
    assert (choice.method, choice.intercom_team_id) == ("team_queue", "5000001")
    assert choice.reason == (
        "nobody on Sales is available (Maya Chen: away; Luis Ortega: away; "
        "Dana Whitfield: away); the team's queue"
    )
    evening = await choose(db, "c2", now=NOW.replace(hour=20))
    assert evening.to_team_queue
    assert "outside working hours (Mon 08:00-17:00 America/Los_Angeles)" in evening.reason
    assert evening.availability.next_open == datetime(2026, 3, 3, 8, 0, tzinfo=LA)


async def test_agents_missing_from_the_directory_are_not_assigned(db: Database) -> None:
    choice = await choose(db, "c1")  # never synced
    assert choice.to_team_queue
    assert "Maya Chen: not in the Intercom directory" in choice.reason


# -- concurrency -------------------------------------------------------------------------


async def test_simultaneous_hand_offs_on_one_engine_take_distinct_turns(db: Database) -> None:
    await sync(db)
    choices = await asyncio.gather(*(choose(db, f"c{n}") for n in range(20)))
    assert sorted(c.position for c in choices if c.position) == list(range(1, 21))
    # weights 2:1:1 over 20 hand-offs: exactly five full rounds
    assert Counter(c.admin_id for c in choices) == {"9000101": 10, "9000102": 5, "9000105": 5}


def test_hand_offs_from_several_instances_at_once_never_share_a_turn(database_url: str) -> None:
    """Four threads, each with its own engine and event loop (as four server instances would
    be), start five hand-offs each at the same moment."""
    asyncio.run(_synced(database_url))
    start = threading.Barrier(4)
    results: list[AssignmentChoice] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    async def instance(number: int) -> None:
        database = Database(database_url)
        try:
            start.wait()
            made = await asyncio.gather(*(choose(database, f"i{number}-c{n}") for n in range(5)))
            with lock:
                results.extend(made)
        finally:
            await database.dispose()

    def run(number: int) -> None:
        try:
            asyncio.run(instance(number))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(c.position for c in results if c.position) == list(range(1, 21))
    assert Counter(c.admin_id for c in results) == {"9000101": 10, "9000102": 5, "9000105": 5}
    totals = asyncio.run(_assigned_totals(database_url))
    assert totals == {"9000101": 10, "9000102": 5, "9000105": 5}


async def _synced(url: str) -> None:
    database = Database(url)
    try:
        await sync(database)
    finally:
        await database.dispose()


async def _assigned_totals(url: str) -> dict[str, int]:
    database = Database(url)
    try:
        async with database.transaction() as session:
            return {c.admin_id: c.assigned for c in await store.list_counters(session, "sales")}
    finally:
        await database.dispose()


# -- counters for admins -----------------------------------------------------------------


async def test_counters_can_be_listed_and_reset(db: Database) -> None:
    await sync(db)
    first = [(await choose(db, f"c{n}")).admin_id for n in range(3)]
    assert first == ["9000101", "9000102", "9000105"]
    async with db.transaction() as session:
        listed = await store.list_counters(session, "sales")
        assert [(c.admin_id, c.assigned) for c in listed] == [
            ("9000101", 1),
            ("9000102", 1),
            ("9000105", 1),
        ]
        assert await store.round_robin_teams(session) == ["sales"]
        assert await store.reset_counters(session, "sales", at=500.0) == 3
        assert {c.current for c in await store.list_counters(session, "sales")} == {0}
    again = await choose(db, "c4")
    assert (again.admin_id, again.position) == ("9000101", 4)  # fresh round, numbers go on


# -- measured reply ----------------------------------------------------------------------


async def test_the_measured_reply_is_the_median_first_response_of_the_last_week(
    db: Database,
) -> None:
    await sync(db)
    async with db.transaction() as session:
        assert await expected_reply(session, SALES, NOW) == "within a few hours"  # no data
    handed = NOW - timedelta(days=2)
    for number, minutes in enumerate([4, 12, 50, 300]):
        await choose(db, f"m{number}", now=handed)
        await _admin_reply(db, f"m{number}", handed + timedelta(minutes=minutes))
    await choose(db, "old", now=NOW - timedelta(days=9))
    await _admin_reply(db, "old", NOW - timedelta(days=9) + timedelta(hours=30))
    async with db.transaction() as session:
        samples = await store.first_response_seconds(
            session, "sales", (NOW - timedelta(days=7)).timestamp(), NOW.timestamp()
        )
        assert sorted(samples) == [240.0, 720.0, 3000.0, 18000.0]
        assert await expected_reply(session, SALES, NOW) == "within 35 minutes"  # median 31 min


async def _admin_reply(db: Database, conversation_id: str, at: datetime) -> None:
    async with db.transaction() as session:
        session.add(
            MessageRecord(
                conversation_id=conversation_id,
                part_id=f"p-{conversation_id}",
                author_type="admin",
                author_id="9000101",
                body="On it",
                created_at=int(at.astimezone(UTC).timestamp()),
            )
        )
