"""The NLU benchmark: import a labelled training CSV, train, evaluate on a test CSV, time it.

It walks the designer's own path, so its numbers are what ``concierge intents import`` +
``intents train`` + ``intents test`` give on the same files: the training CSV is imported
into a playbook directory with :func:`~concierge.workbench.importer.import_labelled`, the
model is trained on that playbook's intents and saved, and the test CSV is evaluated with
:func:`~concierge.workbench.evaluation.evaluate`.

Measured:

- accuracy and macro F1 of the top intent (what published BANKING77 results report), and the
  bot's own accuracy, where an abstention counts as ``out_of_scope``;
- training time (fit and calibration, as ``intents train`` does it);
- single-utterance latency: ``classify`` called one message at a time, as a live bot calls it,
  at least ``calls`` times (median and 99th percentile);
- the process's peak resident memory and the saved model's size on disk.
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from concierge.nlu.classifier import IntentClassifier
from concierge.nlu.intents import load_intents
from concierge.nlu.model_store import MODEL_FILE, save_model, train_model
from concierge.nlu.pipeline import TFIDF, FeatureSet
from concierge.workbench.evaluation import Evaluation, evaluate
from concierge.workbench.importer import import_labelled
from concierge.workbench.labelled_csv import LabelledText, read_labelled_csv

MIN_CALLS = 1000


@dataclass(frozen=True)
class BenchmarkData:
    """Where the benchmark's CSV files are and which columns hold text and label."""

    train: Path
    test: Path
    text_column: str = "text"
    intent_column: str = "category"


@dataclass(frozen=True)
class BenchmarkResult:
    """Everything the benchmark measured."""

    features: FeatureSet
    train_rows: int
    test_rows: int
    intents: int
    top1_accuracy: float
    top1_macro_f1: float
    bot_accuracy: float
    abstention_rate: float
    training_seconds: float
    latency_median_ms: float
    latency_p99_ms: float
    latency_calls: int
    peak_rss_mib: float
    model_bytes: int
    evaluation: Evaluation


def read_benchmark_data(data: BenchmarkData) -> tuple[list[LabelledText], list[LabelledText]]:
    """The training and test rows; CsvDataError when a file is missing or malformed."""
    columns = {"text_column": data.text_column, "intent_column": data.intent_column}
    return read_labelled_csv(data.train, **columns), read_labelled_csv(data.test, **columns)


def latencies_ms(classifier: IntentClassifier, texts: Sequence[str], calls: int) -> list[float]:
    """Milliseconds per ``classify`` call, one message at a time, cycling through ``texts``."""
    timings = []
    for index in range(max(calls, MIN_CALLS)):
        text = texts[index % len(texts)]
        started = time.perf_counter()
        classifier.classify(text)
        timings.append((time.perf_counter() - started) * 1000.0)
    return timings


def peak_rss_mib() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_benchmark(
    data: BenchmarkData,
    *,
    calls: int = MIN_CALLS,
    work_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    features: FeatureSet = TFIDF,
) -> BenchmarkResult:
    """Import, train, evaluate and time; files go to ``work_dir`` (a temporary one if None).

    ``features`` is the feature set to train with (EmbeddingsUnavailableError, an NluError,
    for ``tfidf+embeddings`` without the ``embeddings`` extra).
    """
    say = progress or (lambda _message: None)
    say("reading the CSV files")
    train_rows, test_rows = read_benchmark_data(data)
    with tempfile.TemporaryDirectory(prefix="concierge-bench-") as scratch:
        root = work_dir or Path(scratch)
        say("importing the training data into a playbook")
        import_labelled(train_rows, root / "playbook", force=True, source=data.train.name)
        catalog = load_intents(root / "playbook")
        say(f"training on {len(catalog.training_pairs())} examples ({features} features)")
        started = time.perf_counter()
        classifier, info = train_model(catalog, features=features)
        training_seconds = time.perf_counter() - started
        save_model(classifier, info, root / "model")
        model_bytes = (root / "model" / MODEL_FILE).stat().st_size
    say(f"evaluating {len(test_rows)} test utterances")
    evaluation = evaluate(classifier, test_rows)
    say(f"timing {max(calls, MIN_CALLS)} single-utterance calls")
    timings = latencies_ms(classifier, [row.text for row in test_rows], calls)
    return BenchmarkResult(
        features=features,
        train_rows=len(train_rows),
        test_rows=len(test_rows),
        intents=len(classifier.intents),
        top1_accuracy=evaluation.top_intent_accuracy,
        top1_macro_f1=evaluation.top_intent_macro_f1,
        bot_accuracy=evaluation.accuracy,
        abstention_rate=evaluation.abstention_rate,
        training_seconds=training_seconds,
        latency_median_ms=statistics.median(timings),
        latency_p99_ms=float(np.percentile(timings, 99)),
        latency_calls=len(timings),
        peak_rss_mib=peak_rss_mib(),
        model_bytes=model_bytes,
        evaluation=evaluation,
    )
