"""A step as a plain form description, so a Messenger canvas can show one step per card.

:func:`step_as_form` says what to show without the canvas builder knowing flow internals::

    {"input": "single_select",            # text | single_select | yes_no | date | none
     "id": "branch",                       # the input's id; submit its value as the turn text
     "label": "Which branch ...?",         # the question
     "intro": None,                        # text above it (the "why", or the summary)
     "error": None,                        # after an invalid answer: the hint (save_state failed)
     "placeholder": "...",                 # example answer for text inputs
     "format": "choice",                   # the slot type (text, email, phone, money, ...)
     "options": [{"id": "Portland", "label": "Portland"}, ...],
     "rows": [],                           # confirmation: [{"field": label, "value": answer}]
     "optional": False,                    # True: offer a "Skip" (submit the text "skip")
     "final": False,                       # True: nothing more to ask; show ``message``
     "message": None,
     "step": "ask"}                        # the step kind

Submitting the chosen option id, "yes"/"no", or the typed text as the next turn's text
advances the flow exactly as a chat message would.
"""

from __future__ import annotations

from typing import Any

from concierge.flows import phrases
from concierge.flows.steps import (
    ChooseChange,
    Confirm,
    Explain,
    Option,
    Reask,
    SideQuestion,
    SlotStep,
    Step,
)

_INPUTS = {"choice": "single_select", "yes_no": "yes_no", "date": "date"}
_PLACEHOLDERS = {
    "email": "name@example.com",
    "phone": "503-555-0100",
    "money": "25,000",
    "number": "300",
    "date": "YYYY-MM-DD",
}
CONFIRM_ID = "confirm"
CHANGE_ID = "change"


def _options(options: tuple[Option, ...]) -> list[dict[str, str]]:
    return [{"id": option.value, "label": option.label} for option in options]


def _form(kind: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "input": "none", "id": None, "label": None, "intro": None, "error": None,
        "placeholder": None, "format": None, "options": [], "rows": [], "optional": False,
        "final": False, "message": None, "step": kind,
    }  # fmt: skip
    return {**base, **fields}


def _slot_form(step: SlotStep) -> dict[str, Any]:
    return _form(
        step.kind,
        input=_INPUTS.get(step.slot_type, "text"),
        id=step.slot,
        label=step.question,
        intro=step.why if isinstance(step, Explain) else None,
        error=step.hint if isinstance(step, Reask) else None,
        placeholder=_PLACEHOLDERS.get(step.slot_type),
        format=step.slot_type,
        options=_options(step.choices),
        optional=step.optional,
    )


def _confirm_form(step: Confirm) -> dict[str, Any]:
    yes = Option("yes", phrases.CONFIRM_YES_LABEL)
    no = Option("no", phrases.CONFIRM_NO_LABEL)
    return _form(
        step.kind,
        input="yes_no",
        id=CONFIRM_ID,
        label=step.question,
        intro=phrases.CONFIRM_INTRO,
        error=step.hint,
        options=_options((yes, no)),
        rows=[{"field": label, "value": value} for label, value in step.lines],
    )


def _change_form(step: ChooseChange) -> dict[str, Any]:
    return _form(
        step.kind,
        input="single_select",
        id=CHANGE_ID,
        label=step.question,
        error=step.hint,
        options=_options(step.choices),
    )


def step_as_form(step: Step) -> dict[str, Any]:
    """What the card for ``step`` shows and which input it needs.

    A side question has no form of its own (``input`` none, not final): answer it, then
    describe ``engine.resume(step.state)`` to show the pending question again.
    """
    if isinstance(step, SlotStep):
        return _slot_form(step)
    if isinstance(step, Confirm):
        return _confirm_form(step)
    if isinstance(step, ChooseChange):
        return _change_form(step)
    return _form(step.kind, final=not isinstance(step, SideQuestion), message=step.text or None)
