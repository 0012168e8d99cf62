"""Examples of different intents that are nearly the same text.

Two examples are near-duplicates when either

- their words are the same once case, punctuation and a few little words (``a``, ``the``,
  ``my``, ``is``, ``please`` ...) are set aside, in the same order ("Has my top up gone
  through?" and "Has my top-up gone through"); or
- the cosine similarity of their word TF-IDF vectors (single words and pairs of neighbouring
  words, so word order counts a little) is at least :data:`SIMILARITY` (0.9).

0.9 was chosen on BANKING77 (10,003 examples, 77 intents, written by different people): at 0.9
every flagged pair differs only by punctuation, a little word or a word like "yet"; at 0.85
about half the pairs differ by the thing asked about ("I haven't received my card" /
"... my pin"), which are different requests sharing a sentence pattern, not duplicates.

Finding every pair above a cosine threshold without comparing all pairs uses prefix filtering
(Bayardo, Ma and Srikant, "Scaling up all pairs similarity search", WWW 2007): a vector's
most common words can add at most their norm to a dot product, so a pair reaching the
threshold must share one of each vector's rarer words. Only those rarer parts are multiplied
against the matrix, in chunks of rows, and the few candidate pairs are then scored exactly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse  # type: ignore[import-untyped, unused-ignore]
from sklearn.feature_extraction.text import (  # type: ignore[import-untyped, unused-ignore]
    TfidfVectorizer,
)

from concierge.nlu.text import normalise_text

SIMILARITY = 0.9
CHUNK_ROWS = 1000
LITTLE_WORDS = frozenset({
    "a", "an", "the", "my", "your", "our", "their", "his", "her", "its", "this", "that",
    "these", "those", "i", "we", "me", "it", "is", "are", "was", "were", "be", "been", "am",
    "do", "does", "did", "just", "please", "pls", "some", "any", "so",
})  # fmt: skip
_NOT_WORD = re.compile(r"[\W_]+")
_SLACK = 1e-5  # float32 rounding: 0.9 computed as 0.89999 must still count


@dataclass(frozen=True)
class NearDuplicate:
    """Two examples (indexes into the texts given) of different intents that read alike."""

    first: int
    second: int
    similarity: float
    same_words: bool = False


def words(text: str) -> list[str]:
    """``text`` as lower-case words without punctuation ("top-up?" → ["top", "up"])."""
    return _NOT_WORD.sub(" ", normalise_text(text)).split()


def near_duplicates(
    texts: Sequence[str], intents: Sequence[str], threshold: float = SIMILARITY
) -> list[NearDuplicate]:
    """Every pair of examples of different intents that are nearly the same text, once.

    ``intents[i]`` is the intent of ``texts[i]``. Pairs come most similar first; pairs with
    the same words (see the module docstring) count as similarity 1.
    """
    tokens = [words(text) for text in texts]
    found: dict[tuple[int, int], NearDuplicate] = {}
    for pair in _same_words(tokens, intents):
        found[(pair.first, pair.second)] = pair
    for pair in _similar(tokens, intents, threshold):
        found.setdefault((pair.first, pair.second), pair)
    return sorted(found.values(), key=lambda pair: (-pair.similarity, pair.first, pair.second))


def _same_words(tokens: Sequence[list[str]], intents: Sequence[str]) -> Iterator[NearDuplicate]:
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, example in enumerate(tokens):
        key = tuple(word for word in example if word not in LITTLE_WORDS)
        if key:
            groups[key].append(index)
    for members in groups.values():
        for position, first in enumerate(members):
            for second in members[position + 1 :]:
                if intents[first] != intents[second]:
                    yield NearDuplicate(first, second, 1.0, same_words=True)


def _vectors(tokens: Sequence[list[str]]) -> Any:
    """L2-normalised word (1-2 gram) TF-IDF rows, or None when no example has a word."""
    vectorizer = TfidfVectorizer(
        lowercase=False,
        token_pattern=r"\S+",  # noqa: S106 (a regular expression, not a password)
        ngram_range=(1, 2),
        sublinear_tf=True,
    )
    try:
        matrix = vectorizer.fit_transform([" ".join(example) for example in tokens])
    except ValueError:  # empty vocabulary: nothing but punctuation
        return None
    return sparse.csr_matrix(matrix, dtype=np.float32)


def _rare_parts(matrix: Any, threshold: float) -> tuple[Any, NDArray[np.float64]]:
    """Each row without its most common words, and the norm of what was left out.

    Words are dropped, most common first, while their squared weights add up to less than
    ``threshold``²; whatever is dropped can add less than ``threshold`` to a dot product.
    """
    counts = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(matrix.shape[0]), counts)
    frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    order = np.lexsort((-frequency[matrix.indices], rows))
    squares = matrix.data[order].astype(np.float64) ** 2
    running = np.cumsum(squares)
    before_row = np.concatenate(([0.0], running))[matrix.indptr[:-1]]
    within_row = running - np.repeat(before_row, counts)
    common = np.zeros(len(squares), dtype=bool)
    common[order] = within_row < threshold * threshold
    dropped = np.where(common, matrix.data.astype(np.float64) ** 2, 0.0)
    dropped_norm = np.sqrt(np.bincount(rows, weights=dropped, minlength=matrix.shape[0]))
    rare = sparse.csr_matrix(
        (np.where(common, 0, matrix.data), matrix.indices.copy(), matrix.indptr.copy()),
        shape=matrix.shape,
    )
    rare.eliminate_zeros()
    return rare, dropped_norm


def _similar(
    tokens: Sequence[list[str]], intents: Sequence[str], threshold: float
) -> Iterator[NearDuplicate]:
    matrix = _vectors(tokens)
    if matrix is None:
        return
    labels = np.unique(np.asarray(intents), return_inverse=True)[1]
    rare, dropped_norm = _rare_parts(matrix, threshold)
    columns = matrix.T.tocsr()
    for start in range(0, matrix.shape[0], CHUNK_ROWS):
        partial = (rare[start : start + CHUNK_ROWS] @ columns).tocoo()
        first, second = partial.row + start, partial.col
        keep = labels[first] != labels[second]
        keep &= partial.data + dropped_norm[first] >= threshold - _SLACK
        yield from _scored(matrix, first[keep], second[keep], threshold)


def _scored(
    matrix: Any, first: NDArray[np.int_], second: NDArray[np.int_], threshold: float
) -> Iterator[NearDuplicate]:
    """The candidate pairs whose exact cosine reaches ``threshold``, lower index first."""
    if not len(first):
        return
    cosine = np.asarray(matrix[first].multiply(matrix[second]).sum(axis=1)).ravel()
    hit = cosine >= threshold - _SLACK
    low, high = np.minimum(first[hit], second[hit]), np.maximum(first[hit], second[hit])
    for one, other, value in zip(low, high, cosine[hit], strict=True):
        yield NearDuplicate(int(one), int(other), min(float(value), 1.0))
