"""The report directory (JSON, errors CSV, two charts) and the predictions CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from PIL import Image

from concierge.nlu.intents import OUT_OF_SCOPE
from concierge.workbench.evaluation import PredictedText, summarise
from concierge.workbench.report import write_predictions, write_report

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

SAMPLE = [
    PredictedText("a one", "a", "a", 0.91234567, top_intent="a", runner_up="b"),
    PredictedText(
        'a "quoted", two', "a", "b", 0.6, top_intent="b", runner_up="a", runner_up_confidence=0.3
    ),
    PredictedText(
        "b\none",
        "b",
        OUT_OF_SCOPE,
        0.3,
        abstain_reason="low_confidence",
        top_intent="b",
        runner_up="a",
        runner_up_confidence=0.25,
    ),
    PredictedText("b two", "b", "b", 0.8, top_intent="b", runner_up="a"),
]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def png_size(path: Path) -> tuple[int, int]:
    assert path.read_bytes()[:8] == PNG_MAGIC
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        return image.size


CONTEXT: dict[str, object] = {"data": "test.csv", "model": {"fingerprint": "abc"}}


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of SAMPLE, written once into a directory that does not exist yet."""
    target = tmp_path_factory.mktemp("report") / "new" / "dir"
    paths = write_report(summarise(SAMPLE, threshold=0.5, margin=0.2), target, context=CONTEXT)
    assert paths == [
        target / "report.json",
        target / "errors.csv",
        target / "confusion.png",
        target / "confidence.png",
    ]
    return target


def test_report_directory_is_created_with_the_four_files(report_dir: Path) -> None:
    names = sorted(path.name for path in report_dir.iterdir())
    assert names == ["confidence.png", "confusion.png", "errors.csv", "report.json"]


def test_report_json_holds_metrics_intents_confusions_and_context(report_dir: Path) -> None:
    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    assert report["context"] == CONTEXT
    assert report["thresholds"] == {"threshold": 0.5, "margin": 0.2}
    assert report["counts"] == {
        "utterances": 4,
        "intents": 2,
        "correct": 2,
        "errors": 2,
        "abstained": 1,
        "out_of_scope_examples": 0,
    }
    metrics = report["metrics"]
    assert metrics["accuracy"] == 0.5
    assert metrics["abstention_rate"] == 0.25
    assert metrics["abstentions"] == {"low_confidence": 1}
    assert metrics["out_of_scope_recall"] is None
    # b: one of the two "b" predictions is right, one of the two b's is found -> 1/2, 1/2.
    # a: its only "a" prediction is right, one of the two a's is found -> 1, 1/2, F1 2/3.
    assert report["per_intent"] == [
        {
            "intent": "b",
            "precision": 0.5,
            "recall": 0.5,
            "f1": 0.5,
            "support": 2,
            "confused_with": [{"intent": OUT_OF_SCOPE, "count": 1}],
        },
        {
            "intent": "a",
            "precision": 1.0,
            "recall": 0.5,
            "f1": 0.6667,
            "support": 2,
            "confused_with": [{"intent": "b", "count": 1}],
        },
    ]
    assert [(c["expected"], c["predicted"], c["count"]) for c in report["confusions"]] == [
        ("a", "b", 1),
        ("b", OUT_OF_SCOPE, 1),
    ]
    assert report["confusions"][0]["hint"] == "add examples that tell a from b"
    assert report["confusions"][0]["example"] == 'a "quoted", two'
    assert report["abstentions_by_intent"] == {"b": 1}


def test_errors_csv_lists_every_wrong_prediction_with_the_runner_up(report_dir: Path) -> None:
    rows = read_csv(report_dir / "errors.csv")
    assert [row["text"] for row in rows] == ['a "quoted", two', "b\none"]
    assert rows[0]["predicted"] == "b"
    assert rows[0]["second_best"] == "a"
    assert rows[0]["second_confidence"] == "0.3"
    assert rows[1]["predicted"] == OUT_OF_SCOPE
    assert rows[1]["top_intent"] == "b"
    assert rows[1]["abstain_reason"] == "low_confidence"


def test_charts_are_valid_pngs_and_grow_with_the_confusions(
    report_dir: Path, tmp_path: Path
) -> None:
    many = [
        PredictedText(f"text {i}", f"intent_{i:02d}", f"intent_{i + 1:02d}", 0.7) for i in range(40)
    ]
    many += [PredictedText(f"ok {i}", f"intent_{i:02d}", f"intent_{i:02d}", 0.9) for i in range(41)]
    write_report(summarise(many), tmp_path, context={})
    small_width, small_height = png_size(report_dir / "confusion.png")
    large_width, large_height = png_size(tmp_path / "confusion.png")
    assert small_width >= 800
    assert large_width == small_width
    assert small_height >= 300
    assert large_height > 2 * small_height  # 25 bars get room to be read
    width, height = png_size(report_dir / "confidence.png")
    assert width >= 800
    assert height >= 400


def test_a_perfect_evaluation_still_gets_its_charts(tmp_path: Path) -> None:
    perfect = [PredictedText("a", "a", "a", 0.9), PredictedText("b", "b", "b", 0.8)]
    paths = write_report(summarise(perfect), tmp_path, context={})
    assert read_csv(tmp_path / "errors.csv") == []
    assert all(path.stat().st_size > 0 for path in paths)
    png_size(tmp_path / "confusion.png")


def test_predictions_csv_has_one_quoted_row_per_utterance_in_order(tmp_path: Path) -> None:
    target = tmp_path / "predictions.csv"
    write_predictions(summarise(SAMPLE), target)
    assert target.read_text(encoding="utf-8").splitlines()[0] == (
        "text,expected,predicted,confidence"
    )
    rows = read_csv(target)
    assert [row["text"] for row in rows] == [item.text for item in SAMPLE]
    assert rows[0] == {
        "text": "a one",
        "expected": "a",
        "predicted": "a",
        "confidence": "0.9123",
    }
    assert rows[2]["predicted"] == OUT_OF_SCOPE
