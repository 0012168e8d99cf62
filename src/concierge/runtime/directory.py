"""Keep the stored Intercom directory (admins, their away mode, teams) current.

A full sync reads ``GET /admins`` and ``GET /teams`` when the worker starts and every
``directory_sync_seconds`` after that; a failed sync is logged and tried again sooner
(``RETRY_SECONDS``, or the interval when that is shorter). Between syncs, the
``admin.away_mode_updated`` webhook (sent when an admin goes away or comes back) updates the
admin's away flag as soon as it is processed. Each write carries the time its news was true
(the sync's start, the webhook's ``created_at``), so older news never overwrites newer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import structlog
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from concierge.intercom.resources import Admin, Team
from concierge.intercom.webhooks import Notification, NotificationError
from concierge.runtime.clock import now
from concierge.store import assignments as directory_store
from concierge.store.database import Database

log = structlog.get_logger(component="directory")

AWAY_TOPIC = "admin.away_mode_updated"
DEFAULT_SYNC_SECONDS = 300.0
RETRY_SECONDS = 30.0


class DirectorySource(Protocol):
    """Where admins and teams are read from (the Intercom client)."""

    async def list_admins(self) -> list[Admin]:
        """Every admin of the workspace."""
        ...

    async def list_teams(self) -> list[Team]:
        """Every team of the workspace."""
        ...


def admin_entry(admin: Admin) -> directory_store.AdminEntry:
    """The stored shape of an Intercom admin."""
    return directory_store.AdminEntry(
        admin_id=admin.id,
        name=admin.name,
        email=admin.email,
        away=admin.away_mode_enabled,
        away_reassign=admin.away_mode_reassign,
        team_ids=tuple(admin.team_ids),
    )


def team_entry(team: Team) -> directory_store.TeamEntry:
    """The stored shape of an Intercom team."""
    return directory_store.TeamEntry(
        team_id=team.id, name=team.name, admin_ids=tuple(team.admin_ids)
    )


@dataclass
class DirectorySync:
    """Syncs admins and teams from ``source`` into ``db`` now and every ``every_seconds``."""

    db: Database
    source: DirectorySource
    every_seconds: float = DEFAULT_SYNC_SECONDS
    clock: Callable[[], float] = now

    async def sync_once(self) -> directory_store.SyncCounts:
        """Read every admin and team and store them; returns what changed."""
        as_of = self.clock()
        admins = [admin_entry(admin) for admin in await self.source.list_admins()]
        teams = [team_entry(team) for team in await self.source.list_teams()]
        async with self.db.transaction() as session:
            counts = await directory_store.sync_directory(
                session, admins, teams, as_of=as_of, at=self.clock()
            )
        log.info(
            "directory synced",
            admins=counts.admins,
            teams=counts.teams,
            removed_admins=counts.removed_admins,
            removed_teams=counts.removed_teams,
        )
        return counts

    async def run_forever(self) -> None:
        """Sync now, then every ``every_seconds``; a failure is retried sooner."""
        while True:
            try:
                await self.sync_once()
                delay = self.every_seconds
            except Exception as exc:  # noqa: BLE001 - keep serving on the last known directory
                log.warning("directory sync failed", error=f"{exc.__class__.__name__}: {exc}")
                delay = min(self.every_seconds, RETRY_SECONDS)
            await asyncio.sleep(delay)


async def apply_away_notification(session: AsyncSession, notification: Notification) -> bool:
    """Store the away mode an ``admin.away_mode_updated`` notification carries; False when
    newer news was already stored. Raises NotificationError when it carries no admin."""
    try:
        admin = Admin.model_validate(notification.data.item)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in err["loc"]) for err in exc.errors())
        raise NotificationError(f"{AWAY_TOPIC} without an admin (check: {fields})") from None
    written = now()
    # Intercom's created_at is whole seconds: date the news at the end of its second, so a
    # sync that started earlier within that second does not count as newer.
    as_of = notification.created_at + 1.0 if notification.created_at > 0 else written
    applied = await directory_store.apply_away(session, admin_entry(admin), as_of=as_of, at=written)
    log.info("admin away mode", admin_id=admin.id, away=admin.away_mode_enabled, applied=applied)
    return applied
