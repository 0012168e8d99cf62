"""How well the intent classifier does on labelled utterances, and what to fix first.

Two ways to get an :class:`Evaluation`:

- :func:`evaluate` classifies held-out utterances (a test CSV) one by one with a trained
  classifier, exactly as the bot would;
- :func:`cross_validate` splits the playbook's own examples into stratified folds (shuffled,
  seeded), trains a fresh classifier on all folds but one and classifies the one left out,
  then pools the out-of-fold predictions.

Each utterance gets a *predicted label*: the intent the classifier answered, or
:data:`~concierge.nlu.intents.OUT_OF_SCOPE` when it abstained (low confidence, ambiguous,
empty) or answered ``out_of_scope`` itself. The metrics compare predicted labels with the
expected ones; abstention stays visible on its own (:attr:`PredictedText.abstain_reason`,
:attr:`Evaluation.abstention_rate`, :attr:`Evaluation.abstentions`).

Precision, recall and F1 come from :mod:`sklearn.metrics`. Macro and weighted F1 average over
the intents present in the data (support > 0), so an abstention on a data set without
out-of-scope examples lowers the recall of the expected intent without adding a meaningless
zero for ``out_of_scope``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.metrics import (  # type: ignore[import-untyped, unused-ignore]
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped, unused-ignore]

from concierge.domain.understanding import Prediction
from concierge.nlu.classifier import DEFAULT_MARGIN, DEFAULT_THRESHOLD, IntentClassifier
from concierge.nlu.intents import OUT_OF_SCOPE
from concierge.nlu.pipeline import TFIDF, FeatureSet
from concierge.workbench.labelled_csv import LabelledText

CONFUSED_WITH = 3
"""How many "confused with" intents each intent lists."""
LISTED_LABELS = 20
"""How many unknown labels an error message names before saying "and N more"."""
MERGE_SHARE = 0.2
"""Two intents confused both ways on at least this share of their examples: suggest a merge."""


class EvaluationError(ValueError):
    """The data cannot be evaluated (unknown labels, too many folds, nothing to test)."""


@dataclass(frozen=True)
class PredictedText:
    """One utterance: what it should be, what the classifier made of it, and how sure it was.

    ``predicted`` is the label the metrics use (``out_of_scope`` when the classifier
    abstained); ``abstain_reason`` says why it abstained (None when it answered);
    ``top_intent`` is its best guess even when abstaining; ``runner_up`` the second best.
    """

    text: str
    expected: str
    predicted: str
    confidence: float
    abstain_reason: str | None = None
    top_intent: str | None = None
    runner_up: str | None = None
    runner_up_confidence: float = 0.0

    @property
    def correct(self) -> bool:
        """True when the predicted label is the expected one."""
        return self.predicted == self.expected

    @property
    def abstained(self) -> bool:
        """True when the classifier would rather not guess."""
        return self.abstain_reason is not None


@dataclass(frozen=True)
class IntentScores:
    """One intent's precision, recall, F1 and support, and what its utterances became instead.

    ``confused_with`` holds ``(predicted label, count)`` for the most frequent wrong
    predictions of this intent's utterances, largest first.
    """

    intent: str
    precision: float
    recall: float
    f1: float
    support: int
    confused_with: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Confusion:
    """Utterances of ``expected`` predicted as ``predicted``: how many, and one of them.

    ``abstained`` counts those where the classifier abstained (only possible when
    ``predicted`` is ``out_of_scope``).
    """

    expected: str
    predicted: str
    count: int
    example: str
    abstained: int = 0


@dataclass(frozen=True)
class Evaluation:
    """Every prediction and the metrics computed from them.

    ``out_of_scope_recall`` is None when the data has no ``out_of_scope`` utterances,
    ``in_scope_accuracy`` None when it has nothing else. ``per_intent`` is sorted by F1,
    worst first. ``confusions`` holds every off-diagonal cell of the confusion matrix of
    labels (abstentions counted as ``out_of_scope``); ``answered_confusions`` the same
    without abstentions (where the classifier picked a wrong intent), both largest first.
    ``abstentions_by_intent`` counts abstentions per expected intent, largest first.
    ``threshold`` and ``margin`` are those the classifier decided with.
    ``top_intent_accuracy`` and ``top_intent_macro_f1`` score the top-ranked intent whether
    the classifier abstained or not: the measure published intent-detection results use.
    """

    predictions: tuple[PredictedText, ...]
    accuracy: float
    macro_f1: float
    weighted_f1: float
    abstention_rate: float
    abstentions: dict[str, int]
    out_of_scope_recall: float | None
    in_scope_accuracy: float | None
    per_intent: tuple[IntentScores, ...]
    confusions: tuple[Confusion, ...]
    answered_confusions: tuple[Confusion, ...] = ()
    abstentions_by_intent: dict[str, int] = field(default_factory=dict)
    threshold: float = DEFAULT_THRESHOLD
    margin: float = DEFAULT_MARGIN
    top_intent_accuracy: float = 0.0
    top_intent_macro_f1: float = 0.0

    @property
    def errors(self) -> tuple[PredictedText, ...]:
        """Every wrong prediction, in input order."""
        return tuple(item for item in self.predictions if not item.correct)

    def support(self, intent: str) -> int:
        """How many utterances of ``intent`` the data has."""
        return next((s.support for s in self.per_intent if s.intent == intent), 0)

    def confusion(self, expected: str, predicted: str) -> int:
        """How many ``expected`` utterances were predicted as ``predicted``."""
        return next(
            (
                c.count
                for c in self.confusions
                if (c.expected, c.predicted) == (expected, predicted)
            ),
            0,
        )


def predicted_text(text: str, expected: str, prediction: Prediction) -> PredictedText:
    """The evaluated form of one classifier answer."""
    ranking = prediction.ranking
    return PredictedText(
        text=text,
        expected=expected,
        predicted=prediction.intent or OUT_OF_SCOPE,
        confidence=prediction.confidence,
        abstain_reason=prediction.abstain_reason if prediction.intent is None else None,
        top_intent=ranking[0].intent if ranking else None,
        runner_up=ranking[1].intent if len(ranking) > 1 else None,
        runner_up_confidence=ranking[1].confidence if len(ranking) > 1 else 0.0,
    )


def check_labels(rows: Sequence[LabelledText], intents: Sequence[str]) -> None:
    """Raise EvaluationError naming every label (with its rows) that is not among ``intents``.

    ``out_of_scope`` is always accepted: it counts as out-of-scope examples.
    """
    known = {*intents, OUT_OF_SCOPE}
    unknown: dict[str, list[int]] = {}
    for row in rows:
        if row.intent not in known:
            unknown.setdefault(row.intent, []).append(row.row)
    if not unknown:
        return
    listed = [
        f"{label} (row{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines[:3]))}"
        f"{', …' if len(lines) > 3 else ''})"
        for label, lines in sorted(unknown.items())
    ]
    more = f" and {len(listed) - LISTED_LABELS} more" if len(listed) > LISTED_LABELS else ""
    raise EvaluationError(
        f"{len(unknown)} label(s) not in the playbook: {'; '.join(listed[:LISTED_LABELS])}{more}"
    )


def evaluate(classifier: IntentClassifier, rows: Sequence[LabelledText]) -> Evaluation:
    """Classify every row one by one and measure the answers against the labels.

    Raises EvaluationError when there are no rows or a label is unknown to the classifier.
    """
    if not rows:
        raise EvaluationError("there are no utterances to evaluate")
    check_labels(rows, classifier.intents)
    predictions = [
        predicted_text(row.text, row.intent, classifier.classify(row.text)) for row in rows
    ]
    return summarise(predictions, threshold=classifier.threshold, margin=classifier.margin)


def check_folds(labels: Sequence[str], folds: int) -> None:
    """Raise EvaluationError unless ``folds`` folds can be stratified over ``labels``."""
    counts = Counter(labels)
    if len(counts) < 2:
        raise EvaluationError("cross-validation needs examples of at least two intents")
    if folds < 2:
        raise EvaluationError(f"cross-validation needs at least 2 folds, not {folds}")
    rarest, smallest = min(counts.items(), key=lambda item: (item[1], item[0]))
    if folds > smallest:
        raise EvaluationError(
            f"{folds} folds need at least {folds} examples per intent, but {rarest!r} has "
            f"{smallest}; use at most {smallest} folds or add examples"
        )


def cross_validate(
    pairs: Sequence[tuple[str, str]],
    folds: int,
    *,
    seed: int = 0,
    features: FeatureSet = TFIDF,
    progress: Callable[[int, int], None] | None = None,
) -> Evaluation:
    """Stratified ``folds``-fold cross-validation over ``(text, intent)`` pairs.

    Each fold trains a fresh classifier (same ``seed``) on the other folds and classifies its
    own utterances; the predictions are pooled in the order of ``pairs``. ``progress`` is
    called with ``(folds done, folds)`` after each fold. Raises EvaluationError when the folds
    do not fit the data (fewer than 2, or more than the rarest intent's examples).
    """
    labels = [intent for _, intent in pairs]
    check_folds(labels, folds)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    found: dict[int, PredictedText] = {}
    for done, (train, held_out) in enumerate(splitter.split(np.zeros(len(labels)), labels), 1):
        classifier = IntentClassifier.train([pairs[i] for i in train], seed=seed, features=features)
        for index in held_out:
            text, intent = pairs[index]
            found[int(index)] = predicted_text(text, intent, classifier.classify(text))
        if progress is not None:
            progress(done, folds)
    return summarise([found[index] for index in range(len(pairs))])


def summarise(
    predictions: Sequence[PredictedText],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    margin: float = DEFAULT_MARGIN,
) -> Evaluation:
    """The metrics of a list of predictions (see the module docstring for the definitions)."""
    expected = [item.expected for item in predictions]
    predicted = [item.predicted for item in predictions]
    present = sorted(set(expected))
    confusions = _confusions(predictions)
    abstained = [item.abstain_reason for item in predictions if item.abstain_reason]
    top = [item.top_intent or OUT_OF_SCOPE for item in predictions]
    return Evaluation(
        predictions=tuple(predictions),
        accuracy=float(accuracy_score(expected, predicted)),
        macro_f1=_f1(expected, predicted, present, "macro"),
        weighted_f1=_f1(expected, predicted, present, "weighted"),
        abstention_rate=len(abstained) / len(predictions),
        abstentions=dict(Counter(abstained).most_common()),
        out_of_scope_recall=_share_correct([p for p in predictions if p.expected == OUT_OF_SCOPE]),
        in_scope_accuracy=_share_correct([p for p in predictions if p.expected != OUT_OF_SCOPE]),
        per_intent=_per_intent(expected, predicted, present, confusions),
        confusions=confusions,
        answered_confusions=_confusions([item for item in predictions if not item.abstained]),
        abstentions_by_intent=dict(
            Counter(item.expected for item in predictions if item.abstained).most_common()
        ),
        threshold=threshold,
        margin=margin,
        top_intent_accuracy=float(accuracy_score(expected, top)),
        top_intent_macro_f1=_f1(expected, top, present, "macro"),
    )


def _f1(expected: list[str], predicted: list[str], labels: list[str], average: str) -> float:
    return float(f1_score(expected, predicted, labels=labels, average=average, zero_division=0.0))


def _share_correct(predictions: Sequence[PredictedText]) -> float | None:
    if not predictions:
        return None
    return sum(item.correct for item in predictions) / len(predictions)


def _per_intent(
    expected: list[str],
    predicted: list[str],
    labels: list[str],
    confusions: tuple[Confusion, ...],
) -> tuple[IntentScores, ...]:
    """Scores of every intent present in the data, worst F1 first (ties by name)."""
    precision, recall, f1, support = precision_recall_fscore_support(
        expected, predicted, labels=labels, zero_division=0.0
    )
    scores = [
        IntentScores(
            intent=label,
            precision=float(precision[i]),
            recall=float(recall[i]),
            f1=float(f1[i]),
            support=int(support[i]),
            confused_with=tuple((c.predicted, c.count) for c in confusions if c.expected == label)[
                :CONFUSED_WITH
            ],
        )
        for i, label in enumerate(labels)
    ]
    return tuple(sorted(scores, key=lambda s: (s.f1, s.intent)))


def _confusions(predictions: Sequence[PredictedText]) -> tuple[Confusion, ...]:
    """Every off-diagonal cell of the confusion matrix, largest first (ties by names)."""
    expected = [item.expected for item in predictions]
    predicted = [item.predicted for item in predictions]
    labels = sorted({*expected, *predicted})
    if not labels:
        return ()
    matrix = confusion_matrix(expected, predicted, labels=labels)
    examples: dict[tuple[str, str], str] = {}
    abstained: Counter[tuple[str, str]] = Counter()
    for item in predictions:
        if not item.correct:
            examples.setdefault((item.expected, item.predicted), item.text)
            abstained[item.expected, item.predicted] += item.abstained
    found = [
        Confusion(
            expected=labels[row],
            predicted=labels[column],
            count=int(matrix[row, column]),
            example=examples[labels[row], labels[column]],
            abstained=abstained[labels[row], labels[column]],
        )
        for row, column in zip(*np.nonzero(matrix), strict=True)
        if row != column
    ]
    return tuple(sorted(found, key=lambda c: (-c.count, c.expected, c.predicted)))


def hint(evaluation: Evaluation, confusion: Confusion) -> str:
    """What a designer could do about one confusion, in a few words."""
    expected, predicted = confusion.expected, confusion.predicted
    if expected == OUT_OF_SCOPE:
        return f"add texts like this to out_of_scope, or make {predicted}'s examples more specific"
    if predicted == OUT_OF_SCOPE and confusion.abstained * 2 >= confusion.count:
        return f"the model was unsure: add examples of {expected} worded like this"
    if predicted == OUT_OF_SCOPE:
        return f"add examples that tell {expected} from out_of_scope"
    both_ways = confusion.count + evaluation.confusion(predicted, expected)
    together = evaluation.support(expected) + evaluation.support(predicted)
    if evaluation.confusion(predicted, expected) and both_ways >= MERGE_SHARE * together:
        return f"merge {expected} and {predicted}? they are confused both ways"
    return f"add examples that tell {expected} from {predicted}"
