"""Intercom-shaped errors, rate-limit headers, injected faults, and the request log."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from concierge.intercom.emulator import Emulator, EmulatorRequest
from concierge.intercom.emulator.exchange import EmulatorResponse
from tests.unit.intercom.emulator.conftest import Captured, admin_reply, call, say


def _error(response: EmulatorResponse) -> dict[str, Any]:
    body: dict[str, Any] = response.body
    assert set(body) == {"type", "request_id", "errors"}
    assert body["type"] == "error.list"
    uuid.UUID(body["request_id"])
    assert len(body["errors"]) == 1
    assert set(body["errors"][0]) == {"code", "message"}
    error: dict[str, Any] = body["errors"][0]
    return error


async def test_rest_calls_without_a_bearer_token_are_401(emulator: Emulator) -> None:
    response = await call(emulator, "GET", "/me", auth=False)
    assert response.status == 401
    assert _error(response) == {"code": "unauthorized", "message": "Access Token Invalid"}
    for header in ("Bearer", "Bearer  ", "Basic abc", "token"):
        request = EmulatorRequest(method="GET", path="/me", headers={"Authorization": header})
        assert (await emulator.handle(request)).status == 401, header


async def test_unknown_paths_and_resources_are_404(emulator: Emulator) -> None:
    for path in ("/nothing/here", "/conversations/999", "/contacts/nobody"):
        response = await call(emulator, "GET", path)
        assert response.status == 404
        assert _error(response)["code"] == "not_found"
    wrong_method = await call(emulator, "PATCH", "/me")
    assert wrong_method.status == 404


async def test_malformed_and_mistyped_bodies_are_400_with_a_useful_message(
    emulator: Emulator,
) -> None:
    path = "/conversations/1/reply"
    malformed = await call(emulator, "POST", path, raw=b'{"message_type": ')
    assert malformed.status == 400
    assert _error(malformed) == {
        "code": "parameter_invalid",
        "message": "Request body is not valid JSON",
    }
    missing = await call(
        emulator, "POST", path, {"message_type": "comment", "type": "admin", "body": "x"}
    )
    assert _error(missing)["message"] == "admin_id is a required parameter"
    wrong_enum = await call(
        emulator, "POST", "/conversations/1/parts", {"message_type": "assign", "admin_id": "1"}
    )
    assert "message_type must be one of" in _error(wrong_enum)["message"]
    integer_id = await call(emulator, "POST", path, admin_reply(admin_id=9000001))  # type: ignore[arg-type]
    assert "admin_id" in _error(integer_id)["message"]
    not_object = await call(emulator, "POST", path, [1, 2])
    assert _error(not_object)["message"] == "Request body must be a JSON object"


async def test_replies_from_unknown_admins_are_404(emulator: Emulator) -> None:
    response = await call(emulator, "POST", "/conversations/1/reply", admin_reply(admin_id="77"))
    assert response.status == 404
    assert _error(response)["code"] == "admin_not_found"


async def test_a_failing_handler_is_a_500_error_list(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(emulator.workspace, "human_admins", explode)
    response = await call(emulator, "GET", "/admins")
    assert response.status == 500
    assert _error(response)["code"] == "server_error"


async def test_rate_limit_headers_count_down_and_429_when_spent() -> None:
    emulator = Emulator(client_secret="s", webhook_url=None, rate_limit=3)
    statuses, remaining = [], []
    for _ in range(4):
        response = await call(emulator, "GET", "/me")
        statuses.append(response.status)
        remaining.append(response.headers["X-RateLimit-Remaining"])
    assert statuses == [200, 200, 200, 429]
    assert remaining == ["2", "1", "0", "0"]
    assert _error(response) == {
        "code": "rate_limit_exceeded",
        "message": "Exceeded rate limit of 3 in 10_seconds",
    }
    assert 0 < int(response.headers["X-RateLimit-Reset"]) - time.time() <= 11


async def test_a_429_fault_refuses_the_next_matching_requests(emulator: Emulator) -> None:
    armed = await call(
        emulator,
        "POST",
        "/_faults",
        {"path_prefix": "/conversations", "status": 429, "count": 2, "method": "post"},
    )
    assert armed.status == 201
    assert (await call(emulator, "GET", "/conversations/1")).status == 200  # method differs
    path = "/conversations/1/reply"
    first = await call(emulator, "POST", path, admin_reply())
    second = await call(emulator, "POST", path, admin_reply())
    third = await call(emulator, "POST", path, admin_reply())
    assert [first.status, second.status, third.status] == [429, 429, 200]
    assert _error(first)["code"] == "rate_limit_exceeded"
    assert first.headers["X-RateLimit-Remaining"] == "0"
    reset = int(first.headers["X-RateLimit-Reset"])
    assert time.time() < reset <= time.time() + 3
    conversation = await call(emulator, "GET", "/conversations/1")
    assert len(conversation.body["conversation_parts"]["conversation_parts"]) == 2


async def test_a_500_fault_changes_nothing(emulator: Emulator, captured: Captured) -> None:
    await call(emulator, "POST", "/_faults", {"path_prefix": "/conversations/1/", "status": 500})
    response = await call(emulator, "POST", "/conversations/1/reply", admin_reply())
    assert response.status == 500
    assert _error(response)["code"] == "server_error"
    conversation = await call(emulator, "GET", "/conversations/1")
    assert len(conversation.body["conversation_parts"]["conversation_parts"]) == 1
    await emulator.wait_for_deliveries()
    assert captured.requests == []


async def test_a_timeout_fault_applies_the_request_and_holds_the_answer(
    emulator: Emulator, captured: Captured
) -> None:
    await call(
        emulator,
        "POST",
        "/_faults",
        {"path_prefix": "/conversations", "status": "timeout", "hang_seconds": 7},
    )
    response = await call(emulator, "POST", "/conversations/1/reply", admin_reply("held"))
    assert response.status == 200
    assert response.hold_seconds == 7
    await emulator.wait_for_deliveries()
    assert captured.topics() == ["conversation.admin.replied"]
    default = await call(emulator, "POST", "/_faults", {"path_prefix": "/me", "status": "timeout"})
    assert default.body["hang_seconds"] == 30


async def test_faults_can_be_listed_and_cleared(emulator: Emulator) -> None:
    await call(emulator, "POST", "/_faults", {"path_prefix": "/", "status": 500, "count": 5})
    listed = await call(emulator, "GET", "/_faults", auth=False)
    assert listed.body["faults"][0]["remaining"] == 5
    cleared = await call(emulator, "DELETE", "/_faults", auth=False)
    assert cleared.body == {"cleared": 1}
    assert (await call(emulator, "GET", "/me")).status == 200


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 429},
        {"path_prefix": "me", "status": 429},
        {"path_prefix": "/", "status": 503},
        {"path_prefix": "/", "status": 500, "count": 0},
    ],
)
async def test_bad_fault_requests_are_400(emulator: Emulator, fault: dict[str, Any]) -> None:
    response = await call(emulator, "POST", "/_faults", fault, auth=False)
    assert response.status == 400
    assert _error(response)["code"] == "parameter_invalid"


async def test_the_log_lists_every_request_in_order_but_itself(emulator: Emulator) -> None:
    sent = await say(emulator, "Hello")
    await call(emulator, "POST", f"/conversations/{sent['conversation_id']}/reply", admin_reply())
    await call(emulator, "GET", "/me", auth=False)
    await call(emulator, "POST", "/conversations/1/reply", raw=b"not json")
    await call(emulator, "GET", "/_log", auth=False)
    log = (await call(emulator, "GET", "/_log", auth=False)).body
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("POST", "/_messages", 201),
        ("POST", f"/conversations/{sent['conversation_id']}/reply", 200),
        ("GET", "/me", 401),
        ("POST", "/conversations/1/reply", 400),
    ]
    assert log[0]["body"] == {"body": "Hello"}
    assert log[3]["body"] is None
    assert [e["received_at"] for e in log] == sorted(e["received_at"] for e in log)


async def test_messages_need_a_body_and_a_known_conversation(emulator: Emulator) -> None:
    for body in ({"body": ""}, {"body": "   "}, {}, {"body": 5}):
        response = await call(emulator, "POST", "/_messages", body, auth=False)
        assert response.status == 400, body
    unknown = await call(
        emulator, "POST", "/_messages", {"body": "hi", "conversation_id": "999"}, auth=False
    )
    assert unknown.status == 404
    assert _error(unknown)["code"] == "not_found"


async def test_state_dumps_conversations_contacts_and_tags(emulator: Emulator) -> None:
    sent = await say(emulator, "Hello", contact={"name": "Ann"})
    state = (await call(emulator, "GET", "/_state", auth=False)).body
    assert {"conversations", "contacts", "tags", "admins", "teams"} <= state.keys()
    conversation = next(c for c in state["conversations"] if c["id"] == sent["conversation_id"])
    assert conversation["source"]["body"] == "<p>Hello</p>"
    assert any(c["name"] == "Ann" for c in state["contacts"])
    assert emulator.state() == state
