"""Evaluation metrics on hand-made predictions, evaluating a classifier, cross-validation."""

from __future__ import annotations

import pytest

from concierge.nlu.classifier import IntentClassifier
from concierge.nlu.intents import OUT_OF_SCOPE
from concierge.workbench.evaluation import (
    EvaluationError,
    PredictedText,
    check_folds,
    check_labels,
    cross_validate,
    evaluate,
    hint,
    summarise,
)
from concierge.workbench.labelled_csv import LabelledText

OOS = OUT_OF_SCOPE

PAIRS = [
    *[
        (text, "greeting")
        for text in ("hello there", "hi friend", "good morning", "hey you", "hiya", "greetings")
    ],
    *[
        (text, "order_status")
        for text in (
            "where is my parcel",
            "track my order",
            "order status please",
            "has my order shipped",
            "when does my parcel arrive",
            "delivery tracking number",
        )
    ],
    *[
        (text, "billing")
        for text in (
            "refund my invoice",
            "billing question",
            "why was I charged twice",
            "invoice is wrong",
            "payment failed on invoice",
            "qqqq zzzz",
        )
    ],
]


def said(text: str, expected: str, predicted: str, reason: str | None = None) -> PredictedText:
    return PredictedText(text, expected, predicted, 0.9, abstain_reason=reason)


# Worked by hand: a (3), b (2), out_of_scope (2), c (1).
#   a: predicted a on rows 1, 2, 7 (2 right) -> precision 2/3, recall 2/3, F1 2/3
#   b: predicted b on rows 3, 4 (1 right)    -> 1/2, 1/2, 1/2
#   out_of_scope: rows 5 (abstained), 6      -> 1/2, 1/2, 1/2
#   c: 1, 1, 1
SAMPLE = [
    said("a one", "a", "a"),
    said("a two", "a", "a"),
    said("a three", "a", "b"),
    said("b one", "b", "b"),
    said("b two", "b", OOS, reason="low_confidence"),
    said("off topic", OOS, OOS),
    said("weather?", OOS, "a"),
    said("c one", "c", "c"),
]


def test_overall_metrics_match_the_hand_computed_values() -> None:
    evaluation = summarise(SAMPLE)
    assert evaluation.accuracy == pytest.approx(5 / 8)
    assert evaluation.macro_f1 == pytest.approx((2 / 3 + 1 / 2 + 1 / 2 + 1) / 4)
    assert evaluation.weighted_f1 == pytest.approx((3 * 2 / 3 + 2 / 2 + 2 / 2 + 1) / 8)
    assert evaluation.abstention_rate == pytest.approx(1 / 8)
    assert evaluation.abstentions == {"low_confidence": 1}
    assert evaluation.out_of_scope_recall == pytest.approx(1 / 2)
    assert evaluation.in_scope_accuracy == pytest.approx(4 / 6)


def test_per_intent_scores_are_worst_first_with_what_each_became() -> None:
    per_intent = summarise(SAMPLE).per_intent
    assert [s.intent for s in per_intent] == ["b", OOS, "a", "c"]
    scores = {s.intent: s for s in per_intent}
    a = scores["a"]
    assert (a.precision, a.recall, a.f1) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert a.support == 3
    assert a.confused_with == (("b", 1),)
    assert scores["b"].confused_with == ((OOS, 1),)
    assert scores["c"].f1 == 1.0


def test_confusions_count_each_wrong_pair_with_an_example() -> None:
    evaluation = summarise([*SAMPLE, said("a four", "a", "b")])
    pairs = [(c.expected, c.predicted, c.count, c.abstained) for c in evaluation.confusions]
    assert pairs == [("a", "b", 2, 0), ("b", OOS, 1, 1), (OOS, "a", 1, 0)]
    assert evaluation.confusions[0].example == "a three"
    answered = [(c.expected, c.predicted) for c in evaluation.answered_confusions]
    assert answered == [("a", "b"), (OOS, "a")]
    assert evaluation.abstentions_by_intent == {"b": 1}
    assert [item.text for item in evaluation.errors] == ["a three", "b two", "weather?", "a four"]


def test_without_out_of_scope_data_abstentions_are_errors_and_f1_skips_out_of_scope() -> None:
    evaluation = summarise(
        [
            said("a one", "a", "a"),
            said("a two", "a", OOS, reason="ambiguous"),
            said("b one", "b", "b"),
            said("b two", "b", "b"),
        ]
    )
    assert evaluation.out_of_scope_recall is None
    assert evaluation.accuracy == pytest.approx(3 / 4)
    assert evaluation.in_scope_accuracy == pytest.approx(3 / 4)
    assert [s.intent for s in evaluation.per_intent] == ["a", "b"]
    assert evaluation.macro_f1 == pytest.approx((2 / 3 + 1) / 2)
    assert evaluation.abstentions == {"ambiguous": 1}


def test_hints_tell_what_to_do_about_each_kind_of_confusion() -> None:
    evaluation = summarise(SAMPLE)
    by_pair = {(c.expected, c.predicted): c for c in evaluation.confusions}
    assert hint(evaluation, by_pair["a", "b"]) == "add examples that tell a from b"
    assert "unsure" in hint(evaluation, by_pair["b", OOS])
    assert hint(evaluation, by_pair[OOS, "a"]).startswith("add texts like this to out_of_scope")


def test_intents_confused_both_ways_get_a_merge_suggestion() -> None:
    mixed = [
        said("x1", "x", "x"),
        said("x2", "x", "y"),
        said("y1", "y", "y"),
        said("y2", "y", "x"),
    ]
    evaluation = summarise(mixed)
    assert (
        hint(evaluation, evaluation.confusions[0]) == "merge x and y? they are confused both ways"
    )


def test_unknown_labels_are_listed_with_their_rows() -> None:
    rows = [
        LabelledText("hi", "greeting", 2),
        LabelledText("teleport me", "teleport", 3),
        LabelledText("beam me up", "teleport", 7),
        LabelledText("what's the weather", OOS, 8),
    ]
    with pytest.raises(EvaluationError, match=r"1 label\(s\).*teleport \(rows 3, 7\)"):
        check_labels(rows, ["greeting"])
    check_labels(rows[:1] + rows[3:], ["greeting"])  # out_of_scope is always accepted


@pytest.mark.parametrize(
    ("folds", "message"),
    [
        (1, "at least 2 folds"),
        (7, "7 folds need at least 7 examples per intent, but 'billing' has 6"),
    ],
)
def test_folds_must_fit_the_data(folds: int, message: str) -> None:
    with pytest.raises(EvaluationError, match=message):
        check_folds([intent for _, intent in PAIRS], folds)


def test_cross_validation_needs_two_intents() -> None:
    with pytest.raises(EvaluationError, match="at least two intents"):
        cross_validate([("hi", "greeting"), ("hello", "greeting")], 2)


@pytest.fixture(scope="module")
def classifier() -> IntentClassifier:
    return IntentClassifier.train(PAIRS, seed=0)


def test_evaluate_classifies_each_row_and_counts_abstentions_as_out_of_scope(
    classifier: IntentClassifier,
) -> None:
    rows = [
        LabelledText("has my order shipped", "order_status", 2),
        LabelledText("qqqq zzzz", "billing", 3),
        LabelledText("xjxjxj", OOS, 4),
        LabelledText("xjxjxj", "greeting", 5),
    ]
    evaluation = evaluate(classifier, rows)
    assert [item.predicted for item in evaluation.predictions] == [
        "order_status",
        "billing",
        OOS,
        OOS,
    ]
    assert evaluation.predictions[2].abstain_reason == "low_confidence"
    assert evaluation.accuracy == pytest.approx(3 / 4)
    assert evaluation.out_of_scope_recall == 1.0
    assert evaluation.abstention_rate == pytest.approx(2 / 4)
    assert evaluation.threshold == classifier.threshold


def test_evaluate_refuses_labels_the_classifier_does_not_know(
    classifier: IntentClassifier,
) -> None:
    with pytest.raises(EvaluationError, match="teleport"):
        evaluate(classifier, [LabelledText("beam me up", "teleport", 2)])
    with pytest.raises(EvaluationError, match="no utterances"):
        evaluate(classifier, [])


def test_cross_validation_predicts_every_example_out_of_fold_in_input_order(
    classifier: IntentClassifier,
) -> None:
    calls: list[tuple[int, int]] = []
    evaluation = cross_validate(PAIRS, 3, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert [(p.text, p.expected) for p in evaluation.predictions] == PAIRS
    # Trained on itself the nonsense example is recognised; held out, it cannot be.
    assert classifier.classify("qqqq zzzz").intent == "billing"
    held_out = next(p for p in evaluation.predictions if p.text == "qqqq zzzz")
    assert held_out.predicted != "billing"
    again = cross_validate(PAIRS, 3)
    assert again.predictions == evaluation.predictions


def test_top_intent_scores_ignore_abstention() -> None:
    # The bot abstained on both messages, but its top-ranked intent was right once.
    predictions = [
        PredictedText(
            "hi", "greeting", OOS, 0.3, abstain_reason="low_confidence", top_intent="greeting"
        ),
        PredictedText(
            "bill", "billing", OOS, 0.3, abstain_reason="ambiguous", top_intent="greeting"
        ),
    ]
    evaluation = summarise(predictions)
    assert evaluation.accuracy == 0.0
    assert evaluation.top_intent_accuracy == 0.5
    # greeting: precision 1/2, recall 1 -> F1 2/3; billing: F1 0 -> macro 1/3
    assert evaluation.top_intent_macro_f1 == pytest.approx(1 / 3)
