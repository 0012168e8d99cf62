"""Training a playbook ahead of time: saved where the server looks, skipped when up to date, and
an account of what changed since the previous model."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from concierge.nlu.intents import load_intents
from concierge.nlu.model_store import load_or_train
from concierge.workbench.training import (
    RECORD_FILE,
    IntentChange,
    PlaybookTrainingError,
    train_playbook,
)

INTENTS: dict[str, list[str]] = {
    "card_arrival": ["where is my card", "my card has not arrived", "when does my card come"],
    "lost_card": ["I lost my card", "someone stole my card", "my card is gone"],
    "greeting": ["hello", "hi there"],
}


def write_playbook(directory: Path, intents: dict[str, list[str]]) -> Path:
    directory.mkdir(exist_ok=True)
    data: dict[str, Any] = {
        "intents": [
            {"name": name, "description": name.replace("_", " "), "examples": examples}
            for name, examples in intents.items()
        ]
    }
    (directory / "intents.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return directory


def test_first_training_saves_the_model_and_says_there_was_none(tmp_path: Path) -> None:
    playbook = write_playbook(tmp_path / "p", INTENTS)
    phases: list[str] = []
    result = train_playbook(playbook, tmp_path / "model", progress=phases.append)
    assert not result.skipped
    assert result.reason == "no previous model"
    assert result.changes.describe() == ["no previous model"]
    assert (result.intents, result.examples) == (3, 8)
    assert result.model_dir == (tmp_path / "model").resolve()
    assert list(result.timings) == ["reading", "training", "saving"]
    assert [phase.split()[0] for phase in phases] == ["reading", "training", "saving"]
    files = {path.name: path.stat().st_size for path in result.model_dir.iterdir()}
    assert set(files) == {"model.skops", "model.json", RECORD_FILE}
    assert result.size_bytes == files["model.skops"] + files["model.json"]


def test_the_server_reuses_the_trained_model(tmp_path: Path) -> None:
    playbook = write_playbook(tmp_path / "p", INTENTS)
    train_playbook(playbook, tmp_path / "model")
    _classifier, info = load_or_train(load_intents(playbook / "intents.yaml"), tmp_path / "model")
    assert not info.retrained


def test_an_up_to_date_model_is_not_trained_again_unless_forced(tmp_path: Path) -> None:
    playbook = write_playbook(tmp_path / "p", INTENTS)
    train_playbook(playbook, tmp_path / "model")
    model_file = tmp_path / "model" / "model.skops"
    saved_at = model_file.stat().st_mtime_ns
    again = train_playbook(playbook, tmp_path / "model")
    assert again.skipped
    assert again.reason == "up to date"
    assert model_file.stat().st_mtime_ns == saved_at
    forced = train_playbook(playbook, tmp_path / "model", force=True)
    assert not forced.skipped
    assert forced.reason == "--force"
    assert forced.changes.describe() == ["no changes since the previous model"]


def test_changes_since_the_previous_model_are_counted_per_intent(tmp_path: Path) -> None:
    playbook = write_playbook(tmp_path / "p", INTENTS)
    train_playbook(playbook, tmp_path / "model")
    changed = {
        "card_arrival": [*INTENTS["card_arrival"][1:], "card still not here", "is my card lost"],
        "lost_card": ["I LOST   my card", "someone stole my card", "my card is gone"],
        "refund": ["I want my money back", "refund please"],
    }
    write_playbook(playbook, changed)
    result = train_playbook(playbook, tmp_path / "model")
    assert result.reason == "the training data changed"
    changes = result.changes
    assert changes.known
    assert changes.added_intents == ("refund",)
    assert changes.removed_intents == ("greeting",)
    assert changes.changed == (IntentChange("card_arrival", added=2, removed=1),)
    assert changes.describe() == [
        "intent added: refund",
        "intent removed: greeting",
        "card_arrival: +2 / -1 example(s)",
    ]


def test_the_record_holds_hashes_not_customer_words(tmp_path: Path) -> None:
    playbook = write_playbook(tmp_path / "p", INTENTS)
    train_playbook(playbook, tmp_path / "model")
    text = (tmp_path / "model" / RECORD_FILE).read_text(encoding="utf-8")
    assert "card" not in text.replace("card_arrival", "").replace("lost_card", "")
    hashes = json.loads(text)["intents"]["greeting"]
    assert hashes == sorted(
        hashlib.sha256(word.encode()).hexdigest() for word in ["hello", "hi there"]
    )


def test_a_model_trained_by_the_server_has_unknown_changes(tmp_path: Path) -> None:
    playbook = write_playbook(tmp_path / "p", INTENTS)
    load_or_train(load_intents(playbook / "intents.yaml"), tmp_path / "model")
    write_playbook(playbook, {**INTENTS, "refund": ["money back", "refund please"]})
    result = train_playbook(playbook, tmp_path / "model")
    assert not result.changes.known
    assert "changes unknown" in result.changes.describe()[0]


def test_a_damaged_model_is_trained_again(tmp_path: Path) -> None:
    playbook = write_playbook(tmp_path / "p", INTENTS)
    train_playbook(playbook, tmp_path / "model")
    (tmp_path / "model" / "model.skops").write_bytes(b"not a zip")
    result = train_playbook(playbook, tmp_path / "model")
    assert not result.skipped
    assert result.reason.startswith("the saved model is unusable")


def test_invalid_intents_are_listed_with_file_and_line(tmp_path: Path) -> None:
    playbook = write_playbook(tmp_path / "p", {"card_arrival": ["where is my card"], "x": []})
    with pytest.raises(PlaybookTrainingError) as caught:
        train_playbook(playbook, tmp_path / "model")
    message = str(caught.value)
    assert "has problems to fix before training" in message
    assert f"{playbook / 'intents.yaml'}:" in message
    assert "needs at least 2" in message
    assert not (tmp_path / "model").exists()


def test_a_model_directory_that_cannot_be_made_is_reported(tmp_path: Path) -> None:
    playbook = write_playbook(tmp_path / "p", INTENTS)
    (tmp_path / "model").write_text("a file, not a directory", encoding="utf-8")
    with pytest.raises(PlaybookTrainingError, match="cannot save the model in"):
        train_playbook(playbook, tmp_path / "model")
