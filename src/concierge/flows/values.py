"""Checking answers by slot type: values from entities or earlier answers, and raw text.

:func:`check_value` checks a value that is already normalised (an entity's value, an answer
known before the flow started); :func:`read_text` reads the customer's own words when no
entity answered the question. Both give :class:`Accepted` (with the value to store) or
:class:`Rejected` (with what to tell the customer).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from concierge.flows import phrases
from concierge.flows.choices import exact_choice, mentioned_choice
from concierge.flows.parsing import (
    as_date,
    as_email,
    as_number,
    as_phone,
    find_date,
    find_email,
    find_number,
    find_phone,
)
from concierge.flows.signals import yes_or_no
from concierge.flows.spec import Answer, SlotSpec

MAX_TEXT = 1000


@dataclass(frozen=True)
class Accepted:
    """A valid answer, normalised, ready to store."""

    value: Answer


@dataclass(frozen=True)
class Rejected:
    """Not a valid answer; ``reason`` is what to tell the customer."""

    reason: str


Verdict = Accepted | Rejected


def hint_for(slot: SlotSpec) -> str:
    """How to answer this slot: the designer's hint, or a sensible one for its type."""
    if slot.hint:
        return slot.hint
    labels = [choice.label for choice in slot.choices]
    listed = ", ".join(labels[:-1]) + f" or {labels[-1]}" if len(labels) > 1 else "".join(labels)
    return phrases.DEFAULT_HINTS[slot.type].format(choices=listed)


def display(slot: SlotSpec, value: Answer) -> str:
    """An answer in plain words for summaries and notes ("$40,000", "yes", "Vancouver WA")."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if slot.type == "choice":
        choice = exact_choice(slot.choices, value)
        return choice.label if choice else str(value)
    if isinstance(value, int | float) and slot.type in {"money", "number"}:
        return _number_text(slot, value)
    return str(value)


def _number_text(slot: SlotSpec, value: float) -> str:
    shown = f"{value:,}" if float(value).is_integer() else f"{value:,.2f}"
    return f"${shown}" if slot.type == "money" else shown


def _in_range(slot: SlotSpec, number: int | float | None) -> Verdict:
    if number is None:
        return Rejected(hint_for(slot))
    low, high = slot.minimum, slot.maximum
    if (low is None or number >= low) and (high is None or number <= high):
        return Accepted(number)
    what = phrases.RANGE_WHAT[slot.type]

    def shown(limit: float) -> str:
        return _number_text(slot, int(limit) if float(limit).is_integer() else limit)

    if low is not None and high is not None:
        return Rejected(phrases.BETWEEN.format(what=what, low=shown(low), high=shown(high)))
    if low is not None:
        return Rejected(phrases.AT_LEAST.format(what=what, limit=shown(low)))
    return Rejected(phrases.AT_MOST.format(what=what, limit=shown(high or 0)))


def _maybe(slot: SlotSpec, value: Answer | None) -> Verdict:
    return Rejected(hint_for(slot)) if value is None else Accepted(value)


def _clean_text(value: Any) -> str | None:
    text = re.sub(r"\s+", " ", str(value)).strip().strip(",;:-").strip()
    return text[:MAX_TEXT] if text else None


def _choice(slot: SlotSpec, value: Any, exact: bool) -> Answer | None:
    finder = exact_choice if exact else mentioned_choice
    choice = finder(slot.choices, str(value))
    return choice.value if choice else None


def _yes_no(value: Any) -> bool | None:
    return value if isinstance(value, bool) else yes_or_no(str(value))


_CHECKS: dict[str, Callable[[SlotSpec, Any], Verdict]] = {
    "text": lambda slot, value: _maybe(slot, _clean_text(value)),
    "choice": lambda slot, value: _maybe(slot, _choice(slot, value, exact=True)),
    "email": lambda slot, value: _maybe(slot, as_email(value)),
    "phone": lambda slot, value: _maybe(slot, as_phone(value)),
    "date": lambda slot, value: _maybe(slot, as_date(value)),
    "money": lambda slot, value: _in_range(slot, as_number(value)),
    "number": lambda slot, value: _in_range(slot, as_number(value)),
    "yes_no": lambda slot, value: _maybe(slot, _yes_no(value)),
}

_READERS: dict[str, Callable[[SlotSpec, str], Verdict]] = {
    "text": lambda slot, text: _maybe(slot, _clean_text(text)),
    "choice": lambda slot, text: _maybe(slot, _choice(slot, text, exact=False)),
    "email": lambda slot, text: _maybe(slot, find_email(text)),
    "phone": lambda slot, text: _maybe(slot, find_phone(text)),
    "date": lambda slot, text: _maybe(slot, find_date(text)),
    "money": lambda slot, text: _in_range(slot, find_number(text)),
    "number": lambda slot, text: _in_range(slot, find_number(text)),
    "yes_no": lambda slot, text: _maybe(slot, yes_or_no(text)),
}


def check_value(slot: SlotSpec, value: Any) -> Verdict:
    """Check an already-normalised value (from an entity, or known before the flow)."""
    if value is None:
        return Rejected(hint_for(slot))
    return _CHECKS[slot.type](slot, value)


def read_text(slot: SlotSpec, text: str) -> Verdict:
    """Read the customer's words as an answer to ``slot``."""
    return _READERS[slot.type](slot, text)
