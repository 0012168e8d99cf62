"""Turn a :class:`Seed` into a populated :class:`Workspace`."""

from __future__ import annotations

import time
from collections.abc import Callable

from concierge.intercom.emulator import inbox
from concierge.intercom.emulator.errors import EmulatorError
from concierge.intercom.emulator.records import Admin, Contact, DataAttribute, Tag, Team
from concierge.intercom.emulator.seed import ContactSeed, ConversationSeed, MessageSeed, Seed
from concierge.intercom.emulator.standard_attributes import standard_attributes
from concierge.intercom.emulator.workspace import Workspace, WorkspaceInfo


class SeedError(EmulatorError):
    """A seed that refers to something it does not define."""


def build_workspace(
    seed: Seed, bot_admin_id: str, clock: Callable[[], float] = time.time
) -> Workspace:
    """A workspace holding everything the seed describes, plus the app's bot admin."""
    info = WorkspaceInfo(
        id=seed.workspace_id,
        name=seed.workspace_name,
        region=seed.region,
        timezone=seed.timezone,
        created_at=seed.created_at,
    )
    workspace = Workspace(info, bot_admin_id, clock)
    _add_directory(workspace, seed)
    _add_attributes(workspace, seed)
    for contact in seed.contacts:
        workspace.contacts[contact.id] = _contact(workspace, contact)
    for tag in seed.tags:
        workspace.tags[tag.id] = Tag(id=tag.id, name=tag.name)
    for conversation in seed.conversations:
        _add_conversation(workspace, conversation)
    return workspace


def _add_directory(workspace: Workspace, seed: Seed) -> None:
    for team in seed.teams:
        workspace.teams[team.id] = Team(id=team.id, name=team.name)
    for admin in seed.admins:
        workspace.admins[admin.id] = Admin(
            **admin.model_dump(exclude={"team_ids"}), team_ids=list(admin.team_ids)
        )
    workspace.admins[workspace.bot_admin_id] = Admin(
        id=workspace.bot_admin_id,
        name=seed.bot_name,
        email=f"operator+{seed.workspace_id}@intercom.io",
        has_inbox_seat=False,
        is_bot=True,
    )


def _add_attributes(workspace: Workspace, seed: Seed) -> None:
    workspace.attributes = standard_attributes()
    for number, attribute in enumerate(seed.data_attributes, start=1):
        workspace.attributes.append(
            DataAttribute(
                name=attribute.name,
                model="contact",
                data_type=attribute.data_type,
                label=attribute.label or attribute.name,
                custom=True,
                id=number,
                description=attribute.description,
                options=list(attribute.options) if attribute.options is not None else None,
                admin_id=workspace.bot_admin_id,
                created_at=seed.created_at,
                updated_at=seed.created_at,
            )
        )


def _contact(workspace: Workspace, seed: ContactSeed) -> Contact:
    known = bool(seed.email or seed.external_id)
    return Contact(
        id=seed.id,
        role="user" if known else "lead",
        created_at=workspace.info.created_at,
        updated_at=workspace.info.created_at,
        email=seed.email,
        name=seed.name,
        phone=seed.phone,
        external_id=seed.external_id,
        signed_up_at=workspace.info.created_at if known else None,
        custom_attributes=dict(seed.custom_attributes),
    )


def _add_conversation(workspace: Workspace, seed: ConversationSeed) -> None:
    if seed.contact_id not in workspace.contacts:
        raise SeedError(f"conversation {seed.id}: unknown contact {seed.contact_id}")
    contact = workspace.contacts[seed.contact_id]
    first, *rest = seed.messages
    conversation = inbox.start_conversation(workspace, contact, first.body)
    del workspace.conversations[conversation.id]
    conversation.id = seed.id
    workspace.conversations[seed.id] = conversation
    for message in rest:
        _add_message(workspace, conversation.id, message)
    conversation.state = seed.state
    conversation.admin_assignee_id = seed.admin_assignee_id
    conversation.team_assignee_id = seed.team_assignee_id
    for tag_id in seed.tag_ids:
        inbox.tag_conversation(
            workspace, conversation, workspace.tag(tag_id), workspace.admins[workspace.bot_admin_id]
        )


def _add_message(workspace: Workspace, conversation_id: str, message: MessageSeed) -> None:
    conversation = workspace.conversations[conversation_id]
    if message.author_id in workspace.contacts:
        inbox.contact_reply(
            workspace, conversation, workspace.contacts[message.author_id], message.body
        )
    elif message.author_id in workspace.admins:
        inbox.admin_reply(
            workspace,
            conversation,
            workspace.admins[message.author_id],
            message.part_type,
            message.body,
        )
    else:
        raise SeedError(f"conversation {conversation_id}: unknown author {message.author_id}")
