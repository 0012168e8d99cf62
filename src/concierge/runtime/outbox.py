"""Deliver outbox actions to Intercom exactly once in effect.

Before a non-idempotent call (a reply or note) goes out, the row is marked ``maybe_sent``
and committed. If the call times out, the connection drops after sending, or the process
dies mid-call, the next attempt first asks Intercom whether the reply is already in the
conversation (a part by the bot admin with the same body since the first attempt) and only
re-sends when it is not. Definite failures (4xx) are kept visible as ``failed`` with the error.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import structlog

from concierge.intercom.client import IntercomClient
from concierge.intercom.errors import (
    IntercomApiError,
    IntercomRateLimited,
    IntercomServerError,
    IntercomUnavailable,
)
from concierge.runtime.clock import backoff_delay, now
from concierge.store import actions as action_store
from concierge.store import conversations as conversation_store
from concierge.store.database import Database
from concierge.store.tables import OutgoingAction

log = structlog.get_logger(component="outbox")

NOT_IDEMPOTENT = {"reply"}


@dataclass(frozen=True)
class OutboxContext:
    """The Intercom client, the bot's admin id and the retry budget."""

    client: IntercomClient
    bot_admin_id: str
    max_attempts: int = 8


async def deliver_action(
    db: Database, action: OutgoingAction, owner: str, ctx: OutboxContext
) -> str:
    """Send one leased action; returns its resulting status."""
    assert action.id is not None
    structlog.contextvars.bind_contextvars(conversation_id=action.conversation_id)
    try:
        if action.maybe_sent and action.kind in NOT_IDEMPOTENT and await _already_sent(action, ctx):
            log.info("reply already in the conversation; not sending it again", action=action.id)
            return await _complete(db, action, owner)
        await _mark_attempt(db, action.id)
        await _perform(action, ctx)
    except IntercomRateLimited as exc:
        return await _reschedule(
            db,
            action,
            exc,
            retry_at=_rate_limit_retry(exc),
            maybe_sent=False,
            max_attempts=ctx.max_attempts,
        )
    except IntercomUnavailable as exc:
        return await _reschedule(
            db, action, exc, maybe_sent=exc.outcome_unknown, max_attempts=ctx.max_attempts
        )
    except IntercomServerError as exc:
        return await _reschedule(db, action, exc, maybe_sent=True, max_attempts=ctx.max_attempts)
    except IntercomApiError as exc:
        return await _give_up(db, action, exc)
    except Exception as exc:
        log.exception("action failed unexpectedly", action=action.id)
        return await _reschedule(db, action, exc, maybe_sent=True, max_attempts=ctx.max_attempts)
    finally:
        structlog.contextvars.unbind_contextvars("conversation_id")
    return await _complete(db, action, owner)


async def _already_sent(action: OutgoingAction, ctx: OutboxContext) -> bool:
    found = await ctx.client.find_existing_reply(
        action.conversation_id,
        admin_id=ctx.bot_admin_id,
        body=str(action.payload["body"]),
        since=(action.first_attempt_at or 0) - 5,
    )
    return found is not None


async def _perform(action: OutgoingAction, ctx: OutboxContext) -> None:
    performers = {
        "reply": _send_reply,
        "assign": _assign,
        "tag": _tag,
        "update_contact": _update_contact,
    }
    performer = performers.get(action.kind)
    if performer is None:
        raise ValueError(f"unknown action kind {action.kind!r}")
    await performer(action, ctx)


async def _send_reply(action: OutgoingAction, ctx: OutboxContext) -> None:
    payload = action.payload
    options = [
        (str(text), str(uuid.uuid5(uuid.NAMESPACE_URL, f"concierge:{action.id}:{index}")))
        for index, text in enumerate(payload.get("options") or [])
    ]
    await ctx.client.reply(
        action.conversation_id,
        admin_id=ctx.bot_admin_id,
        body=str(payload["body"]),
        message_type=payload.get("message_type", "comment"),
        reply_options=options or None,
    )


async def _assign(action: OutgoingAction, ctx: OutboxContext) -> None:
    await ctx.client.assign(
        action.conversation_id,
        admin_id=ctx.bot_admin_id,
        assignee_id=str(action.payload["assignee_id"]),
        assignee_type=action.payload.get("assignee_type", "team"),
    )


async def _tag(action: OutgoingAction, ctx: OutboxContext) -> None:
    tag = await ctx.client.find_or_create_tag(str(action.payload["name"]))
    await ctx.client.tag_conversation(
        action.conversation_id, tag_id=tag.id, admin_id=ctx.bot_admin_id
    )


async def _update_contact(action: OutgoingAction, ctx: OutboxContext) -> None:
    await ctx.client.update_contact_attributes(
        str(action.payload["contact_id"]), dict(action.payload["attributes"])
    )


async def _mark_attempt(db: Database, action_id: int) -> None:
    async with db.transaction() as session:
        row = await action_store.get_action(session, action_id)
        row.attempts += 1
        row.maybe_sent = True
        row.first_attempt_at = row.first_attempt_at or int(now())
        session.add(row)


async def _complete(db: Database, action: OutgoingAction, owner: str) -> str:
    assert action.id is not None
    async with db.transaction() as session:
        row = await action_store.get_action(session, action.id)
        row.status, row.maybe_sent, row.finished_at = action_store.DONE, False, now()
        row.lease_owner, row.lease_until, row.last_error = None, None, None
        session.add(row)
        await conversation_store.note_bot_action(
            session, action.conversation_id, _describe(action), now()
        )
    log.info("action delivered", action=action.id, kind=action.kind, by=owner)
    return action_store.DONE


def _describe(action: OutgoingAction) -> str:
    payload = action.payload
    if action.kind == "reply":
        what = "note" if payload.get("message_type") == "note" else "reply"
        return f"{what}: {str(payload.get('body', ''))[:120]}"
    if action.kind == "assign":
        return f"assigned to {payload.get('assignee_type')} {payload.get('assignee_id')}"
    if action.kind == "tag":
        return f"tagged {payload.get('name')}"
    return f"updated contact: {', '.join(sorted(payload.get('attributes', {})))}"[:200]


def _rate_limit_retry(exc: IntercomRateLimited) -> float | None:
    reset = getattr(exc, "reset_at", None)
    return float(reset) + 0.5 if isinstance(reset, (int, float)) else None


async def _reschedule(
    db: Database,
    action: OutgoingAction,
    exc: Exception,
    *,
    maybe_sent: bool,
    max_attempts: int,
    retry_at: float | None = None,
) -> str:
    assert action.id is not None
    async with db.transaction() as session:
        row = await action_store.get_action(session, action.id)
        row.maybe_sent = maybe_sent and row.kind in NOT_IDEMPOTENT
        row.last_error = f"{exc.__class__.__name__}: {exc}"[:4000]
        row.lease_owner, row.lease_until = None, None
        if row.attempts >= max_attempts:
            row.status, row.finished_at = action_store.FAILED, now()
        else:
            row.next_attempt_at = retry_at or now() + backoff_delay(row.attempts, cap=60.0)
        session.add(row)
    log.warning("action will be retried", action=action.id, error=str(exc), attempts=row.attempts)
    return row.status


async def _give_up(db: Database, action: OutgoingAction, exc: IntercomApiError) -> str:
    assert action.id is not None
    async with db.transaction() as session:
        row = await action_store.get_action(session, action.id)
        row.status, row.maybe_sent, row.finished_at = action_store.FAILED, False, now()
        row.last_error = f"{exc.__class__.__name__}: {exc}"[:4000]
        row.lease_owner, row.lease_until = None, None
        session.add(row)
    log.error("action failed permanently", action=action.id, error=str(exc))
    return action_store.FAILED
