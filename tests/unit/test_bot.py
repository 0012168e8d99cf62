"""The bot's decisions for one event."""

from __future__ import annotations

from concierge import bot
from concierge.domain.actions import Reply
from concierge.domain.conversation import (
    AuthorKind,
    Contact,
    ConversationEvent,
    ConversationState,
    Message,
)
from concierge.playbook import Playbook

PLAYBOOK = Playbook(name="t", greeting="Hello from the test playbook", business="Test Co")


def customer_event(topic: str = "conversation.user.created") -> ConversationEvent:
    message = Message("c1", "p1", AuthorKind.CUSTOMER, "u1", "hi there", 1)
    return ConversationEvent(
        topic=topic, conversation_id="c1", contact=Contact(id="u1"), messages=(message,)
    )


def test_new_conversation_is_greeted_once_with_the_playbook_greeting() -> None:
    turn = bot.handle(customer_event(), ConversationState("c1"), PLAYBOOK)
    assert turn.actions == [Reply(body="Hello from the test playbook")]
    assert turn.greeted is True
    again = bot.handle(
        customer_event("conversation.user.replied"), ConversationState("c1", greeted=True), PLAYBOOK
    )
    assert again.actions == []


def test_bot_is_silent_while_a_human_owns_the_conversation() -> None:
    turn = bot.handle(customer_event(), ConversationState("c1", status="human"), PLAYBOOK)
    assert turn.actions == []


def test_assignment_to_an_agent_hands_the_conversation_to_a_human() -> None:
    event = ConversationEvent(
        topic="conversation.admin.assigned",
        conversation_id="c1",
        contact=Contact(),
        assignee_admin_id="42",
    )
    assert bot.handle(event, ConversationState("c1"), PLAYBOOK).status == "human"


def test_echo_of_the_bots_own_reply_causes_nothing() -> None:
    echo = Message("c1", "p2", AuthorKind.BOT, "9000001", "Hello", 2)
    event = ConversationEvent(
        topic="conversation.admin.replied",
        conversation_id="c1",
        contact=Contact(),
        messages=(echo,),
    )
    assert bot.handle(event, ConversationState("c1"), PLAYBOOK).actions == []
