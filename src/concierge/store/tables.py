"""SQLModel tables. Times are Unix seconds (float) so lease and backoff arithmetic is
identical on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class WebhookEvent(SQLModel, table=True):
    """One Intercom notification, stored before it is acknowledged."""

    __tablename__ = "webhook_events"

    id: int | None = Field(default=None, primary_key=True)
    notification_id: str = Field(max_length=200, unique=True)
    topic: str = Field(max_length=120, index=True)
    conversation_id: str | None = Field(default=None, max_length=64, index=True)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    intercom_created_at: int = 0
    received_at: float
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    next_attempt_at: float = Field(default=0.0, index=True)
    lease_owner: str | None = Field(default=None, max_length=80)
    lease_until: float | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    finished_at: float | None = None


class ConversationRecord(SQLModel, table=True):
    """What Concierge knows about one Intercom conversation."""

    __tablename__ = "conversations"

    id: str = Field(primary_key=True, max_length=64)
    contact_id: str | None = Field(default=None, max_length=64, index=True)
    contact_name: str | None = Field(default=None, max_length=200)
    contact_email: str | None = Field(default=None, max_length=320)
    status: str = Field(default="bot", max_length=16)
    messages_seen: int = 0
    greeted: bool = False
    last_bot_action: str | None = Field(default=None, max_length=200)
    last_bot_action_at: float | None = None
    intent: str | None = Field(default=None, max_length=120)
    confidence: float | None = None
    flow_state: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    fallback_count: int = 0
    offered: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    score: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    route: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    qualified: bool | None = None
    created_at: float
    updated_at: float


class MessageRecord(SQLModel, table=True):
    """One conversation part Concierge has seen (customer, admin or bot)."""

    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("conversation_id", "part_id", name="uq_message_part"),)

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(max_length=64, index=True)
    part_id: str = Field(max_length=64)
    author_type: str = Field(max_length=16)
    author_id: str | None = Field(default=None, max_length=64)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: int = 0
    event_id: int | None = Field(default=None, foreign_key="webhook_events.id")


class OutgoingAction(SQLModel, table=True):
    """A call Concierge must make to Intercom: planned in the event's transaction, then sent.

    ``maybe_sent`` is set before a non-idempotent call goes out and cleared only when the
    outcome is known, so a crash or timeout leads to reconciliation, not a double post.
    """

    __tablename__ = "outgoing_actions"
    __table_args__ = (UniqueConstraint("event_id", "sequence", name="uq_action_per_event"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int | None = Field(default=None, foreign_key="webhook_events.id", index=True)
    sequence: int = 0
    conversation_id: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=32)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    next_attempt_at: float = 0.0
    maybe_sent: bool = False
    first_attempt_at: int | None = None
    lease_owner: str | None = Field(default=None, max_length=80)
    lease_until: float | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: float
    finished_at: float | None = None


class DecisionRecord(SQLModel, table=True):
    """Everything the bot decided on one turn, so an agent or auditor can ask "why?"."""

    __tablename__ = "decisions"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(max_length=64, index=True)
    event_id: int | None = Field(default=None, foreign_key="webhook_events.id")
    created_at: float
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    intent: str | None = Field(default=None, max_length=120)
    confidence: float | None = None
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class LeadFeedback(SQLModel, table=True):
    """An agent's verdict on a lead (qualified or not), kept for later training."""

    __tablename__ = "lead_feedback"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(max_length=64, index=True)
    admin_id: str | None = Field(default=None, max_length=64)
    qualified: bool
    intent: str | None = Field(default=None, max_length=120)
    created_at: float


class DirectoryAdmin(SQLModel, table=True):
    """An Intercom admin as last synced or updated by a webhook.

    ``updated_at`` is when the information was true in Intercom (the start of the sync, or
    the webhook's ``created_at``), so older news never overwrites newer; ``synced_at`` is
    when Concierge wrote the row.
    """

    __tablename__ = "directory_admins"

    admin_id: str = Field(primary_key=True, max_length=64)
    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    away: bool = False
    away_reassign: bool = False
    team_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: float
    synced_at: float


class DirectoryTeam(SQLModel, table=True):
    """An Intercom team and its members' admin ids, as last synced."""

    __tablename__ = "directory_teams"

    team_id: str = Field(primary_key=True, max_length=64)
    name: str | None = Field(default=None, max_length=200)
    admin_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: float
    synced_at: float


class RoundRobinTeam(SQLModel, table=True):
    """One row per playbook team: every assignment for the team locks it first, so picks for a
    team happen one at a time, also across server instances; ``picks`` numbers them."""

    __tablename__ = "round_robin_teams"

    team: str = Field(primary_key=True, max_length=120)
    picks: int = 0
    reset_at: float | None = None
    updated_at: float


class RoundRobinCounter(SQLModel, table=True):
    """An agent's round-robin counter in a team (smooth weighted round robin's running weight)
    and how many conversations round robin gave them since the last reset."""

    __tablename__ = "round_robin_counters"

    team: str = Field(primary_key=True, max_length=120)
    admin_id: str = Field(primary_key=True, max_length=64)
    current: int = 0
    assigned: int = 0
    updated_at: float


class AssignmentRecord(SQLModel, table=True):
    """Who a hand-off went to (an agent, or the team's queue when ``admin_id`` is empty), how
    (``owner``, ``round_robin`` or ``team_queue``), why, and the availability it saw."""

    __tablename__ = "assignments"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(max_length=64, index=True)
    team: str = Field(max_length=120, index=True)
    intercom_team_id: str | None = Field(default=None, max_length=64)
    admin_id: str | None = Field(default=None, max_length=64)
    method: str = Field(max_length=16)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    position: int | None = None
    availability: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    created_at: float = Field(index=True)
