"""Matching a customer's words to the options of a choice slot."""

from __future__ import annotations

from collections.abc import Sequence

from concierge.flows.signals import contains_phrase, normalise
from concierge.flows.spec import Choice


def exact_choice(choices: Sequence[Choice], value: object) -> Choice | None:
    """The option whose value, label or a synonym is exactly ``value`` (case-insensitive)."""
    wanted = normalise(str(value))
    if not wanted:
        return None
    return next((c for c in choices if wanted in {normalise(n) for n in c.names()}), None)


def _longest_mention(choice: Choice, text: str) -> str:
    found = [normalise(name) for name in choice.names() if contains_phrase(text, name)]
    return max(found, key=len, default="")


def mentioned_choice(choices: Sequence[Choice], text: str) -> Choice | None:
    """The one option named in ``text`` ("ok, Salem please" → Salem), or None if unclear.

    An exact match wins; otherwise exactly one option must be mentioned, not counting an
    option whose words are only part of another mentioned option's longer name.
    """
    exact = exact_choice(choices, text)
    if exact is not None:
        return exact
    words = normalise(text)
    mentions = [(choice, _longest_mention(choice, words)) for choice in choices]
    mentions = [(choice, said) for choice, said in mentions if said]
    kept = [
        choice
        for choice, said in mentions
        if not any(said != other and f" {said} " in f" {other} " for _, other in mentions)
    ]
    return kept[0] if len(kept) == 1 else None
