"""BANKING77 smoke benchmark: train the intent classifier on the training set, score the test set.

77 banking intents, 10,003 training and 3,080 test utterances (PolyAI, CC BY 4.0). The data
lives in the shared directory: ``$CONCIERGE_SHARED_DIR/data/banking77/`` or, by default,
``<repo>/../shared/data/banking77/``. Run with ``pytest -s`` to see the numbers; timings are
printed, never asserted. Hyperparameters were chosen on a held-out slice of the training set,
never on the test set.
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

from concierge.nlu.classifier import IntentClassifier

REPO = Path(__file__).resolve().parents[2]
ACCURACY_FLOOR = 0.90
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


def latencies_ms(classifier: IntentClassifier, texts: list[str]) -> list[float]:
    timings = []
    for text in texts:
        started = time.perf_counter()
        classifier.classify(text)
        timings.append((time.perf_counter() - started) * 1000.0)
    return timings


def test_banking77_accuracy(
    data: tuple[list[tuple[str, str]], list[tuple[str, str]]],
) -> None:
    train, test = data
    started = time.perf_counter()
    classifier = IntentClassifier.train(train)
    training_seconds = time.perf_counter() - started
    predictions = [classifier.classify(text) for text, _ in test]
    hits = [p.ranking[0].intent == truth for p, (_, truth) in zip(predictions, test, strict=True)]
    answered = [hit for hit, p in zip(hits, predictions, strict=True) if not p.abstained]
    timings = latencies_ms(classifier, [text for text, _ in test[:LATENCY_CALLS]])
    accuracy = float(np.mean(hits))
    print(
        f"\nBANKING77: {len(train)} train / {len(test)} test, {len(classifier.intents)} intents"
        f"\n  accuracy (top-1)          {accuracy:.4f}"
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
    assert accuracy >= ACCURACY_FLOOR
