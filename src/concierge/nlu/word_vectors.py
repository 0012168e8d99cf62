"""Word vectors and word clusters that ship with Concierge: meaning beyond exact words, no torch.

``data/word_vectors.npz`` holds one static vector per WordPiece token of all-MiniLM-L6-v2
(Apache-2.0), distilled from the sentence model by ``scripts/build_word_vectors.py``: each
token was run through the model on its own and its output kept, then the vectors were reduced
to 256 dimensions and stored as int8 with a scale per token. ``data/word_clusters.tsv`` puts
about 21,700 whole words into 1,000 clusters of words the model sees as alike ("arrived",
"came", "delivered"), each named after its most central word.

Both are read with NumPy alone, once per process, so the default install needs neither
PyTorch nor a download. Two feature blocks use them (:mod:`concierge.nlu.pipeline`):

- :class:`WordVectorEmbeddings`: a message's tokens' vectors, averaged with idf weights
  learned from the training examples, at unit length times a weight;
- the cluster names of a message's words and their pairs, as a TF-IDF block
  (``pipeline.cluster_pairs``), so "my card never came" shares features with "card not
  arrived" even when no training example says it that way.

The tokenizer is BERT's uncased WordPiece, in plain Python: split on whitespace and
punctuation, strip accents, then longest-match-first pieces (``"refund"`` →
``"ref", "##und"``); a word it cannot spell from pieces becomes ``[UNK]``.

A model records the digest of these files when it is fitted; a model trained with other
files is refused when loaded (and so retrained), never scored with vectors it did not see.
"""

from __future__ import annotations

import functools
import hashlib
import io
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

import numpy as np
from numpy.typing import NDArray
from sklearn.base import (  # type: ignore[import-untyped, unused-ignore]
    BaseEstimator,
    TransformerMixin,
)

from concierge.nlu.errors import NluError

DATA_PACKAGE = "concierge.nlu"
VECTORS_FILE = "data/word_vectors.npz"
CLUSTERS_FILE = "data/word_clusters.tsv"
UNKNOWN = "[UNK]"
MAX_WORD_CHARS = 100  # BERT's limit: a longer "word" is one unknown token
CLUSTER_MARK = "~"
FULL_WEIGHT_EXAMPLES = 100

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)  # hashed by identity: one table per process
class WordVectors:
    """The token vocabulary, one vector per token, and the digest of the files they came from."""

    ids: Mapping[str, int]
    vectors: NDArray[np.float32]
    digest: str

    @property
    def dimension(self) -> int:
        """How many numbers one vector has."""
        return int(self.vectors.shape[1])

    def token_ids(self, text: str) -> list[int]:
        """The WordPiece token ids of ``text`` (already normalised), unknown words included."""
        ids: list[int] = []
        for word in basic_tokens(text):
            ids.extend(_pieces(word, self))
        return ids


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2FA1F
        or 0xF900 <= code <= 0xFAFF
    )


def basic_tokens(text: str) -> list[str]:
    """BERT's basic tokenization: accents stripped, punctuation and CJK characters split off."""
    tokens: list[str] = []
    for word in _strip_accents(text).split():
        current: list[str] = []
        for char in word:
            if unicodedata.category(char) in ("Cc", "Cf"):
                continue
            if _is_punctuation(char) or _is_cjk(char):
                if current:
                    tokens.append("".join(current))
                    current = []
                tokens.append(char)
            else:
                current.append(char)
        if current:
            tokens.append("".join(current))
    return tokens


@functools.lru_cache(maxsize=65536)
def _pieces(word: str, vectors: WordVectors) -> tuple[int, ...]:
    """Longest-match-first WordPiece ids of one word; the unknown token when it has none."""
    ids = vectors.ids
    unknown = (ids[UNKNOWN],)
    if len(word) > MAX_WORD_CHARS:
        return unknown
    pieces: list[int] = []
    start = 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in ids:
                pieces.append(ids[piece])
                break
            end -= 1
        if end == start:
            return unknown
        start = end
    return tuple(pieces)


def _read_bytes(name: str) -> bytes:
    try:
        return resources.files(DATA_PACKAGE).joinpath(name).read_bytes()
    except OSError as exc:
        message = f"the word vectors shipped with Concierge are missing ({name}): {exc}"
        raise NluError(message) from None


@functools.cache
def word_vectors() -> WordVectors:
    """The shipped token vectors, read once per process; NluError when the file is damaged."""
    try:
        with np.load(io.BytesIO(_read_bytes(VECTORS_FILE)), allow_pickle=False) as data:
            vocab = [str(token) for token in data["vocab"]]
            vectors = data["vectors"].astype(np.float32) * data["scales"][:, np.newaxis]
    except (ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise NluError(f"{VECTORS_FILE} is damaged ({exc}): reinstall Concierge") from None
    ids = {token: index for index, token in enumerate(vocab)}
    if UNKNOWN not in ids or len(ids) != vectors.shape[0]:
        raise NluError(f"{VECTORS_FILE} is damaged: its vocabulary and vectors do not match")
    return WordVectors(ids, vectors, data_digest())


@functools.cache
def data_digest() -> str:
    """A short digest of both shipped files, recorded in every model fitted with them."""
    digest = hashlib.sha256(_read_bytes(VECTORS_FILE))
    digest.update(_read_bytes(CLUSTERS_FILE))
    return digest.hexdigest()[:16]


@functools.cache
def word_clusters() -> Mapping[str, str]:
    """Each known whole word's cluster name, marked with ``~`` (``"came"`` → ``"~arrive"``)."""
    clusters: dict[str, str] = {}
    for number, line in enumerate(_read_bytes(CLUSTERS_FILE).decode("utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        word, tab, name = line.partition("\t")
        if not tab or not word or not name:
            raise NluError(f"{CLUSTERS_FILE} line {number} is not 'word<TAB>cluster'")
        clusters[word] = CLUSTER_MARK + name
    return clusters


def examples_scale(labels: Iterable[object]) -> float:
    """The median number of examples per intent over :data:`FULL_WEIGHT_EXAMPLES`, at most 1."""
    counts = Counter(str(label) for label in labels)
    if not counts:
        return 1.0
    return min(1.0, float(np.median(list(counts.values()))) / FULL_WEIGHT_EXAMPLES)


class WordVectorEmbeddings(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """A scikit-learn transformer: a text's idf-weighted mean token vector.

    The mean is scaled to ``weight`` times the share of the text's tokens that occur in the
    training texts: a message made of fragments the examples never used ("qwxz vbnm") gets a
    short vector and cannot sway the classifier, whatever direction its fragments point in.

    The weight is also scaled down for playbooks with fewer than :data:`FULL_WEIGHT_EXAMPLES`
    examples per intent (the median): a linear model fitted on a handful of examples leans on
    the vectors' arbitrary directions, so two intents worded alike except for one name would
    stop looking ambiguous for a message that names neither; with hundreds of examples per
    intent the vectors earn their weight (BENCHMARKS.md).

    Fitting learns each token's idf from the training texts, the weight's scale from the
    labels, and records which shipped vectors it used (``digest_``).
    """

    def __init__(self, weight: float = 1.0) -> None:
        self.weight = weight

    def fit(
        self, texts: Iterable[str], labels: Iterable[object] | None = None
    ) -> WordVectorEmbeddings:
        """Learn the tokens' idf from ``texts`` (smoothed as scikit-learn's TF-IDF does).

        ``labels`` (one intent per text) set :attr:`scale_`; without them the scale is 1.
        """
        self.scale_ = 1.0 if labels is None else examples_scale(labels)
        table = word_vectors()
        documents = np.zeros(len(table.ids), dtype=np.float64)
        count = 0
        for text in texts:
            documents[list(set(table.token_ids(text)))] += 1.0
            count += 1
        self.idf_ = np.log((1.0 + count) / (1.0 + documents)) + 1.0
        self.seen_ = documents > 0
        self.digest_ = table.digest
        self.dimension_ = table.dimension
        return self

    def transform(self, texts: Iterable[str]) -> FloatArray:
        """One row per text; a text with no tokens gets a row of zeros."""
        table = self._table()
        batch = list(texts)
        rows = np.zeros((len(batch), table.dimension), dtype=np.float64)
        for row, text in enumerate(batch):
            ids = table.token_ids(text)
            if not ids:
                continue
            mean = self.idf_[ids] @ table.vectors[ids]
            norm = float(np.sqrt(mean @ mean))
            if norm > 0.0:
                seen = float(np.count_nonzero(self.seen_[ids])) / len(ids)
                rows[row] = (float(self.weight) * self.scale_ * seen / norm) * mean
        return rows

    def is_fitted(self) -> bool:
        """True once :meth:`fit` has run (or a fitted one was loaded)."""
        names = ("idf_", "seen_", "scale_", "digest_", "dimension_")
        return all(hasattr(self, name) for name in names)

    def is_current(self) -> bool:
        """True when this was fitted with the word vectors this Concierge ships."""
        return self.is_fitted() and self.digest_ == data_digest()

    def _table(self) -> WordVectors:
        table = word_vectors()
        if getattr(self, "digest_", None) != table.digest:
            raise NluError("the model was trained with other word vectors: retrain it")
        return table
