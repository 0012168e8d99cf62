"""Money and quantities: deciding what each number in a message counts.

A number is **money** when a currency is written ("$250,000", "USD 5,000", "250,000 dollars"),
when its scale says so and no unit follows ("250k", "1.2M", "1.2 million", "5 grand"), or
when a money word comes just before it ("borrow 250,000", "budget is 45000"). Otherwise it
is a **quantity** ("300 LED high-bays", "5 boxes", "a dozen") unless what follows makes it
neither ("2 weeks", "20 percent", "3 pm"), or it is a bare year ("since 2019"). A number is
never both. A quantity's span is the number only, so the thing counted stays free to be a
lookup of its own; the words naming it go in ``attributes["unit"]``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from spacy.tokens import Doc, Token

from concierge.nlu.entity_numbers import CURRENCY_ONLY_SCALES, MONEY_SCALES, NumberSpan
from concierge.nlu.entity_spans import PRIORITY, Candidate

CURRENCY_BEFORE = re.compile(r"(?<![A-Za-z])(?P<sign>(?:US|CA|C)?\$|USD|CAD) ?$", re.IGNORECASE)
CURRENCY_AFTER = re.compile(r" ?(?P<word>dollars?|bucks|usd|cad)\b", re.IGNORECASE)
CANADIAN = frozenset({"c$", "ca$", "cad"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TIME_WORDS = _words(
    "second seconds sec secs minute minutes min mins hour hours hr hrs day days week weeks wk "
    "wks month months mo mos year years yr yrs am pm a.m. p.m. o'clock times"
)
NOT_A_UNIT = _words(
    "a an the of for to in on at by from with and or but nor per each please pls asap total "
    "more less than about around approx approximately roughly this that these those next last "
    "it them i we you they he she my our your their his her its is are was were be been will "
    "would can could should need needs want wants if so as before after until till today "
    "tomorrow tonight now then also too via into ship shipped deliver delivered thanks thank "
    "area zip code region "
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december"
)
QUALIFIERS = _words("more extra additional x")
DETERMINERS = _words("the those these your our")
MONEY_CUES = _words(
    "borrow borrowing loan budget cost costs price priced pay paying paid spend spending afford "
    "worth owe deposit salary income payment amount refinance financing finance limit balance"
)
YEAR_CUES = _words("in since of from by until before after year class model")
CLOCK_CUES = _words("at @ around by")
MAX_UNIT_WORDS = 3


@dataclass(frozen=True)
class Unit:
    """What follows a number: the words naming a thing, or a time or percent word."""

    kind: str  # "thing", "time" or "percent"
    text: str = ""


@dataclass(frozen=True)
class Surroundings:
    """The message's tokens, and the entity spans found by other finders, for context."""

    text: str
    doc: Doc
    token_starts: list[int]
    lookups: dict[int, Candidate]  # by start
    blockers: frozenset[int]  # starts of other entities

    @classmethod
    def of(
        cls, text: str, doc: Doc, lookups: Iterable[Candidate], others: Iterable[Candidate]
    ) -> Surroundings:
        """Context for the numbers in ``text``: the lookups found, and every other candidate."""
        longest: dict[int, Candidate] = {}
        for lookup in sorted(lookups, key=lambda candidate: candidate.end):
            longest[lookup.start] = lookup
        blockers = frozenset([*longest, *(candidate.start for candidate in others)])
        return cls(text, doc, [token.idx for token in doc], longest, blockers)

    def token_at(self, position: int) -> int:
        """Index of the first token starting at or after ``position`` (len(doc) if none)."""
        return bisect_left(self.token_starts, position)

    def words_before(self, position: int, count: int) -> list[str]:
        """The lowercased ``count`` tokens before ``position``."""
        index = self.token_at(position)
        return [token.lower_ for token in self.doc[max(0, index - count) : index]]


def _is_word(token: Token) -> bool:
    return any(char.isalpha() for char in token.text) and not token.is_punct


def _is_verb_form(word: str) -> bool:
    return len(word) > 4 and word.endswith("ed")


def _special_unit(doc: Doc, index: int) -> Unit | None:
    word = doc[index].lower_
    if word in ("%", "percent", "pct", "percentage"):
        return Unit("percent")
    if word in TIME_WORDS:
        return Unit("time")
    following = doc[index + 1].lower_ if index + 1 < len(doc) else ""
    if word in ("business", "working", "calendar") and following in TIME_WORDS:
        return Unit("time")
    return None


def _joins(doc: Doc, index: int) -> bool:
    """True when token ``index + 1`` is a hyphen or slash glued to the words either side."""
    joiner = index + 1
    return (
        joiner + 1 < len(doc)
        and doc[joiner].text in ("-", "/")
        and not doc[index].whitespace_
        and not doc[joiner].whitespace_
    )


def _next_word(around: Surroundings, index: int) -> int | None:
    """The token after ``index`` that continues a unit (joining "high-bay", "THHN/THWN")."""
    doc = around.doc
    after = index + 2 if _joins(doc, index) else index + 1
    if after >= len(doc):
        return None
    token = doc[after]
    word = token.lower_
    if not _is_word(token) or word in NOT_A_UNIT or _is_verb_form(word):
        return None
    return None if token.idx in around.blockers else after


def _thing(around: Surroundings, first: int) -> Unit | None:
    token = around.doc[first]
    if token.idx in around.lookups:
        lookup = around.lookups[token.idx]
        return Unit("thing", around.text[lookup.start : lookup.end])
    if not _is_word(token) or token.lower_ in NOT_A_UNIT or token.idx in around.blockers:
        return None
    last, count = first, 1
    while count < MAX_UNIT_WORDS and (following := _next_word(around, last)) is not None:
        last, count = following, count + 1
    end_token = around.doc[last]
    return Unit("thing", around.text[token.idx : end_token.idx + len(end_token.text)])


def unit_after(around: Surroundings, position: int) -> Unit | None:
    """What the words right after ``position`` (a number's end) say about the number."""
    index = around.token_at(position)
    if index >= len(around.doc) or around.text[position : around.doc[index].idx].strip():
        return None
    special = _special_unit(around.doc, index)
    if special is not None:
        return special
    if around.doc[index].lower_ in QUALIFIERS and index + 1 < len(around.doc):
        index += 1
    if around.doc[index].lower_ == "of":
        return _counted_lookup(around, index + 1)
    return _thing(around, index)


def _counted_lookup(around: Surroundings, index: int) -> Unit | None:
    """The lookup in "300 of the high-bays" (``index`` is the token after "of")."""
    doc = around.doc
    if index < len(doc) and doc[index].lower_ in DETERMINERS:
        index += 1
    lookup = around.lookups.get(doc[index].idx) if index < len(doc) else None
    return Unit("thing", around.text[lookup.start : lookup.end]) if lookup else None


def _money(around: Surroundings, number: NumberSpan) -> Candidate | None:
    """Money when a currency is written around the number."""
    text = around.text
    before = CURRENCY_BEFORE.search(text, max(0, number.start - 5), number.start)
    after = CURRENCY_AFTER.match(text, number.end)
    if before is None and after is None:
        return None
    start = before.start() if before is not None else number.start
    end = after.end() if after is not None else number.end
    sign = (before.group("sign") if before else after.group("word") if after else "").lower()
    currency = "CAD" if sign in CANADIAN else "USD"
    return _money_candidate(number.value, start, end, {"currency": currency})


def _money_candidate(value: Decimal, start: int, end: int, attributes: dict[str, Any]) -> Candidate:
    return Candidate("money", float(value), start, end, PRIORITY["money"], attributes)


def _quantity(number: NumberSpan, unit: Unit | None) -> Candidate:
    value: int | float = int(number.value) if number.is_integral else float(number.value)
    if unit is None:
        return Candidate("quantity", value, number.start, number.end, PRIORITY["quantity"])
    priority = PRIORITY["unit_quantity"]
    return Candidate("quantity", value, number.start, number.end, priority, {"unit": unit.text})


def _is_year(around: Surroundings, number: NumberSpan) -> bool:
    digits = around.text[number.start : number.end]
    if not (len(digits) == 4 and digits.isdigit() and 1900 <= int(digits) <= 2100):
        return False
    previous = around.words_before(number.start, 1)
    return bool(previous) and previous[0] in YEAR_CUES


def _is_clock_time(around: Surroundings, number: NumberSpan) -> bool:
    """True for "at 10": a bare number up to 24 after a word that introduces a time."""
    previous = around.words_before(number.start, 1)
    return bool(previous) and previous[0] in CLOCK_CUES and number.value <= 24


def _reading(around: Surroundings, number: NumberSpan) -> Candidate | None:
    """Money, a quantity, or nothing, for a number with no currency written around it."""
    if number.scale in CURRENCY_ONLY_SCALES:
        return None
    unit = unit_after(around, number.end)
    if unit is not None and unit.kind != "thing":
        return None
    if number.scale == "grand" or (number.scale in MONEY_SCALES and unit is None):
        return _money_candidate(number.value, number.start, number.end, {})
    if unit is None and MONEY_CUES.intersection(around.words_before(number.start, 4)):
        return _money_candidate(number.value, number.start, number.end, {})
    if unit is None and (number.words == 1 or _is_year(around, number)):
        return None
    if unit is None and _is_clock_time(around, number):
        return None
    return _quantity(number, unit)


def find_amounts(around: Surroundings, numbers: Iterable[NumberSpan]) -> Iterator[Candidate]:
    """A money or quantity candidate for each number that is one."""
    for number in numbers:
        candidate = _money(around, number) or _reading(around, number)
        if candidate is not None:
            yield candidate
