"""Booking a meeting in chat when nobody is available: the bot asks the runtime for slots and
bookings (it stays pure), offers buttons, books, and goes on down the ladder."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from concierge import bot
from concierge.bot.handoff import Staffing
from concierge.bot.meetings import (
    NONE_OF_THESE,
    Booked,
    Circumstances,
    HostedMeeting,
    Need,
    Taken,
    need_of,
)
from concierge.domain.actions import Assign, Reply, Turn
from concierge.domain.conversation import (
    AuthorKind,
    Contact,
    ConversationEvent,
    ConversationState,
    Message,
)
from concierge.playbook.brain import Brain, load_brain
from concierge.routing.agents import AgentAvailability, TeamAvailability
from concierge.routing.slots import Slot

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # Tuesday 10:00 Pacific: Support is open
FIRST = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
SLOTS = tuple(
    Slot(FIRST + timedelta(hours=i), FIRST + timedelta(hours=i, minutes=20), ("1",))
    for i in range(4)
)
MEETING = HostedMeeting("powerlink_onboarding", "PowerLink onboarding", 20, "support")


@pytest.fixture(scope="module")
def brain() -> Brain:
    models = Path(tempfile.gettempdir()) / "concierge-test-models" / "portlandia"
    loaded = load_brain(ROOT / "intents", models)
    default = replace(
        loaded.routing.default, when_nobody_available=("offer_meeting", "capture_contact", "queue")
    )
    return replace(loaded, routing=replace(loaded.routing, default=default))


def away_support() -> Staffing:
    away = AgentAvailability("9000103", "Priya Nair", True, True, "", 0, None)
    seen = TeamAvailability("support", "Support", NOW, True, None, "within an hour", (away,))
    return Staffing({"support": seen})


def seen(**more: object) -> Circumstances:
    return Circumstances(away_support(), {"support": MEETING}, **more)  # type: ignore[arg-type]


def said(text: str) -> ConversationEvent:
    message = Message("c1", "p1", AuthorKind.CUSTOMER, "u1", text, 1)
    return ConversationEvent(
        topic="conversation.user.replied",
        conversation_id="c1",
        contact=Contact(id="u1"),
        messages=(message,),
    )


def texts(turn: Turn) -> list[str]:
    return [a.body for a in turn.actions if isinstance(a, Reply) and a.message_type != "note"]


def state(contact: dict[str, object] | None = None, offered: object = None) -> ConversationState:
    return ConversationState(
        "c1",
        greeted=True,
        contact=dict(contact or {}),
        offered=offered,  # type: ignore[arg-type]
    )


def offered_turn(brain: Brain, contact: dict[str, object]) -> Turn:
    first = bot.handle(said("agent please"), state(contact), brain, NOW, seen())
    assert need_of(first) == Need("slots", "powerlink_onboarding")
    assert texts(first) == []
    return bot.handle(
        said("agent please"),
        state(contact),
        brain,
        NOW,
        seen(slots={"powerlink_onboarding": SLOTS}),
    )


def test_nobody_free_offers_the_next_three_slots_in_the_customers_timezone(brain: Brain) -> None:
    turn = offered_turn(brain, {"custom_attributes": {"timezone": "America/New_York"}})
    offer = [a for a in turn.actions if isinstance(a, Reply) and a.message_type == "quick_reply"]
    assert offer[0].options == (
        "Wed 25 Nov 12:00 PM EST",
        "Wed 25 Nov 1:00 PM EST",
        "Wed 25 Nov 2:00 PM EST",
        NONE_OF_THESE,
    )
    assert "Nobody on our Support team is free right now" in offer[0].body
    assert turn.status is None  # the bot keeps the conversation while the customer picks
    assert not any(isinstance(a, Assign) for a in turn.actions)


def test_no_free_slot_goes_on_down_the_ladder(brain: Brain) -> None:
    contact = {"email": "jo@example.com"}
    turn = bot.handle(
        said("agent please"), state(contact), brain, NOW, seen(slots={"powerlink_onboarding": ()})
    )
    assert turn.status == "human"
    assert "I've put this in their queue" in " ".join(texts(turn))


def test_picking_a_slot_books_it_then_hands_off_to_the_queue(brain: Brain) -> None:
    contact = {"email": "jo@example.com"}
    offered = offered_turn(brain, contact).memory["offered"]
    pick = said("Wed 25 Nov 9:00 AM PST")
    first = bot.handle(pick, state(contact, offered), brain, NOW, seen())
    assert need_of(first) == Need("booking", "powerlink_onboarding", FIRST, "jo@example.com")
    booked = Booked("PowerLink onboarding", FIRST, "Priya Nair", "https://x.example/meetings/u.ics")
    turn = bot.handle(pick, state(contact, offered), brain, NOW, seen(booking=booked))
    said_ = " ".join(texts(turn))
    assert "You're booked: PowerLink onboarding, Wed 25 Nov 9:00 AM PST with Priya Nair" in said_
    assert "https://x.example/meetings/u.ics" in said_
    assert "I've put this in their queue; someone will reply within an hour." in said_
    assert turn.status == "human"
    assert turn.decision is not None
    assert turn.decision["ladder"]["step"] == "queue"


def test_a_taken_slot_is_apologised_for_and_fresh_slots_offered(brain: Brain) -> None:
    contact = {"email": "jo@example.com"}
    offered = offered_turn(brain, contact).memory["offered"]
    pick = said("Wed 25 Nov 9:00 AM PST")
    fresh = {"powerlink_onboarding": SLOTS[1:]}
    turn = bot.handle(pick, state(contact, offered), brain, NOW, seen(booking=Taken(), slots=fresh))
    assert texts(turn)[0].startswith("Sorry, that time was just taken.")
    replies = [a for a in turn.actions if isinstance(a, Reply)]
    assert replies[0].options[0] == "Wed 25 Nov 10:00 AM PST"
    assert turn.status is None


def test_without_an_email_the_bot_asks_for_one_before_booking(brain: Brain) -> None:
    offered = offered_turn(brain, {}).memory["offered"]
    turn = bot.handle(said("Wed 25 Nov 9:00 AM PST"), state({}, offered), brain, NOW, seen())
    assert texts(turn) == ["What email address should I send the invitation to?"]
    waiting = turn.memory["offered"]
    answer = said("sure, it's lee@rivercity-electric.com")
    turn = bot.handle(answer, state({}, waiting), brain, NOW, seen())
    assert need_of(turn) == Need(
        "booking", "powerlink_onboarding", FIRST, "lee@rivercity-electric.com"
    )


def test_none_of_these_asks_how_to_reach_a_customer_we_cannot_reach(brain: Brain) -> None:
    offered = offered_turn(brain, {}).memory["offered"]
    turn = bot.handle(said(NONE_OF_THESE), state({}, offered), brain, NOW, seen())
    assert "email address or phone number" in texts(turn)[0]
    turn = bot.handle(said("503-555-0199"), state({}, turn.memory["offered"]), brain, NOW, seen())
    assert turn.status == "human"
    assert turn.memory["answers"].get("phone")
