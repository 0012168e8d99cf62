"""Hand-off: assign to the routed team, brief it in an internal note, tag, update the contact,
and tell the customer honestly what happens next.

When nobody of the routed team is available (everyone away, off shift or at their cap, or the
team closed), the routing rule's ladder (``when_nobody_available``) says what happens instead;
:func:`climb` picks the rung from what the runtime saw (:class:`Staffing`). Everything here is
pure: the runtime reads the directory and our records, and resolves who gets the assignment.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from concierge.domain.actions import Action, Assign, Reply, Tag, UpdateContact
from concierge.domain.conversation import AuthorKind, Message
from concierge.domain.decisions import RouteDecision, Score
from concierge.routing.agents import TeamAvailability
from concierge.routing.table import (
    CAPTURE_CONTACT,
    NEXT_TEAM,
    OFFER_MEETING,
    QUEUE,
    RoutingRule,
)

ASSIGN = "assign"
"""The rung when the routed team has someone available: a normal hand-off."""

TRANSCRIPT_LINES = 12
SPEAKERS = {AuthorKind.CUSTOMER: "Customer", AuthorKind.BOT: "Bot", AuthorKind.ADMIN: "Agent"}


@dataclass(frozen=True)
class Briefing:
    """Everything the receiving team should know, gathered by the bot."""

    reason: str
    route: RouteDecision
    score: Score | None = None
    intent: str | None = None
    confidence: float | None = None
    answers: Mapping[str, Any] = field(default_factory=dict)
    transcript: Sequence[Message] = ()
    contact_id: str | None = None
    tags: Sequence[str] = ()
    contact_attributes: Mapping[str, str | int | float | bool | None] = field(default_factory=dict)
    customer_message: str | None = None
    availability: str | None = None


def _line(text: str) -> str:
    return html.escape(text, quote=False)


def _score_lines(score: Score | None) -> list[str]:
    if score is None:
        return ["Score: not scored"]
    parts = f"fit {score.fit:g}, engagement {score.engagement:g}"
    lines = [f"Score: {score.total:g} ({score.label}) — {parts}"]
    lines += [f"{rule.points:+g} {rule.rule}: {rule.reason}" for rule in score.top_reasons(5)]
    return lines


def _route_lines(route: RouteDecision) -> list[str]:
    due = route.first_response_due.strftime("%a %d %b %H:%M %Z").strip()
    priority = " · priority" if route.priority else ""
    return [
        f"Route: {route.team} by rule '{route.rule}'{priority}",
        f"SLA {route.sla_tier}: first response due {due}",
        "Team open now" if route.open_now else "Team closed now",
    ]


def _transcript_lines(messages: Sequence[Message]) -> list[str]:
    recent = list(messages)[-TRANSCRIPT_LINES:]
    return [f"{SPEAKERS[m.author]}: {m.text}" for m in recent if m.text]


def note_body(briefing: Briefing) -> str:
    """The internal note for the team, as Intercom note HTML (customer text escaped)."""
    intent = briefing.intent or "not understood"
    confidence = f" ({briefing.confidence:.2f})" if briefing.confidence is not None else ""
    sections = [
        [f"Concierge hand-off: {briefing.reason}", f"Intent: {intent}{confidence}"],
        _route_lines(briefing.route)
        + ([f"Availability: {briefing.availability}"] if briefing.availability else []),
        _score_lines(briefing.score),
        ["Answers:"] + [f"{name}: {value}" for name, value in briefing.answers.items()],
        ["Transcript:", *_transcript_lines(briefing.transcript)],
    ]
    return "".join(
        "<p>" + "<br>".join(_line(line) for line in lines) + "</p>" for lines in sections
    )


def _unique(tags: Sequence[str]) -> list[str]:
    seen: list[str] = []
    for tag in tags:
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def handoff_actions(briefing: Briefing) -> list[Action]:
    """Tell the customer, assign, brief the team, tag, and write the lead to the contact."""
    route = briefing.route
    actions: list[Action] = [Reply(body=briefing.customer_message or route.customer_message)]
    if route.intercom_team_id:
        actions.append(Assign(assignee_id=route.intercom_team_id, assignee_type="team"))
    actions.append(Reply(body=note_body(briefing), message_type="note"))
    actions += [Tag(name=tag) for tag in _unique([*route.tags, *briefing.tags])]
    if briefing.contact_id and briefing.contact_attributes:
        actions.append(UpdateContact(briefing.contact_id, dict(briefing.contact_attributes)))
    return actions


# --- who is available, and the ladder when nobody is -----------------------------------


@dataclass(frozen=True)
class Staffing:
    """Each team's availability as the runtime saw it before the turn (team key → what was
    seen). A team missing here counts as available: the hand-off goes as it always did."""

    teams: Mapping[str, TeamAvailability] = field(default_factory=dict)

    def seen(self, team: str) -> TeamAvailability | None:
        """What was seen of ``team``, if anything."""
        return self.teams.get(team)

    def available(self, team: str) -> bool:
        """True when ``team`` is open and someone of it can take a conversation now (a team
        without agents in the playbook only needs to be open)."""
        seen = self.teams.get(team)
        if seen is None:
            return True
        return seen.open_now and (bool(seen.online) or not seen.agents)

    def why_not(self, team: str) -> str:
        """Why nobody of ``team`` can take it, in words for the team's note."""
        seen = self.teams.get(team)
        if seen is None:
            return ""
        people = "; ".join(f"{agent.name}: {agent.reason}" for agent in seen.agents)
        closed = "" if seen.open_now else "team closed; "
        return f"{seen.team_name}: {closed}{people or 'no agents listed'}"


@dataclass(frozen=True)
class Rung:
    """Where the ladder landed: ``kind`` is ASSIGN, or a step of the rule's ladder; ``team``
    takes the conversation (the fallback team for next_team); ``index`` is the step's place
    in the ladder (resume after it), ``len(ladder)`` when the ladder ran out (the queue)."""

    kind: str
    team: str
    index: int


def climb(
    rule: RoutingRule,
    staffing: Staffing,
    *,
    start: int = 0,
    hosts_meeting: bool = False,
    has_contact: bool = True,
) -> Rung:
    """The first rung that lands for ``rule`` from step ``start`` of its ladder.

    The routed team being available always wins (someone came back meanwhile). next_team
    lands on the first fallback team with someone available, offer_meeting when the team
    hosts a meeting, capture_contact when the contact has neither email nor phone, queue
    always; a ladder that runs out ends in the queue.
    """
    if staffing.available(rule.team):
        return Rung(ASSIGN, rule.team, start)
    steps = rule.when_nobody_available
    for index in range(start, len(steps)):
        step = steps[index]
        if step == NEXT_TEAM:
            taker = next((t for t in rule.fallback_teams if staffing.available(t)), None)
            if taker is not None:
                return Rung(NEXT_TEAM, taker, index)
        elif (step == OFFER_MEETING and hosts_meeting) or (
            step == CAPTURE_CONTACT and not has_contact
        ):
            return Rung(step, rule.team, index)
        elif step == QUEUE:
            return Rung(QUEUE, rule.team, index)
    return Rung(QUEUE, rule.team, len(steps))


def assignment_note(assignment: Mapping[str, Any]) -> str:
    """The line the runtime adds to the hand-off note once it knows who got it."""
    team = html.escape(str(assignment.get("team") or ""), quote=False)
    reason = html.escape(str(assignment.get("reason") or ""), quote=False)
    if assignment.get("admin_id"):
        name = html.escape(str(assignment.get("admin_name") or assignment["admin_id"]))
        return f"<p>Assigned to {name} ({assignment.get('method')}): {reason}</p>"
    return f"<p>Assigned to the {team} queue: {reason}</p>"


def with_assignment(actions: Sequence[Action], assignment: Mapping[str, Any]) -> list[Action]:
    """``actions`` with the chosen admin assigned after the team, and the hand-off note
    saying who got the conversation and why."""
    done: list[Action] = []
    for action in actions:
        if isinstance(action, Reply) and action.message_type == "note":
            action = Reply(action.body + assignment_note(assignment), "note")
        done.append(action)
        admin = assignment.get("admin_id")
        if isinstance(action, Assign) and action.assignee_type == "team" and admin:
            done.append(Assign(assignee_id=str(admin), assignee_type="admin"))
    return done
