"""What happens to conversations: start, reply, note, assign, close, open, snooze, tag.

Each operation changes the workspace's records the way Intercom's inbox does and returns
the part it added, so the caller can answer the request and send the matching webhook.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, Literal

from concierge.intercom.emulator.errors import not_found
from concierge.intercom.emulator.records import (
    Admin,
    AppliedTag,
    Assignee,
    Author,
    Contact,
    Conversation,
    Part,
    Source,
    Tag,
)
from concierge.intercom.emulator.workspace import Workspace

UNASSIGNED = "0"


def html_body(text: str) -> str:
    """Intercom stores message bodies as HTML: plain text becomes ``<p>`` paragraphs."""
    if text.lstrip().startswith("<"):
        return text
    lines = [line for line in text.splitlines() if line.strip()] or [text]
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def start_conversation(workspace: Workspace, contact: Contact, body: str) -> Conversation:
    """A contact writes in through the Messenger: a new open, unassigned conversation."""
    now = workspace.now()
    source = Source(
        id=workspace.new_id("source"),
        body=html_body(body),
        author=workspace.contact_author(contact),
        delivered_as="customer_initiated",
        created_at=now,
    )
    conversation = Conversation(
        id=workspace.new_id("conversation"),
        source=source,
        contact_ids=[contact.id],
        created_at=now,
        updated_at=now,
        waiting_since=now,
        first_contact_reply_at=now,
    )
    workspace.conversations[conversation.id] = conversation
    contact.last_replied_at = now
    return conversation


def add_part(
    workspace: Workspace,
    conversation: Conversation,
    part_type: str,
    author: Author,
    body: str | None = None,
    **extra: Any,
) -> Part:
    """Append a part (after the conversation's state changed) and bump ``updated_at``."""
    now = workspace.now()
    part = Part(
        id=workspace.new_id("part"),
        part_type=part_type,
        body=None if body is None else html_body(body),
        author=author,
        created_at=now,
        state=conversation.state,
        **extra,
    )
    conversation.parts.append(part)
    conversation.updated_at = now
    return part


def contact_reply(
    workspace: Workspace,
    conversation: Conversation,
    contact: Contact,
    body: str,
    attachment_urls: Sequence[str] = (),
) -> Part:
    """The contact writes again: the conversation reopens and waits for a teammate."""
    now = workspace.now()
    conversation.state = "open"
    conversation.snoozed_until = None
    conversation.waiting_since = conversation.waiting_since or now
    conversation.first_contact_reply_at = conversation.first_contact_reply_at or now
    if contact.id not in conversation.contact_ids:
        conversation.contact_ids.append(contact.id)
    contact.last_replied_at = now
    author = workspace.contact_author(contact)
    return add_part(
        workspace, conversation, "comment", author, body, attachment_urls=list(attachment_urls)
    )


def admin_reply(
    workspace: Workspace,
    conversation: Conversation,
    admin: Admin,
    message_type: Literal["comment", "note", "quick_reply"],
    body: str | None,
    **extra: Any,
) -> Part:
    """A teammate (or the bot) replies, writes a note, or offers quick replies."""
    if message_type != "note":
        conversation.waiting_since = None
    author = workspace.admin_author(admin)
    return add_part(workspace, conversation, message_type, author, body, **extra)


def _assignee(workspace: Workspace, kind: Literal["admin", "team"], assignee_id: str) -> Assignee:
    if assignee_id == UNASSIGNED:
        return Assignee(kind="nobody_admin", id=None)
    known = workspace.admins if kind == "admin" else workspace.teams
    if assignee_id not in known:
        raise not_found("Assignee not found", code="assignee_not_found")
    return Assignee(kind=kind, id=assignee_id)


def assign(
    workspace: Workspace,
    conversation: Conversation,
    actor: Admin,
    kind: Literal["admin", "team"],
    assignee_id: str,
    body: str | None = None,
    app_package_code: str | None = None,
) -> Part:
    """Assign to an admin or a team (``"0"`` unassigns); a closed conversation reopens."""
    assignee = _assignee(workspace, kind, assignee_id)
    if kind == "admin":
        conversation.admin_assignee_id = assignee.id
    else:
        conversation.team_assignee_id = assignee.id
    reopened = conversation.state == "closed"
    if reopened:
        conversation.state = "open"
    part_type = "assign_and_reopen" if reopened else "assignment"
    return add_part(
        workspace,
        conversation,
        part_type,
        workspace.admin_author(actor),
        body,
        assigned_to=assignee,
        app_package_code=app_package_code,
    )


def close(
    workspace: Workspace,
    conversation: Conversation,
    actor: Admin,
    body: str | None = None,
    app_package_code: str | None = None,
) -> Part:
    """Close the conversation (optionally with a closing message)."""
    conversation.state = "closed"
    conversation.snoozed_until = None
    return add_part(
        workspace,
        conversation,
        "close",
        workspace.admin_author(actor),
        body,
        app_package_code=app_package_code,
    )


def reopen(
    workspace: Workspace,
    conversation: Conversation,
    actor: Admin,
    app_package_code: str | None = None,
) -> Part:
    """Open a closed or snoozed conversation."""
    conversation.state = "open"
    conversation.snoozed_until = None
    return add_part(
        workspace,
        conversation,
        "open",
        workspace.admin_author(actor),
        app_package_code=app_package_code,
    )


def snooze(
    workspace: Workspace,
    conversation: Conversation,
    actor: Admin,
    until: int,
    app_package_code: str | None = None,
) -> Part:
    """Snooze until a unix time (a contact reply unsnoozes it)."""
    conversation.state = "snoozed"
    conversation.snoozed_until = until
    return add_part(
        workspace,
        conversation,
        "snoozed",
        workspace.admin_author(actor),
        app_package_code=app_package_code,
    )


def upsert_tag(workspace: Workspace, name: str, tag_id: str | None = None) -> Tag:
    """``POST /tags``: rename the tag ``tag_id``, else find by name (any case), else create."""
    if tag_id is not None:
        tag = workspace.tag(tag_id)
        tag.name = name
        return tag
    wanted = name.casefold()
    existing = next((t for t in workspace.tags.values() if t.name.casefold() == wanted), None)
    if existing is not None:
        return existing
    tag = Tag(id=workspace.new_id("tag"), name=name)
    workspace.tags[tag.id] = tag
    return tag


def tag_conversation(
    workspace: Workspace, conversation: Conversation, tag: Tag, admin: Admin
) -> AppliedTag:
    """Apply a tag (applying it twice keeps the first application)."""
    for applied in conversation.tags:
        if applied.tag_id == tag.id:
            return applied
    applied = AppliedTag(tag_id=tag.id, applied_at=workspace.now(), applied_by=admin.id)
    conversation.tags.append(applied)
    return applied


def untag_conversation(conversation: Conversation, tag: Tag) -> None:
    """Remove a tag from a conversation, or Intercom's 404 when it is not applied."""
    remaining = [applied for applied in conversation.tags if applied.tag_id != tag.id]
    if len(remaining) == len(conversation.tags):
        raise not_found("Tag not found", code="tag_not_found")
    conversation.tags = remaining
