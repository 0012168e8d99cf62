"""Entities: the values in a customer's message, from built-in finders and the playbook.

Built-in types and their values:

- ``email``: lowercased address;
- ``phone``: US (NANP) numbers as ``+1`` and ten digits (``+15035550100``), any extension in
  ``attributes["extension"]``;
- ``money``: a float ("$250k", "1.2 million", "USD 5,000", "$99.50"); ``attributes["currency"]``
  (``USD`` or ``CAD``) when a currency is written;
- ``quantity``: an int (a float when fractional) counting something ("300 LED high-bays",
  "a dozen"); the span is the number, and the words naming the thing are in
  ``attributes["unit"]``;
- ``postal_code``: US ZIP (``97201``, ``97201-1234``) or Canadian (``V6B 1A1``) as text, with
  ``attributes["country"]``;
- ``date``: ISO ``YYYY-MM-DD``, with ``attributes["granularity"]`` (see :mod:`entity_dates`).

Playbook types: each lookup type (the value is the canonical name) and each regex pattern
(the matched text, or its ``value`` group). Overlaps are settled by :mod:`entity_spans`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

import spacy

from concierge.domain.understanding import Entity
from concierge.nlu.entity_amounts import Surroundings, find_amounts
from concierge.nlu.entity_contacts import find_emails, find_phones, find_postal_codes
from concierge.nlu.entity_dates import date_rules, find_dates
from concierge.nlu.entity_errors import EntityFileError, EntityProblem
from concierge.nlu.entity_lookups import LookupMatcher
from concierge.nlu.entity_numbers import find_digit_numbers, find_word_numbers
from concierge.nlu.entity_schema import BUILT_IN_TYPES
from concierge.nlu.entity_spans import PRIORITY, Candidate, resolve
from concierge.nlu.entity_spec import EntityPattern, EntitySpec, LookupValue, load_entities

__all__ = [
    "BUILT_IN_TYPES",
    "EntityExtractor",
    "EntityFileError",
    "EntityPattern",
    "EntityProblem",
    "EntitySpec",
    "LookupValue",
    "load_entities",
]


class EntityExtractor:
    """Finds entities in messages; build once per playbook, then call :meth:`extract`."""

    def __init__(self, spec: EntitySpec, *, today: Callable[[], date] = date.today) -> None:
        self._nlp = spacy.blank("en")
        self._lookups = LookupMatcher(self._nlp, spec.lookups)
        self._patterns = [(pattern.type, pattern.compile()) for pattern in spec.patterns]
        self._date_rules = date_rules()
        self._today = today
        self.types: tuple[str, ...] = (*BUILT_IN_TYPES, *spec.types)

    def extract(self, text: str) -> list[Entity]:
        """The entities in ``text``, sorted by start, never overlapping."""
        doc = self._nlp.make_doc(text)
        lookups = self._lookups.find(doc)
        others = [
            *self._pattern_matches(text),
            *find_emails(text),
            *find_phones(text),
            *find_postal_codes(text),
            *find_dates(text, self._today(), self._date_rules),
        ]
        around = Surroundings.of(text, doc, lookups, others)
        numbers = [*find_digit_numbers(text), *find_word_numbers(doc)]
        return resolve(text, [*others, *lookups, *find_amounts(around, numbers)])

    def _pattern_matches(self, text: str) -> Iterator[Candidate]:
        for kind, pattern in self._patterns:
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    yield Candidate(
                        kind, _pattern_value(match), match.start(), match.end(), PRIORITY["pattern"]
                    )


def _pattern_value(match: re.Match[str]) -> str:
    if "value" in match.re.groupindex and match.group("value") is not None:
        return match.group("value")
    return match.group()
