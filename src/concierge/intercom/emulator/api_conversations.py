"""REST endpoints on conversations: read, reply, manage (assign/close/open/snooze), tag.

Every change sends the webhook Intercom would send. For reply-like topics the item is the
conversation whose ``conversation_parts`` holds only the new part; parts written through
the API by an admin carry the app's ``app_package_code`` (bots use it to skip their echo).
"""

from __future__ import annotations

from typing import Any

from concierge.intercom.emulator import inbox, wire
from concierge.intercom.emulator.bodies import (
    PART_REQUESTS,
    REPLY_REQUESTS,
    AdminReplyRequest,
    AssignRequest,
    CloseRequest,
    ContactReplyRequest,
    OpenRequest,
    PartRequest,
    TagConversationRequest,
    UntagConversationRequest,
    parse,
    parse_tagged,
)
from concierge.intercom.emulator.errors import invalid, not_found
from concierge.intercom.emulator.exchange import Call, EmulatorResponse, ok
from concierge.intercom.emulator.records import Admin, Contact, Conversation, Part

REPLY_TOPICS = {
    "comment": "conversation.admin.replied",
    "quick_reply": "conversation.admin.replied",
    "note": "conversation.admin.noted",
}


def get_conversation(call: Call) -> EmulatorResponse:
    """``GET /conversations/{conversation_id}`` with all its parts."""
    conversation = call.workspace.conversation(call.params["conversation_id"])
    return ok(wire.conversation_json(conversation, call.workspace))


def reply(call: Call) -> EmulatorResponse:
    """``POST /conversations/{conversation_id}/reply`` as an admin or as a contact."""
    request = parse_tagged(REPLY_REQUESTS, "type", call.body)
    if isinstance(request, ContactReplyRequest):
        return _contact_reply(call, request)
    return _admin_reply(call, request)


def _admin_reply(call: Call, request: AdminReplyRequest) -> EmulatorResponse:
    conversation = call.workspace.conversation(call.params["conversation_id"])
    admin = call.workspace.admin(request.admin_id)
    metadata: dict[str, Any] = {}
    if request.reply_options:
        metadata["quick_reply_options"] = [option.model_dump() for option in request.reply_options]
    part = inbox.admin_reply(
        call.workspace,
        conversation,
        admin,
        request.message_type,
        request.body,
        attachment_urls=list(request.attachment_urls),
        metadata=metadata,
        app_package_code=call.app_package_code,
    )
    return _answer(call, conversation, part, REPLY_TOPICS[request.message_type])


def _contact_reply(call: Call, request: ContactReplyRequest) -> EmulatorResponse:
    contact = _replying_contact(call, request)
    conversation = _conversation_for(call, contact)
    part = inbox.contact_reply(
        call.workspace, conversation, contact, request.body, request.attachment_urls
    )
    return _answer(call, conversation, part, "conversation.user.replied")


def _replying_contact(call: Call, request: ContactReplyRequest) -> Contact:
    workspace = call.workspace
    if request.intercom_user_id is not None:
        return workspace.contact(request.intercom_user_id)
    found = workspace.contact_where(email=request.email, external_id=request.user_id)
    if found is None:
        raise not_found("User Not Found")
    return found


def _conversation_for(call: Call, contact: Contact) -> Conversation:
    """The conversation in the path; ``last`` means the contact's latest conversation."""
    conversation_id = call.params["conversation_id"]
    if conversation_id != "last":
        return call.workspace.conversation(conversation_id)
    theirs = [c for c in call.workspace.conversations.values() if contact.id in c.contact_ids]
    if not theirs:
        raise not_found()
    return max(theirs, key=lambda c: (c.created_at, int(c.id) if c.id.isdigit() else 0))


def manage(call: Call) -> EmulatorResponse:
    """``POST /conversations/{conversation_id}/parts``: assignment, close, open, snoozed."""
    request = parse_tagged(PART_REQUESTS, "message_type", call.body)
    conversation = call.workspace.conversation(call.params["conversation_id"])
    actor = call.workspace.admin(request.admin_id)
    part, topic = _apply(call, conversation, actor, request)
    return _answer(call, conversation, part, topic)


def _apply(
    call: Call, conversation: Conversation, actor: Admin, request: PartRequest
) -> tuple[Part, str]:
    workspace, code = call.workspace, call.app_package_code
    if isinstance(request, AssignRequest):
        part = inbox.assign(
            workspace,
            conversation,
            actor,
            request.type,
            request.assignee_id,
            request.body,
            app_package_code=code,
        )
        return part, "conversation.admin.assigned"
    if isinstance(request, CloseRequest):
        part = inbox.close(workspace, conversation, actor, request.body, app_package_code=code)
        return part, "conversation.admin.closed"
    if isinstance(request, OpenRequest):
        return inbox.reopen(workspace, conversation, actor, code), "conversation.admin.opened"
    if request.snoozed_until <= workspace.now():
        raise invalid("snoozed_until must be a unix time in the future")
    part = inbox.snooze(workspace, conversation, actor, request.snoozed_until, code)
    return part, "conversation.admin.snoozed"


def _answer(call: Call, conversation: Conversation, part: Part, topic: str) -> EmulatorResponse:
    item = wire.conversation_json(conversation, call.workspace, parts=[part])
    call.notify(topic, item)
    return ok(wire.conversation_json(conversation, call.workspace))


def add_tag(call: Call) -> EmulatorResponse:
    """``POST /conversations/{conversation_id}/tags``: apply an existing tag."""
    request = parse(TagConversationRequest, call.body)
    conversation = _tagged_conversation(call)
    tag = call.workspace.tag(request.id)
    admin = call.workspace.admin(request.admin_id)
    applied = inbox.tag_conversation(call.workspace, conversation, tag, admin)
    return ok(wire.applied_tag_json(applied, call.workspace))


def remove_tag(call: Call) -> EmulatorResponse:
    """``DELETE /conversations/{conversation_id}/tags/{tag_id}``."""
    request = parse(UntagConversationRequest, call.body)
    conversation = _tagged_conversation(call)
    tag = call.workspace.tag(call.params["tag_id"])
    call.workspace.admin(request.admin_id)
    inbox.untag_conversation(conversation, tag)
    return ok(wire.tag_json(tag))


def _tagged_conversation(call: Call) -> Conversation:
    conversation_id = call.params["conversation_id"]
    if conversation_id not in call.workspace.conversations:
        raise not_found("Conversation not found")
    return call.workspace.conversations[conversation_id]
