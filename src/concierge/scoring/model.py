"""A loaded scoring model: rules, caps, decay and labels, and how they turn facts into a Score.

Every rule that matches counts (there is no "first match" in scoring). Fit and engagement are
summed separately and each is clamped to ``-cap .. cap``. When a clamp trims a dimension, the
trimmed points are taken from the last matching rules of that sign (in file order), so the
points listed in ``Score.fired`` always add up to the dimension's value; a rule trimmed to
nothing is still listed, with 0 points and "(over the cap)" in its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from concierge.domain.decisions import Dimension, Facts, FiredRule, Score
from concierge.scoring.errors import ScoringProblem
from concierge.scoring.rules import Decay, ScoringRule, clamp

DIMENSIONS: tuple[Dimension, ...] = ("fit", "engagement")
OVER_CAP = " (over the cap)"


@dataclass(frozen=True)
class Label:
    """A score label and the lowest total that earns it (``None``: every total)."""

    label: str
    at_least: float | None = None

    def earned_by(self, total: float) -> bool:
        """True when ``total`` reaches this label's threshold."""
        return self.at_least is None or total >= self.at_least


def _trim(points: list[float], excess: float) -> list[float]:
    """Take ``excess`` away from the last values of its sign, latest first."""
    result = list(points)
    for index in reversed(range(len(result))):
        if excess == 0:
            break
        value = result[index]
        if value * excess <= 0:
            continue
        taken = min(value, excess) if excess > 0 else max(value, excess)
        result[index] = round(value - taken, 2)
        excess = round(excess - taken, 2)
    return result


def _fired(rule: ScoringRule, raw: float, points: float) -> FiredRule:
    reason = rule.reason + (OVER_CAP if points != raw else "")
    return FiredRule(rule=rule.name, dimension=rule.dimension, points=points, reason=reason)


def settle_dimension(matches: Sequence[tuple[ScoringRule, float]], cap: float) -> list[FiredRule]:
    """The fired rules of one dimension, with points rounded and trimmed to the cap."""
    raw = [round(points, 2) for _, points in matches]
    total = round(sum(raw), 2)
    settled = _trim(raw, round(total - clamp(total, cap), 2))
    return [
        _fired(rule, before, after)
        for (rule, _), before, after in zip(matches, raw, settled, strict=True)
    ]


@dataclass(frozen=True)
class ScoringModel:
    """Rules, caps, decay and labels from a scoring file; ``warnings`` are worth a look."""

    rules: tuple[ScoringRule, ...]
    caps: dict[Dimension, float]
    labels: tuple[Label, ...]
    decay: Decay = field(default_factory=Decay)
    warnings: tuple[ScoringProblem, ...] = field(default=())

    def score(self, facts: Facts) -> Score:
        """Score a lead: every matching rule's points, clamped per dimension, labelled."""
        fired: list[FiredRule] = []
        totals: dict[Dimension, float] = {}
        for dimension in DIMENSIONS:
            settled = settle_dimension(self._matches(facts, dimension), self.caps[dimension])
            totals[dimension] = round(sum(rule.points for rule in settled), 2)
            fired += settled
        total = round(totals["fit"] + totals["engagement"], 2)
        order = {rule.name: index for index, rule in enumerate(self.rules)}
        fired.sort(key=lambda rule: order[rule.rule])
        return Score(
            totals["fit"], totals["engagement"], total, self.label_for(total), tuple(fired)
        )

    def _matches(self, facts: Facts, dimension: Dimension) -> list[tuple[ScoringRule, float]]:
        found = []
        for rule in self.rules:
            if rule.dimension == dimension:
                points = rule.contribution(facts, self.decay)
                if points is not None:
                    found.append((rule, points))
        return found

    def label_for(self, total: float) -> str:
        """The first label (highest threshold first) that ``total`` earns."""
        for label in self.labels:
            if label.earned_by(total):
                return label.label
        return self.labels[-1].label
