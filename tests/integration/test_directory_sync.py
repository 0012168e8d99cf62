"""The stored Intercom directory follows the emulator: a full sync when the worker starts and
every few seconds after, and ``admin.away_mode_updated`` webhooks in between."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine

from concierge.intercom.client import IntercomClient
from concierge.intercom.emulator import Emulator, create_emulator_app
from concierge.runtime.directory import DirectorySync
from concierge.store import assignments as directory_store
from concierge.store.database import Database, sync_url
from concierge.store.tables import DirectoryAdmin, WebhookEvent
from tests.support.app import build_app
from tests.support.databases import fresh_sqlite
from tests.support.intercom import wait_for
from tests.support.server import free_port, serve_in_thread

AUTH = {"Authorization": "Bearer local", "Intercom-Version": "2.14"}
SEEDED_ADMINS = {"9000101", "9000102", "9000103", "9000104", "9000105"}


# -- the sync on its own, against the emulator in-process -------------------------------


@pytest.fixture
async def emulated(tmp_path: Path) -> AsyncIterator[tuple[Emulator, IntercomClient, Database]]:
    emulator = Emulator(client_secret="s", webhook_url=None)
    app = create_emulator_app(emulator)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # Litestar types ASGI narrower
    client = IntercomClient(base_url="http://emulator", access_token="t", transport=transport)
    db = Database(fresh_sqlite(tmp_path))
    yield emulator, client, db
    await client.aclose()
    await db.dispose()


async def away_flags(db: Database) -> dict[str, bool]:
    async with db.transaction() as session:
        return {row.admin_id: row.away for row in await directory_store.list_admins(session)}


async def test_a_sync_stores_every_admin_with_away_mode_and_every_team_with_members(
    emulated: tuple[Emulator, IntercomClient, Database],
) -> None:
    _, client, db = emulated
    counts = await DirectorySync(db, client).sync_once()
    assert (counts.admins, counts.teams) == (5, 3)
    flags = await away_flags(db)
    assert set(flags) == SEEDED_ADMINS
    assert [admin for admin, away in flags.items() if away] == ["9000104"]  # Sam is away
    async with db.transaction() as session:
        teams = {team.team_id: team for team in await directory_store.list_teams(session)}
    assert teams["5000001"].name == "Sales"
    assert set(teams["5000001"].admin_ids) == {"9000101", "9000102", "9000105"}


async def test_the_sync_repeats_and_picks_up_changes_made_without_a_webhook(
    emulated: tuple[Emulator, IntercomClient, Database],
) -> None:
    emulator, client, db = emulated
    task = asyncio.create_task(DirectorySync(db, client, every_seconds=0.05).run_forever())
    try:
        async with asyncio.timeout(10):
            while "9000103" not in await away_flags(db):
                await asyncio.sleep(0.02)
            emulator.workspace.admins["9000103"].away_mode_enabled = True  # no webhook
            del emulator.workspace.admins["9000102"]
            while (flags := await away_flags(db)).get("9000103") is not True:
                await asyncio.sleep(0.02)
        assert "9000102" not in flags
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


# -- the whole path: a local-mode server, its emulator, the webhook, the worker ----------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    database_url = fresh_sqlite(tmp_path)
    port = free_port()
    app = build_app(database_url, base_url=f"http://127.0.0.1:{port}")
    engine = create_engine(sync_url(database_url))
    with serve_in_thread(app, port) as base:
        yield base + "/intercom-emulator", engine
    engine.dispose()


def stored_away(engine: Engine) -> dict[str, bool]:
    with engine.connect() as connection:
        rows = connection.execute(select(DirectoryAdmin.admin_id, DirectoryAdmin.away)).all()  # type: ignore[call-overload]
    return {str(admin_id): bool(away) for admin_id, away in rows}


def away_topics(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        statement = select(WebhookEvent.status).where(  # type: ignore[call-overload]
            WebhookEvent.topic == "admin.away_mode_updated"
        )
        return [str(status) for (status,) in connection.execute(statement).all()]


def set_away(emulator: str, admin_id: str, away: bool) -> None:
    body = {"away_mode_enabled": away, "away_mode_reassign": False}
    response = httpx.put(f"{emulator}/admins/{admin_id}/away", json=body, headers=AUTH, timeout=10)
    response.raise_for_status()


def test_the_server_syncs_at_start_and_follows_away_mode_webhooks(
    server: tuple[str, Engine],
) -> None:
    emulator, engine = server
    synced = wait_for(lambda: set(stored_away(engine)) >= SEEDED_ADMINS and stored_away(engine))
    assert synced["9000103"] is False
    assert synced["9000104"] is True

    set_away(emulator, "9000103", True)  # Priya goes away
    wait_for(lambda: stored_away(engine)["9000103"] is True)
    set_away(emulator, "9000104", False)  # Sam comes back
    wait_for(lambda: stored_away(engine)["9000104"] is False)
    wait_for(lambda: away_topics(engine) == ["done", "done"])
    assert stored_away(engine)["9000103"] is True
