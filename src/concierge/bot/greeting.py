"""The simplest behaviour: greet a new conversation once, stay silent for humans.

Today the bot greets a new conversation once with the playbook's greeting, records every
message, and falls silent once a human teammate owns the conversation.
"""

from __future__ import annotations

from concierge.domain.actions import Reply, Turn
from concierge.domain.conversation import ConversationEvent, ConversationState
from concierge.playbook import Playbook

HUMAN_OWNED = "human"


def handle(event: ConversationEvent, state: ConversationState, playbook: Playbook) -> Turn:
    """Decide what to do about one conversation event."""
    if event.topic in {"conversation.admin.assigned", "conversation.admin.open.assigned"}:
        return _on_assignment(event, state)
    if event.topic == "conversation.admin.closed":
        return Turn(status="closed")
    if not event.customer_messages or state.status == HUMAN_OWNED:
        return Turn()
    if not state.greeted:
        return Turn(actions=[Reply(body=playbook.greeting)], greeted=True, status="bot")
    return Turn()


def _on_assignment(event: ConversationEvent, state: ConversationState) -> Turn:
    if event.assignee_admin_id and event.assignee_admin_id != "0":
        return Turn(status=HUMAN_OWNED)
    return Turn(status=state.status)
