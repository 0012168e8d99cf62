"""Product matching: from what a customer wrote to the catalogue's products, with scores.

Every product is known by its SKU, its name, its aliases and, when one of those holds
every word of the canonical name of a playbook product lookup (``entities.yaml``), by all
of that lookup's synonyms too: "LED High-Bay 150W" (or a product aliased "LED high-bay")
is also found as "warehouse lights", and "Square D QO 20A Circuit Breaker" as "circuit
breakers". Only the canonical name links, never one of its synonyms: a lookup such as
"wiring device" lumps switches, dimmers and outlets together, and a GFCI outlet must not
be offered to someone asking for dimmers.
Texts are compared case-folded, punctuation ignored, each word made singular, with
`RapidFuzz <https://rapidfuzz.github.io/RapidFuzz/>`_ scoring on a 0-100 scale:

* the whole text against a phrase, in any word order and with small typos
  ("high bay LED", "LED higbays"), and with the spaces taken out ("highbay");
* the text as a part of a longer phrase ("QO120" in "Square D QO120 breaker"), scored
  between :data:`PART_FLOOR` and 100 by how much of the phrase it covers;
* an exact SKU ("hb-150" for ``HB-150``) scores 100.

A synonym from the playbook scores a few points below the product's own name or alias
(:data:`SYNONYM_PENALTY`) and never above :data:`SYNONYM_CAP`, under every part of the
product's own name: "100A breaker" prefers the breaker whose name says 100A over every
breaker the playbook lumps under "breaker". Products under :data:`MIN_SCORE` are not
matches.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from concierge.routing.catalogue import Product, ProductMatch

MIN_SCORE = 80.0
PART_FLOOR = 94.0
SYNONYM_PENALTY = 5.0
SYNONYM_CAP = 90.0
WORD_TYPO_SCORE = 85.0  # words longer than SHORT_WORD may differ this little
SHORT_WORD = 3  # words this short must match exactly
NON_WORD = re.compile(r"[^\w/.]+|_")


def singular(word: str) -> str:
    """``word`` made singular when it looks like an English plural."""
    if len(word) <= SHORT_WORD or not word.endswith("s"):
        return word
    if word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zes")):
        return word[:-2]
    return word[:-1]


def words(text: str) -> tuple[str, ...]:
    """The comparable words of ``text``: case-folded, singular, without punctuation."""
    return tuple(singular(word.strip(".")) for word in NON_WORD.sub(" ", text.casefold()).split())


def sku_key(sku: str) -> str:
    """How SKUs are compared: case-folded, without spaces or punctuation."""
    return re.sub(r"[\W_]+", "", sku.casefold())


@dataclass(frozen=True)
class Phrase:
    """One way of naming a product, prepared for comparison."""

    text: str
    words: tuple[str, ...]
    synonym: bool = False
    """True for a playbook synonym rather than the product's own name or alias."""

    def weigh(self, score: float) -> float:
        """``score`` as this phrase counts it: playbook synonyms count a little less."""
        return min(score - SYNONYM_PENALTY, SYNONYM_CAP) if self.synonym else score

    @property
    def spaced(self) -> str:
        """The words joined by spaces."""
        return " ".join(self.words)

    @property
    def joined(self) -> str:
        """The words run together ("highbay")."""
        return "".join(self.words)


def phrase(text: str, synonym: bool = False) -> Phrase:
    """A :class:`Phrase` for ``text``."""
    return Phrase(text, words(text), synonym)


def _word_matches(asked: str, known: str) -> bool:
    if len(asked) <= SHORT_WORD or len(known) <= SHORT_WORD:
        return asked == known
    return fuzz.ratio(asked, known) >= WORD_TYPO_SCORE


def part_score(asked: Sequence[str], known: Phrase) -> float:
    """How well ``asked`` names a part of a longer phrase (0 when it is not a part)."""
    if not asked or len(asked) >= len(known.words):
        return 0.0
    remaining = list(known.words)
    for word in asked:
        found = next((other for other in remaining if _word_matches(word, other)), None)
        if found is None:
            return 0.0
        remaining.remove(found)
    covered = sum(map(len, asked)) / max(1, sum(map(len, known.words)))
    return PART_FLOOR + (100.0 - PART_FLOOR) * covered


def names(known: Phrase, canonical: Phrase) -> bool:
    """True when ``known`` names a kind of ``canonical``: it holds all of its words.

    "LED High-Bay 150W" names an "LED high-bay", "Square D QO 20A Circuit Breaker" a
    "breaker"; a name written as one word counts too ("LED Highbay 150W").
    """
    if not canonical.words:
        return False
    if set(canonical.words) <= set(known.words):
        return True
    return len(canonical.words) > 1 and canonical.joined in known.joined


class ProductIndex:
    """Finds products by name, alias, SKU and playbook synonym (see the module docstring).

    Whole-phrase scores come from RapidFuzz's batch scorers over every phrase at once; part
    scores are computed only for phrases holding a close word for every word asked, found
    through an index from words to phrases, so a catalogue of thousands of products stays
    quick to search.
    """

    def __init__(
        self, products: Iterable[Product], synonyms: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        groups = [(phrase(name), (name, *variants)) for name, variants in (synonyms or {}).items()]
        self._products: list[Product] = []
        self._phrases: list[Phrase] = []
        self._owners: list[int] = []
        self._skus: dict[str, int] = {}
        self._by_word: dict[str, set[int]] = defaultdict(set)
        for product in products:
            self._skus.setdefault(sku_key(product.sku), len(self._products))
            for known in self._phrases_of(product, groups):
                for word in known.words:
                    self._by_word[word].add(len(self._phrases))
                self._phrases.append(known)
                self._owners.append(len(self._products))
            self._products.append(product)
        self._spaced = [known.spaced for known in self._phrases]
        self._joined = [known.joined for known in self._phrases]
        self._vocabulary = list(self._by_word)

    @staticmethod
    def _phrases_of(
        product: Product, groups: Sequence[tuple[Phrase, Sequence[str]]]
    ) -> list[Phrase]:
        own = [phrase(text) for text in (product.name, *product.aliases) if words(text)]
        mine = {known.words for known in own}
        linked = {
            text
            for canonical, group in groups
            if any(names(known, canonical) for known in own)
            for text in group
            if words(text) not in mine
        }
        return own + [phrase(text, synonym=True) for text in sorted(linked)]

    def linked(self, sku: str) -> list[str]:
        """Every phrase the product with ``sku`` is known by (empty for an unknown SKU)."""
        wanted = {index for index, product in enumerate(self._products) if product.sku == sku}
        return [
            known.text
            for known, owner in zip(self._phrases, self._owners, strict=True)
            if owner in wanted
        ]

    def _whole_scores(self, asked: Phrase) -> dict[int, float]:
        scores: dict[int, float] = {}
        for choices, query, scorer in (
            (self._spaced, asked.spaced, fuzz.token_sort_ratio),
            (self._joined, asked.joined, fuzz.ratio),
        ):
            found = process.extract(
                query, choices, scorer=scorer, limit=None, score_cutoff=MIN_SCORE
            )
            for _, score, index in found:
                scores[index] = max(scores.get(index, 0.0), score)
        return scores

    def _close_words(self, word: str) -> set[int]:
        """The phrases holding a word close enough to ``word``."""
        if len(word) <= SHORT_WORD:
            return set(self._by_word.get(word, ()))
        found = process.extract(
            word, self._vocabulary, scorer=fuzz.ratio, limit=None, score_cutoff=WORD_TYPO_SCORE
        )
        return set().union(*(self._by_word[close] for close, _, _ in found))

    def _part_scores(self, asked: Phrase) -> dict[int, float]:
        candidates = set.intersection(*(self._close_words(word) for word in asked.words))
        return {index: part_score(asked.words, self._phrases[index]) for index in candidates}

    def find(self, text: str) -> list[ProductMatch]:
        """Products matching ``text``, best first; ties keep the catalogue's order."""
        asked = phrase(text)
        if not asked.words:
            return []
        best: dict[int, tuple[float, str]] = {}
        exact = self._skus.get(sku_key(text))
        if exact is not None:
            best[exact] = (100.0, self._products[exact].sku)
        whole, part = self._whole_scores(asked), self._part_scores(asked)
        for index in whole.keys() | part.keys():
            known = self._phrases[index]
            score = known.weigh(max(whole.get(index, 0.0), part.get(index, 0.0)))
            owner = self._owners[index]
            if score >= MIN_SCORE and score > best.get(owner, (0.0, ""))[0]:
                best[owner] = (score, known.text)
        ranked = sorted(best.items(), key=lambda entry: (-entry[1][0], entry[0]))
        return [
            ProductMatch(self._products[owner], round(score, 1), matched)
            for owner, (score, matched) in ranked
        ]
