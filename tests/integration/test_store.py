"""The store on real SQLite and PostgreSQL: durable dedupe, per-conversation order, leases."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from concierge.store import events as event_store
from concierge.store.database import Database
from tests.support.databases import fresh_postgres, fresh_sqlite


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        url = fresh_sqlite(tmp_path)
    else:
        url = fresh_postgres(request.getfixturevalue("postgres_url"))
    database = Database(url)
    yield database
    await database.dispose()


def values(notification_id: str, conversation_id: str | None, created_at: int) -> dict[str, Any]:
    return {
        "notification_id": notification_id,
        "topic": "conversation.user.replied",
        "conversation_id": conversation_id,
        "payload": {"id": notification_id},
        "intercom_created_at": created_at,
        "received_at": 0.0,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": 0.0,
    }


async def store(db: Database, *rows: dict[str, Any]) -> list[bool]:
    results = []
    async with db.transaction() as session:
        for row in rows:
            results.append(await event_store.record_event(session, row))
    return results


async def test_same_notification_is_stored_once(db: Database) -> None:
    assert await store(db, values("n1", "c1", 10)) == [True]
    assert await store(db, values("n1", "c1", 10)) == [False]
    async with db.transaction() as session:
        assert len(await event_store.list_events(session)) == 1


async def test_events_of_one_conversation_are_claimed_in_intercom_order(db: Database) -> None:
    await store(db, values("late", "c1", 20), values("early", "c1", 10), values("other", "c2", 15))
    async with db.transaction() as session:
        first = await event_store.claim_next_event(session, "w1", 100.0, 30)
        second = await event_store.claim_next_event(session, "w2", 100.0, 30)
        third = await event_store.claim_next_event(session, "w3", 100.0, 30)
    assert first is not None
    assert first.notification_id == "early"
    assert second is not None
    assert second.notification_id == "other"
    assert third is None  # "late" waits until "early" is finished


async def test_finished_event_unblocks_the_next_one(db: Database) -> None:
    await store(db, values("a", "c1", 10), values("b", "c1", 20))
    async with db.transaction() as session:
        first = await event_store.claim_next_event(session, "w1", 100.0, 30)
        assert first is not None
        assert first.id is not None
        assert await event_store.finish_event(session, first.id, "w1", "done", 101.0)
        second = await event_store.claim_next_event(session, "w1", 101.0, 30)
    assert second is not None
    assert second.notification_id == "b"


async def test_expired_lease_is_taken_over_and_the_old_owner_cannot_finish(db: Database) -> None:
    await store(db, values("a", "c1", 10))
    async with db.transaction() as session:
        first = await event_store.claim_next_event(session, "dead", 100.0, 30)
        assert first is not None
        assert first.id is not None
        assert await event_store.claim_next_event(session, "w2", 110.0, 30) is None
        again = await event_store.claim_next_event(session, "w2", 131.0, 30)
        assert again is not None
        assert again.id == first.id
        assert not await event_store.finish_event(session, first.id, "dead", "done", 132.0)
        assert await event_store.finish_event(session, first.id, "w2", "done", 132.0)


async def test_failed_event_is_retried_then_parked_with_its_error(db: Database) -> None:
    await store(db, values("a", "c1", 10))
    async with db.transaction() as session:
        event = await event_store.claim_next_event(session, "w", 100.0, 30)
        assert event is not None
        assert event.id is not None
        status = await event_store.fail_event(
            session, event.id, error="boom", retry_at=105.0, max_attempts=2
        )
        assert status == "pending"
        assert await event_store.claim_next_event(session, "w", 101.0, 30) is None
        event = await event_store.claim_next_event(session, "w", 106.0, 30)
        assert event is not None
        assert event.id is not None
        status = await event_store.fail_event(
            session, event.id, error="boom again", retry_at=110.0, max_attempts=2
        )
        parked = await event_store.list_events(session, "parked")
    assert status == "parked"
    assert [(e.notification_id, e.last_error) for e in parked] == [("a", "boom again")]


async def test_concurrent_workers_never_claim_the_same_event(db: Database) -> None:
    await store(db, *[values(f"n{i}", f"c{i}", i) for i in range(20)])

    async def worker(name: str) -> list[str]:
        claimed: list[str] = []
        while True:
            async with db.transaction() as session:
                event = await event_store.claim_next_event(session, name, 100.0, 30)
            if event is None:
                return claimed
            claimed.append(event.notification_id)

    results = await asyncio.gather(*(worker(f"w{i}") for i in range(4)))
    everything = [n for claimed in results for n in claimed]
    assert sorted(everything) == sorted(f"n{i}" for i in range(20))
    assert len(everything) == len(set(everything))
