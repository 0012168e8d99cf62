"""The fallback ladder when the bot is not sure: "did you mean A or B?" → "could you say it
another way?" → a person. Never a confident wrong answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from concierge.domain.actions import Reply
from concierge.domain.understanding import Prediction

SOMETHING_ELSE = "Something else"
OUT_OF_SCOPE = "out_of_scope"
ASK_CHOICE = "I want to be sure I understand. Did you mean one of these?"
ASK_REPHRASE = "Sorry, I didn't quite get that. Could you say it another way, in a sentence or two?"


@dataclass(frozen=True)
class FallbackStep:
    """What to say, what was offered, and whether it is time for a person."""

    reply: Reply | None
    offered: dict[str, str] | None
    handoff: bool


def offered_intent(text: str, offered: Mapping[str, str] | None) -> str | None:
    """The intent behind a "did you mean" button the customer clicked (or typed)."""
    if not offered:
        return None
    wanted = text.strip().casefold()
    return next((intent for label, intent in offered.items() if label.casefold() == wanted), None)


def _choices(prediction: Prediction, descriptions: Mapping[str, str]) -> dict[str, str]:
    choices: dict[str, str] = {}
    for scored in prediction.ranking:
        label = descriptions.get(scored.intent)
        if scored.intent != OUT_OF_SCOPE and label and label not in choices:
            choices[label] = scored.intent
        if len(choices) == 2:
            break
    return choices


def next_fallback(
    attempts: int, prediction: Prediction, descriptions: Mapping[str, str]
) -> FallbackStep:
    """The next rung for the ``attempts``-th time the bot could not understand (0-based)."""
    choices = _choices(prediction, descriptions)
    if attempts == 0 and len(choices) == 2:
        options = (*choices, SOMETHING_ELSE)
        return FallbackStep(Reply(ASK_CHOICE, "quick_reply", options), choices, False)
    if attempts <= 1:
        return FallbackStep(Reply(ASK_REPHRASE), None, False)
    return FallbackStep(None, None, True)
