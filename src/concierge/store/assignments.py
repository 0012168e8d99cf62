"""Repository for the synced Intercom directory, round-robin counters and the assignment log.

**Directory.** Admins and teams as Intercom last told us, by a full sync or an
``admin.away_mode_updated`` webhook. Every row keeps ``updated_at``, the moment its news was
true, and a write only lands when it is at least as new as what is stored, so a slow sync
never undoes a newer webhook (a tie within the same second goes to whoever writes last).

**Round robin.** Every assignment for a team first locks that team's row in
``round_robin_teams`` with an upsert (:func:`lock_team`). In PostgreSQL the upsert takes the
row lock (as ``SELECT ... FOR UPDATE`` would) until the transaction ends; in SQLite it is the
transaction's first write, which takes the database's write lock before anything is read (the
effect of ``BEGIN IMMEDIATE``). Either way two hand-offs for one team, from any number of
server instances, read and update the counters one after the other, never both from the same
state. Call :func:`lock_team` before reading anything the decision depends on.

**Assignment log.** One row per decision, with the availability it saw; the median first
response of a team is measured from it and the messages Concierge has seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, delete, func, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from concierge.store.tables import (
    AssignmentRecord,
    DirectoryAdmin,
    DirectoryTeam,
    MessageRecord,
    RoundRobinCounter,
    RoundRobinTeam,
)

ADMIN_AUTHOR = "admin"


def _insert(session: AsyncSession) -> Any:
    """The dialect's INSERT (both support ON CONFLICT and RETURNING)."""
    return sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgresql_insert


# -- directory ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AdminEntry:
    """An admin as Intercom describes it."""

    admin_id: str
    name: str | None = None
    email: str | None = None
    away: bool = False
    away_reassign: bool = False
    team_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamEntry:
    """A team as Intercom describes it."""

    team_id: str
    name: str | None = None
    admin_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyncCounts:
    """What a full sync changed."""

    admins: int
    teams: int
    removed_admins: int
    removed_teams: int


def _newer(column: Any, as_of: float, new: Any, old: Any) -> Any:
    """SQL: ``new`` when the stored row is not newer than ``as_of``, else ``old``."""
    return case((column <= as_of, new), else_=old)


def _admin_row(session: AsyncSession, admin: AdminEntry, as_of: float, at: float) -> Any:
    """An INSERT of ``admin`` as of ``as_of``, written at ``at`` (callers add the upsert)."""
    return _insert(session)(DirectoryAdmin).values(
        admin_id=admin.admin_id,
        name=admin.name,
        email=admin.email,
        away=admin.away,
        away_reassign=admin.away_reassign,
        team_ids=list(admin.team_ids),
        updated_at=as_of,
        synced_at=at,
    )


async def _upsert_admin(session: AsyncSession, admin: AdminEntry, as_of: float, at: float) -> None:
    table = DirectoryAdmin
    statement = _admin_row(session, admin, as_of, at)
    fresh = statement.excluded
    stored = table.updated_at
    statement = statement.on_conflict_do_update(
        index_elements=["admin_id"],
        set_={
            "name": fresh.name,
            "email": fresh.email,
            "team_ids": fresh.team_ids,
            "synced_at": fresh.synced_at,
            "away": _newer(stored, as_of, fresh.away, table.away),
            "away_reassign": _newer(stored, as_of, fresh.away_reassign, table.away_reassign),
            "updated_at": _newer(stored, as_of, fresh.updated_at, stored),
        },
    )
    await session.exec(statement)


async def _upsert_team(session: AsyncSession, team: TeamEntry, as_of: float, at: float) -> None:
    statement = _insert(session)(DirectoryTeam).values(
        team_id=team.team_id,
        name=team.name,
        admin_ids=list(team.admin_ids),
        updated_at=as_of,
        synced_at=at,
    )
    fresh = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["team_id"],
        set_={
            "name": fresh.name,
            "admin_ids": fresh.admin_ids,
            "updated_at": fresh.updated_at,
            "synced_at": fresh.synced_at,
        },
        where=col(DirectoryTeam.updated_at) <= as_of,
    )
    await session.exec(statement)


async def _remove_missing(
    session: AsyncSession, table: Any, key: Any, present: Iterable[str], as_of: float
) -> int:
    """Delete rows Intercom no longer lists (unless newer news about them arrived)."""
    statement = delete(table).where(key.not_in(list(present)), table.updated_at <= as_of)
    result = await session.exec(statement)
    return int(result.rowcount)


async def sync_directory(
    session: AsyncSession,
    admins: Sequence[AdminEntry],
    teams: Sequence[TeamEntry],
    *,
    as_of: float,
    at: float,
) -> SyncCounts:
    """Store a full listing of admins and teams read from Intercom starting at ``as_of``;
    admins and teams missing from it are removed. ``at`` is the time of writing."""
    for admin in admins:
        await _upsert_admin(session, admin, as_of, at)
    for team in teams:
        await _upsert_team(session, team, as_of, at)
    admin_ids = (admin.admin_id for admin in admins)
    team_ids = (team.team_id for team in teams)
    return SyncCounts(
        admins=len(admins),
        teams=len(teams),
        removed_admins=await _remove_missing(
            session, DirectoryAdmin, col(DirectoryAdmin.admin_id), admin_ids, as_of
        ),
        removed_teams=await _remove_missing(
            session, DirectoryTeam, col(DirectoryTeam.team_id), team_ids, as_of
        ),
    )


async def apply_away(session: AsyncSession, admin: AdminEntry, *, as_of: float, at: float) -> bool:
    """Store an admin's away mode as of ``as_of`` (an unknown admin is added); False when
    the stored row holds newer news and was left alone."""
    statement = _admin_row(session, admin, as_of, at)
    fresh = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["admin_id"],
        set_={
            "away": fresh.away,
            "away_reassign": fresh.away_reassign,
            "updated_at": fresh.updated_at,
            "synced_at": fresh.synced_at,
        },
        where=col(DirectoryAdmin.updated_at) <= as_of,
    ).returning(col(DirectoryAdmin.admin_id))
    result = await session.exec(statement)
    return result.first() is not None


async def away_flags(session: AsyncSession, admin_ids: Iterable[str]) -> dict[str, bool]:
    """The stored away flag of each of ``admin_ids`` that is in the directory."""
    wanted = list(admin_ids)
    statement = select(DirectoryAdmin.admin_id, DirectoryAdmin.away).where(
        col(DirectoryAdmin.admin_id).in_(wanted)
    )
    return {str(admin_id): bool(away) for admin_id, away in (await session.exec(statement)).all()}


async def list_admins(session: AsyncSession) -> list[DirectoryAdmin]:
    """Every admin in the directory, by id."""
    statement = select(DirectoryAdmin).order_by(col(DirectoryAdmin.admin_id))
    return list((await session.exec(statement)).all())


async def list_teams(session: AsyncSession) -> list[DirectoryTeam]:
    """Every team in the directory, by id."""
    statement = select(DirectoryTeam).order_by(col(DirectoryTeam.team_id))
    return list((await session.exec(statement)).all())


# -- round robin -------------------------------------------------------------------------


async def lock_team(session: AsyncSession, team: str, at: float) -> None:
    """Lock ``team``'s round-robin row until the transaction ends (created on first use)."""
    statement = (
        _insert(session)(RoundRobinTeam)
        .values(team=team, picks=0, updated_at=at)
        .on_conflict_do_update(index_elements=["team"], set_={"updated_at": at})
    )
    await session.exec(statement)


async def next_position(session: AsyncSession, team: str, at: float) -> int:
    """Number the next round-robin pick of ``team`` (1, 2, ...); needs :func:`lock_team`."""
    statement = (
        update(RoundRobinTeam)
        .where(col(RoundRobinTeam.team) == team)
        .values(picks=col(RoundRobinTeam.picks) + 1, updated_at=at)
        .returning(col(RoundRobinTeam.picks))
    )
    position = (await session.exec(statement)).scalar_one_or_none()
    if position is None:
        raise LookupError(f"team {team!r} is not locked; call lock_team first")
    return int(position)


async def counters_of(session: AsyncSession, team: str) -> dict[str, int]:
    """The stored round-robin counters of ``team``'s agents (agents never picked are absent)."""
    statement = select(RoundRobinCounter.admin_id, RoundRobinCounter.current).where(
        col(RoundRobinCounter.team) == team
    )
    return {str(admin): int(value) for admin, value in (await session.exec(statement)).all()}


async def save_pick(
    session: AsyncSession, team: str, counters: Mapping[str, int], chosen: str, at: float
) -> None:
    """Store the counters after a pick and count one more conversation for ``chosen``."""
    for admin_id, current in counters.items():
        given = 1 if admin_id == chosen else 0
        statement = _insert(session)(RoundRobinCounter).values(
            team=team, admin_id=admin_id, current=current, assigned=given, updated_at=at
        )
        statement = statement.on_conflict_do_update(
            index_elements=["team", "admin_id"],
            set_={
                "current": current,
                "assigned": col(RoundRobinCounter.assigned) + given,
                "updated_at": at,
            },
        )
        await session.exec(statement)


@dataclass(frozen=True)
class CounterView:
    """One agent's round-robin standing in a team, for admins."""

    team: str
    admin_id: str
    current: int
    assigned: int
    updated_at: float


async def list_counters(session: AsyncSession, team: str | None = None) -> list[CounterView]:
    """Round-robin counters by team and admin id, of one team or all."""
    statement = select(RoundRobinCounter).order_by(
        col(RoundRobinCounter.team), col(RoundRobinCounter.admin_id)
    )
    if team is not None:
        statement = statement.where(col(RoundRobinCounter.team) == team)
    return [
        CounterView(row.team, row.admin_id, row.current, row.assigned, row.updated_at)
        for row in (await session.exec(statement)).all()
    ]


async def reset_counters(session: AsyncSession, team: str, at: float) -> int:
    """Start ``team``'s round robin afresh (counters and assigned totals to zero); pick
    numbers keep counting. Returns how many agents' counters were reset."""
    await lock_team(session, team, at)
    await session.exec(
        update(RoundRobinTeam).where(col(RoundRobinTeam.team) == team).values(reset_at=at)
    )
    result = await session.exec(
        update(RoundRobinCounter)
        .where(col(RoundRobinCounter.team) == team)
        .values(current=0, assigned=0, updated_at=at)
    )
    return int(result.rowcount)


async def round_robin_teams(session: AsyncSession) -> list[str]:
    """Teams that have round-robin state."""
    statement = select(RoundRobinTeam.team).order_by(col(RoundRobinTeam.team))
    return [str(team) for team in (await session.exec(statement)).all()]


# -- assignment log ----------------------------------------------------------------------


async def record_assignment(session: AsyncSession, record: AssignmentRecord) -> AssignmentRecord:
    """Add one decision to the log."""
    session.add(record)
    await session.flush()
    return record


async def list_assignments(
    session: AsyncSession, *, team: str | None = None, conversation_id: str | None = None
) -> list[AssignmentRecord]:
    """Logged decisions, oldest first, optionally of one team or conversation."""
    statement = select(AssignmentRecord).order_by(col(AssignmentRecord.id))
    if team is not None:
        statement = statement.where(col(AssignmentRecord.team) == team)
    if conversation_id is not None:
        statement = statement.where(col(AssignmentRecord.conversation_id) == conversation_id)
    return list((await session.exec(statement)).all())


async def first_response_seconds(
    session: AsyncSession, team: str, since: float, until: float
) -> list[float]:
    """For each conversation first handed to ``team`` within ``[since, until)``, the seconds
    from that hand-off to the first admin reply after it (unanswered ones are left out)."""
    handed = (
        select(
            col(AssignmentRecord.conversation_id).label("conversation_id"),
            func.min(AssignmentRecord.created_at).label("handed_at"),
        )
        .where(
            col(AssignmentRecord.team) == team,
            col(AssignmentRecord.created_at) >= since,
            col(AssignmentRecord.created_at) < until,
        )
        .group_by(col(AssignmentRecord.conversation_id))
        .subquery()
    )
    statement = (
        select(handed.c.handed_at, func.min(MessageRecord.created_at))
        .join(MessageRecord, col(MessageRecord.conversation_id) == handed.c.conversation_id)
        .where(
            col(MessageRecord.author_type) == ADMIN_AUTHOR,
            col(MessageRecord.created_at) >= handed.c.handed_at,
        )
        .group_by(handed.c.conversation_id, handed.c.handed_at)
    )
    rows = (await session.exec(statement)).all()
    return [float(replied) - float(handed_at) for handed_at, replied in rows]
