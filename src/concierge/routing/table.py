"""A loaded routing table: teams, ordered rules and the default, and how a route is decided.

Routing receives the same :class:`Facts` as scoring plus, optionally, the :class:`Score`
just computed. The score is offered to conditions as slots: ``score_label``,
``score_total``, ``score_fit`` and ``score_engagement`` are merged into the slots view the
rules see (they win over answers of the same name), so a rule can say
``{slot: score_label, equals: hot}`` or ``{slot: score_total, at_least: 60}``.

Rules are tried in file order and the first that matches wins; when none does, the
explicit default applies (its rule name is ``default``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from concierge.conditions import Condition
from concierge.domain.decisions import Facts, RouteDecision, Score, SlaTier
from concierge.routing.hours import OfficeHours
from concierge.routing.sla import first_response_due
from concierge.routing.wording import Audience, closed_message, open_message

DEFAULT_RULE = "default"

NEXT_TEAM, QUEUE, OFFER_MEETING, CAPTURE_CONTACT = (
    "next_team",
    "queue",
    "offer_meeting",
    "capture_contact",
)
LADDER_STEPS = (NEXT_TEAM, QUEUE, OFFER_MEETING, CAPTURE_CONTACT)
DEFAULT_LADDER: tuple[str, ...] = (QUEUE,)
"""What happens when nobody of the rule's team is available, in order, until a step lands:
``next_team`` (the first of ``fallback_teams`` with someone available), ``offer_meeting``
(a meeting the team hosts; "None of these" goes on), ``capture_contact`` (email or phone when
the contact has neither), ``queue`` (the team's queue, not a person; always lands)."""


@dataclass(frozen=True)
class Agent:
    """A person on a team (an Intercom admin) who can be assigned conversations.

    ``working_hours`` are in the agent's own timezone; ``None`` means the agent has no hours
    of their own (always working). ``max_open`` caps their open conversations (``None``: no
    cap); ``weight`` is their share of the team's round robin (2 takes twice as many as 1).
    """

    admin_id: str
    name: str
    zone: ZoneInfo
    working_hours: OfficeHours | None = None
    max_open: int | None = None
    weight: int = 1


@dataclass(frozen=True)
class MeasuredReply:
    """The expected reply time measured from our own records: the median first response of
    the team's hand-offs over the last ``days`` days, or ``fallback`` with fewer than
    ``minimum_samples`` answered hand-offs."""

    fallback: str
    days: int = 7
    minimum_samples: int = 5


@dataclass(frozen=True)
class Team:
    """A team conversations can be handed to; no office hours means always open.

    ``expected_reply`` is what the customer is told while the team is open; for a measured
    reply time it is the fallback text, and ``measured_reply`` says how to measure.
    """

    key: str
    name: str
    zone: ZoneInfo
    intercom_team_id: str | None = None
    office_hours: OfficeHours | None = None
    expected_reply: str | None = None
    agents: tuple[Agent, ...] = ()
    measured_reply: MeasuredReply | None = None

    def is_open(self, at: datetime) -> bool:
        """True when the team is open at ``at``."""
        return self.office_hours is None or self.office_hours.is_open(at)

    def agent(self, admin_id: str) -> Agent | None:
        """The team's agent with this Intercom admin id, if they are on the team."""
        return next((agent for agent in self.agents if agent.admin_id == admin_id), None)


@dataclass(frozen=True)
class RoutingRule:
    """A hand-off rule; ``condition`` ``None`` matches every conversation."""

    name: str
    team: str
    sla: SlaTier
    condition: Condition | None = None
    priority: bool = False
    tags: tuple[str, ...] = ()
    fallback_teams: tuple[str, ...] = ()
    when_nobody_available: tuple[str, ...] = DEFAULT_LADDER

    def matches(self, facts: Facts) -> bool:
        """True when this rule applies to ``facts``."""
        return self.condition is None or self.condition.holds(facts)

    def describe(self) -> str:
        """Why this rule matched, in words."""
        if self.name == DEFAULT_RULE:
            return "no rule matched; the default applies"
        return "every conversation" if self.condition is None else self.condition.describe()


def with_score(facts: Facts, score: Score | None) -> Facts:
    """``facts`` with the score merged into the slots (see the module docstring)."""
    if score is None:
        return facts
    extra = {
        "score_label": score.label,
        "score_total": score.total,
        "score_fit": score.fit,
        "score_engagement": score.engagement,
    }
    return replace(facts, slots={**facts.slots, **extra})


def customer_zone(name: str | None) -> ZoneInfo | None:
    """The customer's timezone from an IANA name; ``None`` when absent or unknown."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@dataclass(frozen=True)
class RoutingTable:
    """Teams, ordered rules and the default from a routing file."""

    zone: ZoneInfo
    teams: dict[str, Team]
    rules: tuple[RoutingRule, ...]
    default: RoutingRule

    def match(self, facts: Facts, score: Score | None = None) -> RoutingRule:
        """The first rule that matches, else the default."""
        view = with_score(facts, score)
        return next((rule for rule in self.rules if rule.matches(view)), self.default)

    def decide(
        self, facts: Facts, score: Score | None = None, customer_timezone: str | None = None
    ) -> RouteDecision:
        """Where the conversation goes, when a reply is due, and what the customer is told.

        ``facts.now`` must be timezone-aware. ``open_now`` is whether the team is open at
        ``facts.now``; ``next_open`` is ``None`` when it is open (or has no office hours), else
        the next opening in the team's timezone, or ``None`` if none within 14 days.
        ``customer_timezone`` (an IANA name, e.g. from the Intercom contact) adds the opening
        time in the customer's zone to the message; an unknown name is ignored.
        """
        return self.decide_by(self.match(facts, score), facts, customer_timezone)

    def decide_for_team(
        self,
        team: str,
        facts: Facts,
        score: Score | None = None,
        *,
        rule_name: str = "explicit_handoff",
        customer_timezone: str | None = None,
    ) -> RouteDecision:
        """Route to ``team`` (an intent's hand-off, or an agent's re-route).

        The SLA tier and priority are those of the first rule for that team that matches,
        else the default's tier without priority.
        """
        return self.decide_by(
            self.rule_for_team(team, facts, score, rule_name), facts, customer_timezone
        )

    def rule_for_team(
        self,
        team: str,
        facts: Facts,
        score: Score | None = None,
        rule_name: str = "explicit_handoff",
    ) -> RoutingRule:
        """The rule a hand-off to ``team`` follows: named ``rule_name``, with the SLA, priority,
        tags, fallback teams and ladder of the first rule for that team that matches (else the
        default's SLA and ladder, without priority)."""
        if team not in self.teams:
            raise KeyError(f"unknown team {team!r}; known: {', '.join(sorted(self.teams))}")
        view = with_score(facts, score)
        matching = next((r for r in self.rules if r.team == team and r.matches(view)), None)
        if matching is None:
            return RoutingRule(
                name=rule_name,
                team=team,
                sla=self.default.sla,
                when_nobody_available=self.default.when_nobody_available,
            )
        return replace(matching, name=rule_name, condition=None)

    def decide_by(
        self, rule: RoutingRule, facts: Facts, customer_timezone: str | None = None
    ) -> RouteDecision:
        """The decision for a chosen rule (see :meth:`decide`)."""
        team = self.teams[rule.team]
        now = facts.now
        open_now = team.is_open(now)
        hours = team.office_hours
        next_open = None if open_now or hours is None else hours.next_open(now)
        due, basis = first_response_due(now, rule.sla, hours, team.zone)
        audience = Audience(team.name, team.zone, customer_zone(customer_timezone))
        return RouteDecision(
            team=team.key,
            intercom_team_id=team.intercom_team_id,
            rule=rule.name,
            priority=rule.priority,
            sla_tier=rule.sla,
            first_response_due=due,
            open_now=open_now,
            next_open=next_open,
            customer_message=_customer_message(team, audience, now, next_open),
            tags=rule.tags,
            details=_details(rule, team, basis, next_open, customer_timezone),
        )


def _customer_message(
    team: Team, audience: Audience, now: datetime, next_open: datetime | None
) -> str:
    """What the customer is told: the reply promise when open, when we are back otherwise."""
    if team.is_open(now):
        return open_message(audience, team.expected_reply)
    return closed_message(audience, now, next_open)


def _details(
    rule: RoutingRule, team: Team, basis: str, next_open: datetime | None, customer: str | None
) -> dict[str, str]:
    details = {
        "team_name": team.name,
        "reason": rule.describe(),
        "timezone": team.zone.key,
        "office_hours": "set" if team.office_hours else "always open",
        "due_counted_in": basis,
        "next_open": next_open.isoformat() if next_open else "",
    }
    if customer is not None:
        known = customer_zone(customer) is not None
        details["customer_timezone"] = customer if known else f"{customer} (unknown, ignored)"
    return details
