"""Flow states round-trip through JSON and refuse anything else."""

from __future__ import annotations

import json

import pytest

from concierge.flows.errors import FlowStateError
from concierge.flows.state import FlowState

STATE = FlowState(
    flow="quote",
    status="asking",
    pending="quantity",
    answers={"product": "LED high-bay", "quantity": 2.5, "member": True, "count": 3},
    skipped=("budget",),
    attempts={"quantity": 1},
    intent="quote_request",
)


def test_round_trip_through_json_and_dict() -> None:
    assert FlowState.from_json(STATE.to_json()) == STATE
    assert FlowState.from_dict(json.loads(json.dumps(STATE.to_dict()))) == STATE


def test_json_shape() -> None:
    assert json.loads(STATE.to_json()) == {
        "version": 1,
        "flow": "quote",
        "intent": "quote_request",
        "status": "asking",
        "pending": "quantity",
        "answers": {"product": "LED high-bay", "quantity": 2.5, "member": True, "count": 3},
        "skipped": ["budget"],
        "attempts": {"quantity": 1},
        "reason": None,
    }


def test_finished() -> None:
    assert not STATE.finished
    assert STATE.evolve(status="handed_off", reason="stuck").finished


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"version": 2, "flow": "quote", "status": "asking"}',
        '{"version": 1, "status": "asking"}',
        '{"version": 1, "flow": "quote", "status": "lost"}',
        '{"version": 1, "flow": "quote", "status": "asking", "answers": {"a": null}}',
        '{"version": 1, "flow": "quote", "status": "asking", "answers": {"a": [1]}}',
        '{"version": 1, "flow": "quote", "status": "asking", "skipped": "budget"}',
        '{"version": 1, "flow": "quote", "status": "asking", "attempts": {"a": true}}',
        '{"version": 1, "flow": "quote", "status": "handed_off", "reason": "bored"}',
        '{"version": 1, "flow": "quote", "status": "asking", "pending": 3}',
    ],
)
def test_bad_states_are_refused(text: str) -> None:
    with pytest.raises(FlowStateError):
        FlowState.from_json(text)
