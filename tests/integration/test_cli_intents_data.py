"""``concierge intents import`` and ``concierge intents train``: CSV → playbook → model, and a
clear one-line reason with a non-zero exit for every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from concierge.cli import app

runner = CliRunner()

CSV = """text,category
where is my card,card_arrival
"my card has not arrived,
it has been two weeks",card_arrival
when does my card come,Card Arrival
where is my card,card_arrival
I lost my card,lost_card
someone stole my card,lost_card
where is my card,lost_card
tell me a joke,oos
what's the weather,OOS
hello,greeting
"""


def invoke(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(arg) for arg in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def labelled_csv(tmp_path: Path) -> Path:
    path = tmp_path / "labelled.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_import_validate_train_round_trip(
    tmp_path: Path, labelled_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model_dir = tmp_path / "model"
    monkeypatch.setenv("CONCIERGE_MODEL_DIR", str(model_dir))
    playbook = tmp_path / "playbook"

    imported = invoke(
        "intents", "import", labelled_csv, "--out", playbook, "--intent-column", "category"
    )
    assert imported.exit_code == 0, imported.output
    for words in ("rows read", "10", "duplicates dropped", "conflicts resolved"):
        assert words in imported.output
    assert "'where is my card' (lines 2, 6, 9)" in imported.output
    assert "kept under card_arrival" in imported.output
    assert "dropped: intent greeting has 1 different example(s) (line 12)" in imported.output
    assert f"next: concierge intents train {playbook}" in imported.output

    validated = invoke("intents", "validate", playbook)
    assert validated.exit_code == 0, validated.output
    assert "3 intents, 7 examples" in validated.output

    trained = invoke("intents", "train", playbook)
    assert trained.exit_code == 0, trained.output
    assert "no previous model" in trained.output
    assert str(model_dir.resolve()) in trained.output
    assert (model_dir / "model.skops").is_file()

    again = invoke("intents", "train", playbook)
    assert again.exit_code == 0, again.output
    assert "up to date" in again.output


def test_train_reports_what_changed(tmp_path: Path, labelled_csv: Path) -> None:
    playbook, model_dir = tmp_path / "playbook", tmp_path / "model"
    invoke("intents", "import", labelled_csv, "--out", playbook, "--intent-column", "category")
    assert invoke("intents", "train", playbook, "--model-dir", model_dir).exit_code == 0
    intents = playbook / "intents.yaml"
    intents.write_text(
        intents.read_text(encoding="utf-8").replace("- I lost my card", "- I misplaced my card"),
        encoding="utf-8",
    )
    result = invoke("intents", "train", playbook, "--model-dir", model_dir)
    assert result.exit_code == 0, result.output
    assert "lost_card: +1 / -1 example(s)" in result.output


def test_import_refuses_to_overwrite_a_playbook_without_force(
    tmp_path: Path, labelled_csv: Path
) -> None:
    args = (
        "intents",
        "import",
        labelled_csv,
        "--out",
        tmp_path / "p",
        "--intent-column",
        "category",
    )
    assert invoke(*args).exit_code == 0
    refused = invoke(*args)
    assert refused.exit_code == 2
    assert "already has intents.yaml; pass --force" in refused.output
    assert invoke(*args, "--force").exit_code == 0


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        (None, [], "missing.csv: no such file"),
        ("text,label\nhi,greeting\n", [], "no column 'category' (the header has 'text', 'label')"),
        ("text,category\nhi,greeting\n ,greeting\n", [], ":3: the text is empty"),
        ("text,category\nhi,\n", [], ":2: the intent label is empty"),
        (b"text,category\ncaf\xe9,order\n", [], ":2: not utf-8 text (byte 0xe9"),
        ("text,category\nhi,greeting\n", ["--encoding", "klingon"], "unknown encoding 'klingon'"),
        ("text,category\nhi,a\nho,a\nhu,b\n", [], "only 1 intent(s) have at least 2"),
    ],
    ids=["missing file", "missing column", "empty text", "empty label", "bad bytes",
         "unknown encoding", "too few intents"],
)  # fmt: skip
def test_bad_input_exits_2_with_the_reason(
    tmp_path: Path, content: str | bytes | None, options: list[str], message: str
) -> None:
    path = tmp_path / "missing.csv"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    result = invoke(
        "intents", "import", path, "--out", tmp_path / "p", "--intent-column", "category", *options
    )
    assert result.exit_code == 2
    assert "error:" in result.output
    assert message in result.output
    assert not (tmp_path / "p").exists()


def test_train_on_an_invalid_playbook_exits_1_listing_file_and_line(tmp_path: Path) -> None:
    playbook = tmp_path / "p"
    playbook.mkdir()
    (playbook / "intents.yaml").write_text(
        "intents:\n  - name: Greeting\n    description: Hi\n    examples: [hello]\n",
        encoding="utf-8",
    )
    result = invoke("intents", "train", playbook, "--model-dir", tmp_path / "model")
    assert result.exit_code == 1
    assert "has problems to fix before training" in result.output
    assert f"{playbook / 'intents.yaml'}:2:" in result.output


def test_train_without_a_playbook_directory_exits_2(tmp_path: Path) -> None:
    result = invoke("intents", "train", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "no such playbook directory" in result.output
