"""What an agent asks for in the Inbox panel: re-route the conversation to another team."""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from concierge.domain.actions import Action, Assign, Reply
from concierge.domain.decisions import Facts, RouteDecision
from concierge.playbook.brain import Brain

AGENT_REROUTE = "agent_reroute"


def reroute(
    brain: Brain,
    team: str,
    *,
    intent: str | None,
    answers: Mapping[str, Any],
    agent: str,
    now: datetime,
) -> tuple[RouteDecision, list[Action]]:
    """The new route and the actions that carry it out (assignment and a note)."""
    facts = Facts(now=now, intent=intent, slots=dict(answers))
    route = brain.routing.decide_for_team(team, facts, rule_name=AGENT_REROUTE)
    name = route.details.get("team_name", route.team)
    note = f"<p>{html.escape(agent)} re-routed this conversation to {html.escape(name)}.</p>"
    actions: list[Action] = [Reply(body=note, message_type="note")]
    if route.intercom_team_id:
        actions.insert(0, Assign(assignee_id=route.intercom_team_id, assignee_type="team"))
    return route, actions


def team_choices(brain: Brain) -> dict[str, str]:
    """Team key → display name, for the re-route dropdown."""
    return {key: team.name for key, team in brain.routing.teams.items()}
