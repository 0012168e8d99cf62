"""REST endpoints on contacts: read and update (custom attributes must already exist)."""

from __future__ import annotations

from concierge.intercom.emulator import people, wire
from concierge.intercom.emulator.bodies import ContactUpdateRequest, parse
from concierge.intercom.emulator.exchange import Call, EmulatorResponse, ok


def get_contact(call: Call) -> EmulatorResponse:
    """``GET /contacts/{contact_id}``."""
    contact = call.workspace.contact(call.params["contact_id"])
    return ok(wire.contact_json(contact, call.workspace))


def update_contact(call: Call) -> EmulatorResponse:
    """``PUT /contacts/{contact_id}``: change only the fields sent."""
    request = parse(ContactUpdateRequest, call.body)
    contact = call.workspace.contact(call.params["contact_id"])
    people.update_contact(call.workspace, contact, request.model_dump(exclude_unset=True))
    return ok(wire.contact_json(contact, call.workspace))
