"""The "nobody available" ladder in chat: offer a meeting with the team, book it, or ask how to
reach the customer, then go on down the ladder.

The bot stays pure. What it needs from the outside world arrives in :class:`Circumstances`
(who is available, which meeting each team hosts, free slots, the outcome of a booking). When
a turn needs something the runtime has not fetched yet (free slots of a meeting, a booking),
the turn remembers what it waits for and :func:`need_of` tells the runtime, which fetches or
books and asks the bot again with the answer in ``Circumstances``. Between turns the ladder's
place is remembered in the conversation's ``offered`` state under :data:`LADDER_KEY`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from concierge.bot.handoff import Rung, Staffing
from concierge.domain.actions import Action, Reply, Turn
from concierge.routing.slots import Slot
from concierge.routing.table import RoutingRule, customer_zone
from concierge.routing.wording import Audience, slot_label, unavailable_words, zone_name

if TYPE_CHECKING:
    from concierge.bot.dialogue import TurnContext

LADDER_KEY = "ladder"
NONE_OF_THESE = "None of these"
SLOTS_SHOWN = 3
Outcome = tuple[list[Action], str | None]


@dataclass(frozen=True)
class HostedMeeting:
    """A meeting type a team hosts (from meetings.yaml)."""

    name: str
    title: str
    minutes: int
    team: str


@dataclass(frozen=True)
class Booked:
    """A meeting booked for the customer, with where its invitation (``.ics``) is served."""

    title: str
    start: datetime
    host_name: str
    invitation_url: str


@dataclass(frozen=True)
class Taken:
    """The slot was taken by someone else meanwhile."""


@dataclass(frozen=True)
class Failed:
    """The meeting could not be booked; ``reason`` is for the log and the decision."""

    reason: str


BookingResult = Booked | Taken | Failed


@dataclass(frozen=True)
class Circumstances:
    """What the runtime saw for this turn.

    ``meetings`` maps team keys to the meeting each hosts; ``slots`` maps meeting names to
    the free slots fetched this turn (missing: not fetched yet; empty: none free);
    ``booking`` is the outcome of the booking this turn asked for.
    """

    staffing: Staffing = field(default_factory=Staffing)
    meetings: Mapping[str, HostedMeeting] = field(default_factory=dict)
    slots: Mapping[str, tuple[Slot, ...]] = field(default_factory=dict)
    booking: BookingResult | None = None


@dataclass(frozen=True)
class Need:
    """What a turn waits for: the free ``slots`` of ``meeting``, or a ``booking`` of it at
    ``start`` for ``email``."""

    kind: Literal["slots", "booking"]
    meeting: str
    start: datetime | None = None
    email: str | None = None


def need_of(turn: Turn) -> Need | None:
    """What ``turn`` waits for from the runtime, if anything."""
    offered = turn.memory.get("offered")
    ladder = offered.get(LADDER_KEY) if isinstance(offered, dict) else None
    if not isinstance(ladder, dict):
        return None
    if ladder.get("waiting") == "slots":
        return Need("slots", str(ladder["meeting"]))
    if ladder.get("waiting") == "booking":
        start = datetime.fromisoformat(str(ladder["start"]))
        return Need("booking", str(ladder["meeting"]), start, str(ladder["email"]))
    return None


def hosted_meeting(context: TurnContext, team: str) -> HostedMeeting | None:
    """The meeting ``team`` hosts, when the runtime knows of one."""
    return context.circumstances.meetings.get(team)


# --- the ladder's place between turns -----------------------------------------------------


def _place(reason: str, rule: RoutingRule, rung: Rung, tags: tuple[str, ...]) -> dict[str, Any]:
    """Where the ladder stands, to go on from there on a later turn."""
    return {
        "reason": reason,
        "rule": rule.name,
        "team": rule.team,
        "index": rung.index,
        "tags": list(tags),
    }


def _wait(context: TurnContext, place: Mapping[str, Any], **waiting: Any) -> None:
    context.memory["offered"] = {LADDER_KEY: {**place, **waiting}}
    context.memory["flow_state"] = None
    context.decision["waiting"] = {**place, **waiting}


def _resume(context: TurnContext, place: Mapping[str, Any], before: list[Action]) -> Outcome:
    """Go on down the ladder after the step at ``place["index"]``."""
    from concierge.bot.dialogue import hand_off

    context.memory["offered"] = None
    return hand_off(
        context,
        str(place["reason"]),
        team=str(place["team"]),
        before=before,
        rule_name=str(place["rule"]),
        resume_at=int(place["index"]) + 1,
        tags=tuple(place.get("tags") or ()),
    )


def _zone(context: TurnContext, team: str) -> ZoneInfo:
    """The customer's timezone when known, else the team's."""
    return customer_zone(context.customer_timezone) or context.brain.routing.teams[team].zone


# --- offering and booking a meeting -------------------------------------------------------


def offer_meeting(
    context: TurnContext,
    reason: str,
    rule: RoutingRule,
    rung: Rung,
    before: list[Action],
    tags: tuple[str, ...] = (),
) -> Outcome:
    """Offer the next free slots of the meeting the team hosts, or go on when none is free."""
    meeting = hosted_meeting(context, rule.team)
    assert meeting is not None
    place = {**_place(reason, rule, rung, tags), "meeting": meeting.name}
    slots = context.circumstances.slots.get(meeting.name)
    if slots is None:
        _wait(context, place, waiting="slots")
        return before, None
    if not slots:
        return _resume(context, place, before)
    team = context.brain.routing.teams[rule.team]
    intro = (
        f"{unavailable_words(Audience(team.name, team.zone))} Would you like to book a "
        f"{meeting.minutes}-minute {meeting.title.lower()} with them instead?"
    )
    return _offer(context, place, slots, intro, before)


def _offer(
    context: TurnContext,
    place: Mapping[str, Any],
    slots: tuple[Slot, ...],
    intro: str,
    before: list[Action],
) -> Outcome:
    zone = _zone(context, str(place["team"]))
    shown = slots[:SLOTS_SHOWN]
    labels = {slot_label(slot.start, zone): slot.start.isoformat() for slot in shown}
    text = f"{intro} Here are the next free times ({zone_name(zone, shown[0].start)} time):"
    _wait(context, place, waiting="pick", slots=labels)
    return [*before, Reply(text, "quick_reply", (*labels, NONE_OF_THESE))], None


def _picked(text: str, labels: Mapping[str, str]) -> str | None:
    wanted = text.strip().casefold()
    return next((start for label, start in labels.items() if label.casefold() == wanted), None)


def _entity(context: TurnContext, kind: str) -> str | None:
    return next((str(e.value) for e in context.entities if e.type == kind), None)


def _book(context: TurnContext, place: Mapping[str, Any], start: str) -> Outcome:
    """Book the chosen slot: ask for an email first when we have none."""
    email = context.email
    if not email:
        _wait(context, place, waiting="email", start=start)
        return [Reply("What email address should I send the invitation to?")], None
    booking = context.circumstances.booking
    if booking is None:
        _wait(context, place, waiting="booking", start=start, email=email)
        return [], None
    if isinstance(booking, Booked):
        when = slot_label(booking.start, _zone(context, str(place["team"])))
        confirmed = (
            f"You're booked: {booking.title}, {when} with {booking.host_name}. "
            f"Add it to your calendar: {booking.invitation_url}"
        )
        context.decision["meeting"] = {"booked": booking.invitation_url, "start": start}
        return _resume(context, place, [Reply(confirmed)])
    context.decision["meeting"] = {"not_booked": repr(booking), "start": start}
    fresh = context.circumstances.slots.get(str(place["meeting"])) or ()
    if isinstance(booking, Taken) and fresh:
        intro = "Sorry, that time was just taken."
        return _offer(context, place, tuple(fresh), intro, [])
    sorry = Reply("Sorry, I couldn't book that time.")
    return _resume(context, place, [sorry])


def ask_contact(
    context: TurnContext,
    reason: str,
    rule: RoutingRule,
    rung: Rung,
    before: list[Action],
    tags: tuple[str, ...] = (),
) -> Outcome:
    """Ask how the team can reach the customer (they gave neither email nor phone)."""
    team = context.brain.routing.teams[rule.team]
    ask = (
        f"{unavailable_words(Audience(team.name, team.zone))} What's the best email address "
        "or phone number for them to reach you on?"
    )
    _wait(context, _place(reason, rule, rung, tags), waiting="contact")
    return [*before, Reply(ask)], None


def continue_ladder(context: TurnContext) -> Outcome:
    """The customer's answer while the ladder waits: a slot, an email, a way to reach them."""
    assert context.state.offered is not None
    place = dict(context.state.offered[LADDER_KEY])
    waiting = place.pop("waiting", None)
    if waiting == "contact":
        found = {k: v for k in ("email", "phone") if (v := _entity(context, k))}
        context.memory["answers"] = {**context.answers, **found}
        return _resume(context, place, [])
    if waiting == "email":
        email = _entity(context, "email")
        if email is None:
            return _resume(context, place, [])
        context.memory["answers"] = {**context.answers, "email": email}
        return _book(context, place, str(place.pop("start")))
    start = _picked(context.text, place.pop("slots", {}) or {})
    if waiting in {"pick", "booking"} and start is not None:
        return _book(context, place, start)
    return _resume(context, place, [])
