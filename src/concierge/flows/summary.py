"""Answers in plain words: the confirmation summary, the completion reply, the agent's note."""

from __future__ import annotations

import re
from collections.abc import Mapping

from concierge.flows import phrases
from concierge.flows.spec import Answer, FlowSpec
from concierge.flows.state import FlowState
from concierge.flows.values import display

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def summary_lines(flow: FlowSpec, answers: Mapping[str, Answer]) -> tuple[tuple[str, str], ...]:
    """``(label, answer)`` for every answered slot, in flow order."""
    return tuple(
        (slot.title, display(slot, answers[slot.name]))
        for slot in flow.slots
        if slot.name in answers
    )


def summary_text(lines: tuple[tuple[str, str], ...]) -> str:
    """The lines as a short list under "Here's what I have:"."""
    return "\n".join([phrases.CONFIRM_INTRO, *(f"- {label}: {value}" for label, value in lines)])


def ordered_answers(flow: FlowSpec, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """The answers in flow order, leaving out any name the flow does not have."""
    return {slot.name: answers[slot.name] for slot in flow.slots if slot.name in answers}


def fill_reply(template: str, flow: FlowSpec, answers: Mapping[str, Answer]) -> str:
    """``template`` with ``{slot}`` placeholders replaced by answers (unanswered ones vanish)."""

    def answer(match: re.Match[str]) -> str:
        slot = flow.slot(match.group(1))
        value = answers.get(match.group(1))
        return display(slot, value) if slot is not None and value is not None else ""

    filled = PLACEHOLDER.sub(answer, template)
    return re.sub(r"[ \t]+([!?.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", filled)).strip()


def _where(flow: FlowSpec, state: FlowState) -> str:
    if state.status == "asking":
        slot = flow.slot(state.pending)
        return f"waiting for: {slot.title if slot else state.pending}"
    if state.status == "handed_off":
        return f"handed off ({'customer asked' if state.reason == 'asked' else 'bot stuck'})"
    return state.status.replace("_", " ")


def describe(flow: FlowSpec, state: FlowState) -> str:
    """A few lines for the agent's note: the flow, where it stands, the answers so far."""
    lines = [f"{flow.description.rstrip('.')} ({flow.name}): {_where(flow, state)}"]
    lines += [f"- {label}: {value}" for label, value in summary_lines(flow, state.answers)]
    skipped = [slot.title for slot in flow.slots if slot.name in state.skipped]
    if skipped:
        lines.append(f"Skipped: {', '.join(skipped)}")
    return "\n".join(lines)
