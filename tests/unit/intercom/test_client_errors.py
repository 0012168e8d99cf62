"""Error bodies become typed exceptions; resource models normalise what Intercom returns."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from concierge.intercom.errors import (
    ErrorBody,
    ErrorDetail,
    IntercomApiError,
    IntercomBadRequest,
    IntercomError,
    IntercomNotFound,
    IntercomRateLimited,
    IntercomServerError,
    IntercomUnavailable,
    api_error,
    parse_error_body,
)
from concierge.intercom.resources import Admin, Contact, Conversation, DataAttribute, Team
from tests.support.openapi import component_schema, schema_errors


def test_error_list_is_parsed() -> None:
    body = {
        "type": "error.list",
        "request_id": "f93ecfa8-d08a-4325-8694-89aeb89c8f85",
        "errors": [
            {"code": "parameter_invalid", "message": "Email is invalid", "field": "email"},
            {"code": "parameter_not_found", "message": None},
        ],
    }
    assert schema_errors(body, component_schema("error")) == []
    parsed = parse_error_body(json.dumps(body).encode())
    assert parsed.request_id == "f93ecfa8-d08a-4325-8694-89aeb89c8f85"
    assert parsed.errors == (
        ErrorDetail("parameter_invalid", "Email is invalid", "email"),
        ErrorDetail("parameter_not_found"),
    )
    assert parsed.excerpt is None


@pytest.mark.parametrize(
    ("content", "codes"),
    [
        (b'{"errors": [{"code": "not_found", "message": "Resource Not Found"}]}', ["not_found"]),
        (b'{"errors": {"code": "single"}}', ["single"]),
        (b'{"errors": [{"message": "no code"}, 3]}', ["unknown"]),
        (b'{"errors": "nope"}', []),
        (b"", []),
        (b"   ", []),
        (b"<html>502</html>", []),
        (b"\xff\xfe", []),
        (b"null", []),
    ],
)
def test_odd_bodies_are_tolerated(content: bytes, codes: list[str]) -> None:
    assert [e.code for e in parse_error_body(content).errors] == codes


def test_long_non_json_bodies_are_cut() -> None:
    excerpt = parse_error_body(b"x" * 1000).excerpt
    assert excerpt is not None
    assert len(excerpt) <= 201


@given(st.binary(max_size=300))
def test_parsing_never_fails(content: bytes) -> None:
    assert isinstance(parse_error_body(content), ErrorBody)


@pytest.mark.parametrize(
    ("status", "kind"),
    [(400, IntercomBadRequest), (404, IntercomNotFound), (429, IntercomRateLimited),
     (500, IntercomServerError), (504, IntercomServerError), (405, IntercomApiError)],
)  # fmt: skip
def test_status_picks_the_class(status: int, kind: type[IntercomApiError]) -> None:
    error = api_error(status, ErrorBody(errors=(ErrorDetail("x"),)))
    assert type(error) is kind
    assert error.status == status


def test_rate_limited_carries_the_reset_time() -> None:
    error = api_error(429, ErrorBody(), reset_at=1726425610.0, method="GET", path="/admins")
    assert isinstance(error, IntercomRateLimited)
    assert error.reset_at == 1726425610.0
    assert str(error).startswith("GET /admins -> 429")


def test_message_names_code_field_and_request() -> None:
    body = ErrorBody(request_id="r1", errors=(ErrorDetail("parameter_invalid", "bad", "email"),))
    text = str(api_error(400, body))
    assert text == "400: parameter_invalid: bad (field email) [request_id=r1]"


def test_unavailable_is_an_intercom_error() -> None:
    error = IntercomUnavailable("no route", outcome_unknown=True, attempts=3)
    assert isinstance(error, IntercomError)
    assert (error.outcome_unknown, error.attempts) == (True, 3)


# -- resources ----------------------------------------------------------------------------


def test_numeric_ids_become_strings() -> None:
    admin = Admin.model_validate({"id": 814860, "team_ids": [1, "2"], "extra": {"x": 1}})
    assert (admin.id, admin.team_ids) == ("814860", ["1", "2"])
    team = Team.model_validate({"id": 5, "admin_ids": None})
    assert (team.id, team.admin_ids) == ("5", [])


def test_conversation_tolerates_missing_and_null_lists() -> None:
    conversation = Conversation.model_validate(
        {"id": 1, "admin_assignee_id": 0, "contacts": None, "conversation_parts": None}
    )
    assert conversation.id == "1"
    assert conversation.admin_assignee_id == "0"
    assert conversation.parts == []
    assert conversation.contacts.contacts == []


def test_conversation_parts_are_read() -> None:
    conversation = Conversation.model_validate(
        {
            "id": "9",
            "conversation_parts": {
                "conversation_parts": [{"id": 3, "body": "<p>x</p>", "author": {"id": 7}}],
                "total_count": 1,
            },
        }
    )
    part = conversation.parts[0]
    assert part.id == "3"
    assert part.author is not None
    assert part.author.id == "7"


def test_contact_null_custom_attributes() -> None:
    assert Contact.model_validate({"id": "c", "custom_attributes": None}).custom_attributes == {}


@pytest.mark.parametrize(
    ("raw", "custom_name"),
    [
        ({"name": "plan", "full_name": "custom_attributes.plan", "custom": True}, "plan"),
        ({"name": "email", "full_name": "email", "custom": False}, None),
        ({"name": "city", "full_name": "location_data.city_name"}, None),
        ({"name": "legacy"}, "legacy"),
        ({"name": "flagged", "custom": True}, "flagged"),
    ],
)
def test_data_attribute_custom_name(raw: dict[str, object], custom_name: str | None) -> None:
    assert DataAttribute.model_validate(raw).custom_name == custom_name
