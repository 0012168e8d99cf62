"""Reasoning about conditions by form: never claims a cover or a need that is not true."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from concierge.conditions import Condition, parse_condition
from concierge.domain.decisions import Facts
from concierge.playbook.condition_logic import covers, named_intents, required_intents

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
INTENTS = ["quote", "order", "hello"]
VALUES = ["home", "Home", "business", "", 5, 100, "100", "1,000", 1000, True]

leaf = st.one_of(
    st.builds(
        lambda names: {"intent": names}, st.lists(st.sampled_from(INTENTS), min_size=1, max_size=2)
    ),
    st.builds(
        lambda slot, value: {"slot": slot, "equals": value},
        st.sampled_from("xy"),
        st.sampled_from(VALUES),
    ),
    st.builds(
        lambda slot, values: {"slot": slot, "in": values},
        st.sampled_from("xy"),
        st.lists(st.sampled_from(VALUES), min_size=1, max_size=3),
    ),
    st.builds(
        lambda slot, flag: {"slot": slot, "present": flag}, st.sampled_from("xy"), st.booleans()
    ),
    st.builds(
        lambda slot, operator, number: {"slot": slot, operator: number},
        st.sampled_from("xy"),
        st.sampled_from(["at_least", "greater_than", "at_most", "less_than"]),
        st.sampled_from([5, 100, 1000]),
    ),
)
conditions = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.builds(lambda items: {"all": items}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda items: {"any": items}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda item: {"not": item}, inner),
    ),
    max_leaves=5,
)
facts = st.builds(
    lambda intent, x, y: Facts(now=NOW, intent=intent, slots={"x": x, "y": y}),
    st.sampled_from([None, *INTENTS]),
    st.sampled_from([None, *VALUES]),
    st.sampled_from([None, *VALUES]),
)


@settings(max_examples=400, deadline=None)
@given(conditions, conditions, st.lists(facts, min_size=1, max_size=8))
def test_covers_is_sound(
    earlier: dict[str, Any], later: dict[str, Any], cases: list[Facts]
) -> None:
    first, second = parse_condition(earlier), parse_condition(later)
    if covers(first, second):
        for case in cases:
            assert not second.holds(case) or first.holds(case)


@settings(max_examples=300, deadline=None)
@given(conditions, facts)
def test_required_intents_are_really_required(data: dict[str, Any], case: Facts) -> None:
    condition = parse_condition(data)
    needed = required_intents(condition)
    if needed is not None and condition.holds(case):
        assert case.intent in needed


def condition(data: dict[str, Any]) -> Condition:
    return parse_condition(data)


def test_covers_sees_through_lists_any_and_thresholds() -> None:
    assert covers(condition({"intent": ["quote", "order"]}), condition({"intent": "quote"}))
    assert covers(
        condition({"slot": "x", "at_least": 10}), condition({"slot": "x", "greater_than": 10})
    )
    assert not covers(
        condition({"slot": "x", "greater_than": 10}), condition({"slot": "x", "at_least": 10})
    )
    assert covers(None, condition({"intent": "quote"}))
    assert not covers(condition({"intent": "quote"}), None)


def test_required_and_named_intents() -> None:
    mixed = condition({"all": [{"slot": "x", "present": True}, {"intent": ["quote", "order"]}]})
    assert required_intents(mixed) == {"quote", "order"}
    either = condition({"any": [{"slot": "x", "present": True}, {"intent": "quote"}]})
    assert required_intents(either) is None
    assert named_intents(either) == {"quote"}
