"""Moving through a flow: which question is next, and the steps that ask, confirm, complete.

``when`` conditions are checked in flow order against the answers to the earlier questions
that still apply, so changing an early answer drops later answers that no longer apply and
brings in questions that now do.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from concierge.domain.decisions import Facts
from concierge.flows import phrases
from concierge.flows.spec import Answer, FlowSpec, SlotSpec
from concierge.flows.state import FlowState
from concierge.flows.steps import Ask, Complete, Confirm, Explain, Option, Reask, Step
from concierge.flows.summary import fill_reply, ordered_answers, summary_lines, summary_text

# Flow conditions never look at time (event conditions are rejected when loading).
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
YES_NO_OPTIONS = (Option("yes", phrases.YES_LABEL), Option("no", phrases.NO_LABEL))


def applies(
    slot: SlotSpec, answers: Mapping[str, Answer], state: FlowState, contact: Mapping[str, Any]
) -> bool:
    """True when the slot's ``when`` holds (or it has none)."""
    if slot.when is None:
        return True
    facts = Facts(now=EPOCH, intent=state.intent, slots=answers, contact=contact)
    return slot.when.holds(facts)


def walk(flow: FlowSpec, state: FlowState, contact: Mapping[str, Any]) -> FlowState:
    """The state with the next question pending (None when all are answered or skipped).

    Answers and skips for questions before the pending one that no longer apply are dropped;
    those for later questions (volunteered early) are kept.
    """
    kept: dict[str, Answer] = {}
    skipped: list[str] = []
    for index, slot in enumerate(flow.slots):
        if not applies(slot, kept, state, contact):
            continue
        if slot.name in state.answers:
            kept[slot.name] = state.answers[slot.name]
        elif slot.name in state.skipped:
            skipped.append(slot.name)
        else:
            later = {s.name for s in flow.slots[index + 1 :]}
            kept.update({k: v for k, v in state.answers.items() if k in later})
            skipped += [name for name in state.skipped if name in later]
            return state.evolve(answers=kept, skipped=tuple(skipped), pending=slot.name)
    return state.evolve(answers=kept, skipped=tuple(skipped), pending=None)


def options(slot: SlotSpec) -> tuple[Option, ...]:
    """The buttons for a slot: its choices, yes and no, or none."""
    if slot.type == "yes_no":
        return YES_NO_OPTIONS
    return tuple(Option(choice.value, choice.label) for choice in slot.choices)


def ask(slot: SlotSpec, state: FlowState) -> Ask:
    """Ask ``slot`` (the pending question)."""
    return Ask(
        state=state,
        slot=slot.name,
        question=slot.question,
        slot_type=slot.type,
        choices=options(slot),
        optional=not slot.required,
    )


def reask(slot: SlotSpec, state: FlowState, hint: str, attempt: int) -> Reask:
    """Say what was wrong and ask ``slot`` again."""
    return Reask(
        state=state,
        slot=slot.name,
        question=slot.question,
        slot_type=slot.type,
        choices=options(slot),
        optional=not slot.required,
        hint=hint,
        attempt=attempt,
    )


def explain(slot: SlotSpec, state: FlowState) -> Explain:
    """Say why ``slot`` is asked, and ask it again."""
    return Explain(
        state=state,
        slot=slot.name,
        question=slot.question,
        slot_type=slot.type,
        choices=options(slot),
        optional=not slot.required,
        why=slot.why,
    )


def confirm(flow: FlowSpec, state: FlowState, hint: str | None = None) -> Confirm:
    """Show the answers and ask whether to pass them on."""
    lines = summary_lines(flow, state.answers)
    return Confirm(state=state, summary=summary_text(lines), lines=lines, hint=hint)


def complete(flow: FlowSpec, state: FlowState) -> Complete:
    """The flow is done: the answers, and the completion reply filled in."""
    answers = ordered_answers(flow, state.answers)
    template = flow.on_complete.reply or phrases.COMPLETE_REPLY
    return Complete(
        state=state,
        answers=answers,
        on_complete=flow.on_complete,
        reply=fill_reply(template, flow, answers),
    )


def proceed(flow: FlowSpec, state: FlowState, contact: Mapping[str, Any]) -> Step:
    """After answers changed: ask the next question, or confirm, or complete."""
    state = walk(flow, state, contact)
    slot = flow.slot(state.pending)
    if slot is not None:
        return ask(slot, state.evolve(status="asking"))
    if flow.confirm:
        return confirm(flow, state.evolve(status="confirming"))
    return complete(flow, state.evolve(status="completed"))
