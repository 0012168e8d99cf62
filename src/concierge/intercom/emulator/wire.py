"""Records as Intercom's API 2.14 JSON objects (ids as strings, times as unix ints).

Where the 2.14 OpenAPI description disagrees with what Intercom sends, the wire follows
Intercom's own examples and the disagreement is noted here:

* ``admin.team_ids``, ``team.admin_ids`` and ``conversation.admin_assignee_id`` /
  ``team_assignee_id`` are integers (the spec says so too), while the ids themselves are
  strings everywhere else.
* ``conversation_part.assigned_to`` / ``metadata`` / ``email_message_metadata`` and
  ``conversation.ai_agent`` are ``null`` in Intercom's examples; the spec marks them
  ``nullable`` only as a sibling of ``$ref``, which OpenAPI 3.0 ignores, so a strict
  validator rejects the ``null``.
* ``data_attribute.data_type`` in responses has no ``options``/``datetime``: list
  attributes are ``string`` with ``options``, date-times are ``date``.
"""

from __future__ import annotations

import json
from typing import Any

from concierge.intercom.emulator.records import (
    Admin,
    AppliedTag,
    Author,
    Contact,
    Conversation,
    DataAttribute,
    Part,
    Source,
    Tag,
    Team,
)
from concierge.intercom.emulator.workspace import Workspace

Json = dict[str, Any]
_HTML_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
AVATAR_URL = "https://static.intercomassets.com/assets/default-avatars/admins/128.png"


def encode(payload: Any) -> bytes:
    """Compact JSON escaped the way Intercom's Rails stack does (``<`` as ``\\u003c``)."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    for raw, escaped in _HTML_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text.encode("utf-8")


def admin_json(admin: Admin) -> Json:
    """An ``admin`` object."""
    return {
        "type": "admin",
        "id": admin.id,
        "name": admin.name,
        "email": admin.email,
        "job_title": admin.job_title,
        "away_mode_enabled": admin.away_mode_enabled,
        "away_mode_reassign": admin.away_mode_reassign,
        "away_status_reason_id": admin.away_status_reason_id,
        "has_inbox_seat": admin.has_inbox_seat,
        "team_ids": [int(team_id) for team_id in admin.team_ids],
        "avatar": None if admin.is_bot else AVATAR_URL,
    }


def me_json(admin: Admin, workspace: Workspace) -> Json:
    """``GET /me``: the admin plus its app (avatar is an object here, unlike ``admin``)."""
    info = workspace.info
    body = admin_json(admin)
    body.pop("away_status_reason_id")
    body["avatar"] = {"type": "avatar", "image_url": AVATAR_URL}
    body["email_verified"] = True
    body["app"] = {
        "type": "app",
        "id_code": info.id,
        "name": info.name,
        "created_at": info.created_at,
        "secure": False,
        "identity_verification": False,
        "timezone": info.timezone,
        "region": info.region,
    }
    return body


def team_json(team: Team, workspace: Workspace) -> Json:
    """A ``team`` object with its members' ids."""
    return {
        "type": "team",
        "id": team.id,
        "name": team.name,
        "admin_ids": [int(admin.id) for admin in workspace.team_members(team.id)],
    }


def author_json(author: Author) -> Json:
    """A ``conversation_part_author``."""
    return {"type": author.kind, "id": author.id, "name": author.name, "email": author.email or ""}


def part_json(part: Part) -> Json:
    """A ``conversation_part``."""
    assigned = part.assigned_to
    return {
        "type": "conversation_part",
        "id": part.id,
        "part_type": part.part_type,
        "body": part.body,
        "created_at": part.created_at,
        "updated_at": part.created_at,
        "notified_at": part.created_at,
        "assigned_to": None if assigned is None else {"type": assigned.kind, "id": assigned.id},
        "author": author_json(part.author),
        "attachments": [_attachment(url) for url in part.attachment_urls],
        "external_id": None,
        "redacted": False,
        "metadata": dict(part.metadata),
        "email_message_metadata": None,
        "state": part.state,
        "tags": [],
        "app_package_code": part.app_package_code,
    }


def _attachment(url: str) -> Json:
    name = url.rstrip("/").rsplit("/", 1)[-1] or "attachment"
    return {
        "type": "upload",
        "name": name,
        "url": url,
        "content_type": "application/octet-stream",
        "filesize": 0,
    }


def source_json(source: Source) -> Json:
    """A ``conversation_source``."""
    return {
        "type": "conversation",
        "id": source.id,
        "delivered_as": source.delivered_as,
        "subject": "",
        "body": source.body,
        "author": author_json(source.author),
        "attachments": [],
        "url": None,
        "redacted": False,
    }


def applied_tag_json(applied: AppliedTag, workspace: Workspace) -> Json:
    """A ``tag`` as applied to a conversation."""
    return {
        "type": "tag",
        "id": applied.tag_id,
        "name": workspace.tags[applied.tag_id].name,
        "applied_at": applied.applied_at,
        "applied_by": {"type": "admin", "id": applied.applied_by},
    }


def tag_json(tag: Tag) -> Json:
    """A ``tag_basic``."""
    return {"type": "tag", "id": tag.id, "name": tag.name}


def conversation_json(
    conversation: Conversation, workspace: Workspace, parts: list[Part] | None = None
) -> Json:
    """A ``conversation``; ``parts`` narrows ``conversation_parts`` (webhooks send new ones)."""
    shown = conversation.parts if parts is None else parts
    return {
        "type": "conversation",
        "id": conversation.id,
        "title": None,
        "created_at": conversation.created_at,
        "updated_at": conversation.updated_at,
        "waiting_since": conversation.waiting_since,
        "snoozed_until": conversation.snoozed_until,
        "open": conversation.state != "closed",
        "state": conversation.state,
        "read": False,
        "priority": "not_priority",
        "admin_assignee_id": _int_or_none(conversation.admin_assignee_id),
        "team_assignee_id": _int_or_none(conversation.team_assignee_id),
        "tags": {
            "type": "tag.list",
            "tags": [applied_tag_json(t, workspace) for t in conversation.tags],
        },
        "conversation_rating": None,
        "source": source_json(conversation.source),
        "contacts": _contact_refs(conversation, workspace),
        "teammates": _teammates(conversation),
        "custom_attributes": {},
        "first_contact_reply": _first_contact_reply(conversation),
        "sla_applied": None,
        "statistics": None,
        "conversation_parts": {
            "type": "conversation_part.list",
            "conversation_parts": [part_json(p) for p in shown],
            "total_count": len(shown),
        },
        "linked_objects": {"type": "list", "data": [], "total_count": 0, "has_more": False},
        "ai_agent": None,
        "ai_agent_participated": False,
    }


def _int_or_none(value: str | None) -> int | None:
    return None if value is None else int(value)


def _contact_refs(conversation: Conversation, workspace: Workspace) -> Json:
    refs = [
        {
            "type": "contact",
            "id": contact_id,
            "external_id": workspace.contacts[contact_id].external_id,
        }
        for contact_id in conversation.contact_ids
    ]
    return {"type": "contact.list", "contacts": refs}


def _teammates(conversation: Conversation) -> Json:
    ids = dict.fromkeys(
        p.author.id for p in conversation.parts if p.author.kind in {"admin", "bot"}
    )
    return {"type": "admin.list", "teammates": [{"type": "admin", "id": i} for i in ids]}


def _first_contact_reply(conversation: Conversation) -> Json | None:
    if conversation.first_contact_reply_at is None:
        return None
    return {"created_at": conversation.first_contact_reply_at, "type": "conversation", "url": None}


def contact_json(contact: Contact, workspace: Workspace) -> Json:
    """A ``contact`` (as ``GET /contacts/{id}`` returns it)."""
    email = contact.email or ""
    url = f"/contacts/{contact.id}"
    return {
        "type": "contact",
        "id": contact.id,
        "workspace_id": workspace.info.id,
        "external_id": contact.external_id,
        "role": contact.role,
        "email": email,
        "email_domain": email.partition("@")[2],
        "phone": contact.phone,
        "name": contact.name,
        "avatar": None
        if contact.avatar is None
        else {"type": "avatar", "image_url": contact.avatar},
        "owner_id": contact.owner_id,
        "social_profiles": {"type": "list", "data": []},
        "has_hard_bounced": False,
        "marked_email_as_spam": False,
        "unsubscribed_from_emails": contact.unsubscribed_from_emails,
        "created_at": contact.created_at,
        "updated_at": contact.updated_at,
        "signed_up_at": contact.signed_up_at,
        "last_seen_at": contact.last_seen_at,
        "last_replied_at": contact.last_replied_at,
        "last_contacted_at": None,
        "last_email_opened_at": None,
        "last_email_clicked_at": None,
        "language_override": None,
        "browser": None,
        "browser_version": None,
        "browser_language": None,
        "os": None,
        "location": {"type": "location", "country": None, "region": None, "city": None},
        "custom_attributes": dict(contact.custom_attributes),
        "tags": _sublist(url + "/tags"),
        "notes": _sublist(url + "/notes"),
        "companies": _sublist(url + "/companies"),
        "enabled_push_messaging": None,
    }


def _sublist(url: str) -> Json:
    return {"type": "list", "data": [], "url": url, "total_count": 0, "has_more": False}


def data_attribute_json(attribute: DataAttribute) -> Json:
    """A ``data_attribute``; built-in ones carry no id, creator or timestamps."""
    body: Json = {
        "type": "data_attribute",
        "name": attribute.name,
        "full_name": attribute.full_name,
        "label": attribute.label,
        "description": attribute.description,
        "data_type": attribute.data_type,
        "api_writable": attribute.api_writable,
        "ui_writable": attribute.ui_writable,
        "messenger_writable": attribute.messenger_writable,
        "custom": attribute.custom,
        "archived": attribute.archived,
        "model": attribute.model,
    }
    if attribute.options is not None:
        body["options"] = list(attribute.options)
    if attribute.custom:
        body.update(
            id=attribute.id,
            admin_id=attribute.admin_id,
            created_at=attribute.created_at,
            updated_at=attribute.updated_at,
        )
    return body
