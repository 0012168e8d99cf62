"""Repository for the outbox: actions planned by the bot and their delivery state."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from concierge.store.leases import lease_free, try_claim
from concierge.store.tables import OutgoingAction

PENDING, DONE, FAILED = "pending", "done", "failed"


def plan_action(
    event_id: int | None,
    sequence: int,
    conversation_id: str,
    kind: str,
    payload: dict[str, Any],
    now: float,
) -> OutgoingAction:
    """A new pending outbox row."""
    return OutgoingAction(
        event_id=event_id,
        sequence=sequence,
        conversation_id=conversation_id,
        kind=kind,
        payload=payload,
        created_at=now,
    )


async def _is_next_in_conversation(session: AsyncSession, candidate: OutgoingAction) -> bool:
    statement = select(func.count()).where(
        OutgoingAction.conversation_id == candidate.conversation_id,
        OutgoingAction.status == PENDING,
        col(OutgoingAction.id) < candidate.id,
    )
    return int((await session.exec(statement)).one()) == 0


async def claim_next_action(
    session: AsyncSession, owner: str, now: float, lease_seconds: float
) -> OutgoingAction | None:
    """Lease the next due action whose conversation has nothing earlier still pending."""
    due = (
        select(OutgoingAction)
        .where(
            OutgoingAction.status == PENDING,
            col(OutgoingAction.next_attempt_at) <= now,
            lease_free(OutgoingAction, now),
        )
        .order_by(col(OutgoingAction.id))
        .limit(50)
    )
    for candidate in (await session.exec(due)).all():
        if candidate.id is None or not await _is_next_in_conversation(session, candidate):
            continue
        if await try_claim(session, OutgoingAction, candidate.id, owner, now, lease_seconds):
            await session.refresh(candidate)
            return candidate
    return None


async def get_action(session: AsyncSession, action_id: int) -> OutgoingAction:
    """One outbox row (it must exist)."""
    action = await session.get(OutgoingAction, action_id)
    if action is None:
        raise LookupError(f"outgoing action {action_id} does not exist")
    return action


async def list_actions(
    session: AsyncSession, conversation_id: str | None = None
) -> list[OutgoingAction]:
    """Outbox rows, oldest first, optionally for one conversation."""
    statement = select(OutgoingAction).order_by(col(OutgoingAction.id))
    if conversation_id is not None:
        statement = statement.where(OutgoingAction.conversation_id == conversation_id)
    return list((await session.exec(statement)).all())
