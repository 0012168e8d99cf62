"""The emulated workspace: every record the emulator holds, with lookups and id issuing.

Mutating operations live beside it (``inbox``, ``people``); this module only stores and
finds. All access happens on the event loop without awaiting in between, so each request's
changes are atomic with respect to the others.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from concierge.intercom.emulator.errors import not_found
from concierge.intercom.emulator.records import (
    Admin,
    Author,
    Contact,
    Conversation,
    DataAttribute,
    Tag,
    Team,
)

IdKind = Literal["conversation", "part", "source", "contact", "tag", "attribute"]

_FIRST_ID: dict[IdKind, int] = {
    "conversation": 1,
    "part": 100_001,
    "source": 400_000_001,
    "contact": 0x10_0000,
    "tag": 7_000_001,
    "attribute": 1,
}
CONTACT_ID_PREFIX = "6650a1b2c3d4e5f6"


@dataclass(frozen=True)
class WorkspaceInfo:
    """The workspace ("app" in Intercom's API) itself."""

    id: str
    name: str
    region: str
    timezone: str
    created_at: int


class Workspace:
    """All records of one emulated Intercom workspace."""

    def __init__(
        self, info: WorkspaceInfo, bot_admin_id: str, clock: Callable[[], float] = time.time
    ) -> None:
        self.info = info
        self.bot_admin_id = bot_admin_id
        self.admins: dict[str, Admin] = {}
        self.teams: dict[str, Team] = {}
        self.contacts: dict[str, Contact] = {}
        self.conversations: dict[str, Conversation] = {}
        self.tags: dict[str, Tag] = {}
        self.attributes: list[DataAttribute] = []
        self._clock = clock
        self._counters: dict[IdKind, Iterator[int]] = {
            kind: itertools.count(first) for kind, first in _FIRST_ID.items()
        }

    def now(self) -> int:
        """The current time as Intercom reports it (unix seconds)."""
        return int(self._clock())

    def new_id(self, kind: IdKind) -> str:
        """A fresh id of a kind, never one already in use."""
        taken = self._taken(kind)
        while True:
            number = next(self._counters[kind])
            candidate = f"{CONTACT_ID_PREFIX}{number:08x}" if kind == "contact" else str(number)
            if candidate not in taken:
                return candidate

    def _taken(self, kind: IdKind) -> set[str]:
        if kind == "conversation":
            return set(self.conversations)
        if kind == "contact":
            return set(self.contacts)
        if kind == "tag":
            return set(self.tags)
        if kind == "attribute":
            return {str(a.id) for a in self.attributes if a.id is not None}
        return set()

    def admin(self, admin_id: str) -> Admin:
        """The admin (or bot admin) with this id, or Intercom's 404."""
        if admin_id not in self.admins:
            raise not_found("Admin not found", code="admin_not_found")
        return self.admins[admin_id]

    def team(self, team_id: str) -> Team:
        """The team with this id, or Intercom's 404."""
        if team_id not in self.teams:
            raise not_found("Team not found", code="team_not_found")
        return self.teams[team_id]

    def contact(self, contact_id: str) -> Contact:
        """The contact with this id, or Intercom's 404."""
        if contact_id not in self.contacts:
            raise not_found("User Not Found")
        return self.contacts[contact_id]

    def conversation(self, conversation_id: str) -> Conversation:
        """The conversation with this id, or Intercom's 404."""
        if conversation_id not in self.conversations:
            raise not_found()
        return self.conversations[conversation_id]

    def tag(self, tag_id: str) -> Tag:
        """The tag with this id, or Intercom's 404."""
        if tag_id not in self.tags:
            raise not_found("Tag not found", code="tag_not_found")
        return self.tags[tag_id]

    def human_admins(self) -> list[Admin]:
        """Teammates, without the app's bot admin (``GET /admins`` lists only these)."""
        return [admin for admin in self.admins.values() if not admin.is_bot]

    def team_members(self, team_id: str) -> list[Admin]:
        """The admins of a team."""
        return [admin for admin in self.admins.values() if team_id in admin.team_ids]

    def contact_where(
        self, *, email: str | None = None, external_id: str | None = None
    ) -> Contact | None:
        """The first contact with this email (case-insensitive) or external id."""
        for contact in self.contacts.values():
            if email is not None and (contact.email or "").lower() == email.lower():
                return contact
            if external_id is not None and contact.external_id == external_id:
                return contact
        return None

    def attribute(self, model: str, name: str) -> DataAttribute | None:
        """A data attribute of a model by name (custom ones by their short name)."""
        return next((a for a in self.attributes if a.model == model and a.name == name), None)

    def custom_attribute(self, name: str) -> DataAttribute | None:
        """A live custom contact attribute by name."""
        found = self.attribute("contact", name)
        return found if found is not None and found.custom and not found.archived else None

    def admin_author(self, admin: Admin) -> Author:
        """How an admin appears as a part author (the bot admin as ``type: bot``)."""
        return Author(
            kind="bot" if admin.is_bot else "admin", id=admin.id, name=admin.name, email=admin.email
        )

    def contact_author(self, contact: Contact) -> Author:
        """How a contact appears as a part author."""
        return Author(kind=contact.role, id=contact.id, name=contact.name, email=contact.email)
