"""``concierge intents test``: on a test CSV or by cross-validation, with its report and errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from concierge.cli import app
from concierge.nlu.intents import load_intents

REPO = Path(__file__).resolve().parents[2]
KEPT = ("greeting", "order_status", "returns", "billing_question", "out_of_scope")
TEST_ROWS = [
    ("text", "intent"),
    ("hello there!", "greeting"),
    ("where's my order? it's late", "order_status"),
    ("I want to send back a breaker, wrong size", "returns"),
    ("why was I charged twice on invoice 1234", "Billing Question"),
    ('what is the "best" pizza, in town', "oos"),
    ("hi, anyone around?", "greeting"),
]

runner = CliRunner()


@pytest.fixture(scope="module")
def playbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five intents of the Portlandia playbook (quick to train) in a directory of their own."""
    directory = tmp_path_factory.mktemp("playbook")
    source = yaml.safe_load((REPO / "intents" / "intents.yaml").read_text(encoding="utf-8"))
    kept = [
        {key: intent[key] for key in ("name", "description", "examples")}
        for intent in source["intents"]
        if intent["name"] in KEPT
    ]
    text = yaml.safe_dump({"intents": kept}, sort_keys=False, allow_unicode=True)
    (directory / "intents.yaml").write_text(text, encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One model directory for the module, so the playbook is trained once."""
    return tmp_path_factory.mktemp("model")


@pytest.fixture(autouse=True)
def settings(monkeypatch: pytest.MonkeyPatch, model_dir: Path) -> None:
    monkeypatch.setenv("CONCIERGE_MODEL_DIR", str(model_dir))
    monkeypatch.setenv("CONCIERGE_LOG_LEVEL", "WARNING")


def write_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def run(*arguments: str | Path) -> Result:
    return runner.invoke(app, ["intents", "test", *map(str, arguments)])


def test_test_file_writes_predictions_and_report(playbook: Path, tmp_path: Path) -> None:
    test_file = write_csv(tmp_path / "test.csv", TEST_ROWS)
    predictions, report_dir = tmp_path / "out.csv", tmp_path / "report"
    result = run(
        playbook, "--test-file", test_file, "--predictions", predictions, "--report-dir", report_dir
    )
    assert result.exit_code == 0, result.output
    assert "Tested 6 utterances" in result.output
    assert "accuracy" in result.output
    assert f"Report: {report_dir}" in result.output
    with predictions.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["text", "expected", "predicted", "confidence"]
    assert [row[:2] for row in rows[1:]] == [
        ["hello there!", "greeting"],
        ["where's my order? it's late", "order_status"],
        ["I want to send back a breaker, wrong size", "returns"],
        ["why was I charged twice on invoice 1234", "billing_question"],
        ['what is the "best" pizza, in town', "out_of_scope"],
        ["hi, anyone around?", "greeting"],
    ]
    assert all(0.0 <= float(row[3]) <= 1.0 and len(row[3]) <= 6 for row in rows[1:])
    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    assert report["counts"]["utterances"] == 6
    assert report["counts"]["out_of_scope_examples"] == 1
    assert report["metrics"]["out_of_scope_recall"] is not None
    context = report["context"]
    assert context["mode"] == "test_file"
    assert context["data"] == str(test_file)
    assert context["model"]["fingerprint"] == load_intents(playbook).fingerprint()
    assert context["model"]["threshold"] == 0.45
    assert {"errors.csv", "confusion.png", "confidence.png"} <= {
        path.name for path in report_dir.iterdir()
    }


def test_test_file_reuses_the_saved_model(playbook: Path, tmp_path: Path) -> None:
    test_file = write_csv(tmp_path / "test.csv", TEST_ROWS)
    for name in ("first", "second"):
        assert (
            run(playbook, "--test-file", test_file, "--report-dir", tmp_path / name).exit_code == 0
        )
    second = json.loads((tmp_path / "second" / "report.json").read_text(encoding="utf-8"))
    assert second["context"]["model"]["retrained"] is False


def test_cross_validation_reports_every_example(playbook: Path, tmp_path: Path) -> None:
    examples = len(load_intents(playbook).training_pairs())
    result = run(playbook, "--cross-validate", "3", "--report-dir", tmp_path, "--all")
    assert result.exit_code == 0, result.output
    assert f"Tested {examples} examples of {playbook}, 3-fold cross-validated" in result.output
    assert "3/3" in result.output  # the progress bar reached the last fold
    assert "Every intent, worst first" in result.output
    assert "out-of-scope recall" in result.output
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["context"]["folds"] == 3
    assert report["counts"]["utterances"] == examples
    assert sorted(scores["intent"] for scores in report["per_intent"]) == sorted(KEPT)


def test_too_many_folds_name_the_smallest_intent(playbook: Path) -> None:
    result = run(playbook, "--cross-validate", "1000")
    assert result.exit_code == 2
    assert "1000 folds need at least 1000 examples per intent" in result.output


@pytest.mark.parametrize(
    "options", [[], ["--test-file", "x.csv", "--cross-validate", "3"]], ids=["neither", "both"]
)
def test_exactly_one_of_test_file_and_cross_validate(playbook: Path, options: list[str]) -> None:
    result = run(playbook, *options)
    assert result.exit_code == 2
    assert "exactly one of --test-file FILE.csv or --cross-validate K" in result.output


def test_labels_unknown_to_the_playbook_are_listed(playbook: Path, tmp_path: Path) -> None:
    rows = [*TEST_ROWS, ("beam me up", "teleport"), ("and again", "teleport")]
    result = run(playbook, "--test-file", write_csv(tmp_path / "test.csv", rows))
    assert result.exit_code == 2
    assert "1 label(s) not in the playbook: teleport (rows 8, 9)" in result.output


def test_a_missing_test_file_is_reported(playbook: Path, tmp_path: Path) -> None:
    result = run(playbook, "--test-file", tmp_path / "nope.csv")
    assert result.exit_code == 2
    assert "nope.csv: no such file" in result.output


def test_a_bad_csv_names_the_missing_column(playbook: Path, tmp_path: Path) -> None:
    test_file = write_csv(tmp_path / "test.csv", [("utterance", "label"), ("hi", "greeting")])
    result = run(playbook, "--test-file", test_file)
    assert result.exit_code == 2
    assert "no column 'text'" in result.output


def test_an_invalid_playbook_lists_its_problems(tmp_path: Path) -> None:
    (tmp_path / "intents.yaml").write_text(
        "intents:\n  - name: Greeting\n    description: hi\n    examples: [hi, hello]\n",
        encoding="utf-8",
    )
    result = run(tmp_path, "--cross-validate", "2")
    assert result.exit_code == 1
    assert f"{tmp_path / 'intents.yaml'}:" in result.output
    assert "problem(s) in the playbook" in result.output
    missing = run(tmp_path / "nowhere", "--cross-validate", "2")
    assert missing.exit_code == 1
    assert "nowhere" in missing.output
