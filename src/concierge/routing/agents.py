"""Who can take a conversation right now, when the team is next open, and whose turn it is.

An agent is **available** at an instant when all three hold:

* they are not away in Intercom (the synced directory; an admin missing from it is treated as
  unavailable, since Intercom would refuse the assignment);
* the instant is inside their working hours, read in *their* timezone, so a Denver agent's
  07:30 is 07:30 in Denver on both sides of a DST change;
* their open conversations are below their cap.

Each :class:`AgentAvailability` carries a ``reason`` a person can read ("away", "outside
working hours (Mon 07:30-16:00 America/Denver)", "at cap 5/5"), and :class:`TeamAvailability`
adds who is online, the team's next opening and the expected reply time.

Round robin is **smooth weighted round robin** (as in nginx): every pick adds each
candidate's weight to their counter, the highest counter wins (ties go to the candidate listed
first) and the winner's counter drops by the candidates' total weight. Over any run of picks
among the same candidates each gets their weighted share to within one pick per candidate,
with turns interleaved rather than bunched. Counters of agents who are not candidates (away,
off shift, at cap) stay as they are: an agent who comes back neither catches up on what they
missed nor loses their place. Everything here is pure: no clock, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from statistics import median
from typing import Any

from concierge.routing.hours import WEEKDAYS, Interval, OfficeHours
from concierge.routing.table import Agent, MeasuredReply, Team

AVAILABLE = "available"
AWAY = "away"
NOT_IN_DIRECTORY = "not in the Intercom directory"


@dataclass(frozen=True)
class AgentAvailability:
    """One agent at one instant: away or not, on shift or not, and their load."""

    admin_id: str
    name: str
    away: bool | None
    working: bool
    hours: str
    open_conversations: int
    cap: int | None

    @property
    def at_cap(self) -> bool:
        """True when the agent already has as many open conversations as their cap allows."""
        return self.cap is not None and self.open_conversations >= self.cap

    @property
    def available(self) -> bool:
        """True when the agent can take a new conversation now."""
        return self.away is False and self.working and not self.at_cap

    @property
    def reason(self) -> str:
        """Why the agent is (not) available, in words: "away; at cap 5/5"."""
        reasons = []
        if self.away is None:
            reasons.append(NOT_IN_DIRECTORY)
        elif self.away:
            reasons.append(AWAY)
        if not self.working:
            reasons.append(f"outside working hours ({self.hours})")
        if self.at_cap:
            reasons.append(f"at cap {self.open_conversations}/{self.cap}")
        return "; ".join(reasons) or AVAILABLE

    def as_json(self) -> dict[str, Any]:
        """What was seen, for the assignment log and the Inbox panel."""
        return {
            "admin_id": self.admin_id,
            "name": self.name,
            "available": self.available,
            "reason": self.reason,
            "away": self.away,
            "working": self.working,
            "hours": self.hours,
            "open_conversations": self.open_conversations,
            "cap": self.cap,
        }


def _clock_text(moment: time | None) -> str:
    return "24:00" if moment is None else f"{moment:%H:%M}"


def _ranges_text(ranges: Sequence[Interval]) -> str:
    return ", ".join(f"{_clock_text(start)}-{_clock_text(end)}" for start, end in ranges)


def hours_today(hours: OfficeHours | None, at: datetime) -> str:
    """The working hours of the local day containing ``at``, with the timezone:
    ``Mon 07:30-16:00 America/Denver``, ``Sat off America/Denver``,
    ``Thu holiday America/Denver``; empty when there are no hours (always working)."""
    if hours is None:
        return ""
    local = at.astimezone(hours.zone)
    day = WEEKDAYS[local.weekday()].capitalize()
    if local.date() in hours.holidays:
        today = "holiday"
    else:
        today = _ranges_text(hours.weekly[local.weekday()]) or "off"
    return f"{day} {today} {hours.zone.key}"


def agent_availability(
    agent: Agent, at: datetime, *, away: bool | None, open_conversations: int
) -> AgentAvailability:
    """Whether ``agent`` can take a conversation at ``at`` (timezone-aware).

    ``away`` comes from the synced Intercom directory (``None``: the admin is not in it);
    ``open_conversations`` is how many conversations the agent has open now.
    """
    hours = agent.working_hours
    return AgentAvailability(
        admin_id=agent.admin_id,
        name=agent.name,
        away=away,
        working=hours is None or hours.is_open(at),
        hours=hours_today(hours, at),
        open_conversations=open_conversations,
        cap=agent.max_open,
    )


@dataclass(frozen=True)
class TeamAvailability:
    """A team at one instant: each agent's availability, whether the team is open, when it
    next opens (``None`` when open now or not within two weeks) and the expected reply."""

    team: str
    team_name: str
    at: datetime
    open_now: bool
    next_open: datetime | None
    expected_reply: str | None
    agents: tuple[AgentAvailability, ...]

    @property
    def online(self) -> tuple[AgentAvailability, ...]:
        """The agents who can take a conversation now, in playbook order."""
        return tuple(agent for agent in self.agents if agent.available)

    def agent(self, admin_id: str) -> AgentAvailability | None:
        """The availability of the team's agent with this admin id, if they are on the team."""
        return next((agent for agent in self.agents if agent.admin_id == admin_id), None)

    def summary(self) -> str:
        """Who is online, in words: "2 of 3 online: Maya Chen, Luis Ortega"."""
        if not self.agents:
            return f"{self.team_name} has no agents listed in the playbook"
        names = ", ".join(agent.name for agent in self.online) or "nobody"
        return f"{len(self.online)} of {len(self.agents)} online: {names}"

    def as_json(self) -> dict[str, Any]:
        """What was seen, for the assignment log and the Inbox panel."""
        return {
            "team": self.team,
            "team_name": self.team_name,
            "at": self.at.isoformat(),
            "open_now": self.open_now,
            "next_open": self.next_open.isoformat() if self.next_open else None,
            "expected_reply": self.expected_reply,
            "online": [agent.admin_id for agent in self.online],
            "agents": [agent.as_json() for agent in self.agents],
        }


def team_availability(
    team: Team,
    at: datetime,
    away: Mapping[str, bool],
    open_counts: Mapping[str, int],
    expected_reply: str | None = None,
) -> TeamAvailability:
    """The availability of every agent of ``team`` at ``at``.

    ``away`` maps admin ids to the directory's away flag (a missing admin is "not in the
    Intercom directory"); ``open_counts`` maps admin ids to open conversations (missing: 0);
    ``expected_reply`` overrides the playbook's words (e.g. a measured reply time).
    """
    agents = tuple(
        agent_availability(
            agent,
            at,
            away=away.get(agent.admin_id),
            open_conversations=open_counts.get(agent.admin_id, 0),
        )
        for agent in team.agents
    )
    open_now = team.is_open(at)
    hours = team.office_hours
    return TeamAvailability(
        team=team.key,
        team_name=team.name,
        at=at,
        open_now=open_now,
        next_open=None if open_now or hours is None else hours.next_open(at),
        expected_reply=expected_reply if expected_reply is not None else team.expected_reply,
        agents=agents,
    )


def reply_time_words(seconds: float) -> str:
    """A reply time in the words a customer is told, rounded up: "within 15 minutes"."""
    minutes = math.ceil(max(seconds, 0.0) / 60)
    if minutes <= 1:
        return "within a minute"
    if (five_minutes := 5 * math.ceil(minutes / 5)) < 60:
        return f"within {five_minutes} minutes"
    hours = math.ceil(minutes / 60)
    if hours == 1:
        return "within an hour"
    if hours < 24:
        return f"within {hours} hours"
    days = math.ceil(hours / 24)
    return "within a day" if days == 1 else f"within {days} days"


def measured_reply_words(measure: MeasuredReply, first_responses: Sequence[float]) -> str:
    """The median of ``first_responses`` (seconds) in words, or the fallback when there are
    fewer than ``measure.minimum_samples`` of them."""
    if len(first_responses) < measure.minimum_samples:
        return measure.fallback
    return reply_time_words(median(first_responses))


@dataclass(frozen=True)
class RoundRobinPick:
    """The chosen admin id and every candidate's counter after the pick."""

    choice: str
    counters: dict[str, int]


def pick_round_robin(
    candidates: Sequence[str], counters: Mapping[str, int], weights: Mapping[str, int]
) -> RoundRobinPick:
    """Whose turn it is among ``candidates`` (admin ids, in playbook order).

    ``counters`` are the stored counters (missing: 0); ``weights`` the agents' weights
    (missing: 1). Deterministic: the same inputs always give the same pick.
    """
    if not candidates:
        raise ValueError("round robin needs at least one candidate")
    if len(set(candidates)) != len(candidates):
        raise ValueError(f"candidates are listed twice: {list(candidates)}")
    weight = {admin: weights.get(admin, 1) for admin in candidates}
    if any(value < 1 for value in weight.values()):
        raise ValueError(f"weights must be at least 1: {weight}")
    after = {admin: counters.get(admin, 0) + weight[admin] for admin in candidates}
    choice = max(candidates, key=lambda admin: after[admin])  # first listed wins a tie
    after[choice] -= sum(weight.values())
    return RoundRobinPick(choice, after)
