"""BANKING77 smoke benchmark: train the intent classifier on the training set, score the test set.

77 banking intents, 10,003 training and 3,080 test utterances (PolyAI, CC BY 4.0). The data
lives in the shared directory: ``$CONCIERGE_SHARED_DIR/data/banking77/`` or, by default,
``<repo>/../shared/data/banking77/``. Run with ``pytest -s`` to see the numbers; timings are
printed, never asserted. Hyperparameters were chosen by cross-validation on the training set,
never on the test set (BENCHMARKS.md).

The ``tfidf+embeddings`` run needs the ``embeddings`` extra and takes minutes (it embeds 13,000
utterances), so it runs only with ``CONCIERGE_BENCH_EMBEDDINGS=1``.
"""

from __future__ import annotations

import csv
import os
import resource
import statistics
import time
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score  # type: ignore[import-untyped, unused-ignore]

from concierge.domain.understanding import Prediction
from concierge.nlu.classifier import IntentClassifier
from concierge.nlu.embeddings import missing_modules
from concierge.nlu.pipeline import TFIDF, TFIDF_EMBEDDINGS, FeatureSet

REPO = Path(__file__).resolve().parents[2]
ACCURACY_FLOOR: dict[FeatureSet, float] = {TFIDF: 0.92, TFIDF_EMBEDDINGS: 0.93}
LATENCY_CALLS = 1000


def banking77_dir() -> Path:
    shared = os.environ.get("CONCIERGE_SHARED_DIR")
    root = Path(shared) if shared else REPO.parent / "shared"
    return root / "data" / "banking77"


def read_pairs(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return [(row["text"], row["category"]) for row in csv.DictReader(stream)]


@pytest.fixture(scope="module")
def data() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    directory = banking77_dir()
    if not (directory / "train.csv").is_file() or not (directory / "test.csv").is_file():
        pytest.skip(f"BANKING77 not found in {directory} (set CONCIERGE_SHARED_DIR)")
    return read_pairs(directory / "train.csv"), read_pairs(directory / "test.csv")


def macro_f1(truths: list[str], predictions: list[Prediction]) -> float:
    """The unweighted mean over intents of F1, taking each prediction's top-ranked intent."""
    guesses = [prediction.ranking[0].intent for prediction in predictions]
    return float(f1_score(truths, guesses, average="macro"))


def latencies_ms(classifier: IntentClassifier, texts: list[str]) -> list[float]:
    timings = []
    for text in texts:
        started = time.perf_counter()
        classifier.classify(text)
        timings.append((time.perf_counter() - started) * 1000.0)
    return timings


def skip_unless_runnable(features: FeatureSet) -> None:
    if features != TFIDF_EMBEDDINGS:
        return
    if os.environ.get("CONCIERGE_BENCH_EMBEDDINGS") != "1":
        pytest.skip("set CONCIERGE_BENCH_EMBEDDINGS=1 to benchmark tfidf+embeddings (minutes)")
    if missing_modules():
        pytest.skip(f"the embeddings extra is not installed (missing {missing_modules()})")


@pytest.mark.parametrize(
    "features", [TFIDF, pytest.param(TFIDF_EMBEDDINGS, marks=pytest.mark.timeout(1800))]
)
def test_banking77_accuracy(
    data: tuple[list[tuple[str, str]], list[tuple[str, str]]], features: FeatureSet
) -> None:
    skip_unless_runnable(features)
    train, test = data
    started = time.perf_counter()
    classifier = IntentClassifier.train(train, features=features)
    training_seconds = time.perf_counter() - started
    predictions = [classifier.classify(text) for text, _ in test]
    hits = [p.ranking[0].intent == truth for p, (_, truth) in zip(predictions, test, strict=True)]
    answered = [hit for hit, p in zip(hits, predictions, strict=True) if not p.abstained]
    timings = latencies_ms(classifier, [text for text, _ in test[:LATENCY_CALLS]])
    accuracy = float(np.mean(hits))
    truths = [truth for _, truth in test]
    print(
        f"\nBANKING77 ({features}): {len(train)} train / {len(test)} test, "
        f"{len(classifier.intents)} intents"
        f"\n  accuracy (top-1)          {accuracy:.4f}"
        f"\n  macro-F1 (top-1)          {macro_f1(truths, predictions):.4f}"
        f"\n  answered (not abstained)  {len(answered) / len(test):.4f}, "
        f"accuracy when answered {np.mean(answered):.4f}"
        f"\n  training time             {training_seconds:.1f} s "
        f"(temperature {classifier.temperature:.3f})"
        f"\n  latency per message       median {statistics.median(timings):.3f} ms, "
        f"p99 {np.percentile(timings, 99):.3f} ms over {len(timings)} calls"
        f"\n  process peak RSS          "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    assert len(classifier.intents) == 77
    assert classifier.features == features
    assert accuracy >= ACCURACY_FLOOR[features]
