"""Designer conditions: operators, combinators, contact attributes, events, clear errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from concierge.conditions import ConditionError, parse_condition
from concierge.domain.decisions import Facts

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def facts(**values: Any) -> Facts:
    return Facts(now=NOW, **values)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"slot": "segment", "equals": "Commercial"}, True),
        ({"slot": "segment", "not_equals": "commercial"}, False),
        ({"slot": "amount", "greater_than": 100000}, True),
        ({"slot": "amount", "at_most": 100000}, False),
        ({"slot": "segment", "in": ["utility", "commercial"]}, True),
        ({"slot": "email", "present": True}, False),
        ({"slot": "segment", "matches": "^comm"}, True),
        ({"intent": ["quote_request", "stock_check"]}, True),
        ({"intent": "order_status"}, False),
    ],
)
def test_leaf_operators(condition: dict[str, Any], expected: bool) -> None:
    known = facts(intent="quote_request", slots={"segment": "commercial", "amount": "250,000"})
    assert parse_condition(condition).holds(known) is expected


def test_contains_handles_comma_separated_attributes() -> None:
    contact = {"custom_attributes": {"roles": "Member, VIP ,Borrower"}}
    assert parse_condition({"contact": "roles", "contains": "vip"}).holds(facts(contact=contact))
    assert not parse_condition({"contact": "roles", "equals": "VIP"}).holds(facts(contact=contact))


def test_combinators_and_description() -> None:
    condition = parse_condition(
        {
            "all": [
                {"slot": "amount", "greater_than": 100000},
                {"not": {"contact": "vip", "equals": True}},
            ]
        }
    )
    assert condition.holds(facts(slots={"amount": 150000}))
    assert condition.describe() == "amount greater than 100000 and not (vip equals True)"
    assert condition.slots() == {"amount"}


def test_recent_events_only() -> None:
    condition = parse_condition({"event": "visited_pricing", "within_days": 7})
    recent = facts(events=(("visited_pricing", NOW - timedelta(days=2)),))
    stale = facts(events=(("visited_pricing", NOW - timedelta(days=20)),))
    assert condition.holds(recent)
    assert not condition.holds(stale)


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({}, "non-empty mapping"),
        ({"slot": "x"}, "exactly one operator"),
        ({"slot": "x", "bigger": 3}, "exactly one operator"),
        ({"slot": "x", "greater_than": "lots"}, "needs a number"),
        ({"slot": "x", "matches": "("}, "invalid regular expression"),
        ({"all": []}, "non-empty list"),
        ({"slot": "x", "contact": "y", "equals": 1}, "exactly one of"),
    ],
)
def test_bad_conditions_say_what_is_wrong(condition: dict[str, Any], message: str) -> None:
    with pytest.raises(ConditionError, match=message):
        parse_condition(condition)
