"""Placeholders: dotted lookups with defaults, shown as a person would read them, no code."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from concierge.canvas.errors import CanvasError
from concierge.canvas.placeholders import PlaceholderError, fill, fill_all, find_placeholders

CONTEXT: dict[str, Any] = {
    "contact": {"name": "Ada Lovelace", "email": "", "company": None},
    "conversation": {"messages_seen": 0, "vip": True, "tags": ["hot", "utility"]},
    "items": [{"sku": "QO120"}],
}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Hi {{ contact.name | there }}!", "Hi Ada Lovelace!"),
        ("Hi {{contact.name|there}}!", "Hi Ada Lovelace!"),
        ("Hi {{ contact.nickname | there }}!", "Hi there!"),
        ("Email: {{ contact.email | — }}", "Email: —"),
        ("Company: {{ contact.company | none given }}", "Company: none given"),
        ("Seen {{ conversation.messages_seen | — }}", "Seen 0"),
        ("VIP: {{ conversation.vip }}", "VIP: yes"),
        ("Tags: {{ conversation.tags }}", "Tags: hot, utility"),
        ("SKU {{ items.0.sku }}", "SKU QO120"),
        ("SKU {{ items.5.sku | unknown }}", "SKU unknown"),
        ("Hi {{ contact.nickname }}.", "Hi ."),
        ("{{ a }}{{ b | 2 }}{{ c | 3 }}", "23"),
        ("No placeholders at all", "No placeholders at all"),
    ],
)
def test_fill(template: str, expected: str) -> None:
    context = {**CONTEXT, "c": None}
    assert fill(template, context) == expected


def test_datetimes_are_shown_in_utc() -> None:
    when = datetime(2024, 5, 1, 14, 30, tzinfo=UTC)
    assert fill("{{ at }}", {"at": when}) == "2024-05-01 14:30 UTC"


def test_missing_marker_is_used_only_without_a_default() -> None:
    assert fill("{{ x }} {{ y | fallback }}", {}, missing="sample") == "sample fallback"


@pytest.mark.parametrize(
    "template",
    ["{{ contact.__class__ }}", "{{ contact.name.upper }}", "{{ items.__len__ }}"],
)
def test_no_attribute_access_on_values(template: str) -> None:
    assert fill(template, CONTEXT) == ""


def test_fill_all_fills_every_string_but_not_keys() -> None:
    value = {
        "{{ key }}": "{{ contact.name }}",
        "list": ["{{ conversation.messages_seen }}", 3, None],
        "nested": {"deep": "{{ contact.email | none }}"},
    }
    assert fill_all(value, CONTEXT) == {
        "{{ key }}": "Ada Lovelace",
        "list": ["0", 3, None],
        "nested": {"deep": "none"},
    }


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("Hi {{ contact.name", "without a closing"),
        ("Hi contact.name }}", "without an opening"),
        ("{{ }}", "needs a dotted name"),
        ("{{ | default }}", "needs a dotted name"),
        ("{{ contact name }}", "needs a dotted name"),
        ("{{ contact..name }}", "needs a dotted name"),
        ("{{ len(contact) }}", "needs a dotted name"),
        ("{{ a {{ b }} }}", "cannot contain"),
        ("{{ a }} }}", "without an opening"),
    ],
)
def test_bad_syntax_is_reported(template: str, problem: str) -> None:
    with pytest.raises(PlaceholderError, match=problem):
        find_placeholders(template)


def test_placeholder_errors_are_canvas_errors() -> None:
    with pytest.raises(CanvasError):
        fill("{{ oops", {})


def test_find_placeholders_reports_paths_and_defaults() -> None:
    found = find_placeholders("{{ contact.name | there }} and {{ x }}")
    assert [(p.path, p.default) for p in found] == [(("contact", "name"), "there"), (("x",), None)]
