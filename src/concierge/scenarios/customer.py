"""A customer writing to the bot through the emulator, and what the bot did in reply.

Each message goes in through the emulator's ``POST /_messages`` helper, exactly like a real
customer in the Messenger; a quick-reply button is picked by sending its text, as Intercom
does. After each message the customer waits until every webhook is delivered, every event
processed and every action sent, then reads what happened: the bot's replies and buttons
from the emulator, the routing and the decision records from the server's database.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from typing import Any

from concierge.intercom.webhooks import html_to_text
from concierge.scenarios.records import (
    Decision,
    bot_admin_id,
    conversation_parts,
    decisions_after,
    emulated_contact,
    emulated_conversation,
    stored_conversation,
    tag_names,
)
from concierge.scenarios.stack import Stack

SETTLE_TIMEOUT = 20.0
BOT_PART_TYPES = frozenset({"comment", "quick_reply"})


@dataclass
class TurnRecord:
    """What the customer said and everything the bot did about it.

    ``team`` (its display name ``team_name``) and ``rule`` come from the route the bot stored
    (``None`` until it hands off);
    ``status`` is the stored conversation status (``bot``, ``human`` or ``closed``); ``tags``
    and ``contact_attributes`` are the conversation's tags and the contact's custom attributes
    in the emulator after the turn; ``decisions`` are the decision records of the turn.
    """

    customer: str
    replies: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    status: str | None = None
    team: str | None = None
    team_name: str | None = None
    rule: str | None = None
    tags: list[str] = field(default_factory=list)
    contact_attributes: dict[str, Any] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)

    @property
    def handed_off(self) -> bool:
        """True when a person owns the conversation after this turn."""
        return self.status == "human"


class BotError(RuntimeError):
    """The server failed to handle a message (the event is waiting for a retry)."""


def _failed_event(stack: Stack, conversation_id: str) -> str | None:
    """The error of the conversation's event that failed and waits for a retry (in local
    mode that is a bug, not a passing outage)."""
    with sqlite3.connect(stack.database) as connection:
        row = connection.execute(
            "SELECT last_error FROM webhook_events"
            " WHERE conversation_id = ? AND status = 'pending' AND attempts > 0",
            (conversation_id,),
        ).fetchone()
    return None if row is None else str(row[0])


def _pending_work(stack: Stack, conversation_id: str) -> int:
    with sqlite3.connect(stack.database) as connection:
        events = connection.execute(
            "SELECT count(*) FROM webhook_events WHERE conversation_id = ? AND status = 'pending'",
            (conversation_id,),
        ).fetchone()[0]
        actions = connection.execute(
            "SELECT count(*) FROM outgoing_actions"
            " WHERE conversation_id = ? AND status = 'pending'",
            (conversation_id,),
        ).fetchone()[0]
    return int(events) + int(actions)


def _pending_deliveries(stack: Stack, conversation_id: str) -> int:
    deliveries = stack.http.get(stack.emulator + "/_deliveries").json()
    return sum(
        1
        for delivery in deliveries
        if delivery["state"] == "pending"
        and str(delivery["envelope"]["data"]["item"].get("id")) == conversation_id
    )


def _busy(stack: Stack, conversation_id: str) -> bool:
    failure = _failed_event(stack, conversation_id)
    if failure is not None:
        raise BotError(f"the bot failed to handle the message: {failure}")
    # the database first: it is cheap to ask, and the emulator's list grows with every webhook
    return (
        _pending_work(stack, conversation_id) > 0 or _pending_deliveries(stack, conversation_id) > 0
    )


def settle(stack: Stack, conversation_id: str, timeout: float = SETTLE_TIMEOUT) -> None:
    """Wait until nothing of the conversation is in flight anywhere (three quiet looks in a
    row, to catch echoes); raises BotError as soon as the server failed on one of its events.
    Other conversations on the same stack are not waited for."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        quiet = 0 if _busy(stack, conversation_id) else quiet + 1
        if quiet >= 3:
            return
        time.sleep(0.05)
    raise TimeoutError(f"the bot was still busy after {timeout} s")


def _options(part: dict[str, Any]) -> list[str]:
    metadata = part.get("metadata") or {}
    return [str(option["text"]) for option in metadata.get("quick_reply_options") or []]


def _bot_parts_after(
    conversation: dict[str, Any], part_id: str, bot_id: str
) -> list[dict[str, Any]]:
    parts = conversation_parts(conversation)
    ids = [str(part["id"]) for part in parts]
    start = ids.index(part_id) + 1 if part_id in ids else 0
    return [
        part
        for part in parts[start:]
        if str((part.get("author") or {}).get("id")) == bot_id
        and part.get("part_type") in BOT_PART_TYPES
    ]


class Customer:
    """One customer (an email and attributes, or an anonymous lead) and their conversation."""

    def __init__(self, stack: Stack, contact: dict[str, Any] | None = None) -> None:
        self.stack = stack
        self.contact = contact
        self.conversation_id: str | None = None
        self._bot_id = bot_admin_id(stack)
        self._last_decision = 0

    def new_conversation(self) -> None:
        """The next message starts a new conversation (as the same contact)."""
        self.conversation_id = None
        self._last_decision = 0

    def say(self, text: str) -> TurnRecord:
        """Send one message, wait for the bot to finish, and report what it did."""
        part_id = self._send(text)
        assert self.conversation_id is not None
        settle(self.stack, self.conversation_id)
        conversation = emulated_conversation(self.stack, self.conversation_id)
        parts = _bot_parts_after(conversation, part_id, self._bot_id)
        stored = stored_conversation(self.stack, self.conversation_id)
        route = stored.get("route") or {}
        contact = emulated_contact(self.stack, conversation)
        decisions = decisions_after(self.stack, self.conversation_id, self._last_decision)
        if decisions:
            self._last_decision = decisions[-1].id
        return TurnRecord(
            customer=text,
            replies=[html_to_text(part.get("body")) for part in parts],
            options=[option for part in parts for option in _options(part)],
            status=stored.get("status"),
            team=route.get("team"),
            team_name=(route.get("details") or {}).get("team_name"),
            rule=route.get("rule"),
            tags=tag_names(conversation),
            contact_attributes=dict(contact.get("custom_attributes") or {}),
            decisions=decisions,
        )

    def _send(self, text: str) -> str:
        payload: dict[str, Any] = {"body": text}
        if self.conversation_id is not None:
            payload["conversation_id"] = self.conversation_id
        elif self.contact is not None:
            payload["contact"] = self.contact
        response = self.stack.http.post(self.stack.emulator + "/_messages", json=payload)
        response.raise_for_status()
        sent = response.json()
        self.conversation_id = str(sent["conversation_id"])
        return str(sent["part_id"])
