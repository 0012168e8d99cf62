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


class NotificationError(IntercomError):
    """A webhook body that is not an Intercom notification."""


def _as_str(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class _Tolerant(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Author(_Tolerant):
    """The author of a conversation part or source."""

    type: str | None = None
    id: str | None = None
    name: str | None = None
    email: str | None = None

    _ids = field_validator("id", mode="before")(_as_str)


class Part(_Tolerant):
    """A conversation part (or the conversation source)."""

    id: str | None = None
    part_type: str | None = None
    body: str | None = None
    author: Author | None = None
    created_at: int | None = None
    app_package_code: str | None = None

    _ids = field_validator("id", mode="before")(_as_str)


class PartList(_Tolerant):
    """Intercom's ``{"type": "conversation_part.list", "conversation_parts": [...]}``."""

    conversation_parts: list[Part] = Field(default_factory=list)


class ContactRef(_Tolerant):
    """A contact reference inside a conversation."""

    id: str | None = None
    name: str | None = None
    email: str | None = None

    _ids = field_validator("id", mode="before")(_as_str)


class ContactList(_Tolerant):
    """Intercom's ``{"type": "contact.list", "contacts": [...]}``."""

    contacts: list[ContactRef] = Field(default_factory=list)


class ConversationItem(_Tolerant):
    """The conversation in ``data.item`` for conversation topics."""

    id: str
    created_at: int | None = None
    source: Part | None = None
    contacts: ContactList | None = None
    conversation_parts: PartList | None = None
    admin_assignee_id: str | None = None
    team_assignee_id: str | None = None

    _ids = field_validator("id", "admin_assignee_id", "team_assignee_id", mode="before")(_as_str)


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

    _ids = field_validator("id", mode="before")(_as_str)

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


def _author_kind(part: Part, bot_admin_id: str | None) -> AuthorKind:
    author = part.author or Author()
    if part.app_package_code or (bot_admin_id is not None and author.id == bot_admin_id):
        return AuthorKind.BOT
    if author.type in {"user", "lead", "contact"}:
        return AuthorKind.CUSTOMER
    if author.type == "bot":
        return AuthorKind.BOT
    return AuthorKind.ADMIN


def _message(conversation_id: str, part: Part, bot_admin_id: str | None) -> Message | None:
    if part.id is None or (part.body is None and part.part_type not in (None, "comment")):
        return None
    return Message(
        conversation_id=conversation_id,
        part_id=part.id,
        author=_author_kind(part, bot_admin_id),
        author_id=part.author.id if part.author else None,
        text=html_to_text(part.body),
        created_at=part.created_at or 0,
    )


def _parts(item: ConversationItem, topic: str) -> list[Part]:
    parts = list(item.conversation_parts.conversation_parts) if item.conversation_parts else []
    if topic == "conversation.user.created" and item.source is not None:
        source = item.source.model_copy(update={"id": f"source-{item.source.id or item.id}"})
        return [source, *parts]
    return parts


def _contact(item: ConversationItem, parts: list[Part]) -> Contact:
    ref = item.contacts.contacts[0] if item.contacts and item.contacts.contacts else ContactRef()
    author = next((p.author for p in parts if p.author and p.author.type in {"user", "lead"}), None)
    return Contact(
        id=ref.id or (author.id if author else None),
        name=ref.name or (author.name if author else None),
        email=ref.email or (author.email if author else None),
    )


def conversation_event(notification: Notification, bot_admin_id: str | None) -> ConversationEvent:
    """The domain event for a conversation notification (raises if it is not one)."""
    try:
        item = ConversationItem.model_validate(notification.data.item)
    except ValidationError as exc:
        raise NotificationError(f"{notification.topic}: malformed conversation item") from exc
    parts = _parts(item, notification.topic)
    messages = [_message(item.id, part, bot_admin_id) for part in parts]
    return ConversationEvent(
        topic=notification.topic,
        conversation_id=item.id,
        contact=_contact(item, parts),
        messages=tuple(m for m in messages if m is not None),
        assignee_admin_id=item.admin_assignee_id,
        assignee_team_id=item.team_assignee_id,
    )
