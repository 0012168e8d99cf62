"""Answer checks on form screens: what passes, what fails, and the hint a customer sees."""

from __future__ import annotations

from typing import Any

import pytest

from concierge.canvas.input_rules import parse_rule


@pytest.mark.parametrize(
    ("rule", "value", "ok"),
    [
        ("required", "anything", True),
        ("required", "   ", False),
        ("required", None, False),
        ("required", [], False),
        ("required", ["portland"], True),
        ("email", "maya@okafor-electric.com", True),
        ("email", " maya@okafor-electric.com ", True),
        ("email", "maya@okafor", False),
        ("email", "maya okafor@x.com", False),
        ("email", "", False),
        ("positive_integer", "40", True),
        ("positive_integer", "1,200", True),
        ("positive_integer", "0", False),
        ("positive_integer", "-3", False),
        ("positive_integer", "2.5", False),
        ("positive_integer", "forty", False),
        ("number", "12.5", True),
        ("number", "-0.5", True),
        ("number", "1,000.25", True),
        ("number", "12,5,0", False),
        ("phone", "503-555-0142", True),
        ("phone", "+1 (503) 555 0142", True),
        ("phone", "555", False),
        ("phone", "call me", False),
    ],
)
def test_rules(rule: str, value: Any, ok: bool) -> None:
    problem = parse_rule(rule).problem(value)
    assert (problem is None) == ok


def test_optional_rules_allow_a_blank_answer_but_check_a_given_one() -> None:
    rule = parse_rule({"rule": "phone", "optional": True})
    assert rule.problem("") is None
    assert rule.problem("not a phone") == "Please enter a phone number, like 503-555-0142."


def test_designer_hint_replaces_the_default() -> None:
    rule = parse_rule({"rule": "email", "hint": "We need an email to send the quote to."})
    assert rule.problem("nope") == "We need an email to send the quote to."
