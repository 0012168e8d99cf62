"""``concierge bench nlu``: import, train, evaluate and time on a labelled train/test pair."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from concierge.cli import app

runner = CliRunner()

TRAIN = {
    "card_arrival": [
        "my card has not arrived",
        "where is my new card",
        "still waiting for the card you sent",
        "card delivery is late",
        "when will my card come",
        "the card never showed up",
    ],
    "exchange_rate": [
        "what is the exchange rate",
        "how much is a euro in dollars",
        "which rate do you use to convert currency",
        "currency conversion rate please",
        "do you use the interbank rate",
        "what rate for pounds to euros",
    ],
    "lost_card": [
        "i lost my card",
        "my card was stolen",
        "someone took my wallet with the card",
        "cannot find my card anywhere",
        "please block my lost card",
        "card went missing yesterday",
    ],
}
TEST = [
    ("has my card been posted yet", "card_arrival"),
    ("what exchange rate will I get", "exchange_rate"),
    ("my card is lost", "lost_card"),
]


def write_data(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "train.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["text", "category"])
        writer.writerows((text, intent) for intent, texts in TRAIN.items() for text in texts)
    with (folder / "test.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["text", "category"])
        writer.writerows(TEST)
    return folder


def test_bench_prints_and_records_the_numbers(tmp_path: Path) -> None:
    folder = write_data(tmp_path / "data")
    numbers_file = tmp_path / "numbers.json"
    result = runner.invoke(
        app, ["bench", "nlu", "--data-dir", str(folder), "--json", str(numbers_file)]
    )
    assert result.exit_code == 0, result.output
    assert "accuracy (top intent)" in result.output
    numbers = json.loads(numbers_file.read_text(encoding="utf-8"))
    assert numbers["train_rows"] == 18
    assert numbers["test_rows"] == 3
    assert numbers["intents"] == 3
    assert numbers["latency_calls"] == 1000
    assert 0.0 <= numbers["top1_accuracy"] <= 1.0
    assert numbers["latency_median_ms"] <= numbers["latency_p99_ms"]
    assert numbers["model_bytes"] > 0
    assert numbers["features"] == "tfidf"


def test_bench_names_the_feature_set_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    folder = write_data(tmp_path / "data")
    result = runner.invoke(app, ["bench", "nlu", "--data-dir", str(folder), "--features", "bert"])
    assert result.exit_code == 2
    assert "unknown feature set 'bert'" in result.output


def test_bench_fails_clearly_on_a_missing_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["bench", "nlu", "--data-dir", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such folder" in result.output


def test_bench_fails_clearly_on_a_missing_column(tmp_path: Path) -> None:
    folder = write_data(tmp_path / "data")
    result = runner.invoke(
        app, ["bench", "nlu", "--data-dir", str(folder), "--intent-column", "label"]
    )
    assert result.exit_code == 2
    assert "no column 'label'" in result.output
