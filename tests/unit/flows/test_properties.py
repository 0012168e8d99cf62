"""Whatever customers say, the engine never raises and its state always round-trips."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concierge.domain.understanding import Entity
from concierge.flows.engine import FlowEngine
from concierge.flows.forms import step_as_form
from concierge.flows.loader import flows_from_document
from concierge.flows.state import FlowState
from concierge.flows.steps import Step, Turn
from concierge.yaml_source import parse_yaml
from tests.unit.flows.support import FLOWS_YAML

ENGINE = FlowEngine(flows_from_document(parse_yaml(FLOWS_YAML), Path("flows.yaml")))

PHRASES = [
    "yes", "no", "maybe", "skip", "why?", "cancel", "agent please", "300", "0", "$50",
    "around 22k", "Portland", "the Couv", "Boise", "a@b.co", "bob at work", "business",
    "auto", "March 2, 2027", "503-555-0100", "change the email", "the quantity", "nothing",
    "where is my order?", "LED high-bays", "", "   ", "no, make it 400", "correct", "hmm",
]  # fmt: skip
ENTITY_VALUES: list[Any] = [
    300, 0, -5, 2.5, 1e300, "Portland", "Salem", "LED high-bay", "a@b.co", "bad", "2027-03-02",
    "+15035550100", True, None, "business", "auto", [1, 2], {"a": 1},
]  # fmt: skip
ENTITY_TYPES = ["quantity", "money", "product", "branch", "email", "date", "phone", "loan_type"]

entities = st.builds(
    Entity,
    type=st.sampled_from(ENTITY_TYPES),
    value=st.sampled_from(ENTITY_VALUES),
    text=st.text(max_size=5),
    start=st.integers(-3, 40),
    end=st.integers(-3, 40),
)
turns = st.builds(
    Turn,
    text=st.one_of(st.sampled_from(PHRASES), st.text(max_size=40)),
    entities=st.lists(entities, max_size=4).map(tuple),
    intent=st.sampled_from([None, "quote_request", "order_status", "talk_to_human", "loan"]),
    confidence=st.floats(0, 1),
    contact=st.just({}),
)
known = st.dictionaries(
    st.sampled_from(["product", "quantity", "email", "loan_type", "amount", "member", "x"]),
    st.sampled_from(ENTITY_VALUES),
    max_size=3,
)


def _check(step: Step, flow: str) -> None:
    state = step.state
    assert FlowState.from_json(state.to_json()) == state
    assert FlowState.from_dict(state.to_dict()) == state
    names = {slot.name for slot in ENGINE.catalog.require(flow).slots}
    assert set(state.answers) <= names
    assert isinstance(step_as_form(step), dict)
    assert ENGINE.resume(state).state.status == state.status
    assert isinstance(ENGINE.describe(state), str)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flow=st.sampled_from(["quote", "loan"]),
    opening=turns,
    later=st.lists(turns, max_size=12),
    answers=known,
)
def test_random_conversations_never_raise_and_always_round_trip(
    flow: str, opening: Turn, later: list[Turn], answers: dict[str, Any]
) -> None:
    step = ENGINE.begin(flow, opening, known=answers, intent="quote_request")
    _check(step, flow)
    for message in later:
        was_finished = step.state.finished
        step = ENGINE.advance(FlowState.from_json(step.state.to_json()), message)
        _check(step, flow)
        if was_finished:
            assert step.state.finished
