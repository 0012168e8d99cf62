"""Repository for stored webhook notifications and their processing state."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from concierge.store.leases import lease_free, try_claim
from concierge.store.tables import WebhookEvent

PENDING, DONE, IGNORED, PARKED = "pending", "done", "ignored", "parked"


async def record_event(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Store a notification once; False when its notification id was already stored."""
    dialect = session.get_bind().dialect.name
    insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
    statement = (
        insert(WebhookEvent)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["notification_id"])
        .returning(col(WebhookEvent.id))
    )
    result = await session.exec(statement)
    return result.first() is not None


def _earlier_unfinished(candidate: WebhookEvent) -> Any:
    earlier = WebhookEvent.__table__.alias("earlier")  # type: ignore[attr-defined]
    return (
        select(func.count())
        .select_from(earlier)
        .where(
            earlier.c.conversation_id == candidate.conversation_id,
            earlier.c.status == PENDING,
            or_(
                earlier.c.intercom_created_at < candidate.intercom_created_at,
                and_(
                    earlier.c.intercom_created_at == candidate.intercom_created_at,
                    earlier.c.id < candidate.id,
                ),
            ),
        )
    )


async def _is_next_in_conversation(session: AsyncSession, candidate: WebhookEvent) -> bool:
    if candidate.conversation_id is None:
        return True
    count = (await session.exec(_earlier_unfinished(candidate))).one()
    return int(count) == 0


async def claim_next_event(
    session: AsyncSession, owner: str, now: float, lease_seconds: float
) -> WebhookEvent | None:
    """Lease the next due event whose conversation has nothing earlier still pending."""
    due = (
        select(WebhookEvent)
        .where(
            WebhookEvent.status == PENDING,
            col(WebhookEvent.next_attempt_at) <= now,
            lease_free(WebhookEvent, now),
        )
        .order_by(col(WebhookEvent.intercom_created_at), col(WebhookEvent.id))
        .limit(50)
    )
    for candidate in (await session.exec(due)).all():
        if candidate.id is None or not await _is_next_in_conversation(session, candidate):
            continue
        if await try_claim(session, WebhookEvent, candidate.id, owner, now, lease_seconds):
            await session.refresh(candidate)
            return candidate
    return None


async def finish_event(
    session: AsyncSession, event_id: int, owner: str, status: str, now: float
) -> bool:
    """Mark a leased event done or ignored; False if our lease was lost meanwhile."""
    statement = (
        update(WebhookEvent)
        .where(col(WebhookEvent.id) == event_id, col(WebhookEvent.lease_owner) == owner)
        .values(status=status, finished_at=now, lease_owner=None, lease_until=None)
    )
    result = await session.exec(statement)
    return bool(result.rowcount == 1)


async def fail_event(
    session: AsyncSession, event_id: int, *, error: str, retry_at: float | None, max_attempts: int
) -> str:
    """Count a failed attempt; schedule a retry or park the event. Returns the new status."""
    event = await session.get(WebhookEvent, event_id)
    if event is None:
        return PARKED
    event.attempts += 1
    event.last_error = error[:4000]
    event.lease_owner, event.lease_until = None, None
    if retry_at is None or event.attempts >= max_attempts:
        event.status = PARKED
    else:
        event.next_attempt_at = retry_at
    session.add(event)
    return event.status


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    """How many events are in each status (for readiness, logs and the CLI)."""
    statement = select(WebhookEvent.status, func.count()).group_by(col(WebhookEvent.status))
    rows = (await session.exec(statement)).all()
    return {str(status): int(count) for status, count in rows}


async def list_events(session: AsyncSession, status: str | None = None) -> list[WebhookEvent]:
    """Stored events, oldest first, optionally of one status."""
    statement = select(WebhookEvent).order_by(col(WebhookEvent.id))
    if status is not None:
        statement = statement.where(WebhookEvent.status == status)
    return list((await session.exec(statement)).all())
