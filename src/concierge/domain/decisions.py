"""Scores and routes: decisions the bot records so an agent or auditor can ask "why?"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Dimension = Literal["fit", "engagement"]
SlaTier = Literal["critical", "high", "medium", "low"]


@dataclass(frozen=True)
class FiredRule:
    """A scoring rule that matched, with the points it contributed (after caps and decay)."""

    rule: str
    dimension: Dimension
    points: float
    reason: str


@dataclass(frozen=True)
class Score:
    """A lead score: fit and engagement points, their total, the label, and why."""

    fit: float
    engagement: float
    total: float
    label: str
    fired: tuple[FiredRule, ...] = ()

    def top_reasons(self, count: int = 3) -> tuple[FiredRule, ...]:
        """The rules that moved the score most, biggest absolute points first."""
        return tuple(sorted(self.fired, key=lambda rule: -abs(rule.points))[:count])


@dataclass(frozen=True)
class RouteDecision:
    """Where a conversation goes, by which rule, and what the customer is told."""

    team: str
    intercom_team_id: str | None
    rule: str
    priority: bool
    sla_tier: SlaTier
    first_response_due: datetime
    open_now: bool
    next_open: datetime | None
    customer_message: str
    tags: tuple[str, ...] = ()
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Facts:
    """Everything scoring rules, routing rules and flow conditions may look at.

    ``slots`` are the answers collected so far (normalised values); ``contact`` holds the
    contact's attributes, custom ones included (values may be comma-separated strings);
    ``events`` are recent things the customer did, with when, for engagement and decay.
    """

    now: datetime
    intent: str | None = None
    slots: Mapping[str, Any] = field(default_factory=dict)
    contact: Mapping[str, Any] = field(default_factory=dict)
    events: tuple[tuple[str, datetime], ...] = ()


def score_to_json(score: Score) -> dict[str, Any]:
    """The score as stored with the conversation and in decision records."""
    return {
        "fit": score.fit,
        "engagement": score.engagement,
        "total": score.total,
        "label": score.label,
        "fired": [
            {"rule": r.rule, "dimension": r.dimension, "points": r.points, "reason": r.reason}
            for r in score.fired
        ],
    }


def route_to_json(route: RouteDecision) -> dict[str, Any]:
    """The route as stored with the conversation and in decision records."""
    return {
        "team": route.team,
        "intercom_team_id": route.intercom_team_id,
        "rule": route.rule,
        "priority": route.priority,
        "sla_tier": route.sla_tier,
        "first_response_due": route.first_response_due.isoformat(),
        "open_now": route.open_now,
        "next_open": route.next_open.isoformat() if route.next_open else None,
        "customer_message": route.customer_message,
        "tags": list(route.tags),
        "details": dict(route.details),
    }
