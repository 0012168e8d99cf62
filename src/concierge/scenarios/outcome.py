"""Check a finished scripted conversation against its ``expect`` block."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import httpx

from concierge.conditions import contact_value
from concierge.scenarios.script import Outcome
from concierge.scenarios.stack import Stack

AUTH = {"Authorization": "Bearer scenario", "Intercom-Version": "2.14"}


def _stored(stack: Stack, conversation_id: str) -> dict[str, Any]:
    with sqlite3.connect(stack.database) as connection:
        connection.row_factory = sqlite3.Row
        row = connection.execute(
            "SELECT * FROM conversations WHERE id = ?", (conversation_id,)
        ).fetchone()
    if row is None:
        return {}
    stored = dict(row)
    for key in ("answers", "score", "route", "flow_state"):
        if isinstance(stored.get(key), str):
            stored[key] = json.loads(stored[key])
    return stored


def _emulated(stack: Stack, conversation_id: str) -> dict[str, Any]:
    url = f"{stack.emulator}/conversations/{conversation_id}"
    conversation: dict[str, Any] = httpx.get(url, headers=AUTH, timeout=10).json()
    return conversation


def _contact(stack: Stack, conversation: dict[str, Any]) -> dict[str, Any]:
    contacts = conversation.get("contacts", {}).get("contacts", [])
    if not contacts:
        return {}
    url = f"{stack.emulator}/contacts/{contacts[0]['id']}"
    contact: dict[str, Any] = httpx.get(url, headers=AUTH, timeout=10).json()
    return contact


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        try:
            return float(actual) == float(expected)
        except (TypeError, ValueError):
            return False
    return str(actual).casefold() == str(expected).casefold()


def _slot_problems(expect: Outcome, stored: dict[str, Any]) -> list[str]:
    answers = stored.get("answers") or {}
    return [
        f"slot {name}: expected {value!r}, got {answers.get(name)!r}"
        for name, value in expect.slots.items()
        if not _same(answers.get(name), value)
    ]


def _decision_problems(expect: Outcome, stored: dict[str, Any]) -> list[str]:
    problems = []
    label = (stored.get("score") or {}).get("label")
    if expect.score_label is not None and not _same(label, expect.score_label):
        problems.append(f"score label: expected {expect.score_label!r}, got {label!r}")
    team = (stored.get("route") or {}).get("team")
    if expect.team is not None and not _same(team, expect.team):
        problems.append(f"team: expected {expect.team!r}, got {team!r}")
    if expect.status is not None and not _same(stored.get("status"), expect.status):
        problems.append(f"status: expected {expect.status!r}, got {stored.get('status')!r}")
    return problems


def _intercom_problems(expect: Outcome, stack: Stack, conversation: dict[str, Any]) -> list[str]:
    tags = {str(tag["name"]).casefold() for tag in conversation.get("tags", {}).get("tags", [])}
    problems = [
        f"tag {tag!r} missing (have {sorted(tags)})"
        for tag in expect.tags
        if tag.casefold() not in tags
    ]
    parts = conversation["conversation_parts"]["conversation_parts"]
    notes = " ".join(
        str(p.get("body") or "") for p in parts if p.get("part_type") == "note"
    ).casefold()
    problems += [
        f"no note contains {text!r}"
        for text in expect.note_contains
        if text.casefold() not in notes
    ]
    contact = _contact(stack, conversation) if expect.contact_attributes else {}
    for name, value in expect.contact_attributes.items():
        actual = contact_value(contact, name)
        if not _same(actual, value):
            problems.append(f"contact attribute {name}: expected {value!r}, got {actual!r}")
    return problems


def _leak_problems(expect: Outcome, stack: Stack, conversation: dict[str, Any]) -> list[str]:
    if not expect.not_anywhere:
        return []
    parts = conversation["conversation_parts"]["conversation_parts"]
    ours = [p for p in parts if (p.get("author") or {}).get("type") in {"bot", "admin"}]
    haystack = dump_everything(stack) + json.dumps(ours)
    return [f"{secret!r} found in clear" for secret in expect.not_anywhere if secret in haystack]


def outcome_problems(expect: Outcome, stack: Stack, conversation_id: str) -> list[str]:
    """Every way the final state differs from the expectations."""
    stored = _stored(stack, conversation_id)
    conversation = _emulated(stack, conversation_id)
    return (
        _slot_problems(expect, stored)
        + _decision_problems(expect, stored)
        + _intercom_problems(expect, stack, conversation)
        + _leak_problems(expect, stack, conversation)
    )


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
    log = httpx.get(stack.emulator + "/_log", timeout=10).text
    return "\n".join(rows) + "\n" + log
