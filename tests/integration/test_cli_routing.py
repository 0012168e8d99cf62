"""``concierge routing counters`` and ``routing reset``: admins see and reset round robin."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from concierge.cli import app
from concierge.store import assignments
from concierge.store.database import Database
from concierge.store.migrations_runner import upgrade_database

runner = CliRunner()


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'concierge.db'}"
    upgrade_database(url, "head")
    monkeypatch.setenv("CONCIERGE_DATABASE_URL", url)
    return url


def seed_picks(url: str) -> None:
    async def seed() -> None:
        db = Database(url)
        async with db.transaction() as session:
            await assignments.save_pick(
                session, "sales", {"9000101": 1, "9000102": -1}, "9000101", 10.0
            )
            await assignments.save_pick(
                session, "sales", {"9000101": -1, "9000102": 1}, "9000102", 11.0
            )
            await assignments.save_pick(session, "support", {"9000103": 0}, "9000103", 12.0)
        await db.dispose()

    asyncio.run(seed())


def test_counters_lists_every_team_and_reset_starts_one_afresh(database_url: str) -> None:
    seed_picks(database_url)
    shown = runner.invoke(app, ["routing", "counters"])
    assert shown.exit_code == 0, shown.output
    assert "sales" in shown.output
    assert "support" in shown.output
    assert "9000102" in shown.output

    reset = runner.invoke(app, ["routing", "reset", "sales"])
    assert reset.exit_code == 0, reset.output
    assert "2 agent counter(s)" in reset.output

    async def assigned() -> dict[tuple[str, str], int]:
        db = Database(database_url)
        async with db.transaction() as session:
            rows = await assignments.list_counters(session)
        await db.dispose()
        return {(row.team, row.admin_id): row.assigned for row in rows}

    totals = asyncio.run(assigned())
    assert totals == {("sales", "9000101"): 0, ("sales", "9000102"): 0, ("support", "9000103"): 1}


def test_counters_of_one_team_and_none_yet(database_url: str) -> None:
    shown = runner.invoke(app, ["routing", "counters", "--team", "sales"])
    assert shown.exit_code == 0, shown.output
    assert "no round-robin counters yet for team 'sales'" in shown.output


def test_an_unmigrated_database_is_a_clear_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONCIERGE_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    shown = runner.invoke(app, ["routing", "counters"])
    assert shown.exit_code == 1
    assert "concierge db upgrade" in shown.output
