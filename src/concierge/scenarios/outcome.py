"""Check a finished scripted conversation against its ``expect`` block."""

from __future__ import annotations

import json
from typing import Any

from concierge.conditions import contact_value
from concierge.scenarios.records import (
    conversation_parts,
    dump_everything,
    emulated_contact,
    emulated_conversation,
    stored_conversation,
    tag_names,
)
from concierge.scenarios.script import Outcome
from concierge.scenarios.stack import Stack


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
    tags = {name.casefold() for name in tag_names(conversation)}
    problems = [
        f"tag {tag!r} missing (have {sorted(tags)})"
        for tag in expect.tags
        if tag.casefold() not in tags
    ]
    parts = conversation_parts(conversation)
    notes = " ".join(
        str(p.get("body") or "") for p in parts if p.get("part_type") == "note"
    ).casefold()
    problems += [
        f"no note contains {text!r}"
        for text in expect.note_contains
        if text.casefold() not in notes
    ]
    contact = emulated_contact(stack, conversation) if expect.contact_attributes else {}
    for name, value in expect.contact_attributes.items():
        actual = contact_value(contact, name)
        if not _same(actual, value):
            problems.append(f"contact attribute {name}: expected {value!r}, got {actual!r}")
    return problems


def _leak_problems(expect: Outcome, stack: Stack, conversation: dict[str, Any]) -> list[str]:
    if not expect.not_anywhere:
        return []
    parts = conversation_parts(conversation)
    ours = [p for p in parts if (p.get("author") or {}).get("type") in {"bot", "admin"}]
    haystack = dump_everything(stack) + json.dumps(ours)
    return [f"{secret!r} found in clear" for secret in expect.not_anywhere if secret in haystack]


def outcome_problems(expect: Outcome, stack: Stack, conversation_id: str) -> list[str]:
    """Every way the final state differs from the expectations."""
    stored = stored_conversation(stack, conversation_id)
    conversation = emulated_conversation(stack, conversation_id)
    return (
        _slot_problems(expect, stored)
        + _decision_problems(expect, stored)
        + _intercom_problems(expect, stack, conversation)
        + _leak_problems(expect, stack, conversation)
    )
