"""The scikit-learn pipeline behind the intent classifier: TF-IDF features and a linear SVM.

Three TF-IDF views of the (already normalised) text, side by side in a FeatureUnion:

- words and adjacent word pairs (1-2 grams, sublinear tf): what the message is about;
- characters within word boundaries (``char_wb``, 2-5 grams, sublinear tf): robust to typos,
  plurals and word forms ("quote", "quotes", "qoute");
- :func:`word_pairs`: every unordered pair of word stems (a word's first four letters) up to
  ten words apart, so "my card has not arrived" and "has the card i ordered arrived" share
  ``arri card``. A linear model cannot combine two words on its own; these pairs let it.

With the ``tfidf+embeddings`` feature set a fourth block follows: a sentence embedding
(:mod:`concierge.nlu.embeddings`), scaled by :data:`EMBEDDING_WEIGHT`.

A one-vs-rest LinearSVC separates the intents. The choice was made by 5-fold cross-validation
on BANKING77's training set only (BENCHMARKS.md, "Intent classifier: how the default pipeline
was chosen"): the word pairs raised accuracy from 0.902 to 0.911, where C, n-gram ranges,
``char`` vs ``char_wb``, class weights, Crammer-Singer, ridge, logistic regression and
ensembles of several linear models all stayed within 0.45 points of the plain pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal, get_args

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

from concierge.nlu.embeddings import SentenceEmbeddings, require_embeddings
from concierge.nlu.errors import NluError

FeatureSet = Literal["tfidf", "tfidf+embeddings"]
"""Which features the classifier uses: TF-IDF alone, or TF-IDF and a sentence embedding."""

TFIDF: Final[FeatureSet] = "tfidf"
TFIDF_EMBEDDINGS: Final[FeatureSet] = "tfidf+embeddings"
FEATURE_SETS: tuple[FeatureSet, ...] = get_args(FeatureSet)

FEATURES = "features"
CLASSIFIER = "classifier"
SVM_C = 1.0
SVM_MAX_ITER = 5000
SVM_INTERCEPT_SCALING = 0.5
PAIR_WINDOW = 10
STEM_LENGTH = 4
EMBEDDING_WEIGHT = 2.0

_WORD = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern

FloatArray = NDArray[np.float64]


def word_pairs(text: str) -> list[str]:
    """Unordered pairs of word stems at most ``PAIR_WINDOW`` words apart, e.g. ``"arri card"``.

    A stem is a word's first ``STEM_LENGTH`` characters ("arrived" and "arrival" are both
    ``arri``); a stem is never paired with itself.
    """
    stems = [word[:STEM_LENGTH] for word in _WORD.findall(text)]
    pairs = []
    for index, first in enumerate(stems):
        for second in stems[index + 1 : index + 1 + PAIR_WINDOW]:
            if first != second:
                pairs.append(f"{first} {second}" if first < second else f"{second} {first}")
    return pairs


def check_feature_set(features: str) -> FeatureSet:
    """``features`` as a FeatureSet; NluError naming the known ones otherwise."""
    for known in FEATURE_SETS:
        if features == known:
            return known
    raise NluError(f"unknown feature set {features!r}: use one of {', '.join(FEATURE_SETS)}")


def require_features(features: str) -> FeatureSet:
    """``features`` as a FeatureSet that can be built here.

    NluError for an unknown name; EmbeddingsUnavailableError, naming the pip command, when it
    needs the ``embeddings`` extra and that is not installed.
    """
    known = check_feature_set(features)
    if known == TFIDF_EMBEDDINGS:
        require_embeddings()
    return known


def build_features(features: FeatureSet = TFIDF) -> FeatureUnion:
    """Unfitted features: word, character and word-pair TF-IDF, then optionally embeddings.

    Raises :class:`~concierge.nlu.embeddings.EmbeddingsUnavailableError` when embeddings are
    asked for but the ``embeddings`` extra is not installed.
    """
    views: list[tuple[str, object]] = [
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        ("pairs", TfidfVectorizer(analyzer=word_pairs, sublinear_tf=True)),
    ]
    if require_features(features) == TFIDF_EMBEDDINGS:
        views.append(("embeddings", SentenceEmbeddings(weight=EMBEDDING_WEIGHT)))
    return FeatureUnion(views)


def build_svm(seed: int) -> LinearSVC:
    """An unfitted linear SVM; ``seed`` fixes its coordinate-descent order.

    The intercept is regularised more than liblinear's default (``intercept_scaling`` 0.5
    instead of 1): a message the model knows almost nothing about then scores close to the
    same for every intent and gets a low confidence, instead of whatever the intercepts
    favour. Cross-validated accuracy on BANKING77 is the same (0.9108 vs 0.9110).
    """
    return LinearSVC(
        C=SVM_C, intercept_scaling=SVM_INTERCEPT_SCALING, max_iter=SVM_MAX_ITER, random_state=seed
    )


def build_pipeline(seed: int, features: FeatureSet = TFIDF) -> Pipeline:
    """The unfitted pipeline: features, then the SVM."""
    return Pipeline([(FEATURES, build_features(features)), (CLASSIFIER, build_svm(seed))])


@dataclass(frozen=True)
class PipelineParts:
    """The fitted pieces of a pipeline, checked to be the shape :func:`build_pipeline` makes."""

    vectorizers: tuple[TfidfVectorizer, ...]
    embeddings: SentenceEmbeddings | None
    svm: LinearSVC

    @property
    def features(self) -> FeatureSet:
        """The feature set these parts make."""
        return TFIDF if self.embeddings is None else TFIDF_EMBEDDINGS

    @property
    def tfidf_width(self) -> int:
        """How many leading columns of the feature vector are TF-IDF n-grams."""
        return sum(len(vectorizer.vocabulary_) for vectorizer in self.vectorizers)


def fitted_parts(pipeline: object) -> PipelineParts:
    """The vectorizers, embeddings and SVM of a fitted pipeline; NluError for another shape."""
    if not isinstance(pipeline, Pipeline) or len(pipeline.steps) != 2:
        raise NluError("the model is not a features + classifier pipeline")
    features, svm = pipeline.named_steps.get(FEATURES), pipeline.named_steps.get(CLASSIFIER)
    if not isinstance(features, FeatureUnion) or not isinstance(svm, LinearSVC):
        raise NluError("the model's steps are not TF-IDF features and a LinearSVC")
    steps = [step for _, step in features.transformer_list]
    embeddings = steps.pop() if steps and isinstance(steps[-1], SentenceEmbeddings) else None
    vectorizers = tuple(steps)
    if not vectorizers or not all(isinstance(step, TfidfVectorizer) for step in vectorizers):
        raise NluError("the model's features are not TF-IDF vectorizers (and embeddings last)")
    fitted = hasattr(svm, "coef_") and all(hasattr(v, "idf_") for v in vectorizers)
    if not fitted or (embeddings is not None and not embeddings.is_fitted()):
        raise NluError("the model is not fitted")
    return PipelineParts(vectorizers, embeddings, svm)


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
