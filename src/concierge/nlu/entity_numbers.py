"""Numbers written in digits ("250,000", "1.2M", "$99.50") or words ("two hundred", "a dozen").

These are the raw material of money and quantities; :mod:`entity_amounts` decides which
each number is. Values are :class:`~decimal.Decimal` so "1.15M" is exactly 1,150,000.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from spacy.tokens import Doc, Token

DIGITS = re.compile(
    r"(?<![\w.,/:#+-])"
    r"(?P<number>[0-9]{1,3}(?:,[0-9]{3}){1,4}(?:\.[0-9]{1,6})?|[0-9]{1,12}(?:\.[0-9]{1,6})?"
    r"|\.[0-9]{1,6})"
    r"(?: ?(?P<scale>k|thousand|grand|mm|m|mil|million|bn|b|billion|hundred|dozen)\b)?"
    r"(?![\w/:%]|[.,][0-9])",
    re.IGNORECASE,
)

SCALES = {
    "k": 1_000,
    "thousand": 1_000,
    "grand": 1_000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "mil": 1_000_000,
    "million": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
    "hundred": 100,
    "dozen": 12,
}
# Scales that say "money" on their own ("250k", "1.2M", "250 thousand", "5 grand").
MONEY_SCALES = frozenset({"k", "thousand", "grand", "M", "million", "billion"})
# Scales too ambiguous without a currency sign ("100m" of cable, "5 mil" plastic, "2mm").
CURRENCY_ONLY_SCALES = frozenset({"m", "mm", "MM", "mil", "b", "B", "bn"})
CASED_SCALES = frozenset({"M", "MM", "B"})  # kept as written; every other scale is lowercased

SMALL_NUMBERS = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
TENS = {
    word: 10 * value
    for value, word in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2
    )
}
WORD_SCALES = {"hundred": 100, "dozen": 12, "thousand": 1_000, "million": 10**6, "billion": 10**9}
ARTICLES = frozenset({"a", "an"})


@dataclass(frozen=True)
class NumberSpan:
    """A number in the message: ``start``/``end`` cover the digits or words and any scale."""

    start: int
    end: int
    value: Decimal
    scale: str | None = None
    words: int = 0  # how many number words (0 for digits)

    @property
    def is_integral(self) -> bool:
        """True when the value has no fractional part."""
        return self.value == self.value.to_integral_value()


def find_digit_numbers(text: str) -> Iterator[NumberSpan]:
    """Numbers written in digits, with a scale word or suffix when one follows."""
    for match in DIGITS.finditer(text):
        value = Decimal(match.group("number").replace(",", ""))
        scale = match.group("scale")
        if scale is not None:
            value *= SCALES[scale.lower()]
            scale = scale if scale in CASED_SCALES else scale.lower()
        yield NumberSpan(match.start(), match.end(), value, scale)


def _is_number_word(word: str) -> bool:
    return word in SMALL_NUMBERS or word in TENS or word in WORD_SCALES


def _starts_number(doc: Doc, index: int) -> bool:
    word = doc[index].lower_
    if word == "half":  # "half a dozen"
        return index + 1 < len(doc) and _starts_number(doc, index + 1)
    if word in ARTICLES:
        return index + 1 < len(doc) and doc[index + 1].lower_ in WORD_SCALES
    return word in SMALL_NUMBERS or word in TENS


def _continues(doc: Doc, index: int, previous: str) -> int:
    """How many tokens from ``index`` extend a number whose last word is ``previous`` (0: none)."""
    token = doc[index]
    word = token.lower_
    if word in WORD_SCALES:
        return 1
    if word in SMALL_NUMBERS and previous in TENS and SMALL_NUMBERS[word] < 10:
        return 1
    if previous in WORD_SCALES and (word in SMALL_NUMBERS or word in TENS):
        return 1
    has_next = index + 1 < len(doc)
    if word == "and" and previous in WORD_SCALES and has_next:
        return 2 if _continues(doc, index + 1, previous) else 0
    if word == "-" and previous in TENS and has_next and not doc[index - 1].whitespace_:
        follower = doc[index + 1].lower_
        return 2 if SMALL_NUMBERS.get(follower, 10) < 10 and not token.whitespace_ else 0
    return 0


def _word_value(words: list[str]) -> Decimal:
    total, current = 0, 0
    for word in words:
        if word in ARTICLES:
            current = 1
        elif word in ("thousand", "million", "billion"):
            total += max(current, 1) * WORD_SCALES[word]
            current = 0
        elif word in ("hundred", "dozen"):
            current = max(current, 1) * WORD_SCALES[word]
        else:
            current += SMALL_NUMBERS.get(word, TENS.get(word, 0))
    return Decimal(total + current)


def _read_words(doc: Doc, index: int) -> tuple[NumberSpan, int]:
    """The number starting at token ``index``, and the index of the token after it."""
    halved = doc[index].lower_ == "half"
    end = index + 2 if halved else index + 1
    while end < len(doc):
        step = _continues(doc, end, doc[end - 1].lower_)
        if not step:
            break
        end += step
    words = [t.lower_ for t in doc[index:end] if _is_number_word(t.lower_) or t.lower_ in ARTICLES]
    scales = [word for word in words if word in WORD_SCALES]
    value = _word_value(words) / 2 if halved else _word_value(words)
    last: Token = doc[end - 1]
    span = NumberSpan(
        doc[index].idx,
        last.idx + len(last.text),
        value,
        scales[-1] if scales else None,
        len(words) + halved,
    )
    return span, end


def find_word_numbers(doc: Doc) -> Iterator[NumberSpan]:
    """Numbers written in words: "three", "twenty-five", "two hundred", "a dozen"."""
    index = 0
    while index < len(doc):
        if _starts_number(doc, index):
            span, index = _read_words(doc, index)
            yield span
        else:
            index += 1
