"""The bot's decisions for one event, with the shipped Portlandia playbook."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from concierge import bot
from concierge.domain.actions import Assign, Reply, Tag, Turn
from concierge.domain.conversation import (
    AuthorKind,
    Contact,
    ConversationEvent,
    ConversationState,
    Message,
)
from concierge.playbook.brain import Brain, load_brain

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # Tuesday 10:00 Pacific: Sales is open


@pytest.fixture(scope="module")
def brain() -> Brain:
    models = Path(tempfile.gettempdir()) / "concierge-test-models" / "portlandia"
    return load_brain(ROOT / "intents", models)


def said(text: str, topic: str = "conversation.user.replied") -> ConversationEvent:
    message = Message("c1", "p1", AuthorKind.CUSTOMER, "u1", text, 1)
    return ConversationEvent(
        topic=topic, conversation_id="c1", contact=Contact(id="u1"), messages=(message,)
    )


def replies(turn: Turn) -> list[Reply]:
    return [a for a in turn.actions if isinstance(a, Reply) and a.message_type != "note"]


def test_first_message_is_welcomed_and_answered(brain: Brain) -> None:
    turn = bot.handle(
        said("we need a quote for 300 LED high-bays", "conversation.user.created"),
        ConversationState("c1"),
        brain,
        NOW,
    )
    texts = [r.body for r in replies(turn)]
    assert texts[0].startswith("Thanks for reaching out to Portlandia Electric Supply!")
    assert turn.memory["flow_state"]["flow"] == "commercial_quote"
    assert turn.memory["answers"]["quantity"] == 300
    assert turn.decision is not None
    assert turn.decision["intent"] == "quote_request"


def test_person_request_hands_off_with_assignment_note_and_honest_words(brain: Brain) -> None:
    turn = bot.handle(
        said("can I talk to a person?"), ConversationState("c1", greeted=True), brain, NOW
    )
    assert turn.status == "human"
    assert any(isinstance(a, Assign) for a in turn.actions)
    notes = [a for a in turn.actions if isinstance(a, Reply) and a.message_type == "note"]
    assert notes
    assert "Concierge hand-off" in notes[0].body
    assert turn.memory["route"]["team"]


def test_nonsense_goes_down_the_fallback_ladder_not_to_a_wrong_answer(brain: Brain) -> None:
    state = ConversationState("c1", greeted=True)
    first = bot.handle(said("blorp fnar zzyx"), state, brain, NOW)
    assert not any(isinstance(a, Assign) for a in first.actions)
    assert first.memory["fallback_count"] == 1
    third = bot.handle(
        said("blorp fnar zzyx"), ConversationState("c1", greeted=True, fallback_count=2), brain, NOW
    )
    assert third.status == "human"


def test_bot_is_silent_while_a_human_owns_the_conversation(brain: Brain) -> None:
    turn = bot.handle(said("hello?"), ConversationState("c1", status="human"), brain, NOW)
    assert turn.actions == []


def test_assignment_to_an_agent_hands_the_conversation_to_a_human(brain: Brain) -> None:
    event = ConversationEvent(
        topic="conversation.admin.assigned",
        conversation_id="c1",
        contact=Contact(),
        assignee_admin_id="42",
    )
    assert bot.handle(event, ConversationState("c1"), brain, NOW).status == "human"


def test_echo_of_the_bots_own_reply_causes_nothing(brain: Brain) -> None:
    echo = Message("c1", "p2", AuthorKind.BOT, "9000001", "Hello", 2)
    event = ConversationEvent(
        topic="conversation.admin.replied",
        conversation_id="c1",
        contact=Contact(),
        messages=(echo,),
    )
    assert bot.handle(event, ConversationState("c1"), brain, NOW).actions == []


def test_completed_quote_is_tagged_through_the_hand_off(brain: Brain) -> None:
    flow = {
        "version": 1,
        "flow": "commercial_quote",
        "intent": "quote_request",
        "status": "confirming",
        "pending": None,
        "answers": {
            "segment": "commercial",
            "product": "LED high-bay",
            "quantity": 300,
            "branch": "Portland",
            "timeline": "2026-12-15",
            "email": "ada@northwind.com",
        },
        "skipped": ["budget"],
        "attempts": {},
        "reason": None,
    }
    state = ConversationState("c1", greeted=True, flow_state=flow, answers=flow["answers"])
    turn = bot.handle(said("yes"), state, brain, NOW)
    assert turn.status == "human"
    assert any(isinstance(a, Tag) for a in turn.actions)
    assert turn.memory["score"]["label"] in {"hot", "warm", "cold"}
