"""A message while a question is pending: answers (several at once), skips, detours, re-asks.

The order of precedence, after "a person", "cancel" and "why" (see the engine):

1. entities answer any unanswered questions, the pending one first;
2. for a typed question (not free text), the customer's own words are read as its answer;
3. if nothing was answered: "skip" on an optional question; a confident other intent as a
   side question; free text as the answer; otherwise a re-ask with a hint (the third invalid
   answer to one question hands off as "stuck").
"""

from __future__ import annotations

from concierge.flows import phrases
from concierge.flows.detours import count_attempt, detour, hand_off, with_answers
from concierge.flows.filling import residual, take_entities
from concierge.flows.progress import proceed, reask
from concierge.flows.settings import FlowSettings
from concierge.flows.signals import looks_like_question, wants_to_skip
from concierge.flows.spec import FlowSpec, SlotSpec
from concierge.flows.state import FlowState
from concierge.flows.steps import Step, Turn
from concierge.flows.values import Accepted, Verdict, read_text


def answer(flow: FlowSpec, state: FlowState, turn: Turn, settings: FlowSettings) -> Step:
    """Take what the message answers and move on, or say what to do instead."""
    slot = flow.slot(state.pending)
    if slot is None:  # the flow changed under a stored state
        return proceed(flow, state, turn.contact)
    fill = take_entities(flow, state.answers, turn.entities, slot)
    found = dict(fill.found)
    read = read_text(slot, residual(turn.text, turn.entities, fill.used, slot))
    if slot.type != "text" and not isinstance(read, Accepted):
        read = _whole_text(slot, turn.text, read)
    if slot.name not in found and not slot.free_text and isinstance(read, Accepted):
        found[slot.name] = read.value
    if found:
        return proceed(flow, with_answers(state, found), turn.contact)
    return _unanswered(flow, state, turn, slot, read, fill.problem, settings)


def _whole_text(slot: SlotSpec, text: str, read: Verdict) -> Verdict:
    """An answer an entity claimed for another type still counts for this slot: a choice
    labelled "Within 30 days" (a date), a budget of "45000" (a ZIP code)."""
    whole = read_text(slot, text)
    return whole if isinstance(whole, Accepted) else read


def _unanswered(
    flow: FlowSpec,
    state: FlowState,
    turn: Turn,
    slot: SlotSpec,
    read: Verdict,
    problem: str | None,
    settings: FlowSettings,
) -> Step:
    skip = wants_to_skip(turn.text, strict=slot.free_text)
    if skip and not looks_like_question(turn.text):
        return _skip(flow, state, turn, slot, settings)
    side = detour(state, turn, slot, settings)
    if side is not None:
        return side
    if skip:
        return _skip(flow, state, turn, slot, settings)
    if isinstance(read, Accepted):
        return proceed(flow, with_answers(state, {slot.name: read.value}), turn.contact)
    return invalid(state, slot, problem or read.reason, settings)


def _skip(
    flow: FlowSpec, state: FlowState, turn: Turn, slot: SlotSpec, settings: FlowSettings
) -> Step:
    if slot.required:
        return invalid(state, slot, phrases.NEEDED, settings)
    skipped = state.evolve(skipped=(*state.skipped, slot.name))
    return proceed(flow, skipped, turn.contact)


def invalid(state: FlowState, slot: SlotSpec, hint: str, settings: FlowSettings) -> Step:
    """Re-ask with ``hint``; the ``max_invalid``-th invalid answer hands off as "stuck"."""
    state, count = count_attempt(state, slot.name)
    if count >= settings.max_invalid:
        return hand_off(state, "stuck", slot.name)
    return reask(slot, state, hint, count)
