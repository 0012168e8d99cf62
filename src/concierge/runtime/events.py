"""Process one stored webhook event: parse it, ask the bot, store the decision atomically.

The bot's decision (messages seen, conversation state, planned actions) is written in the
same transaction that marks the event done, so a crash either keeps the event pending or
leaves a complete decision in the outbox; nothing is half-applied.

Before the bot decides, the runtime reads what it needs to know (each team's availability,
the meetings teams host); when the bot's turn waits for more (free slots of a meeting, a
booking), the runtime gets it through the :class:`MeetingService` and asks the bot again.
A booking happens before the event's transaction: a retried event finds the conversation's
booking of that time and does not book twice. A hand-off to a team is resolved to a person
(the contact's owner, else round robin, else the team's queue) late in the transaction, with
the availability seen recorded in the decision.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession

from concierge import bot
from concierge.bot.handoff import Staffing, with_assignment
from concierge.bot.meetings import (
    Booked,
    BookingResult,
    Circumstances,
    Failed,
    HostedMeeting,
    Need,
    Taken,
    need_of,
)
from concierge.domain.actions import Action, Assign, Turn
from concierge.domain.conversation import ConversationEvent, ConversationState
from concierge.intercom.webhooks import Notification, NotificationError, conversation_event
from concierge.playbook.brain import Brain
from concierge.routing.meetings_loader import MeetingsConfig
from concierge.routing.table import QUEUE, Team
from concierge.runtime import directory
from concierge.runtime.assignment import (
    choose_assignee,
    open_counts,
    queue_choice,
    team_availability_now,
)
from concierge.runtime.clock import backoff_delay, now, utc_now
from concierge.runtime.meetings import MeetingError, MeetingService, invitation_path
from concierge.store import actions as action_store
from concierge.store import assignments as directory_store
from concierge.store import bookings as booking_store
from concierge.store import conversations as conversation_store
from concierge.store import events as event_store
from concierge.store.booking_tables import BOOKED, MeetingBooking
from concierge.store.database import Database
from concierge.store.tables import ConversationRecord, WebhookEvent

log = structlog.get_logger(component="events")

CONVERSATION_TOPICS_HANDLED = {
    "conversation.user.created",
    "conversation.user.replied",
    "conversation.admin.replied",
    "conversation.admin.noted",
    "conversation.admin.assigned",
    "conversation.admin.open.assigned",
    "conversation.admin.closed",
    "conversation.operator.replied",
}


@dataclass(frozen=True)
class MeetingDesk:
    """The meetings of the current playbook: the service that offers and books them, its
    configuration, and the public base URL invitations are served under."""

    service: MeetingService
    config: MeetingsConfig
    public_url: str

    def hosted(self) -> dict[str, HostedMeeting]:
        """The meeting each team hosts (the first listed for it)."""
        found: dict[str, HostedMeeting] = {}
        for plan in self.config.meetings.values():
            meeting = HostedMeeting(plan.name, plan.title, plan.meeting.minutes, plan.team)
            found.setdefault(plan.team, meeting)
        return found

    def invitation_url(self, uid: str) -> str:
        """Where the customer downloads the invitation of booking ``uid``."""
        return self.public_url.rstrip("/") + invitation_path(uid)


def _no_meetings() -> MeetingDesk | None:
    return None


@dataclass(frozen=True)
class EventContext:
    """What processing needs besides the event: the playbook, who the bot is, how to read a
    contact, and the meetings of the current playbook (``None``: no meetings offered)."""

    brain: Callable[[], Brain]
    bot_admin_id: str | None
    max_attempts: int = 6
    clock: Callable[[], datetime] = utc_now
    contacts: Callable[[str], Awaitable[dict[str, Any]]] | None = None
    meetings: Callable[[], MeetingDesk | None] = _no_meetings


def _is_handled(topic: str) -> bool:
    return topic in CONVERSATION_TOPICS_HANDLED


async def process_event(db: Database, event: WebhookEvent, owner: str, ctx: EventContext) -> str:
    """Handle a leased event; returns its final (or next) status."""
    assert event.id is not None
    structlog.contextvars.bind_contextvars(
        notification_id=event.notification_id, conversation_id=event.conversation_id
    )
    try:
        notification = Notification.model_validate(event.payload)
        if notification.topic == directory.AWAY_TOPIC:
            return await _apply_away(db, event.id, owner, notification)
        if notification.topic == "ping" or not _is_handled(notification.topic):
            return await _finish(db, event.id, owner, event_store.IGNORED)
        domain_event = conversation_event(notification, ctx.bot_admin_id)
        contact = await _contact_attributes(domain_event, ctx)
        return await _apply(db, event.id, owner, domain_event, ctx, contact)
    except NotificationError as exc:
        return await _fail(db, event, f"unparseable notification: {exc}", ctx, retry=False)
    except Exception as exc:
        log.exception("event processing failed", attempts=event.attempts + 1)
        return await _fail(db, event, f"{exc.__class__.__name__}: {exc}", ctx, retry=True)
    finally:
        structlog.contextvars.unbind_contextvars("notification_id", "conversation_id")


async def _finish(db: Database, event_id: int, owner: str, status: str) -> str:
    async with db.transaction() as session:
        await event_store.finish_event(session, event_id, owner, status, now())
    return status


async def _contact_attributes(event: ConversationEvent, ctx: EventContext) -> dict[str, Any]:
    """The contact's attributes for scoring and routing; empty when unknown or unreachable."""
    if ctx.contacts is None or event.contact.id is None or not event.customer_messages:
        return {}
    try:
        return await ctx.contacts(event.contact.id)
    except Exception as exc:  # noqa: BLE001 - scoring without attributes beats no answer
        log.warning("contact attributes unavailable", error=str(exc))
        return {}


async def _apply(
    db: Database,
    event_id: int,
    owner: str,
    event: ConversationEvent,
    ctx: EventContext,
    contact: dict[str, Any],
) -> str:
    brain, at, desk = ctx.brain(), ctx.clock(), ctx.meetings()
    async with db.transaction() as session:
        stored = await conversation_store.load_conversation(session, event.conversation_id)
        transcript = await conversation_store.recent_transcript(session, event.conversation_id)
        state = replace(
            conversation_store.state_of(stored, event.conversation_id, transcript),
            contact=contact,
        )
        seen = await _circumstances(session, brain, at, desk, event, state)
    turn = await _decide(event, state, brain, at, seen, desk)
    async with db.transaction() as session:
        record = await conversation_store.ensure_conversation(
            session, event.conversation_id, event.contact, now()
        )
        added = await conversation_store.record_messages(session, event.messages, event_id)
        record.messages_seen += added
        _remember(record, turn)
        await session.flush()
        actions = await _assigned(session, turn, brain, contact, at, event.conversation_id)
        if turn.decision is not None:
            await conversation_store.record_decision(
                session, event.conversation_id, event_id, turn.decision, now()
            )
        for sequence, action in enumerate(actions):
            session.add(
                action_store.plan_action(
                    event_id,
                    sequence,
                    event.conversation_id,
                    action.kind,
                    action.to_payload(),
                    now(),
                )
            )
        if not await event_store.finish_event(session, event_id, owner, event_store.DONE, now()):
            raise LeaseLostError(event_id)
    log.info("event handled", topic=event.topic, actions=len(actions), new_messages=added)
    return event_store.DONE


async def _circumstances(
    session: AsyncSession,
    brain: Brain,
    at: datetime,
    desk: MeetingDesk | None,
    event: ConversationEvent,
    state: ConversationState,
) -> Circumstances:
    """Each team's availability (unknown until the directory was first synced) and the
    meetings teams host; only read when the bot may act on this event."""
    if not event.customer_messages or state.status != "bot":
        return Circumstances()
    if not await directory_store.list_admins(session):
        return Circumstances(meetings=desk.hosted() if desk else {})
    teams = brain.routing.teams.values()
    counts = await open_counts(session, (a.admin_id for t in teams for a in t.agents))
    staffing = {t.key: await team_availability_now(session, t, at, counts) for t in teams}
    return Circumstances(Staffing(staffing), desk.hosted() if desk else {})


async def _decide(
    event: ConversationEvent,
    state: ConversationState,
    brain: Brain,
    at: datetime,
    seen: Circumstances,
    desk: MeetingDesk | None,
) -> Turn:
    """The bot's turn; when it waits for slots or a booking, get them and ask again."""
    turn = bot.handle(event, state, brain, at, seen)
    need = need_of(turn)
    if need is None:
        return turn
    if need.kind == "slots":
        seen = replace(seen, slots={**seen.slots, need.meeting: await _slots(desk, need)})
    else:
        booking, fresh = await _book(desk, need, event)
        slots = {**seen.slots, need.meeting: fresh} if fresh is not None else seen.slots
        seen = replace(seen, booking=booking, slots=slots)
    turn = bot.handle(event, state, brain, at, seen)
    if turn.decision is not None:
        turn.decision["needed"] = need.kind
    return turn


async def _slots(desk: MeetingDesk | None, need: Need) -> tuple[Any, ...]:
    if desk is None:
        return ()
    try:
        return tuple(await desk.service.offer(need.meeting, limit=3))
    except MeetingError as exc:
        log.warning("no meeting slots to offer", meeting=need.meeting, error=str(exc))
        return ()


def _booked(desk: MeetingDesk, booking: MeetingBooking) -> Booked:
    start = datetime.fromtimestamp(booking.starts_at, UTC)
    return Booked(booking.title, start, booking.host_name, desk.invitation_url(booking.uid))


async def _book(
    desk: MeetingDesk | None, need: Need, event: ConversationEvent
) -> tuple[BookingResult, tuple[Any, ...] | None]:
    """Book what the turn asked for; on a taken slot also the fresh slots to offer."""
    if desk is None or need.start is None or need.email is None:
        return Failed("meetings are not set up"), None
    already = await desk.service.bookings_for(event.conversation_id)
    for booking in already:  # a retried event: the booking was made the first time
        if booking.status == BOOKED and booking.starts_at == need.start.timestamp():
            return _booked(desk, booking), None
    try:
        outcome = await desk.service.book(
            need.meeting, need.start, event.conversation_id, event.contact.id, need.email
        )
    except booking_store.SlotTaken:
        return Taken(), await _slots(desk, need)
    except MeetingError as exc:
        log.warning("meeting not booked", meeting=need.meeting, error=str(exc))
        return Failed(str(exc)), None
    return _booked(desk, outcome.booking), None


def _team_of(brain: Brain, intercom_team_id: str) -> Team | None:
    teams = brain.routing.teams.values()
    return next((t for t in teams if t.intercom_team_id == intercom_team_id), None)


async def _assigned(
    session: AsyncSession,
    turn: Turn,
    brain: Brain,
    contact: dict[str, Any],
    at: datetime,
    conversation_id: str,
) -> list[Action]:
    """The turn's actions with a hand-off to a team resolved to a person (or the queue).

    Late in the transaction: :func:`choose_assignee` locks the team's counters until commit.
    """
    for action in turn.actions:
        if not isinstance(action, Assign) or action.assignee_type != "team":
            continue
        team = _team_of(brain, action.assignee_id)
        if team is None or not team.agents:
            return turn.actions
        decision = turn.decision if turn.decision is not None else {}
        ladder = decision.get("ladder") or {}
        counts = await open_counts(session, (agent.admin_id for agent in team.agents))
        if ladder.get("step") == QUEUE:
            reason = f"nobody available; the ladder of rule {ladder.get('rule')} ends in the queue"
            choice = await queue_choice(
                session, team, at, counts, conversation_id=conversation_id, reason=reason
            )
        else:
            owner = contact.get("owner_id")
            choice = await choose_assignee(
                session,
                team,
                str(owner) if owner else None,
                at,
                counts,
                conversation_id=conversation_id,
            )
        decision["assignment"] = choice.as_json()
        return with_assignment(turn.actions, choice.as_json())
    return turn.actions


async def _apply_away(db: Database, event_id: int, owner: str, notification: Notification) -> str:
    """Store an admin's new away mode in the directory and finish the event, atomically."""
    async with db.transaction() as session:
        await directory.apply_away_notification(session, notification)
        if not await event_store.finish_event(session, event_id, owner, event_store.DONE, now()):
            raise LeaseLostError(event_id)
    return event_store.DONE


def _remember(record: ConversationRecord, turn: Turn) -> None:
    if turn.status is not None:
        record.status = turn.status
    if turn.greeted is not None:
        record.greeted = turn.greeted
    conversation_store.remember(record, turn.memory)


async def _fail(
    db: Database, event: WebhookEvent, error: str, ctx: EventContext, *, retry: bool
) -> str:
    assert event.id is not None
    retry_at = now() + backoff_delay(event.attempts + 1) if retry else None
    async with db.transaction() as session:
        status = await event_store.fail_event(
            session, event.id, error=error, retry_at=retry_at, max_attempts=ctx.max_attempts
        )
    if status == event_store.PARKED:
        log.error("event parked", error=error)
    return status


class LeaseLostError(RuntimeError):
    """Another worker took over this event (our lease expired); our work was rolled back."""

    def __init__(self, event_id: int) -> None:
        super().__init__(f"lease on event {event_id} was lost; another worker owns it")
