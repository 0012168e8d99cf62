"""The fast scorer: the pipeline's margins without its overhead, or the pipeline when it differs."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.pipeline import Pipeline  # type: ignore[import-untyped, unused-ignore]
from structlog.testing import capture_logs

from concierge.nlu import scorer as scorer_module
from concierge.nlu.classifier import IntentClassifier
from concierge.nlu.pipeline import FEATURES, build_pipeline, class_margins
from concierge.nlu.scorer import FastScorer, PipelineScorer, compile_scorer
from tests.unit.nlu.intent_samples import EXAMPLES, HELD_OUT, training_pairs

TEXTS = [text for text, _ in HELD_OUT] + ["zzzz", "ünïcödé text", "hi hi hi"]


def fitted(pairs: list[tuple[str, str]]) -> Pipeline:
    texts, labels = zip(*pairs, strict=True)
    return build_pipeline(seed=0).fit([text.lower() for text in texts], labels)


def test_compile_uses_the_fast_path_when_it_agrees() -> None:
    pipeline = fitted(training_pairs(EXAMPLES))
    fast = compile_scorer(pipeline)
    assert isinstance(fast, FastScorer)
    assert len(fast.blocks) == 5  # words, characters, word pairs, word clusters, word vectors
    exact = PipelineScorer(pipeline)
    for text in TEXTS:
        np.testing.assert_allclose(fast.score(text).margins, exact.score(text).margins, atol=1e-12)


def test_two_classes_give_two_margins() -> None:
    pairs = training_pairs({key: EXAMPLES[key] for key in ["greeting", "order_status"]})
    pipeline = fitted(pairs)
    fast = compile_scorer(pipeline)
    assert isinstance(fast, FastScorer)
    margins = fast.score("where is my order").margins
    assert margins.shape == (2,)
    assert margins[0] == pytest.approx(-margins[1])
    expected = class_margins(pipeline.decision_function(["where is my order"]))[0]
    np.testing.assert_allclose(margins, expected)


def test_a_pipeline_the_fast_path_cannot_reproduce_is_used_directly() -> None:
    pipeline = build_pipeline(seed=0)
    pipeline.named_steps[FEATURES].transformer_list[0][1].set_params(sublinear_tf=False)
    texts, labels = zip(*training_pairs(EXAMPLES), strict=True)
    pipeline.fit(list(texts), list(labels))
    assert isinstance(compile_scorer(pipeline), PipelineScorer)


def test_a_disagreeing_fast_path_falls_back_with_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scorer_module, "TOLERANCE", -1.0)  # nothing agrees any more
    with capture_logs() as logs:
        classifier = IntentClassifier.train(training_pairs(EXAMPLES))
    assert isinstance(classifier.scorer, PipelineScorer)
    assert any("fast scorer" in entry["event"] for entry in logs)
    assert classifier.classify("where is my order").intent == "order_status"
    assert classifier.classify("ඞඞඞ").abstain_reason == "low_confidence"


def test_known_features_are_counted() -> None:
    scorer = compile_scorer(fitted(training_pairs(EXAMPLES)))
    assert scorer.score("ඞඞඞ").features == 0
    assert scorer.score("where is my order").features > 4


def test_a_known_word_pair_is_evidence_the_pipeline_counts_too() -> None:
    pipeline = fitted(training_pairs(EXAMPLES))
    fast, exact = compile_scorer(pipeline), PipelineScorer(pipeline)
    pairs_only = pipeline.named_steps[FEATURES].transformer_list[2][1]
    assert "orde wher" in pairs_only.vocabulary_  # from "where is my order"
    for text in ["order where", "where order"]:
        assert fast.score(text).features == exact.score(text).features
        np.testing.assert_allclose(fast.score(text).margins, exact.score(text).margins)
