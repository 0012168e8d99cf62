"""One scoring rule: when it matches, and how many points it gives after decay and its cap.

Decay applies to engagement rules whose condition looks at events (``{event: ...}`` leaves
outside a ``not``): their points fade as ``points * 0.5 ** (age_days / half_life_days)``.
A ``per_event`` rule earns its points once for every matching event, each fading with its
own age; any other event rule fades with the age of the most recent matching event. Fit
rules, and engagement rules that look only at slots, the contact or the intent, never decay:
they describe the present, not something that happened.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from concierge.conditions import Condition
from concierge.domain.decisions import Dimension, Facts

SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class Decay:
    """How fast event points fade; ``None`` half-life means they never do."""

    half_life_days: float | None = None

    def factor(self, age: timedelta) -> float:
        """The share of its points an event keeps at this age (1.0 when fresh or in the future)."""
        if self.half_life_days is None:
            return 1.0
        age_days = max(age.total_seconds(), 0.0) / SECONDS_PER_DAY
        return float(0.5 ** (age_days / self.half_life_days))


def event_windows(condition: Condition) -> list[tuple[str, float]]:
    """The events a condition asks for (name, within_days), ignoring those under ``not``."""
    if condition.kind == "not":
        return []
    if condition.kind == "event":
        return [(condition.subject, float(condition.expected))]
    return [window for child in condition.children for window in event_windows(child)]


def _in_window(name: str, when: datetime, now: datetime, windows: list[tuple[str, float]]) -> bool:
    return any(name == wanted and now - when <= timedelta(days=days) for wanted, days in windows)


def matching_event_times(condition: Condition, facts: Facts) -> list[datetime]:
    """When each event the condition asks for happened, for events inside its window."""
    windows = event_windows(condition)
    return [when for name, when in facts.events if _in_window(name, when, facts.now, windows)]


def clamp(value: float, limit: float) -> float:
    """``value`` kept within ``-limit .. limit``."""
    return max(-limit, min(limit, value))


@dataclass(frozen=True)
class ScoringRule:
    """A rule from the scoring file, parsed and checked."""

    name: str
    dimension: Dimension
    points: float
    condition: Condition
    reason: str
    per_event: bool = False
    cap: float | None = None

    @property
    def reads_events(self) -> bool:
        """True when the condition asks for events (so its points may decay)."""
        return bool(event_windows(self.condition))

    def contribution(self, facts: Facts, decay: Decay) -> float | None:
        """Points this rule gives for these facts, or ``None`` when it does not match."""
        if not self.condition.holds(facts):
            return None
        raw = self._decayed_points(facts, decay)
        return raw if self.cap is None else clamp(raw, self.cap)

    def _decayed_points(self, facts: Facts, decay: Decay) -> float:
        if self.dimension == "fit":
            return self.points
        moments = matching_event_times(self.condition, facts)
        if not moments:
            return self.points
        if self.per_event:
            return sum(self.points * decay.factor(facts.now - moment) for moment in moments)
        return self.points * decay.factor(facts.now - max(moments))

    def bounds(self) -> tuple[float, float]:
        """The fewest and most points this rule can ever give (0 when it does not match)."""
        reach = math.inf if self.per_event else abs(self.points)
        if self.cap is not None:
            reach = min(reach, self.cap)
        if self.points < 0:
            return -reach, 0.0
        return 0.0, reach if self.points > 0 else 0.0
