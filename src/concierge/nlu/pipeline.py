"""The scikit-learn pipeline behind the intent classifier: TF-IDF features and a linear SVM.

Two TF-IDF views of the (already normalised) text, side by side in a FeatureUnion:

- words and word pairs (1-2 grams, sublinear tf): what the message is about;
- characters within word boundaries (``char_wb``, 2-5 grams, sublinear tf): robust to typos,
  plurals and word forms ("quote", "quotes", "qoute").

A one-vs-rest LinearSVC separates the intents. It beat multinomial LogisticRegression on a
held-out slice of BANKING77's training set (accuracy 0.898 vs 0.896) at half the training time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import (  # type: ignore[import-untyped, unused-ignore]
    TfidfVectorizer,
)
from sklearn.pipeline import (  # type: ignore[import-untyped, unused-ignore]
    FeatureUnion,
    Pipeline,
)
from sklearn.svm import LinearSVC  # type: ignore[import-untyped, unused-ignore]

from concierge.nlu.errors import NluError

FEATURES = "features"
CLASSIFIER = "classifier"
SVM_C = 1.0
SVM_MAX_ITER = 5000

FloatArray = NDArray[np.float64]


def build_features() -> FeatureUnion:
    """Unfitted word (1-2) and character (char_wb 2-5) TF-IDF features, side by side."""
    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    return FeatureUnion([("words", words), ("chars", chars)])


def build_svm(seed: int) -> LinearSVC:
    """An unfitted linear SVM; ``seed`` fixes its coordinate-descent order."""
    return LinearSVC(C=SVM_C, max_iter=SVM_MAX_ITER, random_state=seed)


def build_pipeline(seed: int) -> Pipeline:
    """The unfitted pipeline: features, then the SVM."""
    return Pipeline([(FEATURES, build_features()), (CLASSIFIER, build_svm(seed))])


@dataclass(frozen=True)
class PipelineParts:
    """The fitted pieces of a pipeline, checked to be the shape :func:`build_pipeline` makes."""

    vectorizers: tuple[TfidfVectorizer, ...]
    svm: LinearSVC


def fitted_parts(pipeline: object) -> PipelineParts:
    """The vectorizers and SVM of a fitted pipeline; NluError if it has another shape."""
    if not isinstance(pipeline, Pipeline) or len(pipeline.steps) != 2:
        raise NluError("the model is not a features + classifier pipeline")
    features, svm = pipeline.named_steps.get(FEATURES), pipeline.named_steps.get(CLASSIFIER)
    if not isinstance(features, FeatureUnion) or not isinstance(svm, LinearSVC):
        raise NluError("the model's steps are not TF-IDF features and a LinearSVC")
    vectorizers = tuple(step for _, step in features.transformer_list)
    if not vectorizers or not all(isinstance(step, TfidfVectorizer) for step in vectorizers):
        raise NluError("the model's features are not all TF-IDF vectorizers")
    if not hasattr(svm, "coef_") or not all(hasattr(v, "idf_") for v in vectorizers):
        raise NluError("the model is not fitted")
    return PipelineParts(vectorizers, svm)


def class_margins(decision: FloatArray) -> FloatArray:
    """One margin per class and row from ``decision_function`` output.

    With two classes the SVM gives one signed margin ``m`` per row (positive for the second
    class); it becomes ``(-m, m)``, what a one-vs-rest pair would give, so the rest of the
    code (and the temperature) treats two intents like many.
    """
    margins = np.asarray(decision, dtype=np.float64)
    if margins.ndim == 1:
        margins = margins[:, np.newaxis]
    if margins.shape[1] == 1:
        margins = np.hstack([-margins, margins])
    return margins
