"""The scikit-learn pipeline behind the intent classifier: TF-IDF, word vectors and a linear SVM.

Five views of the (already normalised) text, side by side in a FeatureUnion:

- words and adjacent word pairs (1-2 grams, sublinear tf): what the message is about;
- characters within word boundaries (``char_wb``, 2-5 grams, sublinear tf): robust to typos,
  plurals and word forms ("quote", "quotes", "qoute");
- :func:`word_pairs`: every unordered pair of word stems (a word's first four letters) up to
  ten words apart, so "my card has not arrived" and "has the card i ordered arrived" share
  ``arri card``. A linear model cannot combine two words on its own; these pairs let it;
- :func:`cluster_pairs`: the shipped word clusters of the words (:mod:`concierge.nlu.word_vectors`)
  and their pairs, so "my card never came" shares ``~arrive ~boxes`` with "card not arrived";
- :class:`~concierge.nlu.word_vectors.WordVectorEmbeddings`: the idf-weighted mean of the
  shipped word vectors, a dense block of 256 numbers, times :data:`WORD_VECTOR_WEIGHT`.

With the ``tfidf+embeddings`` feature set a sixth block follows: a sentence embedding
(:mod:`concierge.nlu.embeddings`), scaled by :data:`EMBEDDING_WEIGHT`.

A one-vs-rest LinearSVC separates the intents. The choice was made by 5-fold cross-validation
on BANKING77's training set only (BENCHMARKS.md, "Intent classifier: how the default pipeline
was chosen"): the word pairs raised accuracy from 0.902 to 0.911, the word clusters to 0.916
and the word vectors to 0.920, where C, n-gram ranges, ``char`` vs ``char_wb``, class weights,
Crammer-Singer, ridge, logistic regression and ensembles of several linear models all stayed
within 0.45 points of the plain pipeline.
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
from concierge.nlu.word_vectors import WordVectorEmbeddings, word_clusters

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
WORD_VECTOR_WEIGHT = 1.0

_WORD = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern

FloatArray = NDArray[np.float64]


def _pairs(tokens: list[str]) -> list[str]:
    """Unordered pairs of different tokens at most ``PAIR_WINDOW`` tokens apart."""
    pairs = []
    for index, first in enumerate(tokens):
        for second in tokens[index + 1 : index + 1 + PAIR_WINDOW]:
            if first != second:
                pairs.append(f"{first} {second}" if first < second else f"{second} {first}")
    return pairs


def word_pairs(text: str) -> list[str]:
    """Unordered pairs of word stems at most ``PAIR_WINDOW`` words apart, e.g. ``"arri card"``.

    A stem is a word's first ``STEM_LENGTH`` characters ("arrived" and "arrival" are both
    ``arri``); a stem is never paired with itself.
    """
    return _pairs([word[:STEM_LENGTH] for word in _WORD.findall(text)])


def cluster_pairs(text: str) -> list[str]:
    """The clusters of a text's words and their pairs, e.g. ``"~arrive"``, ``"~arrive ~boxes"``.

    Words outside the shipped clusters (:func:`~concierge.nlu.word_vectors.word_clusters`)
    are left out; pairs are unordered and at most ``PAIR_WINDOW`` known words apart.
    """
    clusters = word_clusters()
    names = [clusters[word] for word in _WORD.findall(text) if word in clusters]
    return names + _pairs(names)


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
        ("clusters", TfidfVectorizer(analyzer=cluster_pairs, sublinear_tf=True)),
        ("word_vectors", WordVectorEmbeddings(weight=WORD_VECTOR_WEIGHT)),
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


DenseBlock = WordVectorEmbeddings | SentenceEmbeddings
"""A feature block that is a dense vector per message rather than TF-IDF n-grams."""


@dataclass(frozen=True)
class PipelineParts:
    """The fitted pieces of a pipeline, checked to be the shape :func:`build_pipeline` makes."""

    vectorizers: tuple[TfidfVectorizer, ...]
    dense: tuple[DenseBlock, ...]
    svm: LinearSVC

    @property
    def features(self) -> FeatureSet:
        """The feature set these parts make."""
        sentence = any(isinstance(block, SentenceEmbeddings) for block in self.dense)
        return TFIDF_EMBEDDINGS if sentence else TFIDF

    @property
    def tfidf_width(self) -> int:
        """How many leading columns of the feature vector are TF-IDF n-grams."""
        return sum(len(vectorizer.vocabulary_) for vectorizer in self.vectorizers)


def _split_dense(steps: list[object]) -> tuple[list[object], tuple[DenseBlock, ...]]:
    """The leading steps and the dense blocks that end the list."""
    dense: list[DenseBlock] = []
    while steps:
        last = steps[-1]
        if not isinstance(last, WordVectorEmbeddings | SentenceEmbeddings):
            break
        dense.insert(0, last)
        steps.pop()
    return steps, tuple(dense)


def fitted_parts(pipeline: object) -> PipelineParts:
    """The vectorizers, dense blocks and SVM of a fitted pipeline; NluError for another shape.

    Also NluError when the model was fitted with other word vectors than the ones shipped
    with this Concierge: its features would no longer mean what they meant in training.
    """
    if not isinstance(pipeline, Pipeline) or len(pipeline.steps) != 2:
        raise NluError("the model is not a features + classifier pipeline")
    features, svm = pipeline.named_steps.get(FEATURES), pipeline.named_steps.get(CLASSIFIER)
    if not isinstance(features, FeatureUnion) or not isinstance(svm, LinearSVC):
        raise NluError("the model's steps are not TF-IDF features and a LinearSVC")
    steps, dense = _split_dense([step for _, step in features.transformer_list])
    vectorizers = tuple(steps)
    if not vectorizers or not all(isinstance(step, TfidfVectorizer) for step in vectorizers):
        raise NluError("the model's features are not TF-IDF vectorizers (then dense blocks)")
    fitted = hasattr(svm, "coef_") and all(hasattr(v, "idf_") for v in vectorizers)
    if not fitted or not all(block.is_fitted() for block in dense):
        raise NluError("the model is not fitted")
    stale = [b for b in dense if isinstance(b, WordVectorEmbeddings) and not b.is_current()]
    if stale:
        raise NluError("the model was trained with other word vectors than these: retrain it")
    return PipelineParts(vectorizers, dense, svm)


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
