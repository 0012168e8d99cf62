"""What the Inbox panel shows, read from the database for one conversation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from concierge.store import actions as action_store
from concierge.store import conversations as conversation_store
from concierge.store.database import Database


def _when(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


async def inbox_context(db: Database, base: dict[str, Any]) -> dict[str, Any]:
    """The template context for the Inbox panel: request context plus stored facts."""
    conversation_id = str((base.get("conversation") or {}).get("id") or "")
    async with db.transaction() as session:
        record = await conversation_store.load_conversation(session, conversation_id)
        actions = await action_store.list_actions(session, conversation_id)
    failed = [a for a in actions if a.status == action_store.FAILED]
    facts = {
        "id": conversation_id or None,
        "known": record is not None,
        "status": record.status if record else "not seen by Concierge yet",
        "messages_seen": record.messages_seen if record else 0,
        "last_bot_action": record.last_bot_action if record else None,
        "last_bot_action_at": _when(record.last_bot_action_at) if record else None,
        "failed_actions": len(failed),
    }
    contact = dict(base.get("contact") or {})
    if record is not None:
        contact.setdefault("name", record.contact_name)
        contact.setdefault("email", record.contact_email)
    return {
        **base,
        "conversation": {**(base.get("conversation") or {}), **facts},
        "contact": contact,
    }
