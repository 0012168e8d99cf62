"""The same qualification flows as chat, one Messenger card per step."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from concierge.flows import FlowEngine, FlowState, Step, step_as_form
from concierge.flows import Turn as FlowTurn
from concierge.playbook.brain import Brain


def _card(step: Step) -> tuple[dict[str, Any], dict[str, Any]]:
    return step_as_form(step), step.state.to_dict()


def start_card_flow(
    brain: Brain, flow_name: str, contact: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The first card of ``flow_name``: its form and the state to carry."""
    engine = FlowEngine(brain.flows)
    return _card(engine.resume(engine.start(flow_name, contact=contact)))


def advance_card_flow(
    brain: Brain, state: Mapping[str, Any], answer: str, contact: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The next card after the customer answered on this one."""
    engine = FlowEngine(brain.flows)
    current = FlowState.from_dict(dict(state))
    turn = FlowTurn(text=answer, entities=tuple(brain.entities.extract(answer)), contact=contact)
    step = engine.advance(current, turn)
    if step.kind == "side_question":
        step = engine.resume(step.state)
    return _card(step)


def pending_slot(state: Mapping[str, Any]) -> str | None:
    """The slot the card is asking about (the input's id)."""
    pending = state.get("pending")
    return str(pending) if pending else None
