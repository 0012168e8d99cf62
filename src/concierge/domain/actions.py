"""Actions the bot decides on; the runtime turns them into Intercom calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ReplyType = Literal["comment", "note", "quick_reply"]


@dataclass(frozen=True)
class Reply:
    """Post a message (an internal note, or quick-reply buttons) as the bot admin."""

    body: str
    message_type: ReplyType = "comment"
    options: tuple[str, ...] = ()

    kind: Literal["reply"] = "reply"

    def to_payload(self) -> dict[str, Any]:
        """The JSON stored in the outbox."""
        return {"body": self.body, "message_type": self.message_type, "options": list(self.options)}


@dataclass(frozen=True)
class Assign:
    """Assign the conversation to a team (its queue) or to one admin."""

    assignee_id: str
    assignee_type: Literal["team", "admin"] = "team"

    kind: Literal["assign"] = "assign"

    def to_payload(self) -> dict[str, Any]:
        """The JSON stored in the outbox."""
        return {"assignee_id": self.assignee_id, "assignee_type": self.assignee_type}


@dataclass(frozen=True)
class Tag:
    """Attach a tag (created when missing) to the conversation."""

    name: str

    kind: Literal["tag"] = "tag"

    def to_payload(self) -> dict[str, Any]:
        """The JSON stored in the outbox."""
        return {"name": self.name}


@dataclass(frozen=True)
class UpdateContact:
    """Write custom attributes (score, label, answers) to the contact in Intercom."""

    contact_id: str
    attributes: dict[str, str | int | float | bool | None]

    kind: Literal["update_contact"] = "update_contact"

    def to_payload(self) -> dict[str, Any]:
        """The JSON stored in the outbox."""
        return {"contact_id": self.contact_id, "attributes": dict(self.attributes)}


Action = Reply | Assign | Tag | UpdateContact


@dataclass
class Turn:
    """The bot's decision for one event: actions to perform and state to remember.

    ``memory`` holds updates to the conversation's stored state (flow state, answers,
    intent, score, route …); ``decision`` is what gets recorded for "why?".
    """

    actions: list[Action] = field(default_factory=list)
    status: str | None = None
    greeted: bool | None = None
    memory: dict[str, Any] = field(default_factory=dict)
    decision: dict[str, Any] | None = None
