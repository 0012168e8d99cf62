"""Repository for conversations and the messages Concierge has seen in them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from concierge.domain.conversation import AuthorKind, Contact, ConversationState, Message
from concierge.store.tables import ConversationRecord, DecisionRecord, MessageRecord


async def load_conversation(
    session: AsyncSession, conversation_id: str
) -> ConversationRecord | None:
    """The stored conversation, if Concierge has seen it."""
    return await session.get(ConversationRecord, conversation_id)


def state_of(
    record: ConversationRecord | None,
    conversation_id: str,
    transcript: tuple[Message, ...] = (),
) -> ConversationState:
    """The bot's view of a stored conversation (a fresh one when never seen)."""
    if record is None:
        return ConversationState(conversation_id=conversation_id, transcript=transcript)
    return ConversationState(
        conversation_id=record.id,
        status=record.status,
        greeted=record.greeted,
        messages_seen=record.messages_seen,
        intent=record.intent,
        confidence=record.confidence,
        flow_state=record.flow_state,
        answers=dict(record.answers or {}),
        fallback_count=record.fallback_count,
        offered=record.offered,
        transcript=transcript,
    )


async def recent_transcript(
    session: AsyncSession, conversation_id: str, limit: int = 20
) -> tuple[Message, ...]:
    """The conversation's latest messages, oldest first, as domain messages."""
    statement = (
        select(MessageRecord)
        .where(MessageRecord.conversation_id == conversation_id)
        .order_by(col(MessageRecord.created_at).desc(), col(MessageRecord.id).desc())
        .limit(limit)
    )
    rows = list((await session.exec(statement)).all())
    return tuple(_as_message(row) for row in reversed(rows))


def _as_message(row: MessageRecord) -> Message:
    return Message(
        conversation_id=row.conversation_id,
        part_id=row.part_id,
        author=AuthorKind(row.author_type),
        author_id=row.author_id,
        text=row.body,
        created_at=row.created_at,
    )


MEMORY_FIELDS = (
    "intent", "confidence", "flow_state", "answers", "fallback_count", "offered", "score", "route",
)  # fmt: skip


def remember(record: ConversationRecord, memory: dict[str, Any]) -> None:
    """Write the bot's updates to the stored conversation (unknown keys are a bug)."""
    unknown = set(memory) - set(MEMORY_FIELDS)
    if unknown:
        raise KeyError(f"the bot tried to remember unknown fields: {sorted(unknown)}")
    for name, value in memory.items():
        setattr(record, name, value)


async def record_decision(
    session: AsyncSession,
    conversation_id: str,
    event_id: int | None,
    decision: dict[str, Any],
    now: float,
) -> None:
    """Store what the bot decided on one turn, for "why?"."""
    session.add(
        DecisionRecord(
            conversation_id=conversation_id,
            event_id=event_id,
            created_at=now,
            text=str(decision.get("text", "")),
            intent=decision.get("intent"),
            confidence=decision.get("confidence"),
            details=decision,
        )
    )


async def ensure_conversation(
    session: AsyncSession, conversation_id: str, contact: Contact, now: float
) -> ConversationRecord:
    """Load or create the conversation row, refreshing the contact details we learnt."""
    record = await session.get(ConversationRecord, conversation_id)
    if record is None:
        record = ConversationRecord(id=conversation_id, created_at=now, updated_at=now)
    record.contact_id = contact.id or record.contact_id
    record.contact_name = contact.name or record.contact_name
    record.contact_email = contact.email or record.contact_email
    record.updated_at = now
    session.add(record)
    return record


async def record_messages(
    session: AsyncSession, messages: tuple[Message, ...], event_id: int | None
) -> int:
    """Store messages once each (by conversation and part id); returns how many were new."""
    dialect = session.get_bind().dialect.name
    insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
    added = 0
    for message in messages:
        statement = (
            insert(MessageRecord)
            .values(
                conversation_id=message.conversation_id,
                part_id=message.part_id,
                author_type=message.author.value,
                author_id=message.author_id,
                body=message.text,
                created_at=message.created_at,
                event_id=event_id,
            )
            .on_conflict_do_nothing(index_elements=["conversation_id", "part_id"])
            .returning(col(MessageRecord.id))
        )
        result = await session.exec(statement)
        added += int(result.first() is not None)
    return added


async def list_messages(session: AsyncSession, conversation_id: str) -> list[MessageRecord]:
    """The conversation's stored messages, oldest first."""
    statement = (
        select(MessageRecord)
        .where(MessageRecord.conversation_id == conversation_id)
        .order_by(col(MessageRecord.created_at), col(MessageRecord.id))
    )
    return list((await session.exec(statement)).all())


async def note_bot_action(
    session: AsyncSession, conversation_id: str, description: str, now: float
) -> None:
    """Remember the last thing the bot did in a conversation (shown to agents)."""
    record = await session.get(ConversationRecord, conversation_id)
    if record is None:
        return
    record.last_bot_action = description[:200]
    record.last_bot_action_at = now
    record.updated_at = now
    session.add(record)
