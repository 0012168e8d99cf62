"""Playbook lookups: every way a customer may write a canonical value, matched by token.

Each name and synonym is matched case-insensitively (a spaCy PhraseMatcher on ``LOWER``),
together with generated variants: its singular or plural ("high-bays" for "high-bay"), and,
for phrases of up to three words, every way of joining the words with a space, a hyphen or
nothing ("high bay", "high-bay", "highbay"). A phrase the designer wrote always wins over a
generated variant; a variant two canonical names would both generate is dropped. When two
lookup types match the same words, the type declared first wins and the other reading is
kept in ``attributes["alternatives"]``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from concierge.nlu.entity_spans import PRIORITY, Candidate
from concierge.nlu.entity_spec import LookupValue

MAX_JOINED_GAPS = 2  # phrases with more gaps only swap their hyphens
LAST_WORD = re.compile(r"[A-Za-z]+$")
GAP = re.compile(r"[ \t-]+")


def plural(word: str) -> str | None:
    """The English plural of a singular noun (None when ``word`` already looks plural)."""
    lower = word.lower()
    if len(lower) < 2 or singular(word) is not None:
        return None
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def singular(word: str) -> str | None:
    """The singular of a plural noun (None when ``word`` does not look plural)."""
    lower = word.lower()
    if len(lower) <= 3 or not lower.endswith("s") or lower.endswith(("ss", "us", "is")):
        return None
    if lower.endswith("ies"):
        return word[:-3] + "y"
    if lower.endswith(("ches", "shes", "xes", "zes", "sses")):
        return word[:-2]
    return word[:-1]


def inflections(phrase: str) -> list[str]:
    """``phrase`` and the phrase with its last word made plural or singular."""
    found = LAST_WORD.search(phrase)
    if found is None:
        return [phrase]
    word = found.group()
    other = singular(word) or plural(word)
    return [phrase] if other is None else [phrase, phrase[: found.start()] + other]


def spellings(phrase: str) -> set[str]:
    """``phrase`` with its words joined by space, hyphen or nothing."""
    words = GAP.split(phrase.strip())
    gaps = GAP.findall(phrase.strip())
    choices: list[tuple[str, ...]]
    if len(gaps) <= MAX_JOINED_GAPS:
        choices = [(" ", "-", "")] * len(gaps)
    else:
        choices = [(" ", "-", "") if "-" in gap else (" ",) for gap in gaps]
    found = set()
    for joins in itertools.product(*choices):
        found.add(
            words[0] + "".join(join + word for join, word in zip(joins, words[1:], strict=True))
        )
    return found


def variants(phrase: str) -> set[str]:
    """Every generated way of writing ``phrase`` (the phrase itself included)."""
    return {spelling for form in inflections(phrase) for spelling in spellings(form)}


def _key(doc: Doc) -> str:
    return " ".join(token.lower_ for token in doc)


def _phrase_table(nlp: Language, values: Iterable[LookupValue]) -> dict[str, tuple[str, Doc]]:
    """Token key -> (canonical name, pattern doc) for one lookup type."""
    written: dict[str, tuple[str, Doc]] = {}
    generated: dict[str, tuple[str | None, Doc]] = {}
    for value in values:
        for phrase in value.phrases:
            doc = nlp.make_doc(phrase)
            written.setdefault(_key(doc), (value.name, doc))
            for variant in variants(phrase):
                doc = nlp.make_doc(variant)
                owner = generated.setdefault(_key(doc), (value.name, doc))[0]
                if owner != value.name:
                    generated[_key(doc)] = (None, doc)
    table = {key: (name, doc) for key, (name, doc) in generated.items() if name is not None}
    table.update(written)
    return {key: entry for key, entry in table.items() if key}


class LookupMatcher:
    """Finds every playbook lookup in a tokenized message."""

    def __init__(self, nlp: Language, lookups: Mapping[str, Iterable[LookupValue]]) -> None:
        self._matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._targets: dict[int, tuple[int, str, str]] = {}  # id -> (type's rank, type, name)
        for rank, (kind, values) in enumerate(lookups.items()):
            self._add_type(nlp, rank, kind, values)

    def _add_type(self, nlp: Language, rank: int, kind: str, values: Iterable[LookupValue]) -> None:
        by_name: dict[str, list[Doc]] = {}
        for name, doc in _phrase_table(nlp, values).values():
            by_name.setdefault(name, []).append(doc)
        for name, docs in by_name.items():
            label = f"{kind}\x1f{name}"
            self._matcher.add(label, docs)
            self._targets[nlp.vocab.strings[label]] = (rank, kind, name)

    def find(self, doc: Doc) -> list[Candidate]:
        """A candidate for every match, overlapping ones included.

        Matches of the same span come in the order their types are declared, so the first
        declared type wins a tie.
        """
        matches = sorted(
            (start, end, self._targets[match_id]) for match_id, start, end in self._matcher(doc)
        )
        return [
            Candidate(
                kind,
                name,
                doc[start].idx,
                doc[end - 1].idx + len(doc[end - 1].text),
                PRIORITY["lookup"],
            )
            for start, end, (_, kind, name) in matches
        ]
