"""Tolerant models of the REST resources the bot reads back from Intercom.

Only the fields the app uses are modelled; unknown fields are ignored so new Intercom
versions do not break parsing. Ids are strings in API v2 even when numeric, but the
published 2.14 description types some of them as integers (``admin_assignee_id``,
``team_ids``, ``admin_ids``, ``data_attribute.id``): every id is accepted as an int or a
string and normalised to ``str``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


def _id_to_str(value: Any) -> Any:
    """Normalise an int id to str; leave anything else for pydantic to judge."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _ids_to_str(value: Any) -> Any:
    """Normalise a list of int-or-str ids to a list of str (``None`` means none)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [_id_to_str(item) for item in value]
    return value


class Resource(BaseModel):
    """Base of every resource model: extra fields are ignored, names or aliases accepted."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class App(Resource):
    """The workspace an admin belongs to (present on ``GET /me``)."""

    id_code: str | None = None
    name: str | None = None
    region: str | None = None
    timezone: str | None = None


class Admin(Resource):
    """A teammate (or bot) account in the workspace."""

    type: str | None = None
    id: str
    name: str | None = None
    email: str | None = None
    away_mode_enabled: bool = False
    away_mode_reassign: bool = False
    team_ids: list[str] = Field(default_factory=list)
    app: App | None = None

    _id = field_validator("id", mode="before")(_id_to_str)
    _team_ids = field_validator("team_ids", mode="before")(_ids_to_str)


class Team(Resource):
    """A group of admins conversations can be assigned to."""

    type: str | None = None
    id: str
    name: str | None = None
    admin_ids: list[str] = Field(default_factory=list)

    _id = field_validator("id", mode="before")(_id_to_str)
    _admin_ids = field_validator("admin_ids", mode="before")(_ids_to_str)


class Tag(Resource):
    """A label for conversations, contacts and companies."""

    type: str | None = None
    id: str
    name: str | None = None

    _id = field_validator("id", mode="before")(_id_to_str)


class Contact(Resource):
    """A user or lead."""

    type: str | None = None
    id: str
    role: str | None = None
    external_id: str | None = None
    email: str | None = None
    name: str | None = None
    phone: str | None = None
    owner_id: str | None = None
    custom_attributes: dict[str, Any] = Field(default_factory=dict)

    _id = field_validator("id", "external_id", "owner_id", mode="before")(_id_to_str)

    @field_validator("custom_attributes", mode="before")
    @classmethod
    def _no_attributes(cls, value: Any) -> Any:
        return {} if value is None else value


class Author(Resource):
    """Who wrote a conversation part: an admin, bot, team, user or lead."""

    type: str | None = None
    id: str | None = None
    name: str | None = None
    email: str | None = None

    _id = field_validator("id", mode="before")(_id_to_str)


class ConversationPart(Resource):
    """One message or event in a conversation."""

    type: str | None = None
    id: str
    part_type: str | None = None
    body: str | None = None
    author: Author | None = None
    created_at: int | None = None
    updated_at: int | None = None
    app_package_code: str | None = None
    external_id: str | None = None

    _id = field_validator("id", mode="before")(_id_to_str)


class ConversationSource(Resource):
    """The message that started a conversation."""

    type: str | None = None
    id: str | None = None
    delivered_as: str | None = None
    subject: str | None = None
    body: str | None = None
    author: Author | None = None
    url: str | None = None

    _id = field_validator("id", mode="before")(_id_to_str)


class ContactReference(Resource):
    """A contact taking part in a conversation."""

    type: str | None = None
    id: str
    external_id: str | None = None

    _id = field_validator("id", "external_id", mode="before")(_id_to_str)


class ConversationContacts(Resource):
    """``{"type": "contact.list", "contacts": [...]}`` inside a conversation."""

    contacts: list[ContactReference] = Field(default_factory=list)


class ConversationParts(Resource):
    """``{"type": "conversation_part.list", "conversation_parts": [...]}`` (max 500 parts)."""

    parts: list[ConversationPart] = Field(default_factory=list, alias="conversation_parts")
    total_count: int | None = None


class Conversation(Resource):
    """A conversation as returned by retrieve, reply and manage calls."""

    type: str | None = None
    id: str
    state: str | None = None
    open: bool | None = None
    admin_assignee_id: str | None = None
    team_assignee_id: str | None = None
    snoozed_until: int | None = None
    source: ConversationSource | None = None
    contacts: ConversationContacts = Field(default_factory=ConversationContacts)
    conversation_parts: ConversationParts = Field(default_factory=ConversationParts)
    created_at: int | None = None
    updated_at: int | None = None

    _ids = field_validator("id", "admin_assignee_id", "team_assignee_id", mode="before")(_id_to_str)

    @field_validator("contacts", "conversation_parts", mode="before")
    @classmethod
    def _absent_list(cls, value: Any) -> Any:
        return {} if value is None else value

    @property
    def parts(self) -> list[ConversationPart]:
        """The conversation parts, oldest first (Intercom returns at most 500)."""
        return self.conversation_parts.parts


class DataAttribute(Resource):
    """A standard or custom attribute of contacts, companies or conversations."""

    type: str | None = None
    id: str | None = None
    name: str
    full_name: str | None = None
    label: str | None = None
    model: str | None = None
    data_type: str | None = None
    custom: bool | None = None
    archived: bool | None = None
    api_writable: bool | None = None

    _id = field_validator("id", mode="before")(_id_to_str)

    @property
    def custom_name(self) -> str | None:
        """The key to use under ``custom_attributes``, or None for a standard attribute."""
        prefix = "custom_attributes."
        if self.full_name and self.full_name.startswith(prefix):
            return self.full_name[len(prefix) :]
        if self.custom or (self.custom is None and self.full_name is None):
            return self.name
        return None


class AdminList(Resource):
    """``{"type": "admin.list", "admins": [...]}``."""

    admins: list[Admin] = Field(default_factory=list)


class TeamList(Resource):
    """``{"type": "team.list", "teams": [...]}``."""

    teams: list[Team] = Field(default_factory=list)


class DataAttributeList(Resource):
    """``{"type": "list", "data": [...]}``."""

    data: list[DataAttribute] = Field(default_factory=list)
