"""Near-duplicate examples across intents: the fast search finds exactly what comparing every
pair would, and the rules for "nearly the same" hold."""

from __future__ import annotations

import random

import numpy as np
import pytest

from concierge.nlu import near_duplicates as module
from concierge.nlu.near_duplicates import SIMILARITY, near_duplicates, words

# No little words: examples with the same words then have cosine 1, so every pair reported
# must also be a pair brute force finds.
VOCABULARY = ["quote", "price", "panel", "breaker", "wire", "order", "card", "refund", "late"]


def brute_force(texts: list[str], intents: list[str], threshold: float) -> set[tuple[int, int]]:
    matrix = module._vectors([words(text) for text in texts])
    cosine = (matrix @ matrix.T).toarray()
    found = set()
    for first in range(len(texts)):
        for second in range(first + 1, len(texts)):
            if intents[first] != intents[second] and cosine[first, second] >= threshold - 1e-5:
                found.add((first, second))
    return found


@pytest.mark.parametrize("threshold", [0.3, 0.6, 0.9])
def test_the_fast_search_finds_exactly_the_pairs_brute_force_finds(threshold: float) -> None:
    generator = random.Random(7)
    texts = [" ".join(generator.choices(VOCABULARY, k=generator.randint(1, 5))) for _ in range(300)]
    intents = [generator.choice("abcd") for _ in texts]
    found = {(pair.first, pair.second) for pair in near_duplicates(texts, intents, threshold)}
    expected = brute_force(texts, intents, threshold)
    assert found == expected
    assert expected  # the data does hold such pairs


def test_punctuation_case_and_little_words_make_no_difference() -> None:
    texts = ["Has my top-up gone through?", "has the top up gone through", "top up gone?"]
    pairs = near_duplicates(texts, ["pending", "failed", "failed"])
    assert [(pair.first, pair.second, pair.same_words) for pair in pairs] == [(0, 1, True)]


def test_pairs_under_one_intent_are_not_reported() -> None:
    assert near_duplicates(["where is my order", "where is my order?"], ["orders", "orders"]) == []


def test_a_different_thing_asked_about_is_not_a_duplicate() -> None:
    texts = ["I haven't received my card", "I haven't received my pin"]
    assert near_duplicates(texts, ["card_arrival", "get_pin"]) == []


def test_one_extra_word_in_a_long_sentence_is_a_near_duplicate() -> None:
    texts = [
        "I transferred some money but it hasn't arrived.",
        "I transferred some money but it hasn't arrived yet",
    ]
    (pair,) = near_duplicates(texts, ["not_received", "balance_not_updated"])
    assert SIMILARITY <= pair.similarity < 1
    assert not pair.same_words


def test_examples_without_words_are_ignored() -> None:
    assert near_duplicates(["?!", "..."], ["a", "b"]) == []


def test_each_pair_is_reported_once_most_similar_first() -> None:
    texts = ["cancel my order now", "cancel my order now!", "please cancel my order right now"]
    pairs = near_duplicates(texts, ["cancel", "refund", "other"], threshold=0.5)
    keys = [(pair.first, pair.second) for pair in pairs]
    assert len(keys) == len(set(keys))
    assert [pair.similarity for pair in pairs] == sorted(
        (p.similarity for p in pairs), reverse=True
    )
    assert all(
        isinstance(pair.similarity, float) and not np.isnan(pair.similarity) for pair in pairs
    )
