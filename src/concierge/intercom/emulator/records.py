"""The emulator's in-memory records: what a workspace holds, before it is put on the wire."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

AuthorKind = Literal["user", "lead", "admin", "bot"]
ConversationState = Literal["open", "closed", "snoozed"]
AttributeType = Literal["string", "integer", "float", "boolean", "date"]


@dataclass
class Admin:
    """A teammate, or the app's bot identity (``is_bot``)."""

    id: str
    name: str
    email: str
    job_title: str = ""
    team_ids: list[str] = field(default_factory=list)
    away_mode_enabled: bool = False
    away_mode_reassign: bool = False
    away_status_reason_id: int | None = None
    has_inbox_seat: bool = True
    is_bot: bool = False


@dataclass
class Team:
    """A team of admins; membership lives on the admins (``Admin.team_ids``)."""

    id: str
    name: str


@dataclass
class Contact:
    """A user (has an email or external id) or a lead (anonymous Messenger visitor)."""

    id: str
    role: Literal["user", "lead"]
    created_at: int
    updated_at: int
    email: str | None = None
    name: str | None = None
    phone: str | None = None
    external_id: str | None = None
    avatar: str | None = None
    owner_id: int | None = None
    unsubscribed_from_emails: bool = False
    signed_up_at: int | None = None
    last_seen_at: int | None = None
    last_replied_at: int | None = None
    custom_attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Author:
    """Who wrote a part: a contact (user or lead), a teammate, or a bot."""

    kind: AuthorKind
    id: str
    name: str | None
    email: str | None


@dataclass(frozen=True)
class Assignee:
    """The target of an assignment part (``id`` None means unassigned)."""

    kind: Literal["admin", "team", "nobody_admin"]
    id: str | None


@dataclass
class Part:
    """One conversation part (comment, note, assignment, close, ...)."""

    id: str
    part_type: str
    body: str | None
    author: Author
    created_at: int
    state: ConversationState
    assigned_to: Assignee | None = None
    attachment_urls: list[str] = field(default_factory=list)
    app_package_code: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """The message that started a conversation."""

    id: str
    body: str
    author: Author
    delivered_as: str
    created_at: int


@dataclass(frozen=True)
class AppliedTag:
    """A tag on a conversation, with who applied it and when."""

    tag_id: str
    applied_at: int
    applied_by: str


@dataclass
class Conversation:
    """A conversation: its source, its parts in order, and its inbox state."""

    id: str
    source: Source
    contact_ids: list[str]
    created_at: int
    updated_at: int
    state: ConversationState = "open"
    admin_assignee_id: str | None = None
    team_assignee_id: str | None = None
    waiting_since: int | None = None
    snoozed_until: int | None = None
    first_contact_reply_at: int | None = None
    parts: list[Part] = field(default_factory=list)
    tags: list[AppliedTag] = field(default_factory=list)


@dataclass
class Tag:
    """A workspace tag."""

    id: str
    name: str


@dataclass
class DataAttribute:
    """A data attribute of contacts or companies; custom ones are created via the API."""

    name: str
    model: Literal["contact", "company"]
    data_type: AttributeType
    label: str
    custom: bool = False
    id: int | None = None
    description: str = ""
    options: list[str] | None = None
    api_writable: bool = True
    messenger_writable: bool = False
    ui_writable: bool = True
    archived: bool = False
    admin_id: str | None = None
    created_at: int | None = None
    updated_at: int | None = None

    @property
    def full_name(self) -> str:
        """The dotted name Intercom uses (``custom_attributes.<name>`` for custom ones)."""
        return f"custom_attributes.{self.name}" if self.custom else self.name
