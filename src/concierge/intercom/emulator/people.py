"""Contacts and their data attributes: create, update, and Intercom's attribute rules.

Custom attributes must exist as data attributes before a contact can carry them, and values
must fit the attribute's type — otherwise Intercom answers 400, and so does the emulator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from concierge.intercom.emulator.errors import ApiError, invalid
from concierge.intercom.emulator.records import AttributeType, Contact, DataAttribute
from concierge.intercom.emulator.workspace import Workspace

_VALID_NAME = re.compile(r"^[^.$\[\]\"]+$")
_PLAIN_FIELDS = (
    "role",
    "external_id",
    "email",
    "phone",
    "name",
    "avatar",
    "signed_up_at",
    "last_seen_at",
    "owner_id",
    "unsubscribed_from_emails",
)


def create_contact(
    workspace: Workspace,
    *,
    email: str | None = None,
    name: str | None = None,
    custom_attributes: Mapping[str, Any] | None = None,
) -> Contact:
    """A new contact: a user when an email is known, otherwise a lead."""
    check_custom_attributes(workspace, custom_attributes or {})
    now = workspace.now()
    contact = Contact(
        id=workspace.new_id("contact"),
        role="user" if email else "lead",
        created_at=now,
        updated_at=now,
        email=email,
        name=name,
        signed_up_at=now if email else None,
        last_seen_at=now,
        custom_attributes=dict(custom_attributes or {}),
    )
    workspace.contacts[contact.id] = contact
    return contact


def find_or_create_contact(
    workspace: Workspace,
    *,
    email: str | None,
    name: str | None,
    custom_attributes: Mapping[str, Any] | None = None,
) -> Contact:
    """The contact with this email (updated with name and attributes), or a new one."""
    existing = workspace.contact_where(email=email) if email else None
    if existing is None:
        return create_contact(
            workspace, email=email, name=name, custom_attributes=custom_attributes
        )
    changes: dict[str, Any] = {"custom_attributes": dict(custom_attributes or {})}
    if name:
        changes["name"] = name
    return update_contact(workspace, existing, changes)


def update_contact(workspace: Workspace, contact: Contact, changes: Mapping[str, Any]) -> Contact:
    """``PUT /contacts/{id}``: set the given fields; custom attributes merge into existing."""
    custom = changes.get("custom_attributes") or {}
    check_custom_attributes(workspace, custom)
    _check_owner(workspace, changes.get("owner_id"))
    for field in _PLAIN_FIELDS:
        if field in changes:
            setattr(contact, field, changes[field])
    contact.custom_attributes.update(custom)
    contact.updated_at = workspace.now()
    return contact


def _check_owner(workspace: Workspace, owner_id: int | None) -> None:
    if owner_id is not None and str(owner_id) not in workspace.admins:
        raise invalid(f"owner_id {owner_id} is not an admin of this workspace")


def check_custom_attributes(workspace: Workspace, values: Mapping[str, Any]) -> None:
    """Every key must be an existing custom attribute, every value fit its type."""
    for name, value in values.items():
        attribute = workspace.custom_attribute(name)
        if attribute is None:
            raise ApiError(400, "parameter_not_found", f"Custom attribute '{name}' does not exist")
        if value is not None and not _fits(attribute, value):
            raise invalid(
                f"Custom attribute '{name}' must be {_expected(attribute)}, got {value!r}"
            )


_TYPE_CHECKS: dict[AttributeType, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "date": lambda v: isinstance(v, int) and not isinstance(v, bool),
}


def _fits(attribute: DataAttribute, value: Any) -> bool:
    if not _TYPE_CHECKS[attribute.data_type](value):
        return False
    return attribute.options is None or value in attribute.options


def _expected(attribute: DataAttribute) -> str:
    if attribute.options is not None:
        return "one of " + ", ".join(repr(option) for option in attribute.options)
    article = "an" if attribute.data_type == "integer" else "a"
    suffix = " (unix timestamp)" if attribute.data_type == "date" else ""
    return f"{article} {attribute.data_type}{suffix}"


def _messenger_type(value: Any) -> AttributeType:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return "float" if isinstance(value, float) else "string"


def ensure_messenger_attributes(workspace: Workspace, values: Mapping[str, Any]) -> None:
    """Attributes set from the Messenger (``Intercom('boot', {...})``) are created on first
    use, as Intercom does, with a type taken from the value."""
    for name, value in values.items():
        if workspace.custom_attribute(name) is None:
            create_attribute(
                workspace,
                name=name,
                model="contact",
                data_type=_messenger_type(value),
                messenger_writable=True,
            )


def create_attribute(
    workspace: Workspace,
    *,
    name: str,
    model: Literal["contact", "company"],
    data_type: AttributeType,
    description: str = "",
    options: list[str] | None = None,
    messenger_writable: bool = False,
) -> DataAttribute:
    """``POST /data_attributes``: a new custom attribute, with Intercom's name rules."""
    _check_new_name(workspace, model, name)
    now = workspace.now()
    attribute = DataAttribute(
        name=name,
        model=model,
        data_type=data_type,
        label=name,
        custom=True,
        id=int(workspace.new_id("attribute")),
        description=description,
        options=options,
        messenger_writable=messenger_writable,
        admin_id=workspace.bot_admin_id,
        created_at=now,
        updated_at=now,
    )
    workspace.attributes.append(attribute)
    return attribute


def _check_new_name(workspace: Workspace, model: str, name: str) -> None:
    if not name.strip() or not _VALID_NAME.match(name):
        raise invalid(
            "Your name for this attribute must only contain alphanumeric characters, "
            "currency symbols, and hyphens"
        )
    if workspace.attribute(model, name) is not None:
        raise invalid(
            f"You already have '{name}' in your {model} data. "
            f"To save this as new {model} data, use a different name."
        )


def attributes_of(
    workspace: Workspace, model: str | None, include_archived: bool = False
) -> list[DataAttribute]:
    """``GET /data_attributes``: the attributes of a model (all models when None)."""
    return [
        attribute
        for attribute in workspace.attributes
        if (model is None or attribute.model == model)
        and (include_archived or not attribute.archived)
    ]
