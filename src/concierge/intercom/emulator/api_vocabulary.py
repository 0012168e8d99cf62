"""REST endpoints on the workspace's vocabulary: tags and data attributes."""

from __future__ import annotations

from concierge.intercom.emulator import inbox, people, wire
from concierge.intercom.emulator.bodies import DataAttributeRequest, TagRequest, parse
from concierge.intercom.emulator.errors import invalid
from concierge.intercom.emulator.exchange import Call, EmulatorResponse, ok
from concierge.intercom.emulator.records import AttributeType

ATTRIBUTE_MODELS = ("contact", "company", "conversation")


def list_tags(call: Call) -> EmulatorResponse:
    """``GET /tags``."""
    return ok({"type": "list", "data": [wire.tag_json(t) for t in call.workspace.tags.values()]})


def upsert_tag(call: Call) -> EmulatorResponse:
    """``POST /tags``: create a tag, or rename the one with ``id`` (idempotent by name)."""
    request = parse(TagRequest, call.body)
    return ok(wire.tag_json(inbox.upsert_tag(call.workspace, request.name, request.id)))


def list_data_attributes(call: Call) -> EmulatorResponse:
    """``GET /data_attributes?model=contact|company|conversation&include_archived=…``."""
    model = call.query.get("model")
    if model is not None and model not in ATTRIBUTE_MODELS:
        raise invalid(f"model must be one of {', '.join(ATTRIBUTE_MODELS)} (got {model!r})")
    archived = call.query.get("include_archived", "false").lower() == "true"
    attributes = people.attributes_of(call.workspace, model, include_archived=archived)
    return ok({"type": "list", "data": [wire.data_attribute_json(a) for a in attributes]})


def create_data_attribute(call: Call) -> EmulatorResponse:
    """``POST /data_attributes``: a custom attribute (list attributes become strings with
    options, ``datetime`` becomes ``date``, as Intercom reports them)."""
    request = parse(DataAttributeRequest, call.body)
    is_list = request.data_type == "options"
    attribute = people.create_attribute(
        call.workspace,
        name=request.name,
        model=request.model,
        data_type=_stored_type(request),
        description=request.description,
        options=[option.value for option in request.options or []] if is_list else None,
        messenger_writable=request.messenger_writable,
    )
    return ok(wire.data_attribute_json(attribute))


def _stored_type(request: DataAttributeRequest) -> AttributeType:
    if request.data_type == "options":
        return "string"
    if request.data_type == "datetime":
        return "date"
    return request.data_type
