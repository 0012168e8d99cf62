"""Reading steering phrases: a person, cancel, why, skip, yes and no."""

from __future__ import annotations

import pytest

from concierge.flows.signals import (
    asks_for_change,
    asks_for_human,
    asks_to_cancel,
    asks_why,
    looks_like_question,
    normalise,
    wants_to_skip,
    yes_or_no,
)


def test_normalise() -> None:
    assert normalise("  What\u2019s THAT for?! ") == "whats that for"
    assert normalise("order_number") == "order number"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("can I talk to a person?", True),
        ("agent please", True),
        ("I want to speak to a real person", True),
        ("let me speak with a rep", True),
        ("a representative", True),
        ("we need 300 high-bays", False),
        ("reagent bottles", False),
    ],
)
def test_asks_for_human(text: str, expected: bool) -> None:
    assert asks_for_human(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cancel", True),
        ("Never mind.", True),
        ("ok, forget it", True),
        ("stop asking me questions", True),
        ("never mind, I don't need it anymore", False),
        ("never mind, I don't need it", True),
        ("cancel my order", False),
        ("can I cancel my order", False),
        ("stop buttons", False),
        ("I changed my mind", True),
    ],
)
def test_asks_to_cancel(text: str, expected: bool) -> None:
    assert asks_to_cancel(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("why?", True),
        ("but why", True),
        ("why do you need my email?", True),
        ("what's that for", True),
        ("What is this for?", True),
        ("how come?", True),
        ("why is my order late", False),
        ("ok", False),
    ],
)
def test_asks_why(text: str, expected: bool) -> None:
    assert asks_why(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("Yes, that's right", True),
        ("yes I am", True),
        ("yep!", True),
        ("correct", True),
        ("I think so, yes", True),
        ("no", False),
        ("nope", False),
        ("I'm not", False),
        ("I am not a member", False),
        ("maybe", None),
        ("not sure", None),
        ("yes, no changes needed", True),
        ("", None),
        ("Portland", None),
    ],
)
def test_yes_or_no(text: str, expected: bool | None) -> None:
    assert yes_or_no(text) is expected


def test_wants_to_skip() -> None:
    assert wants_to_skip("skip")
    assert wants_to_skip("no thanks, skip")
    assert wants_to_skip("no budget yet")
    assert wants_to_skip("I have no idea")
    assert not wants_to_skip("I have no idea", strict=True)
    assert wants_to_skip("I don't have it", strict=True)
    assert not wants_to_skip("no error message, it just spins forever", strict=True)
    assert not wants_to_skip("Portland")


def test_changes_and_questions() -> None:
    assert asks_for_change("change the email")
    assert asks_for_change("that's wrong")
    assert not asks_for_change("correct")
    assert looks_like_question("where's my order")
    assert looks_like_question("my order?")
    assert not looks_like_question("the 200 A panels")
