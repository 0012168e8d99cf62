"""What one incoming notification means for a conversation, in Concierge's own words."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class AuthorKind(StrEnum):
    """Who wrote a conversation part."""

    CUSTOMER = "customer"
    ADMIN = "admin"
    BOT = "bot"


@dataclass(frozen=True)
class Message:
    """One conversation part, reduced to what the bot reasons about (plain text body)."""

    conversation_id: str
    part_id: str
    author: AuthorKind
    author_id: str | None
    text: str
    created_at: int


@dataclass(frozen=True)
class Contact:
    """The customer in a conversation, as far as the notification tells."""

    id: str | None = None
    name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class ConversationEvent:
    """A conversation notification: what happened, to which conversation, with which parts."""

    topic: str
    conversation_id: str
    contact: Contact
    messages: tuple[Message, ...] = ()
    assignee_admin_id: str | None = None
    assignee_team_id: str | None = None

    @property
    def is_new_conversation(self) -> bool:
        """True for the customer's first message of a conversation."""
        return self.topic == "conversation.user.created"

    @property
    def customer_messages(self) -> tuple[Message, ...]:
        """The parts written by the customer (not echoes of the bot, not agents)."""
        return tuple(m for m in self.messages if m.author is AuthorKind.CUSTOMER)


@dataclass(frozen=True)
class ConversationState:
    """What Concierge remembers about a conversation before handling an event.

    ``flow_state`` is the active qualification flow (JSON), ``answers`` the slots collected
    so far, ``offered`` the "did you mean" choices last shown, ``transcript`` the recent
    messages (masked), ``contact`` the contact's attributes as far as known.
    """

    conversation_id: str
    status: str = "bot"
    greeted: bool = False
    messages_seen: int = 0
    intent: str | None = None
    confidence: float | None = None
    flow_state: dict[str, Any] | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    fallback_count: int = 0
    offered: dict[str, Any] | None = None
    transcript: tuple[Message, ...] = ()
    contact: dict[str, Any] = field(default_factory=dict)
