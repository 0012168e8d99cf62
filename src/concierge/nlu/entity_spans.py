"""Candidate entity spans, and choosing the non-overlapping set to report.

Every finder proposes candidates; overlapping ones are settled here: the longer span wins,
then the more specific type (``priority``), then the earlier one. A candidate that loses to
another with exactly the same span is kept as an alternative reading in the winner's
``attributes["alternatives"]`` (``[{"type": ..., "value": ...}]``), so a flow that expects a
postal code can still find one in "97201" read first as something else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from concierge.domain.understanding import Entity

# Higher wins when two candidates cover spans of the same length.
PRIORITY = {
    "pattern": 70,
    "email": 60,
    "phone": 50,
    "date": 40,
    "money": 30,
    "unit_quantity": 28,
    "postal_code": 25,
    "lookup": 20,
    "quantity": 10,
}


@dataclass(frozen=True)
class Candidate:
    """A possible entity: ``start``/``end`` index the original message."""

    type: str
    value: Any
    start: int
    end: int
    priority: int
    attributes: dict[str, Any] = field(default_factory=dict)

    def overlaps(self, other: Candidate) -> bool:
        """True when the two spans share at least one character."""
        return self.start < other.end and other.start < self.end

    def to_entity(self, text: str, alternatives: list[Candidate]) -> Entity:
        """The Entity for this span of ``text``, with the same-span readings it beat."""
        attributes = dict(self.attributes)
        if alternatives:
            attributes["alternatives"] = [{"type": c.type, "value": c.value} for c in alternatives]
        return Entity(
            self.type, self.value, text[self.start : self.end], self.start, self.end, attributes
        )


def _rank(candidate: Candidate) -> tuple[int, int, int]:
    return (candidate.start - candidate.end, -candidate.priority, candidate.start)


def _alternative_readings(winner: Candidate, losers: list[Candidate]) -> list[Candidate]:
    seen = {(winner.type, repr(winner.value))}
    readings = []
    for loser in losers:
        key = (loser.type, repr(loser.value))
        if (loser.start, loser.end) == (winner.start, winner.end) and key not in seen:
            seen.add(key)
            readings.append(loser)
    return readings


def resolve(text: str, candidates: list[Candidate]) -> list[Entity]:
    """The non-overlapping entities to report, sorted by start."""
    chosen: list[Candidate] = []
    beaten: dict[int, list[Candidate]] = {}
    for candidate in sorted(candidates, key=_rank):
        rival = next((kept for kept in chosen if kept.overlaps(candidate)), None)
        if rival is None:
            chosen.append(candidate)
        else:
            beaten.setdefault(id(rival), []).append(candidate)
    chosen.sort(key=lambda candidate: candidate.start)
    return [
        winner.to_entity(text, _alternative_readings(winner, beaten.get(id(winner), [])))
        for winner in chosen
    ]
