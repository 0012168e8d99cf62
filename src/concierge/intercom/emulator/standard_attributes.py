"""Intercom's built-in (non-custom) data attributes, as ``GET /data_attributes`` lists them."""

from __future__ import annotations

from concierge.intercom.emulator.records import AttributeType, DataAttribute

_CONTACT: tuple[tuple[str, AttributeType, str, bool], ...] = (
    ("id", "string", "ID", False),
    ("external_id", "string", "User ID", True),
    ("role", "string", "Role", True),
    ("name", "string", "Name", True),
    ("email", "string", "Email", True),
    ("email_domain", "string", "Email domain", False),
    ("phone", "string", "Phone", True),
    ("avatar", "string", "Avatar", True),
    ("owner_id", "integer", "Owner", True),
    ("unsubscribed_from_emails", "boolean", "Unsubscribed from emails", True),
    ("created_at", "date", "First seen", False),
    ("signed_up_at", "date", "Signed up", True),
    ("updated_at", "date", "Last updated", False),
    ("last_seen_at", "date", "Last seen", True),
    ("last_replied_at", "date", "Last replied", False),
    ("last_contacted_at", "date", "Last contacted", False),
    ("language_override", "string", "Language override", True),
    ("browser", "string", "Browser", False),
    ("os", "string", "OS", False),
    ("location.country", "string", "Country", False),
    ("location.city", "string", "City", False),
)

_COMPANY: tuple[tuple[str, AttributeType, str, bool], ...] = (
    ("id", "string", "ID", False),
    ("company_id", "string", "Company ID", False),
    ("name", "string", "Company name", True),
    ("industry", "string", "Company industry", True),
    ("size", "integer", "Company size", True),
    ("monthly_spend", "float", "Monthly Spend", True),
    ("website", "string", "Company website", True),
    ("created_at", "date", "Created at", False),
)


def standard_attributes() -> list[DataAttribute]:
    """Fresh records of the built-in contact and company attributes."""
    contact = [
        DataAttribute(name=name, model="contact", data_type=kind, label=label, api_writable=api)
        for name, kind, label, api in _CONTACT
    ]
    company = [
        DataAttribute(name=name, model="company", data_type=kind, label=label, api_writable=api)
        for name, kind, label, api in _COMPANY
    ]
    return contact + company
