"""Local-only helpers under the emulator's base URL (paths starting with ``/_``).

* ``POST /_messages`` — a customer says something: creates (or continues) a conversation and
  delivers ``conversation.user.created`` (or ``.replied``).
* ``GET /_log`` — every request received, oldest first.
* ``POST|GET|DELETE /_faults`` — arm, list, clear injected failures.
* ``GET /_state`` — conversations with parts, contacts, tags, admins, teams as JSON.
* ``POST /_ping`` — send a ``ping`` notification; ``GET /_deliveries`` — webhook records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from concierge.intercom.emulator import inbox, people, wire
from concierge.intercom.emulator.bodies import Body, NonBlank, parse
from concierge.intercom.emulator.delivery import PING_ITEM, WebhookSender
from concierge.intercom.emulator.errors import not_found
from concierge.intercom.emulator.exchange import EmulatorResponse, ok
from concierge.intercom.emulator.faults import FaultBook, FaultRequest
from concierge.intercom.emulator.journal import Journal
from concierge.intercom.emulator.workspace import Workspace

LOCAL_PREFIX = "/_"


class ContactDetails(Body):
    """Who is writing; matched to an existing contact by email."""

    email: str | None = None
    name: str | None = None
    custom_attributes: dict[str, Any] | None = None

    NULLABLE = frozenset({"email", "name", "custom_attributes"})


class MessageRequest(Body):
    """``POST /_messages``."""

    body: NonBlank
    conversation_id: str | None = None
    contact: ContactDetails | None = None

    NULLABLE = frozenset({"conversation_id", "contact"})


@dataclass(frozen=True)
class LocalHelpers:
    """The helper endpoints, bound to one emulator's parts."""

    workspace: Workspace
    webhooks: WebhookSender
    journal: Journal
    faults: FaultBook

    def route(self, method: str, path: str) -> Callable[[Any], EmulatorResponse]:
        """The helper for a method and path, or a 404."""
        helpers: dict[tuple[str, str], Callable[[Any], EmulatorResponse]] = {
            ("POST", "/_messages"): self.post_message,
            ("GET", "/_log"): lambda _: ok(self.journal.entries()),
            ("POST", "/_faults"): self.arm_fault,
            ("GET", "/_faults"): lambda _: ok(
                {"faults": [f.as_json() for f in self.faults.armed()]}
            ),
            ("DELETE", "/_faults"): lambda _: ok({"cleared": self.faults.clear()}),
            ("GET", "/_state"): lambda _: ok(state_json(self.workspace)),
            ("POST", "/_ping"): lambda _: ok(self.webhooks.send("ping", dict(PING_ITEM)).as_json()),
            ("GET", "/_deliveries"): lambda _: ok([d.as_json() for d in self.webhooks.deliveries]),
        }
        helper = helpers.get((method.upper(), path))
        if helper is None:
            raise not_found(f"No local helper {method.upper()} {path}")
        return helper

    def post_message(self, body: Any) -> EmulatorResponse:
        """A customer message: start or continue a conversation, deliver the webhook."""
        request = parse(MessageRequest, body)
        if request.conversation_id is not None:
            return self._continue(request.conversation_id, request.body)
        details = request.contact or ContactDetails()
        people.ensure_messenger_attributes(self.workspace, details.custom_attributes or {})
        contact = people.find_or_create_contact(
            self.workspace,
            email=details.email,
            name=details.name,
            custom_attributes=details.custom_attributes,
        )
        conversation = inbox.start_conversation(self.workspace, contact, request.body)
        item = wire.conversation_json(conversation, self.workspace, parts=[])
        self.webhooks.send("conversation.user.created", item)
        return _sent(conversation.id, contact.id, conversation.source.id)

    def _continue(self, conversation_id: str, text: str) -> EmulatorResponse:
        if conversation_id not in self.workspace.conversations:
            raise not_found(f"Conversation {conversation_id} not found")
        conversation = self.workspace.conversations[conversation_id]
        contact = self.workspace.contact(conversation.contact_ids[0])
        part = inbox.contact_reply(self.workspace, conversation, contact, text)
        item = wire.conversation_json(conversation, self.workspace, parts=[part])
        self.webhooks.send("conversation.user.replied", item)
        return _sent(conversation.id, contact.id, part.id)

    def arm_fault(self, body: Any) -> EmulatorResponse:
        """Arm a fault for the next N matching REST requests."""
        return ok(self.faults.arm(parse(FaultRequest, body)).as_json(), status=201)


def _sent(conversation_id: str, contact_id: str, part_id: str) -> EmulatorResponse:
    return ok(
        {"conversation_id": conversation_id, "contact_id": contact_id, "part_id": part_id},
        status=201,
    )


def state_json(workspace: Workspace) -> dict[str, Any]:
    """Everything the workspace holds, as Intercom-shaped JSON."""
    return {
        "workspace": {
            "id": workspace.info.id,
            "name": workspace.info.name,
            "region": workspace.info.region,
            "bot_admin_id": workspace.bot_admin_id,
        },
        "admins": [wire.admin_json(admin) for admin in workspace.admins.values()],
        "teams": [wire.team_json(team, workspace) for team in workspace.teams.values()],
        "contacts": [wire.contact_json(c, workspace) for c in workspace.contacts.values()],
        "conversations": [
            wire.conversation_json(c, workspace) for c in workspace.conversations.values()
        ],
        "tags": [wire.tag_json(tag) for tag in workspace.tags.values()],
        "data_attributes": [wire.data_attribute_json(a) for a in workspace.attributes if a.custom],
    }
