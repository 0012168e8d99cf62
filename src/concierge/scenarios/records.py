"""What a local stack recorded: its database rows and the emulator's workspace, read back.

Everything here reads; nothing changes the stack. The database is the server's own SQLite
file (the conversation row with its state, the per-turn decision records), the emulator is
read over HTTP like any Intercom client would.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from concierge.scenarios.stack import Stack

AUTH = {"Authorization": "Bearer scenario", "Intercom-Version": "2.14"}
JSON_COLUMNS = ("answers", "score", "route", "flow_state", "offered")


@dataclass(frozen=True)
class Decision:
    """One decision record: what the bot understood and decided on one event."""

    id: int
    details: dict[str, Any]


def stored_conversation(stack: Stack, conversation_id: str) -> dict[str, Any]:
    """The server's conversation row (JSON columns decoded); empty when there is none."""
    with sqlite3.connect(stack.database) as connection:
        connection.row_factory = sqlite3.Row
        row = connection.execute(
            "SELECT * FROM conversations WHERE id = ?", (conversation_id,)
        ).fetchone()
    if row is None:
        return {}
    stored = dict(row)
    for key in JSON_COLUMNS:
        if isinstance(stored.get(key), str):
            stored[key] = json.loads(stored[key])
    return stored


def decisions_after(stack: Stack, conversation_id: str, after_id: int) -> list[Decision]:
    """The conversation's decision records newer than ``after_id``, oldest first."""
    with sqlite3.connect(stack.database) as connection:
        rows = connection.execute(
            "SELECT id, details FROM decisions WHERE conversation_id = ? AND id > ? ORDER BY id",
            (conversation_id, after_id),
        ).fetchall()
    return [Decision(id=int(row[0]), details=json.loads(row[1])) for row in rows]


def emulated_conversation(stack: Stack, conversation_id: str) -> dict[str, Any]:
    """The conversation as the emulator (Intercom) has it, parts included."""
    url = f"{stack.emulator}/conversations/{conversation_id}"
    response = stack.http.get(url, headers=AUTH)
    response.raise_for_status()
    conversation: dict[str, Any] = response.json()
    return conversation


def emulated_contact(stack: Stack, conversation: dict[str, Any]) -> dict[str, Any]:
    """The conversation's first contact as the emulator has it; empty when there is none."""
    contacts = conversation.get("contacts", {}).get("contacts", [])
    if not contacts:
        return {}
    url = f"{stack.emulator}/contacts/{contacts[0]['id']}"
    response = stack.http.get(url, headers=AUTH)
    response.raise_for_status()
    contact: dict[str, Any] = response.json()
    return contact


def conversation_parts(conversation: dict[str, Any]) -> list[dict[str, Any]]:
    """The conversation's parts, oldest first."""
    parts: list[dict[str, Any]] = conversation["conversation_parts"]["conversation_parts"]
    return parts


def tag_names(conversation: dict[str, Any]) -> list[str]:
    """The names of the tags on the conversation, in the order they were applied."""
    return [str(tag["name"]) for tag in conversation.get("tags", {}).get("tags", [])]


def bot_admin_id(stack: Stack) -> str:
    """The id of the admin the bot writes as."""
    state = stack.http.get(stack.emulator + "/_state").json()
    return str(state["workspace"]["bot_admin_id"])


def dump_everything(stack: Stack) -> str:
    """Every row of every table plus the emulator's log, as one string (for not_anywhere)."""
    with sqlite3.connect(stack.database) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        rows = [
            json.dumps(row, default=str)
            for table in tables
            for row in connection.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from sqlite_master
        ]
    log = stack.http.get(stack.emulator + "/_log").text
    return "\n".join(rows) + "\n" + log
