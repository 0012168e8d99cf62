"""Hand-off: assign to the routed team, brief it in an internal note, tag, update the contact,
and tell the customer honestly what happens next."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from concierge.domain.actions import Action, Assign, Reply, Tag, UpdateContact
from concierge.domain.conversation import AuthorKind, Message
from concierge.domain.decisions import RouteDecision, Score

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
        _route_lines(briefing.route),
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
    actions: list[Action] = [Reply(body=route.customer_message)]
    if route.intercom_team_id:
        actions.append(Assign(assignee_id=route.intercom_team_id, assignee_type="team"))
    actions.append(Reply(body=note_body(briefing), message_type="note"))
    actions += [Tag(name=tag) for tag in _unique([*route.tags, *briefing.tags])]
    if briefing.contact_id and briefing.contact_attributes:
        actions.append(UpdateContact(briefing.contact_id, dict(briefing.contact_attributes)))
    return actions
