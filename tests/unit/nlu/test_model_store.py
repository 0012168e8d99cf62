"""The model store: save and load round trips, retraining when stale, corrupt or untrusted."""

from __future__ import annotations

import collections
import json
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import pytest
import skops.io  # type: ignore[import-untyped, unused-ignore]
from structlog.testing import capture_logs

from concierge.nlu.classifier import IntentClassifier
from concierge.nlu.errors import ModelFileError
from concierge.nlu.intents import IntentCatalog
from concierge.nlu.model_info import FORMAT, ModelInfo, runtime_versions
from concierge.nlu.model_store import (
    INFO_FILE,
    MODEL_FILE,
    load_model,
    load_or_train,
    save_model,
    train_model,
)
from tests.unit.nlu.intent_samples import EXAMPLES, HELD_OUT, write_catalog

PROBES = [text for text, _ in HELD_OUT] + ["qwxz vbnm plkj", "ඞඞඞ", ""]


@pytest.fixture
def catalog(tmp_path: Path) -> IntentCatalog:
    return write_catalog(tmp_path, EXAMPLES)


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    return tmp_path / "model"


def same_predictions(first: IntentClassifier, second: IntentClassifier) -> bool:
    return all(first.classify(text) == second.classify(text) for text in PROBES)


def events(logs: list[MutableMapping[str, Any]]) -> list[str]:
    return [entry["event"] for entry in logs]


def test_save_then_load_predicts_identically(catalog: IntentCatalog, model_dir: Path) -> None:
    classifier, info = train_model(catalog, threshold=0.5, margin=0.2, seed=3)
    save_model(classifier, info, model_dir)
    loaded, loaded_info = load_model(model_dir, threshold=0.5, margin=0.2)
    assert same_predictions(classifier, loaded)
    assert loaded.temperature == classifier.temperature
    assert loaded_info == ModelInfo(**{**vars(info), "retrained": False})
    assert sorted(path.name for path in model_dir.iterdir()) == [INFO_FILE, MODEL_FILE]


def test_model_json_describes_the_model(catalog: IntentCatalog, model_dir: Path) -> None:
    _, info = load_or_train(catalog, model_dir)
    saved = json.loads((model_dir / INFO_FILE).read_text(encoding="utf-8"))
    assert saved["format"] == FORMAT
    assert saved["fingerprint"] == catalog.fingerprint()
    assert saved["intents"] == sorted(EXAMPLES)
    assert saved["examples"] == sum(len(texts) for texts in EXAMPLES.values())
    assert (saved["threshold"], saved["margin"], saved["seed"]) == (0.45, 0.1, 0)
    assert saved["features"] == "tfidf" == info.features
    assert set(saved["versions"]) == {"concierge", "scikit-learn", "skops", "numpy", "python"}
    assert saved["versions"] == runtime_versions()
    assert saved["training_seconds"] == info.training_seconds >= 0
    assert saved["created_at"].endswith("+00:00")
    assert "retrained" not in saved


def test_a_matching_saved_model_is_reused(catalog: IntentCatalog, model_dir: Path) -> None:
    trained, first = load_or_train(catalog, model_dir)
    with capture_logs() as logs:
        reused, second = load_or_train(catalog, model_dir)
    assert first.retrained
    assert not second.retrained
    assert second.created_at == first.created_at
    assert same_predictions(trained, reused)
    assert "intent model trained" not in events(logs)


def test_a_changed_catalog_triggers_retraining(
    tmp_path: Path, catalog: IntentCatalog, model_dir: Path
) -> None:
    _, first = load_or_train(catalog, model_dir)
    changed = write_catalog(tmp_path, {**EXAMPLES, "greeting": [*EXAMPLES["greeting"], "howdy"]})
    with capture_logs() as logs:
        _, second = load_or_train(changed, model_dir)
    assert second.retrained
    assert second.fingerprint == changed.fingerprint() != first.fingerprint
    assert "saved intent model is out of date; retraining" in events(logs)
    assert json.loads((model_dir / INFO_FILE).read_text())["fingerprint"] == second.fingerprint


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda path: path.write_bytes(b"this is not a zip file"),
        lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
        lambda path: path.write_bytes(b""),
        lambda path: path.unlink(),
    ],
    ids=["garbage", "truncated", "empty", "missing"],
)
def test_a_corrupt_model_file_triggers_retraining_with_a_warning(
    catalog: IntentCatalog, model_dir: Path, corrupt: Any
) -> None:
    trained, _ = load_or_train(catalog, model_dir)
    corrupt(model_dir / MODEL_FILE)
    with capture_logs() as logs:
        retrained, info = load_or_train(catalog, model_dir)
    assert info.retrained
    warnings = [entry for entry in logs if entry["log_level"] == "warning"]
    assert [entry["event"] for entry in warnings] == ["saved intent model unusable; retraining"]
    assert same_predictions(trained, retrained)
    assert not load_or_train(catalog, model_dir)[1].retrained  # and it was saved again


@pytest.mark.parametrize(
    "content",
    ["{not json", "[]", '{"format": 1}', '{"format": 99}', "\xff"],
    ids=["syntax", "list", "incomplete", "other format", "bad utf-8"],
)
def test_a_corrupt_info_file_triggers_retraining(
    catalog: IntentCatalog, model_dir: Path, content: str
) -> None:
    load_or_train(catalog, model_dir)
    (model_dir / INFO_FILE).write_bytes(content.encode("latin-1"))
    with capture_logs() as logs:
        _, info = load_or_train(catalog, model_dir)
    assert info.retrained
    assert "saved intent model unusable; retraining" in events(logs)


def test_untrusted_types_are_refused(catalog: IntentCatalog, model_dir: Path) -> None:
    classifier, info = load_or_train(catalog, model_dir)
    payload = {
        "format": FORMAT,
        "pipeline": classifier.pipeline,
        "temperature": classifier.temperature,
        "fingerprint": info.fingerprint,
        "extra": collections.Counter({"surprise": 1}),
    }
    skops.io.dump(payload, model_dir / MODEL_FILE)
    with pytest.raises(ModelFileError, match=r"do not trust: collections\.Counter"):
        load_model(model_dir)
    with capture_logs() as logs:
        _, reloaded = load_or_train(catalog, model_dir)
    assert reloaded.retrained
    assert any("do not trust" in entry.get("error", "") for entry in logs)


def test_files_from_different_trainings_are_not_mixed(
    tmp_path: Path, catalog: IntentCatalog, model_dir: Path
) -> None:
    other = write_catalog(tmp_path, {**EXAMPLES, "greeting": [*EXAMPLES["greeting"], "howdy"]})
    load_or_train(other, model_dir)
    stale_model = (model_dir / MODEL_FILE).read_bytes()
    load_or_train(catalog, model_dir)
    (model_dir / MODEL_FILE).write_bytes(stale_model)  # as if a crash fell between the renames
    with pytest.raises(ModelFileError, match="different trainings"):
        load_model(model_dir)
    assert load_or_train(catalog, model_dir)[1].retrained


def test_a_model_from_before_feature_sets_is_retrained(
    catalog: IntentCatalog, model_dir: Path
) -> None:
    load_or_train(catalog, model_dir)
    path = model_dir / INFO_FILE
    saved = json.loads(path.read_text())
    del saved["features"]
    path.write_text(json.dumps({**saved, "format": 1}))
    with capture_logs() as logs:
        _, info = load_or_train(catalog, model_dir)
    assert info.retrained
    assert any("older format 1" in entry.get("error", "") for entry in logs)
    assert json.loads(path.read_text())["format"] == FORMAT


def test_an_unknown_feature_set_in_model_json_triggers_retraining(
    catalog: IntentCatalog, model_dir: Path
) -> None:
    load_or_train(catalog, model_dir)
    path = model_dir / INFO_FILE
    path.write_text(json.dumps({**json.loads(path.read_text()), "features": "bert"}))
    with pytest.raises(ModelFileError, match="unknown feature set 'bert'"):
        load_model(model_dir)
    assert load_or_train(catalog, model_dir)[1].retrained


def test_other_library_versions_trigger_retraining(catalog: IntentCatalog, model_dir: Path) -> None:
    load_or_train(catalog, model_dir)
    path = model_dir / INFO_FILE
    saved = json.loads(path.read_text())
    saved["versions"]["scikit-learn"] = "0.24.2"
    path.write_text(json.dumps(saved))
    with capture_logs() as logs:
        _, info = load_or_train(catalog, model_dir)
    assert info.retrained
    assert any("other versions" in entry.get("reason", "") for entry in logs)


def test_another_seed_triggers_retraining(catalog: IntentCatalog, model_dir: Path) -> None:
    load_or_train(catalog, model_dir, seed=0)
    assert load_or_train(catalog, model_dir, seed=1)[1].retrained
    assert not load_or_train(catalog, model_dir, seed=1)[1].retrained


def test_other_thresholds_reuse_the_model_and_update_model_json(
    catalog: IntentCatalog, model_dir: Path
) -> None:
    load_or_train(catalog, model_dir)
    classifier, info = load_or_train(catalog, model_dir, threshold=0.6, margin=0.05)
    assert not info.retrained
    assert (classifier.threshold, classifier.margin) == (0.6, 0.05)
    assert (info.threshold, info.margin) == (0.6, 0.05)
    saved = json.loads((model_dir / INFO_FILE).read_text())
    assert (saved["threshold"], saved["margin"]) == (0.6, 0.05)


def test_a_failed_write_leaves_the_old_files_and_no_temporary_ones(
    catalog: IntentCatalog, model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    classifier, info = load_or_train(catalog, model_dir)
    before = {path.name: path.read_bytes() for path in model_dir.iterdir()}

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("concierge.nlu.model_store.os.fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        save_model(classifier, info, model_dir)
    assert {path.name: path.read_bytes() for path in model_dir.iterdir()} == before


def test_an_unwritable_model_dir_still_serves_the_trained_model(
    tmp_path: Path, catalog: IntentCatalog
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    with capture_logs() as logs:
        classifier, info = load_or_train(catalog, blocked / "model")
    assert info.retrained
    assert classifier.classify("where is my order").intent == "order_status"
    assert "cannot save the intent model" in events(logs)


def test_loading_a_missing_model_raises(model_dir: Path) -> None:
    with pytest.raises(ModelFileError, match="cannot read"):
        load_model(model_dir)
