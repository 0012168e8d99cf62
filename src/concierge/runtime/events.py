"""Process one stored webhook event: parse it, ask the bot, store the decision atomically.

The bot's decision (messages seen, conversation state, planned actions) is written in the
same transaction that marks the event done, so a crash either keeps the event pending or
leaves a complete decision in the outbox; nothing is half-applied.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import structlog

from concierge import bot
from concierge.domain.actions import Turn
from concierge.domain.conversation import ConversationEvent
from concierge.intercom.webhooks import Notification, NotificationError, conversation_event
from concierge.playbook.brain import Brain
from concierge.runtime import directory
from concierge.runtime.clock import backoff_delay, now, utc_now
from concierge.store import actions as action_store
from concierge.store import conversations as conversation_store
from concierge.store import events as event_store
from concierge.store.database import Database
from concierge.store.tables import ConversationRecord, WebhookEvent

log = structlog.get_logger(component="events")

CONVERSATION_TOPICS_HANDLED = {
    "conversation.user.created",
    "conversation.user.replied",
    "conversation.admin.replied",
    "conversation.admin.noted",
    "conversation.admin.assigned",
    "conversation.admin.open.assigned",
    "conversation.admin.closed",
    "conversation.operator.replied",
}


@dataclass(frozen=True)
class EventContext:
    """What processing needs besides the event: the playbook and who the bot is."""

    brain: Callable[[], Brain]
    bot_admin_id: str | None
    max_attempts: int = 6
    clock: Callable[[], datetime] = utc_now
    contacts: Callable[[str], Awaitable[dict[str, Any]]] | None = None


def _is_handled(topic: str) -> bool:
    return topic in CONVERSATION_TOPICS_HANDLED


async def process_event(db: Database, event: WebhookEvent, owner: str, ctx: EventContext) -> str:
    """Handle a leased event; returns its final (or next) status."""
    assert event.id is not None
    structlog.contextvars.bind_contextvars(
        notification_id=event.notification_id, conversation_id=event.conversation_id
    )
    try:
        notification = Notification.model_validate(event.payload)
        if notification.topic == directory.AWAY_TOPIC:
            return await _apply_away(db, event.id, owner, notification)
        if notification.topic == "ping" or not _is_handled(notification.topic):
            return await _finish(db, event.id, owner, event_store.IGNORED)
        domain_event = conversation_event(notification, ctx.bot_admin_id)
        contact = await _contact_attributes(domain_event, ctx)
        return await _apply(db, event.id, owner, domain_event, ctx, contact)
    except NotificationError as exc:
        return await _fail(db, event, f"unparseable notification: {exc}", ctx, retry=False)
    except Exception as exc:
        log.exception("event processing failed", attempts=event.attempts + 1)
        return await _fail(db, event, f"{exc.__class__.__name__}: {exc}", ctx, retry=True)
    finally:
        structlog.contextvars.unbind_contextvars("notification_id", "conversation_id")


async def _finish(db: Database, event_id: int, owner: str, status: str) -> str:
    async with db.transaction() as session:
        await event_store.finish_event(session, event_id, owner, status, now())
    return status


async def _contact_attributes(event: ConversationEvent, ctx: EventContext) -> dict[str, Any]:
    """The contact's attributes for scoring and routing; empty when unknown or unreachable."""
    if ctx.contacts is None or event.contact.id is None or not event.customer_messages:
        return {}
    try:
        return await ctx.contacts(event.contact.id)
    except Exception as exc:  # noqa: BLE001 - scoring without attributes beats no answer
        log.warning("contact attributes unavailable", error=str(exc))
        return {}


async def _apply(
    db: Database,
    event_id: int,
    owner: str,
    event: ConversationEvent,
    ctx: EventContext,
    contact: dict[str, Any],
) -> str:
    async with db.transaction() as session:
        stored = await conversation_store.load_conversation(session, event.conversation_id)
        transcript = await conversation_store.recent_transcript(session, event.conversation_id)
        state = replace(
            conversation_store.state_of(stored, event.conversation_id, transcript),
            contact=contact,
        )
        turn = bot.handle(event, state, ctx.brain(), ctx.clock())
        record = await conversation_store.ensure_conversation(
            session, event.conversation_id, event.contact, now()
        )
        added = await conversation_store.record_messages(session, event.messages, event_id)
        record.messages_seen += added
        _remember(record, turn)
        if turn.decision is not None:
            await conversation_store.record_decision(
                session, event.conversation_id, event_id, turn.decision, now()
            )
        for sequence, action in enumerate(turn.actions):
            session.add(
                action_store.plan_action(
                    event_id,
                    sequence,
                    event.conversation_id,
                    action.kind,
                    action.to_payload(),
                    now(),
                )
            )
        if not await event_store.finish_event(session, event_id, owner, event_store.DONE, now()):
            raise LeaseLostError(event_id)
    log.info("event handled", topic=event.topic, actions=len(turn.actions), new_messages=added)
    return event_store.DONE


async def _apply_away(db: Database, event_id: int, owner: str, notification: Notification) -> str:
    """Store an admin's new away mode in the directory and finish the event, atomically."""
    async with db.transaction() as session:
        await directory.apply_away_notification(session, notification)
        if not await event_store.finish_event(session, event_id, owner, event_store.DONE, now()):
            raise LeaseLostError(event_id)
    return event_store.DONE


def _remember(record: ConversationRecord, turn: Turn) -> None:
    if turn.status is not None:
        record.status = turn.status
    if turn.greeted is not None:
        record.greeted = turn.greeted
    conversation_store.remember(record, turn.memory)


async def _fail(
    db: Database, event: WebhookEvent, error: str, ctx: EventContext, *, retry: bool
) -> str:
    assert event.id is not None
    retry_at = now() + backoff_delay(event.attempts + 1) if retry else None
    async with db.transaction() as session:
        status = await event_store.fail_event(
            session, event.id, error=error, retry_at=retry_at, max_attempts=ctx.max_attempts
        )
    if status == event_store.PARKED:
        log.error("event parked", error=error)
    return status


class LeaseLostError(RuntimeError):
    """Another worker took over this event (our lease expired); our work was rolled back."""

    def __init__(self, event_id: int) -> None:
        super().__init__(f"lease on event {event_id} was lost; another worker owns it")
