"""Reading what a customer's words mean for the flow: a person, cancel, why, skip, yes or no.

The phrase lists live in :mod:`concierge.flows.phrases`; this module holds the rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from concierge.flows import phrases

_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Lowercase words separated by single spaces; apostrophes dropped ("what's" → "whats")."""
    folded = text.casefold().replace("\u2019", "").replace("'", "")
    return _NOT_WORD.sub(" ", folded).strip()


def contains_phrase(text: str, phrase: str) -> bool:
    """True when normalised ``text`` holds normalised ``phrase`` as whole words."""
    wanted = normalise(phrase)
    return bool(wanted) and f" {wanted} " in f" {text} "


def starts_with_phrase(text: str, phrase: str) -> bool:
    """True when normalised ``text`` begins with normalised ``phrase`` (whole words)."""
    wanted = normalise(phrase)
    return bool(wanted) and f"{text} ".startswith(f"{wanted} ")


def _any(text: str, options: Iterable[str]) -> bool:
    return any(contains_phrase(text, phrase) for phrase in options)


def _without_fillers(text: str) -> str:
    words = text.split()
    while words and words[0] in phrases.FILLERS:
        words = words[1:]
    return " ".join(words)


def asks_for_human(text: str) -> bool:
    """The customer wants a person ("talk to a human", "agent please")."""
    return _any(normalise(text), phrases.HUMAN)


def asks_to_cancel(text: str) -> bool:
    """The customer wants to stop ("cancel", "never mind", "stop")."""
    words = normalise(text)
    if len(words.split()) > phrases.CANCEL_MAX_WORDS:
        return False
    rest = _without_fillers(words)
    return any(_cancels(rest, phrase) for phrase in phrases.CANCEL)


def _cancels(text: str, phrase: str) -> bool:
    if not starts_with_phrase(text, phrase):
        return False
    tail = text.split()[len(normalise(phrase).split()) :]
    return all(word in phrases.CANCEL_TAIL for word in tail)


def asks_why(text: str) -> bool:
    """The customer asks why the question matters ("why?", "what's that for")."""
    words = normalise(text)
    alone = _without_fillers(words)
    return alone in {normalise(p) for p in phrases.WHY_ALONE} or _any(words, phrases.WHY)


def wants_to_skip(text: str, *, strict: bool = False) -> bool:
    """The customer passes on an optional question ("skip", "not sure", "no thanks").

    ``strict`` (for free-text answers, where anything could be an answer) needs the message
    to start with a skip phrase and be very short.
    """
    words = normalise(text)
    count = len(words.split())
    if strict:
        short = count <= phrases.SKIP_STRICT_MAX_WORDS
        return short and any(starts_with_phrase(words, p) for p in phrases.SKIP_STARTS)
    return count <= phrases.SKIP_MAX_WORDS and _any(words, phrases.SKIP)


def _leading(text: str) -> bool | None:
    options = [(p, True) for p in phrases.YES] + [(p, False) for p in phrases.NO]
    found = [(len(normalise(p)), answer) for p, answer in options if starts_with_phrase(text, p)]
    return max(found)[1] if found else None


def yes_or_no(text: str) -> bool | None:
    """True for yes, False for no, None when the answer is neither or unsure ("maybe")."""
    words = normalise(text)
    if not words or _any(words, phrases.UNSURE):
        return None
    leading = _leading(words)
    if leading is not None:
        return leading
    said_yes, said_no = _any(words, phrases.YES_STRONG), _any(words, phrases.NO_STRONG)
    return said_yes if said_yes != said_no else None


def asks_for_change(text: str) -> bool:
    """At the confirmation, the customer wants to change an answer ("change the email")."""
    return _any(normalise(text), phrases.CHANGE)


def looks_like_question(text: str) -> bool:
    """The message reads as a question (ends with "?" or starts with a question word)."""
    words = normalise(text).split()
    return text.strip().endswith("?") or (bool(words) and words[0] in phrases.QUESTION_STARTS)
