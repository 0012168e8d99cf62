"""What we know about a trained intent model: its training data, when and with what it was made.

Saved next to the model as ``model.json``, e.g.::

    {"format": 3, "fingerprint": "3f1c…", "intents": ["greeting", "out_of_scope", …],
     "created_at": "2026-05-09T07:35:25+00:00", "examples": 371, "seed": 0,
     "features": "tfidf", "threshold": 0.45, "margin": 0.1, "temperature": 0.126,
     "training_seconds": 0.19,
     "versions": {"concierge": "0.1.0", "scikit-learn": "1.9.1", "skops": "0.16.0",
                  "numpy": "2.4.6", "python": "3.11.7"}}

``features`` is the feature set the model was trained with (``tfidf`` or
``tfidf+embeddings``). Older formats come from before the word pairs and the ``features``
field (1) or before the shipped word vectors and clusters (2); such a model is retrained.
"""

from __future__ import annotations

import platform
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

import concierge
from concierge.nlu.errors import ModelFileError, NluError
from concierge.nlu.pipeline import TFIDF, FeatureSet, check_feature_set

FORMAT = 3
LIBRARIES = ("scikit-learn", "skops", "numpy")


def runtime_versions() -> dict[str, str]:
    """Versions of everything that decides whether a saved model can be loaded and trusted."""
    versions = {"concierge": concierge.__version__}
    versions.update({name: metadata.version(name) for name in LIBRARIES})
    versions["python"] = platform.python_version()
    return versions


def now_iso() -> str:
    """The current UTC time as ISO 8601 text, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ModelInfo:
    """Metadata of a trained intent model; ``retrained`` is True when it was trained just now."""

    fingerprint: str
    intents: tuple[str, ...]
    created_at: str
    examples: int
    seed: int
    threshold: float
    margin: float
    temperature: float
    training_seconds: float
    features: FeatureSet = TFIDF
    versions: Mapping[str, str] = field(default_factory=runtime_versions)
    retrained: bool = False

    def to_json(self) -> dict[str, Any]:
        """The ``model.json`` form (``retrained`` is about this run, so it is not saved)."""
        data = asdict(self)
        del data["retrained"]
        data["intents"] = list(self.intents)
        data["versions"] = dict(self.versions)
        return {"format": FORMAT, **data}

    def with_thresholds(self, *, threshold: float, margin: float) -> ModelInfo:
        """The same information with other decision thresholds."""
        return replace(self, threshold=threshold, margin=margin)

    @classmethod
    def from_json(cls, data: Any) -> ModelInfo:
        """Parse ``model.json`` content; ModelFileError unless it is what :meth:`to_json` makes."""
        if not isinstance(data, dict) or data.get("format") not in range(1, FORMAT + 1):
            raise ModelFileError("model.json is not in the expected format")
        if data["format"] != FORMAT:
            raise ModelFileError(f"model.json is in the older format {data['format']}")
        try:
            return cls(
                fingerprint=str(data["fingerprint"]),
                intents=tuple(str(name) for name in data["intents"]),
                created_at=str(data["created_at"]),
                examples=int(data["examples"]),
                seed=int(data["seed"]),
                threshold=float(data["threshold"]),
                margin=float(data["margin"]),
                temperature=float(data["temperature"]),
                training_seconds=float(data["training_seconds"]),
                features=check_feature_set(str(data["features"])),
                versions={str(k): str(v) for k, v in dict(data["versions"]).items()},
            )
        except (KeyError, TypeError, ValueError, NluError) as exc:
            raise ModelFileError(f"model.json is incomplete or malformed: {exc!r}") from None
