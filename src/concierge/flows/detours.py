"""Leaving the question for a moment: side questions, hand-offs, invalid-answer counting."""

from __future__ import annotations

from collections.abc import Mapping

from concierge.flows.settings import FlowSettings
from concierge.flows.signals import looks_like_question
from concierge.flows.spec import Answer, SlotSpec
from concierge.flows.state import FlowState, HandoffReason
from concierge.flows.steps import HandoffRequested, SideQuestion, Turn


def hand_off(state: FlowState, reason: HandoffReason, slot: str | None = None) -> HandoffRequested:
    """Stop the flow and ask for a person (the answers so far stay in the state)."""
    return HandoffRequested(
        state=state.evolve(status="handed_off", reason=reason), reason=reason, slot=slot
    )


def detour(
    state: FlowState, turn: Turn, slot: SlotSpec | None, settings: FlowSettings
) -> HandoffRequested | SideQuestion | None:
    """A confident intent that is not the flow's own: a side question (or a hand-off).

    For free-text questions, where any words are an answer, the message must also read as a
    question ("where's my order?").
    """
    intent = turn.intent
    if intent is None or intent in {state.intent, state.flow}:
        return None
    if turn.confidence < settings.detour_confidence:
        return None
    if slot is not None and slot.free_text and not looks_like_question(turn.text):
        return None
    if intent in settings.handoff_intents:
        return hand_off(state, "asked", state.pending)
    return SideQuestion(state=state, intent=intent, confidence=turn.confidence)


def count_attempt(state: FlowState, key: str) -> tuple[FlowState, int]:
    """The state with one more invalid attempt at ``key``, and the new count."""
    count = state.attempts.get(key, 0) + 1
    return state.evolve(attempts={**state.attempts, key: count}), count


def with_answers(state: FlowState, found: Mapping[str, Answer]) -> FlowState:
    """The state with ``found`` answers added (no longer skipped, attempts reset)."""
    return state.evolve(
        answers={**state.answers, **found},
        skipped=tuple(name for name in state.skipped if name not in found),
        attempts={key: n for key, n in state.attempts.items() if key not in found},
    )
