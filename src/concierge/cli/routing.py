"""``concierge routing``: what admins need to see and fix in live routing state."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from concierge.cli.common import cli_settings, err, fail, out
from concierge.store.errors import StoreError

routing_app = typer.Typer(help="Round-robin counters and assignments.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``routing`` to the ``concierge`` command."""
    app.add_typer(routing_app, name="routing")


def _database_problem(exc: Exception) -> str:
    return (
        f"cannot read the routing state ({type(exc).__name__}: {exc}); "
        "is CONCIERGE_DATABASE_URL right, and has `concierge db upgrade` run?"
    )


@routing_app.command("counters")
def routing_counters(
    team: Annotated[str | None, typer.Option(help="Only this team (its routing.yaml key).")] = None,
) -> None:
    """Show each team's round-robin counters: who is next, and how many each agent got."""
    from concierge.store import assignments
    from concierge.store.database import Database

    async def read() -> list[assignments.CounterView]:
        db = Database(cli_settings().database_url)
        try:
            async with db.transaction() as session:
                return await assignments.list_counters(session, team)
        finally:
            await db.dispose()

    try:
        counters = asyncio.run(read())
    except (StoreError, SQLAlchemyError) as exc:
        fail(_database_problem(exc), code=1)
    if not counters:
        out.print("no round-robin counters yet" + (f" for team {team!r}" if team else ""))
        return
    table = Table("team", "admin id", "counter", "assigned", "updated (UTC)")
    for row in counters:
        updated = datetime.fromtimestamp(row.updated_at, UTC).strftime("%Y-%m-%d %H:%M:%S")
        table.add_row(row.team, row.admin_id, str(row.current), str(row.assigned), updated)
    out.print(table)


@routing_app.command("reset")
def routing_reset(
    team: Annotated[str, typer.Argument(help="The team whose round robin starts afresh.")],
) -> None:
    """Start a team's round robin afresh (counters and assigned totals back to zero)."""
    from concierge.store import assignments
    from concierge.store.database import Database

    async def reset() -> int:
        db = Database(cli_settings().database_url)
        try:
            async with db.transaction() as session:
                return await assignments.reset_counters(session, team, time.time())
        finally:
            await db.dispose()

    try:
        count = asyncio.run(reset())
    except (StoreError, SQLAlchemyError) as exc:
        fail(_database_problem(exc), code=1)
    err.print(f"reset the round robin of team {team!r} ({count} agent counter(s))")
