"""The intent classifier: right answers on paraphrases, honest abstentions, sane confidences."""

from __future__ import annotations

import numpy as np
import pytest

from concierge.nlu.classifier import (
    AMBIGUOUS,
    EMPTY,
    LOW_CONFIDENCE,
    RANKING_SIZE,
    IntentClassifier,
)
from concierge.nlu.errors import TrainingError
from concierge.nlu.intents import OUT_OF_SCOPE
from concierge.nlu.pipeline import PAIR_WINDOW, word_pairs
from concierge.nlu.scorer import FastScorer, PipelineScorer
from tests.unit.nlu.intent_samples import EXAMPLES, HELD_OUT, training_pairs

GIBBERISH = ["qwxz vbnm plkj", "asdfgh jkl", "purple elephant dancing", "ඞඞඞ", "数字"]

WARRANTY = [
    "warranty claim for my {} panel",
    "my {} panel stopped working under warranty",
    "is the {} panel still covered",
    "how long is the warranty on a {} panel",
    "register a {} panel for warranty",
    "the {} panel failed, is it covered",
    "warranty replacement for a {} panel",
    "who handles {} panel warranty repairs",
]


@pytest.fixture(scope="module")
def classifier() -> IntentClassifier:
    return IntentClassifier.train(training_pairs(EXAMPLES))


@pytest.mark.parametrize(("text", "intent"), HELD_OUT)
def test_held_out_paraphrases_get_the_right_intent(
    classifier: IntentClassifier, text: str, intent: str
) -> None:
    prediction = classifier.classify(text)
    assert prediction.intent == intent
    assert prediction.abstain_reason is None
    assert prediction.confidence >= classifier.threshold


@pytest.mark.parametrize("text", GIBBERISH)
def test_gibberish_abstains_for_low_confidence(classifier: IntentClassifier, text: str) -> None:
    prediction = classifier.classify(text)
    assert prediction.intent is None
    assert prediction.abstained
    assert prediction.abstain_reason == LOW_CONFIDENCE
    assert prediction.ranking  # still offers candidates for "did you mean"


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_text_abstains(classifier: IntentClassifier, text: str) -> None:
    prediction = classifier.classify(text)
    assert (prediction.intent, prediction.abstain_reason) == (None, EMPTY)
    assert prediction.confidence == 0.0
    assert prediction.ranking == ()
    assert classifier.confidences(text) == {}


def test_intents_that_share_their_wording_are_ambiguous() -> None:
    examples = {
        **EXAMPLES,
        "warranty_kx": [text.format("kx") for text in WARRANTY],
        "warranty_qz": [text.format("qz") for text in WARRANTY],
    }
    classifier = IntentClassifier.train(training_pairs(examples))
    for text in ["is my panel covered by the warranty", "warranty claim"]:
        prediction = classifier.classify(text)
        assert prediction.abstain_reason == AMBIGUOUS, prediction
        assert {score.intent for score in prediction.ranking[:2]} == {"warranty_kx", "warranty_qz"}
    assert classifier.classify("warranty claim for my kx panel").intent == "warranty_kx"


def test_ranking_is_the_top_five_sorted_with_confidences_in_0_1(
    classifier: IntentClassifier,
) -> None:
    for text in [text for text, _ in HELD_OUT] + GIBBERISH:
        prediction = classifier.classify(text)
        confidences = [score.confidence for score in prediction.ranking]
        assert len(prediction.ranking) == RANKING_SIZE
        assert confidences == sorted(confidences, reverse=True)
        assert all(0.0 <= value <= 1.0 for value in confidences)
        assert prediction.confidence == confidences[0]
        assert len({score.intent for score in prediction.ranking}) == RANKING_SIZE


def test_confidences_cover_every_intent_and_sum_to_one(classifier: IntentClassifier) -> None:
    confidences = classifier.confidences("where is my order")
    assert set(confidences) == set(EXAMPLES)
    assert classifier.intents == tuple(sorted(EXAMPLES))
    assert sum(confidences.values()) == pytest.approx(1.0)
    assert max(confidences, key=confidences.__getitem__) == "order_status"


def test_case_and_whitespace_do_not_matter(classifier: IntentClassifier) -> None:
    shouted = classifier.classify("  WHERE is   my\tORDER ")
    assert shouted == classifier.classify("where is my order")


def test_training_is_deterministic_for_a_seed() -> None:
    first = IntentClassifier.train(training_pairs(EXAMPLES), seed=7)
    second = IntentClassifier.train(training_pairs(EXAMPLES), seed=7)
    assert first.temperature == second.temperature
    for text, _ in HELD_OUT:
        assert first.confidences(text) == second.confidences(text)


def test_out_of_scope_is_an_answer_not_an_abstention() -> None:
    examples = {
        **EXAMPLES,
        OUT_OF_SCOPE: [
            "tell me a joke",
            "what's the weather tomorrow",
            "who won the game last night",
            "write me a poem",
            "what is the meaning of life",
            "recommend a good movie",
            "how do I bake bread",
            "what do you think about politics",
        ],
    }
    classifier = IntentClassifier.train(training_pairs(examples))
    prediction = classifier.classify("tell me a funny joke")
    assert (prediction.intent, prediction.abstain_reason) == (OUT_OF_SCOPE, None)


def test_thresholds_decide_when_to_abstain(classifier: IntentClassifier) -> None:
    eager = classifier.with_thresholds(threshold=0.0, margin=0.0)
    assert eager.classify("qwxz vbnm plkj").abstain_reason is None
    assert eager.classify("ඞඞඞ").abstain_reason == LOW_CONFIDENCE  # no evidence at all
    strict = classifier.with_thresholds(threshold=1.0, margin=0.0)
    assert strict.classify("where is my order").abstain_reason == LOW_CONFIDENCE
    picky = classifier.with_thresholds(threshold=0.0, margin=1.0)
    assert picky.classify("where is my order").abstain_reason == AMBIGUOUS
    assert (picky.threshold, picky.margin, picky.temperature) == (0.0, 1.0, classifier.temperature)


@pytest.mark.parametrize(("threshold", "margin"), [(-0.1, 0.1), (1.5, 0.1), (0.5, -1.0)])
def test_thresholds_must_be_between_0_and_1(
    classifier: IntentClassifier, threshold: float, margin: float
) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        classifier.with_thresholds(threshold=threshold, margin=margin)


def test_two_intents_are_enough() -> None:
    pairs = training_pairs({key: EXAMPLES[key] for key in ["greeting", "order_status"]})
    classifier = IntentClassifier.train(pairs)
    assert classifier.classify("hello there").intent == "greeting"
    assert classifier.classify("where is my package").intent == "order_status"
    assert sum(classifier.confidences("hey").values()) == pytest.approx(1.0)


def test_two_examples_per_intent_still_calibrate() -> None:
    pairs = training_pairs({name: texts[:2] for name, texts in EXAMPLES.items()})
    classifier = IntentClassifier.train(pairs)
    assert classifier.classify("where is my order").ranking[0].intent == "order_status"


def test_a_single_example_intent_falls_back_to_the_default_temperature() -> None:
    pairs = [*training_pairs(EXAMPLES), ("invoice copy please", "billing")]
    classifier = IntentClassifier.train(pairs)
    assert classifier.temperature == pytest.approx(0.15)
    assert "billing" in classifier.intents


@pytest.mark.parametrize(
    "pairs", [[], [("hi", "greeting"), ("hello", "greeting")]], ids=["none", "one intent"]
)
def test_training_needs_two_intents(pairs: list[tuple[str, str]]) -> None:
    with pytest.raises(TrainingError, match="at least two intents"):
        IntentClassifier.train(pairs)


def test_the_fast_scorer_agrees_with_the_pipeline(classifier: IntentClassifier) -> None:
    scorer = classifier.scorer
    assert isinstance(scorer, FastScorer)
    exact = PipelineScorer(classifier.pipeline)
    for text in [text for text, _ in HELD_OUT] + GIBBERISH + ["hi hi hi hi", "a"]:
        fast, slow = scorer.score(text), exact.score(text)
        np.testing.assert_allclose(fast.margins, slow.margins, atol=1e-12)
        assert fast.features == slow.features


def test_word_pairs_join_word_stems_wherever_they_stand() -> None:
    pairs = word_pairs("my card has not arrived, has the card i ordered arrived")
    assert "arri card" in pairs  # stems (first four letters), sorted within the pair
    assert "card card" not in pairs
    assert word_pairs("arrived card") == word_pairs("card arrival") == ["arri card"]
    far = " ".join(["start", *(f"w{i}x" for i in range(PAIR_WINDOW)), "end"])
    assert "end star" not in word_pairs(far)
    assert word_pairs("hi") == word_pairs("") == []


def test_reordered_wording_still_finds_the_intent(classifier: IntentClassifier) -> None:
    assert classifier.features == "tfidf"
    assert classifier.classify("delivery of my order, where is it").intent == "order_status"
