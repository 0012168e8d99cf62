"""What the Inbox panel shows, read from the database for one conversation."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from concierge.bot.agent import reroute
from concierge.domain.decisions import route_to_json
from concierge.playbook.brain import Brain
from concierge.routing.agents import TeamAvailability
from concierge.routing.table import Team
from concierge.routing.wording import slot_label
from concierge.runtime.assignment import open_counts, team_availability_now
from concierge.store import actions as action_store
from concierge.store import conversations as conversation_store
from concierge.store.database import Database
from concierge.store.tables import ConversationRecord, LeadFeedback


def _when(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _score_text(score: dict[str, Any] | None) -> str | None:
    if not score:
        return None
    return f"{score.get('total', 0):g} points · {score.get('label', '?')}"


def _reasons_text(score: dict[str, Any] | None, count: int = 3) -> str | None:
    fired = sorted((score or {}).get("fired", []), key=lambda rule: -abs(rule.get("points", 0)))
    if not fired:
        return None
    return "; ".join(f"{rule['points']:+g} {rule['reason']}" for rule in fired[:count])


def _route_text(route: dict[str, Any] | None) -> tuple[str | None, str | None]:
    if not route:
        return None, None
    where = f"{route.get('team')} (rule: {route.get('rule')})"
    due = route.get("first_response_due")
    return where, f"{route.get('sla_tier')} · due {due[:16].replace('T', ' ')}" if due else None


def lead_facts(record: ConversationRecord | None) -> dict[str, Any]:
    """What the agent reads about the lead: score, reasons, answers, intent, route, SLA."""
    if record is None:
        return {}
    route, sla = _route_text(record.route)
    answers = "; ".join(f"{name}: {value}" for name, value in (record.answers or {}).items())
    confidence = f" ({record.confidence:.0%})" if record.confidence is not None else ""
    return {
        "score": _score_text(record.score),
        "reasons": _reasons_text(record.score),
        "answers": answers or None,
        "intent": f"{record.intent}{confidence}" if record.intent else None,
        "route": route,
        "sla": sla,
        "qualified": record.qualified,
    }


def routed_team(brain: Brain, record: ConversationRecord | None) -> Team | None:
    """The team the conversation was routed to, when it is still in the playbook."""
    key = (record.route or {}).get("team") if record is not None else None
    return brain.routing.teams.get(str(key)) if key else None


def availability_facts(seen: TeamAvailability, zone: ZoneInfo) -> dict[str, Any]:
    """The routed team's availability as the panel shows it: who is online, why the others
    are not, the next opening (in the team's timezone, only while closed) and the reply time."""
    unavailable = [
        {"name": agent.name, "reason": agent.reason} for agent in seen.agents if not agent.available
    ]
    online = ", ".join(agent.name for agent in seen.online) or "nobody"
    next_open = slot_label(seen.next_open, zone) if seen.next_open else None
    return {
        "team": seen.team,
        "team_name": seen.team_name,
        "open": "open now" if seen.open_now else "closed",
        "online": f"{online} ({len(seen.online)} of {len(seen.agents)})",
        "unavailable": unavailable,
        "next_open": next_open,
        "expected_reply": seen.expected_reply,
    }


async def _availability(session: AsyncSession, team: Team | None, now: datetime) -> Any:
    if team is None:
        return None
    admins = [agent.admin_id for agent in team.agents]
    seen = await team_availability_now(session, team, now, await open_counts(session, admins))
    return availability_facts(seen, team.zone)


async def inbox_context(
    db: Database, base: dict[str, Any], brain: Brain | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """The template context for the Inbox panel: request context plus stored facts, and the
    routed team's availability at ``now`` (``availability``; none without a routed team)."""
    conversation_id = str((base.get("conversation") or {}).get("id") or "")
    async with db.transaction() as session:
        record = await conversation_store.load_conversation(session, conversation_id)
        actions = await action_store.list_actions(session, conversation_id)
        team = routed_team(brain, record) if brain is not None else None
        availability = await _availability(session, team, now or datetime.now(UTC))
    failed = [a for a in actions if a.status == action_store.FAILED]
    facts = {
        "id": conversation_id or None,
        "known": record is not None,
        "status": record.status if record else "not seen by Concierge yet",
        "messages_seen": record.messages_seen if record else 0,
        "last_bot_action": record.last_bot_action if record else None,
        "last_bot_action_at": _when(record.last_bot_action_at) if record else None,
        "failed_actions": len(failed),
    }
    contact = dict(base.get("contact") or {})
    if record is not None:
        contact.setdefault("name", record.contact_name)
        contact.setdefault("email", record.contact_email)
    conversation = {**(base.get("conversation") or {}), **facts}
    return {
        **base,
        "conversation": conversation,
        "contact": contact,
        "lead": lead_facts(record),
        "availability": availability,
    }


async def record_verdict(
    db: Database, conversation_id: str, admin_id: str | None, qualified: bool
) -> str:
    """An agent marked the lead qualified or not (kept for later training)."""
    async with db.transaction() as session:
        record = await conversation_store.load_conversation(session, conversation_id)
        if record is None:
            return "Concierge has not seen this conversation yet."
        record.qualified = qualified
        session.add(record)
        session.add(
            LeadFeedback(
                conversation_id=conversation_id,
                admin_id=admin_id,
                qualified=qualified,
                intent=record.intent,
                created_at=time.time(),
            )
        )
    return "Marked as a qualified lead." if qualified else "Marked as not qualified."


async def apply_reroute(
    db: Database,
    brain: Brain,
    conversation_id: str,
    team: str,
    agent: str,
) -> str:
    """Re-route to ``team``: plan the assignment and note, remember the new route."""
    if team not in brain.routing.teams:
        return "Choose a team to re-route to."
    async with db.transaction() as session:
        record = await conversation_store.load_conversation(session, conversation_id)
        if record is None:
            return "Concierge has not seen this conversation yet."
        route, actions = reroute(
            brain,
            team,
            intent=record.intent,
            answers=record.answers or {},
            agent=agent,
            now=datetime.now(UTC),
        )
        for sequence, action in enumerate(actions):
            session.add(
                action_store.plan_action(
                    None, sequence, conversation_id, action.kind, action.to_payload(), time.time()
                )
            )
        record.route, record.status = route_to_json(route), "human"
        session.add(record)
    return f"Re-routed to {route.details.get('team_name', team)}."


async def remember_card_flow(
    db: Database, conversation_id: str | None, state: dict[str, Any]
) -> None:
    """Keep a Messenger card flow's state and answers with the conversation, when known."""
    if not conversation_id:
        return
    async with db.transaction() as session:
        record = await conversation_store.load_conversation(session, conversation_id)
        if record is None:
            return
        finished = state.get("status") in {"completed", "cancelled", "handed_off"}
        record.flow_state = None if finished else state
        record.answers = {**(record.answers or {}), **dict(state.get("answers") or {})}
        session.add(record)
