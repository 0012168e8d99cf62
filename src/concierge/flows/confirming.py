"""The end of a flow that confirms: "shall I pass this on?", and changing an answer.

At the confirmation, "yes" completes; corrected values ("no, it's 400") are taken at once;
"no" or "change the email" asks which answer to change (or re-asks the one named). Choosing
what to change re-asks that question; then the flow comes back to the confirmation.
"""

from __future__ import annotations

from concierge.flows import phrases
from concierge.flows.detours import count_attempt, detour, hand_off, with_answers
from concierge.flows.filling import corrections, entity_type
from concierge.flows.progress import ask, complete, confirm, proceed
from concierge.flows.settings import FlowSettings
from concierge.flows.signals import (
    asks_for_change,
    asks_why,
    contains_phrase,
    normalise,
    wants_to_skip,
    yes_or_no,
)
from concierge.flows.spec import FlowSpec, SlotSpec
from concierge.flows.state import FlowState
from concierge.flows.steps import ChooseChange, Option, Step, Turn


def changeable(flow: FlowSpec, state: FlowState) -> tuple[SlotSpec, ...]:
    """The questions whose answers may be changed: answered or skipped ones."""
    done = {*state.answers, *state.skipped}
    return tuple(slot for slot in flow.slots if slot.name in done)


def choose_change(flow: FlowSpec, state: FlowState, hint: str | None = None) -> ChooseChange:
    """Ask which answer to change."""
    choices = tuple(Option(slot.name, slot.title) for slot in changeable(flow, state))
    return ChooseChange(
        state=state.evolve(status="choosing"),
        question=phrases.CHANGE_QUESTION,
        choices=choices,
        hint=hint,
    )


def _terms(slot: SlotSpec) -> set[str]:
    words = {slot.name, slot.title, entity_type(slot) or ""}
    return {normalise(term) for term in words | set(phrases.TYPE_WORDS.get(slot.type, ()))}


def mentioned_slot(flow: FlowSpec, state: FlowState, text: str) -> SlotSpec | None:
    """The answer the customer names ("change the email"), preferring the longest match."""
    words = normalise(text)
    best: tuple[int, SlotSpec] | None = None
    for slot in changeable(flow, state):
        matched = [len(term) for term in _terms(slot) if term and contains_phrase(words, term)]
        if matched and (best is None or max(matched) > best[0]):
            best = (max(matched), slot)
    return best[1] if best else None


def _reopen(slot: SlotSpec, state: FlowState) -> Step:
    answers = {name: value for name, value in state.answers.items() if name != slot.name}
    skipped = tuple(name for name in state.skipped if name != slot.name)
    reopened = state.evolve(status="asking", pending=slot.name, answers=answers, skipped=skipped)
    return ask(slot, reopened)


def _change(flow: FlowSpec, state: FlowState, turn: Turn) -> Step:
    slot = mentioned_slot(flow, state, turn.text)
    return choose_change(flow, state) if slot is None else _reopen(slot, state)


def _unclear(flow: FlowSpec, state: FlowState, turn: Turn, settings: FlowSettings) -> Step:
    side = detour(state, turn, None, settings)
    if side is not None:
        return side
    key = "_confirm" if state.status == "confirming" else "_change"
    state, count = count_attempt(state, key)
    if count >= settings.max_invalid:
        return hand_off(state, "stuck")
    if key == "_confirm":
        return confirm(flow, state, phrases.CONFIRM_HINT)
    return choose_change(flow, state, phrases.CHANGE_HINT)


def confirming(flow: FlowSpec, state: FlowState, turn: Turn, settings: FlowSettings) -> Step:
    """The customer's reply to "shall I pass this on?"."""
    verdict = yes_or_no(turn.text)
    change = asks_for_change(turn.text) or verdict is False
    fixed = corrections(flow, state.answers, turn.entities)
    if fixed and (change or verdict is None):
        return proceed(flow, with_answers(state, fixed), turn.contact)
    if change:
        return _change(flow, state, turn)
    if verdict:
        return complete(flow, state.evolve(status="completed", pending=None))
    if asks_why(turn.text):
        return confirm(flow, state)
    return _unclear(flow, state, turn, settings)


def choosing(flow: FlowSpec, state: FlowState, turn: Turn, settings: FlowSettings) -> Step:
    """The customer's reply to "what should I change?"."""
    fixed = corrections(flow, state.answers, turn.entities)
    if fixed:
        return proceed(flow, with_answers(state, fixed), turn.contact)
    slot = mentioned_slot(flow, state, turn.text)
    if slot is not None:
        return _reopen(slot, state)
    if yes_or_no(turn.text) is not None or wants_to_skip(turn.text):
        return confirm(flow, state.evolve(status="confirming"))
    if asks_why(turn.text):
        return choose_change(flow, state)
    return _unclear(flow, state, turn, settings)
