"""Properties of extraction that hold for any text at all."""

from __future__ import annotations

import itertools
from datetime import date
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from concierge.nlu.entities import EntityExtractor, load_entities

ROOT = Path(__file__).resolve().parents[3]

PIECES = [
    *("$", "USD", "250k", "1.2M", "1,250,000", "99.50", "0", "007", "97201", "-", "/", ",", "."),
    *("March", "may", "Q3", "'27", "3", "15", "2027", "9999", "999", "years", "Feb", "29"),
    *("in", "next", "Monday", "Sat", "end", "of", "the", "month", "tomorrow", "business", "days"),
    *("(503)", "555-0100", "+1", "ext", "@", "x.com", "V6B", "1A1", "a", "dozen", "half"),
    *("twenty", "-", "five", "hundred", "and", "thousand", "dollars", "%", "at", "high", "bay"),
    *("high-bays", "THHN", "Vancouver", "PES-123456", "PO#", "İ", "\u00a0", "\n", "\t", "ﬁ"),
]
TEXTS = st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
)


@cache
def playbook_extractor() -> EntityExtractor:
    return EntityExtractor(load_entities(ROOT / "intents"), today=lambda: date(2027, 12, 30))


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_extract_never_raises_and_spans_index_the_text(text: str) -> None:
    entities = playbook_extractor().extract(text)
    for entity in entities:
        assert 0 <= entity.start < entity.end <= len(text)
        assert text[entity.start : entity.end] == entity.text
    for before, after in itertools.pairwise(entities):
        assert before.end <= after.start  # sorted and never overlapping


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_values_are_normalised(text: str) -> None:
    for entity in playbook_extractor().extract(text):
        if entity.type == "money":
            assert isinstance(entity.value, float)
        elif entity.type == "quantity":
            assert isinstance(entity.value, int | float)
        elif entity.type == "date":
            assert date.fromisoformat(entity.value).isoformat() == entity.value
        elif entity.type == "phone":
            assert entity.value.startswith("+1")
            assert len(entity.value) == 12
        elif entity.type == "email":
            assert entity.value == entity.value.lower()
