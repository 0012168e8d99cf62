"""Webhook notifications: the envelope, tolerant item models, and their meaning.

Intercom serialises ``data.item`` in the app's API version; older payloads use other field
names. Only what the bot needs is modelled; everything else is ignored. A conversation
item's ``conversation_parts`` carries only the new part(s) for reply topics, while
``conversation.user.created`` carries the customer's message in ``source``.
"""

from __future__ import annotations

import html
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from concierge.domain.conversation import AuthorKind, Contact, ConversationEvent, Message
from concierge.intercom.errors import IntercomError
from concierge.intercom.resources import Author, Conversation, ConversationPart


class NotificationError(IntercomError):
    """A webhook body that is not an Intercom notification."""


class _Tolerant(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class NotificationData(_Tolerant):
    """``data`` of the envelope."""

    item: dict[str, Any] = Field(default_factory=dict)


class Notification(_Tolerant):
    """The webhook envelope Intercom posts (``type: notification_event``)."""

    id: str
    topic: str
    app_id: str | None = None
    created_at: int = 0
    delivery_attempts: int = 1
    data: NotificationData = Field(default_factory=NotificationData)

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_str(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @property
    def conversation_id(self) -> str | None:
        """The conversation this notification is about, if it is about one."""
        item = self.data.item
        if self.topic.startswith("conversation.") and item.get("id") is not None:
            return str(item["id"])
        return None


def parse_notification(body: Any) -> Notification:
    """Validate a decoded webhook body as a notification, or raise NotificationError."""
    if not isinstance(body, dict):
        raise NotificationError("webhook body must be a JSON object")
    try:
        return Notification.model_validate(body)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in err["loc"]) for err in exc.errors())
        raise NotificationError(f"not an Intercom notification (check: {fields})") from None


_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<\s*(br|/p|/div|/li)\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]+")


def html_to_text(body: str | None) -> str:
    """Plain text from an Intercom HTML body (paragraphs and breaks become newlines)."""
    if not body:
        return ""
    text = _TAG.sub("", _BREAK.sub("\n", body))
    lines = (_SPACES.sub(" ", line).strip() for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


def _author_kind(
    author: Author | None, package: str | None, bot_admin_id: str | None
) -> AuthorKind:
    who = author or Author()
    if package or (bot_admin_id is not None and who.id == bot_admin_id) or who.type == "bot":
        return AuthorKind.BOT
    if who.type in {"user", "lead", "contact"}:
        return AuthorKind.CUSTOMER
    return AuthorKind.ADMIN


def _message(
    conversation_id: str, part: ConversationPart, bot_admin_id: str | None
) -> Message | None:
    if part.body is None and part.part_type not in (None, "comment"):
        return None
    return Message(
        conversation_id=conversation_id,
        part_id=part.id,
        author=_author_kind(part.author, part.app_package_code, bot_admin_id),
        author_id=part.author.id if part.author else None,
        text=html_to_text(part.body),
        created_at=part.created_at or 0,
    )


def _source_part(item: Conversation) -> ConversationPart | None:
    source = item.source
    if source is None:
        return None
    return ConversationPart(
        id=f"source-{source.id or item.id}",
        part_type="comment",
        body=source.body,
        author=source.author,
        created_at=item.created_at,
    )


def _parts(item: Conversation, topic: str) -> list[ConversationPart]:
    source = _source_part(item) if topic == "conversation.user.created" else None
    return [source, *item.parts] if source is not None else list(item.parts)


def _contact(item: Conversation, parts: list[ConversationPart]) -> Contact:
    ref = item.contacts.contacts[0] if item.contacts.contacts else None
    author = next((p.author for p in parts if p.author and p.author.type in {"user", "lead"}), None)
    return Contact(
        id=(ref.id if ref else None) or (author.id if author else None),
        name=author.name if author else None,
        email=author.email if author else None,
    )


def _human_assignee(item: Conversation, bot_admin_id: str | None) -> str | None:
    assignee = item.admin_assignee_id
    return None if assignee in (None, "0", bot_admin_id) else assignee


def conversation_event(notification: Notification, bot_admin_id: str | None) -> ConversationEvent:
    """The domain event for a conversation notification (raises if it is not one)."""
    try:
        item = Conversation.model_validate(notification.data.item)
    except ValidationError as exc:
        raise NotificationError(f"{notification.topic}: malformed conversation item") from exc
    parts = _parts(item, notification.topic)
    messages = [_message(item.id, part, bot_admin_id) for part in parts]
    return ConversationEvent(
        topic=notification.topic,
        conversation_id=item.id,
        contact=_contact(item, parts),
        messages=tuple(m for m in messages if m is not None),
        assignee_admin_id=_human_assignee(item, bot_admin_id),
        assignee_team_id=item.team_assignee_id,
    )
