"""Actions the bot decides on; the runtime turns them into Intercom calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ReplyType = Literal["comment", "note", "quick_reply"]


@dataclass(frozen=True)
class Reply:
    """Post a message (or an internal note) to the conversation as the bot admin."""

    body: str
    message_type: ReplyType = "comment"
    options: tuple[str, ...] = ()

    kind: Literal["reply"] = "reply"

    def to_payload(self) -> dict[str, Any]:
        """The JSON stored in the outbox."""
        return {"body": self.body, "message_type": self.message_type, "options": list(self.options)}

    def describe(self) -> str:
        """A short human description for the agent's panel."""
        what = "note" if self.message_type == "note" else "reply"
        return f"{what}: {self.body[:80]}"


Action = Reply


@dataclass
class Turn:
    """The bot's decision for one event: actions to perform and state to remember."""

    actions: list[Action] = field(default_factory=list)
    status: str | None = None
    greeted: bool | None = None
