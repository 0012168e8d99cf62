"""Who a hand-off goes to: the contact's owner, else round robin, else the team's queue.

:func:`choose_assignee` runs inside the caller's transaction:

1. it locks the team's round-robin row (see :mod:`concierge.store.assignments`), so
   simultaneous hand-offs for one team decide one after the other, also across instances;
2. it reads the agents' away flags from the synced directory and works out each agent's
   availability (away, working hours in their own timezone, cap) and the expected reply;
3. the contact's owner gets the conversation when they are an agent of the team and
   available; otherwise round robin picks among the available agents, weighted; with nobody
   available the conversation goes to the team's queue (assigned to the team, not a person);
4. the decision is logged with the availability it saw.

The lock is held until the caller's transaction ends, so call this late in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from concierge.routing.agents import (
    TeamAvailability,
    measured_reply_words,
    pick_round_robin,
    team_availability,
)
from concierge.routing.table import Team
from concierge.store import assignments as assignment_store
from concierge.store.tables import AssignmentRecord, ConversationRecord

HUMAN_OWNED = "human"

Method = Literal["owner", "round_robin", "team_queue"]
OWNER: Method = "owner"
ROUND_ROBIN: Method = "round_robin"
TEAM_QUEUE: Method = "team_queue"


@dataclass(frozen=True)
class AssignmentChoice:
    """Where a hand-off goes (``admin_id`` ``None``: the team's queue), how and why.

    ``position`` numbers the team's round-robin picks (``None`` for the owner or the queue);
    ``availability`` is what the decision saw.
    """

    team: str
    intercom_team_id: str | None
    admin_id: str | None
    admin_name: str | None
    method: Method
    reason: str
    position: int | None
    availability: TeamAvailability

    @property
    def to_team_queue(self) -> bool:
        """True when nobody was available and the team's queue gets the conversation."""
        return self.admin_id is None

    def as_json(self) -> dict[str, Any]:
        """The decision in plain JSON (for notes, the Inbox panel and logs)."""
        return {
            "team": self.team,
            "intercom_team_id": self.intercom_team_id,
            "admin_id": self.admin_id,
            "admin_name": self.admin_name,
            "method": self.method,
            "reason": self.reason,
            "position": self.position,
            "availability": self.availability.as_json(),
        }


async def expected_reply(session: AsyncSession, team: Team, at: datetime) -> str | None:
    """What the customer is told about reply time: the playbook's words, or for a measured
    reply time the median first response of the team's last ``days`` days (the fallback
    words with too few answered hand-offs)."""
    measure = team.measured_reply
    if measure is None:
        return team.expected_reply
    until = at.timestamp()
    since = (at - timedelta(days=measure.days)).timestamp()
    samples = await assignment_store.first_response_seconds(session, team.key, since, until)
    return measured_reply_words(measure, samples)


async def team_availability_now(
    session: AsyncSession, team: Team, at: datetime, open_counts: Mapping[str, int]
) -> TeamAvailability:
    """The team's availability at ``at`` from the stored directory and our records."""
    away = await assignment_store.away_flags(session, (agent.admin_id for agent in team.agents))
    reply = await expected_reply(session, team, at)
    return team_availability(team, at, away, open_counts, reply)


def _owner_note(seen: TeamAvailability, owner_id: str | None) -> str:
    """Why the owner did not get it, as the start of the reason ("" without an owner)."""
    if owner_id is None:
        return ""
    owner = seen.agent(owner_id)
    if owner is None:
        return f"the contact's owner {owner_id} is not an agent of {seen.team_name}; "
    return f"the contact's owner {owner.name} is {owner.reason}; "


def _nobody(seen: TeamAvailability) -> str:
    if not seen.agents:
        return f"{seen.team_name} has no agents listed in the playbook"
    why = "; ".join(f"{agent.name}: {agent.reason}" for agent in seen.agents)
    return f"nobody on {seen.team_name} is available ({why})"


async def _round_robin(
    session: AsyncSession, team: Team, seen: TeamAvailability, at: float
) -> tuple[str, int]:
    """Take the team's next round-robin turn among the available agents."""
    candidates = [agent.admin_id for agent in seen.online]
    weights = {agent.admin_id: agent.weight for agent in team.agents}
    counters = await assignment_store.counters_of(session, team.key)
    pick = pick_round_robin(candidates, counters, weights)
    position = await assignment_store.next_position(session, team.key, at)
    await assignment_store.save_pick(session, team.key, pick.counters, pick.choice, at)
    return pick.choice, position


async def choose_assignee(
    session: AsyncSession,
    team: Team,
    contact_owner_id: str | None,
    now: datetime,
    open_counts: Mapping[str, int],
    *,
    conversation_id: str,
) -> AssignmentChoice:
    """Decide who gets ``conversation_id`` in ``team`` at ``now`` (timezone-aware) and log it.

    ``contact_owner_id`` is the Intercom admin id owning the contact (or ``None``);
    ``open_counts`` maps admin ids to their open conversations (missing: 0).
    """
    stamp = now.timestamp()
    await assignment_store.lock_team(session, team.key, stamp)
    seen = await team_availability_now(session, team, now, open_counts)
    owner = seen.agent(contact_owner_id) if contact_owner_id else None
    position: int | None = None
    if owner is not None and owner.available:
        admin_id: str | None = owner.admin_id
        method, reason = OWNER, f"the contact's owner {owner.name} is available"
    elif seen.online:
        admin_id, position = await _round_robin(session, team, seen, stamp)
        method = ROUND_ROBIN
        reason = f"{_owner_note(seen, contact_owner_id)}round robin, {seen.summary()}"
    else:
        admin_id, method = None, TEAM_QUEUE
        reason = f"{_owner_note(seen, contact_owner_id)}{_nobody(seen)}; the team's queue"
    chosen = seen.agent(admin_id) if admin_id else None
    choice = AssignmentChoice(
        team=team.key,
        intercom_team_id=team.intercom_team_id,
        admin_id=admin_id,
        admin_name=chosen.name if chosen else None,
        method=method,
        reason=reason,
        position=position,
        availability=seen,
    )
    await _log(session, conversation_id, choice, contact_owner_id, stamp)
    return choice


async def _log(
    session: AsyncSession,
    conversation_id: str,
    choice: AssignmentChoice,
    owner_id: str | None,
    at: float,
) -> None:
    snapshot = {**choice.availability.as_json(), "contact_owner_id": owner_id}
    record = AssignmentRecord(
        conversation_id=conversation_id,
        team=choice.team,
        intercom_team_id=choice.intercom_team_id,
        admin_id=choice.admin_id,
        method=choice.method,
        reason=choice.reason,
        position=choice.position,
        availability=snapshot,
        created_at=at,
    )
    await assignment_store.record_assignment(session, record)


async def open_counts(session: AsyncSession, admin_ids: Iterable[str]) -> dict[str, int]:
    """How many conversations each admin was assigned by us that a person still owns (not
    closed), from the assignment log; admins without any are left out (0)."""
    wanted = list(dict.fromkeys(admin_ids))
    if not wanted:
        return {}
    statement = (
        select(
            AssignmentRecord.admin_id,
            func.count(func.distinct(AssignmentRecord.conversation_id)),
        )
        .join(ConversationRecord, col(ConversationRecord.id) == AssignmentRecord.conversation_id)
        .where(
            col(AssignmentRecord.admin_id).in_(wanted),
            col(ConversationRecord.status) == HUMAN_OWNED,
        )
        .group_by(col(AssignmentRecord.admin_id))
    )
    return {str(admin): int(count) for admin, count in (await session.exec(statement)).all()}


async def queue_choice(
    session: AsyncSession,
    team: Team,
    now: datetime,
    open_counts: Mapping[str, int],
    *,
    conversation_id: str,
    reason: str,
) -> AssignmentChoice:
    """Send ``conversation_id`` to ``team``'s queue (the ladder's queue step: nobody of the
    team was available) and log it with the availability seen, like :func:`choose_assignee`."""
    stamp = now.timestamp()
    seen = await team_availability_now(session, team, now, open_counts)
    who = seen.summary() if seen.online else _nobody(seen)
    choice = AssignmentChoice(
        team=team.key,
        intercom_team_id=team.intercom_team_id,
        admin_id=None,
        admin_name=None,
        method=TEAM_QUEUE,
        reason=f"{reason}; {who}; the team's queue",
        position=None,
        availability=seen,
    )
    await _log(session, conversation_id, choice, None, stamp)
    return choice
