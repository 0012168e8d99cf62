"""Checking and reading answers by slot type, and showing them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from concierge.flows.choices import mentioned_choice
from concierge.flows.parsing import find_date, find_number, find_phone
from concierge.flows.spec import Choice, SlotSpec, SlotType
from concierge.flows.values import Accepted, Rejected, check_value, display, read_text


def _slot(kind: SlotType, **extra: object) -> SlotSpec:
    return SlotSpec(name="x", type=kind, question="?", why="because", **extra)  # type: ignore[arg-type]


BRANCHES = (
    Choice("Portland", "Portland", ("PDX",)),
    Choice("Vancouver WA", "Vancouver (WA)", ("the Couv",)),
    Choice("Can't sign in", "Can't sign in"),
    Choice("Website on a computer", "Website on a computer"),
    Choice("Website on a phone", "Website on a phone"),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Portland", "Portland"),
        ("pdx", "Portland"),
        ("ok, the couv please", "Vancouver WA"),
        ("vancouver (wa)", "Vancouver WA"),
        ("cant sign in", "Can't sign in"),
        ("website on a phone", "Website on a phone"),
        ("website", None),
        ("Portland or Vancouver (WA)", None),
        ("Boise", None),
    ],
)
def test_mentioned_choice(text: str, expected: str | None) -> None:
    found = mentioned_choice(BRANCHES, text)
    assert (found.value if found else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$8,000", 8000),
        ("around 22k", 22000),
        ("1.5 million", 1500000),
        ("2.5", 2.5),
        ("about 300 units", 300),
        ("a bunch", None),
    ],
)
def test_find_number(text: str, expected: float | None) -> None:
    assert find_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("503-555-0100", "+15035550100"),
        ("call (503) 555 0100", "+15035550100"),
        ("1 503 555 0100", "+15035550100"),
        ("+44 20 7946 0958", "+442079460958"),
        ("555-0100", None),
        ("2 kids and 3 dogs", None),
    ],
)
def test_find_phone(text: str, expected: str | None) -> None:
    assert find_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-03-02", "2027-03-02"),
        ("March 2, 2027", "2027-03-02"),
        ("by mar 2nd 2027", "2027-03-02"),
        ("2 March 2027", "2027-03-02"),
        ("3/2/2027", "2027-03-02"),
        ("February 30, 2027", None),
        ("next week", None),
    ],
)
def test_find_date(text: str, expected: str | None) -> None:
    assert find_date(text) == expected


def test_check_value_by_type() -> None:
    assert check_value(_slot("email"), "A@B.co") == Accepted("a@b.co")
    assert isinstance(check_value(_slot("email"), "a at b"), Rejected)
    assert check_value(_slot("phone"), "+15035550100") == Accepted("+15035550100")
    assert check_value(_slot("date"), date(2027, 3, 2)) == Accepted("2027-03-02")
    assert check_value(_slot("date"), datetime(2027, 3, 2, 9)) == Accepted("2027-03-02")
    assert isinstance(check_value(_slot("date"), "2027-02-30"), Rejected)
    assert check_value(_slot("number"), 300.0) == Accepted(300)
    assert check_value(_slot("money"), "$40,000") == Accepted(40000)
    assert isinstance(check_value(_slot("number"), True), Rejected)
    assert isinstance(check_value(_slot("number"), float("nan")), Rejected)
    assert check_value(_slot("yes_no"), False) == Accepted(False)
    assert check_value(_slot("text"), "  two  words ") == Accepted("two words")
    assert isinstance(check_value(_slot("text"), " , "), Rejected)
    assert isinstance(check_value(_slot("choice", choices=BRANCHES), "ok, PDX"), Rejected)
    assert check_value(_slot("choice", choices=BRANCHES), "PDX") == Accepted("Portland")
    assert isinstance(check_value(_slot("text"), None), Rejected)


def test_ranges() -> None:
    low = _slot("money", minimum=500)
    high = _slot("number", maximum=10)
    assert check_value(low, 499) == Rejected("Please give an amount of at least $500.")
    assert check_value(high, 11) == Rejected("Please give a number of at most 10.")
    assert read_text(_slot("number", minimum=0.5, maximum=2.5), "3") == Rejected(
        "Please give a number between 0.50 and 2.50."
    )


def test_designer_hint_replaces_the_default() -> None:
    assert read_text(_slot("email", hint="An email, please."), "nope") == Rejected(
        "An email, please."
    )


def test_display() -> None:
    assert display(_slot("money"), 40000) == "$40,000"
    assert display(_slot("money"), 12.5) == "$12.50"
    assert display(_slot("number"), 5000) == "5,000"
    assert display(_slot("yes_no"), True) == "yes"
    assert display(_slot("choice", choices=BRANCHES), "Vancouver WA") == "Vancouver (WA)"
    assert display(_slot("date"), "2027-03-02") == "2027-03-02"
