"""IntercomClient retry policy: backoff, rate limits, typed errors and unknown outcomes."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from structlog.testing import capture_logs

from concierge.intercom.client import IntercomClient
from concierge.intercom.errors import (
    IntercomApiError,
    IntercomBadRequest,
    IntercomConflict,
    IntercomError,
    IntercomForbidden,
    IntercomInvalidResponse,
    IntercomNotFound,
    IntercomRateLimited,
    IntercomServerError,
    IntercomUnauthorized,
    IntercomUnavailable,
    IntercomUnprocessable,
)
from tests.unit.intercom.fake_api import (
    BOT,
    NOW,
    TOKEN,
    FakeApi,
    FakeTime,
    admin_json,
    conversation_json,
    error_response,
    json_response,
    make_client,
)

REPLY = "/conversations/215472/reply"
PARTS = "/conversations/215472/parts"
OK_ADMINS = json_response(200, {"type": "admin.list", "admins": [admin_json()]})
OK_CONVERSATION = json_response(200, conversation_json())


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def client(api: FakeApi, fake_time: FakeTime) -> AsyncIterator[IntercomClient]:
    async with make_client(api, fake_time) as intercom:
        yield intercom


def request_for(path: str) -> httpx.Request:
    return httpx.Request("POST", "https://api.intercom.io" + path)


def timeout(path: str = "/admins") -> httpx.ReadTimeout:
    return httpx.ReadTimeout("timed out", request=request_for(path))


def refused(path: str = "/admins") -> httpx.ConnectError:
    return httpx.ConnectError("connection refused", request=request_for(path))


def dropped(path: str = "/admins") -> httpx.RemoteProtocolError:
    message = "Server disconnected without sending a response."
    return httpx.RemoteProtocolError(message, request=request_for(path))


async def reply(client: IntercomClient) -> Any:
    return await client.reply("215472", admin_id=BOT, body="Hello")


# -- backoff ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        error_response(500, "server_error", "Internal"),
        httpx.Response(502, text="<html>Bad Gateway</html>"),
        error_response(503, "service_unavailable"),
        timeout(),
        refused(),
        dropped(),
    ],
    ids=["500", "502-html", "503", "read-timeout", "connect-error", "dropped"],
)
async def test_transient_failures_are_retried_with_growing_delays(
    api: FakeApi, client: IntercomClient, fake_time: FakeTime, failure: Any
) -> None:
    api.on("GET", "/admins", failure, failure, failure, OK_ADMINS)
    admins = await client.list_admins()
    assert admins[0].id == BOT
    assert len(api.requests) == 4
    assert fake_time.sleeps == [0.5, 1.0, 2.0]


async def test_backoff_is_capped(api: FakeApi, fake_time: FakeTime) -> None:
    api.on("GET", "/admins", *[error_response(500, "server_error")] * 7, OK_ADMINS)
    async with make_client(api, fake_time, max_retries=7) as intercom:
        await intercom.list_admins()
    assert fake_time.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


async def test_backoff_uses_full_jitter(api: FakeApi, fake_time: FakeTime) -> None:
    api.on("GET", "/admins", *[timeout()] * 4, OK_ADMINS)
    async with make_client(api, fake_time, rng=random.Random(7)) as intercom:
        await intercom.list_admins()
    ceilings = [0.5, 1.0, 2.0, 4.0]
    assert all(0 <= d <= c for d, c in zip(fake_time.sleeps, ceilings, strict=True))
    assert fake_time.sleeps != ceilings


async def test_server_errors_give_up_after_max_retries(
    api: FakeApi, client: IntercomClient, fake_time: FakeTime
) -> None:
    api.on("GET", "/admins", error_response(500, "server_error", "Internal"))
    with pytest.raises(IntercomServerError) as caught:
        await client.list_admins()
    assert caught.value.status == 500
    assert len(api.requests) == 5
    assert len(fake_time.sleeps) == 4


async def test_html_gateway_error_keeps_an_excerpt(api: FakeApi, fake_time: FakeTime) -> None:
    api.on("GET", "/admins", httpx.Response(502, text="<html> Bad   Gateway </html>"))
    async with make_client(api, fake_time, max_retries=0) as intercom:
        with pytest.raises(IntercomServerError) as caught:
            await intercom.list_admins()
    assert caught.value.errors == []
    assert caught.value.excerpt == "<html> Bad Gateway </html>"
    assert "502" in str(caught.value)


@pytest.mark.parametrize(
    "failure", [timeout(), refused(), dropped()], ids=["timeout", "refused", "dropped"]
)
async def test_network_failures_give_up_with_unavailable(
    api: FakeApi, client: IntercomClient, failure: Exception
) -> None:
    api.on("GET", "/admins", failure)
    with pytest.raises(IntercomUnavailable) as caught:
        await client.list_admins()
    assert caught.value.attempts == 5
    assert caught.value.outcome_unknown is False
    assert caught.value.__cause__ is failure
    assert len(api.requests) == 5


async def test_failures_of_both_kinds_share_one_budget(api: FakeApi, fake_time: FakeTime) -> None:
    api.on("GET", "/admins", timeout(), error_response(500, "server_error"), timeout())
    async with make_client(api, fake_time, max_retries=2) as intercom:
        with pytest.raises(IntercomUnavailable):
            await intercom.list_admins()
    assert len(api.requests) == 3


async def test_unsupported_url_is_not_retried(fake_time: FakeTime) -> None:
    async with IntercomClient(
        base_url="ftp://intercom.invalid", access_token=TOKEN, sleep=fake_time.sleep
    ) as intercom:
        with pytest.raises(IntercomUnavailable):
            await intercom.list_admins()
    assert fake_time.sleeps == []


# -- rate limits --------------------------------------------------------------------------


def rate_limited(headers: dict[str, str] | None = None) -> httpx.Response:
    message = "Exceeded rate limit of 167 in 10_seconds"
    return error_response(429, "rate_limit_exceeded", message, headers=headers)


async def test_429_waits_until_the_window_resets(api: FakeApi, fake_time: FakeTime) -> None:
    reset = {
        "X-RateLimit-Limit": "167",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(int(NOW) + 7),
    }
    api.on("GET", "/admins", rate_limited(reset), OK_ADMINS)
    async with make_client(api, fake_time, rng=random.Random(3)) as intercom:
        await intercom.list_admins()
    [wait] = fake_time.sleeps
    assert 7.0 <= wait <= 8.0
    assert len(api.requests) == 2


async def test_429_does_not_use_the_failure_budget(api: FakeApi, fake_time: FakeTime) -> None:
    reset = {"X-RateLimit-Reset": str(int(NOW) + 2)}
    api.on("GET", "/admins", rate_limited(reset), error_response(500, "server_error"), OK_ADMINS)
    async with make_client(api, fake_time, max_retries=1) as intercom:
        await intercom.list_admins()
    assert len(api.requests) == 3


@pytest.mark.parametrize("header", [None, "soon", "-5", "nan", str(int(NOW * 1000))])
async def test_429_without_a_usable_reset_falls_back_to_backoff(
    api: FakeApi, client: IntercomClient, fake_time: FakeTime, header: str | None
) -> None:
    headers = {"X-RateLimit-Reset": header} if header is not None else None
    api.on("GET", "/admins", rate_limited(headers), rate_limited(headers), OK_ADMINS)
    await client.list_admins()
    assert fake_time.sleeps == [0.5, 1.0]


async def test_reset_already_passed_waits_only_the_jitter(
    api: FakeApi, client: IntercomClient, fake_time: FakeTime
) -> None:
    api.on("GET", "/admins", rate_limited({"X-RateLimit-Reset": str(int(NOW) - 3)}), OK_ADMINS)
    await client.list_admins()
    assert fake_time.sleeps == [1.0]


async def test_429_with_a_long_wait_is_raised_at_once(api: FakeApi, fake_time: FakeTime) -> None:
    api.on("GET", "/admins", rate_limited({"X-RateLimit-Reset": str(int(NOW) + 90)}))
    async with make_client(api, fake_time, max_rate_limit_wait=60.0) as intercom:
        with pytest.raises(IntercomRateLimited) as caught:
            await intercom.list_admins()
    assert caught.value.reset_at == int(NOW) + 90
    assert caught.value.code == "rate_limit_exceeded"
    assert fake_time.sleeps == []
    assert len(api.requests) == 1


async def test_rate_limit_waits_are_bounded_in_total(api: FakeApi, fake_time: FakeTime) -> None:
    def limited(request: httpx.Request) -> httpx.Response:
        return rate_limited({"X-RateLimit-Reset": str(int(fake_time.now) + 10)})

    api.on("GET", "/admins", limited)
    async with make_client(api, fake_time, max_rate_limit_wait=25.0, max_retries=10) as intercom:
        with pytest.raises(IntercomRateLimited):
            await intercom.list_admins()
    assert len(fake_time.sleeps) == 2


async def test_rate_limit_waits_are_bounded_in_number(
    api: FakeApi, client: IntercomClient, fake_time: FakeTime
) -> None:
    api.on("GET", "/admins", rate_limited({"X-RateLimit-Reset": str(int(NOW) - 1)}))
    with pytest.raises(IntercomRateLimited) as caught:
        await client.list_admins()
    assert len(fake_time.sleeps) == 4
    assert caught.value.reset_at is None or caught.value.reset_at <= fake_time.now


async def test_retry_after_is_honoured_when_reset_is_missing(
    api: FakeApi, client: IntercomClient, fake_time: FakeTime
) -> None:
    api.on("GET", "/admins", rate_limited({"Retry-After": "3"}), OK_ADMINS)
    await client.list_admins()
    assert fake_time.sleeps == [4.0]


# -- typed errors -------------------------------------------------------------------------


async def test_404_is_typed_and_not_retried(api: FakeApi, client: IntercomClient) -> None:
    api.on("GET", "/conversations/nope", error_response(404, "not_found", "Resource Not Found"))
    with pytest.raises(IntercomNotFound) as caught:
        await client.get_conversation("nope")
    error = caught.value
    assert (error.status, error.code) == (404, "not_found")
    assert error.request_id == "8c288c4f-b699-4209-9de4-064398f02785"
    assert error.errors[0].message == "Resource Not Found"
    assert (error.method, error.path) == ("GET", "/conversations/nope")
    assert len(api.requests) == 1


async def test_404_without_type_is_parsed(api: FakeApi, client: IntercomClient) -> None:
    body = {"errors": [{"code": "admin_not_found", "message": "Admin not found"}]}
    api.on("PUT", "/admins/42/away", json_response(404, body, {"X-Request-Id": "req-9"}))
    with pytest.raises(IntercomNotFound) as caught:
        await client.set_away("42", away=True)
    assert caught.value.code == "admin_not_found"
    assert caught.value.request_id == "req-9"


async def test_400_carries_the_field(api: FakeApi, client: IntercomClient) -> None:
    error = error_response(400, "parameter_invalid", "Admin id is invalid", field="admin_id")
    api.on("POST", REPLY, error)
    with pytest.raises(IntercomBadRequest) as caught:
        await reply(client)
    assert caught.value.errors[0].field == "admin_id"
    assert "parameter_invalid" in str(caught.value)
    assert len(api.requests) == 1


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (401, "unauthorized", IntercomUnauthorized),
        (403, "api_plan_restricted", IntercomForbidden),
        (409, "conflict", IntercomConflict),
        (422, "unprocessable", IntercomUnprocessable),
        (418, "teapot", IntercomApiError),
    ],
)
async def test_client_errors_map_to_types(
    api: FakeApi, client: IntercomClient, status: int, code: str, kind: type[IntercomApiError]
) -> None:
    api.on("GET", "/admins", error_response(status, code))
    with pytest.raises(kind) as caught:
        await client.list_admins()
    assert type(caught.value) is kind
    assert isinstance(caught.value, IntercomError)
    assert len(api.requests) == 1


@pytest.mark.parametrize("content", [b"", b"not json", b"[1, 2]", b'{"message": "nope"}'])
async def test_odd_error_bodies_still_raise_typed_errors(
    api: FakeApi, client: IntercomClient, content: bytes
) -> None:
    api.on("GET", "/admins", httpx.Response(401, content=content))
    with pytest.raises(IntercomUnauthorized) as caught:
        await client.list_admins()
    assert caught.value.errors == []


async def test_success_with_a_bad_body_is_an_invalid_response(
    api: FakeApi, client: IntercomClient
) -> None:
    api.on("GET", "/admins", httpx.Response(200, content=b"<html>"))
    with pytest.raises(IntercomInvalidResponse):
        await client.list_admins()
    api.on("GET", "/me", json_response(200, {"type": "admin"}))
    with pytest.raises(IntercomInvalidResponse, match="id"):
        await client.get_me()


# -- non-idempotent writes and unknown outcomes ---------------------------------------------


async def test_reply_timeout_is_not_resent_and_outcome_is_unknown(
    api: FakeApi, client: IntercomClient
) -> None:
    api.on("POST", REPLY, timeout(REPLY), OK_CONVERSATION)
    with pytest.raises(IntercomUnavailable) as caught:
        await reply(client)
    assert caught.value.outcome_unknown is True
    assert len(api.requests) == 1


async def test_reply_dropped_connection_is_an_unknown_outcome(
    api: FakeApi, client: IntercomClient
) -> None:
    api.on("POST", REPLY, dropped(REPLY), OK_CONVERSATION)
    with pytest.raises(IntercomUnavailable) as caught:
        await reply(client)
    assert caught.value.outcome_unknown is True
    assert len(api.requests) == 1


async def test_reply_connect_error_is_retried_and_known_unsent(
    api: FakeApi, client: IntercomClient, fake_time: FakeTime
) -> None:
    api.on("POST", REPLY, refused(REPLY))
    with pytest.raises(IntercomUnavailable) as caught:
        await reply(client)
    assert caught.value.outcome_unknown is False
    assert len(api.requests) == 5
    assert fake_time.sleeps == [0.5, 1.0, 2.0, 4.0]


async def test_reply_connect_timeout_is_retried(api: FakeApi, client: IntercomClient) -> None:
    connect_timeout = httpx.ConnectTimeout("connect timed out", request=request_for(REPLY))
    api.on("POST", REPLY, connect_timeout, OK_CONVERSATION)
    await reply(client)
    assert len(api.requests) == 2


async def test_reply_unknown_outcome_after_a_refused_connection(
    api: FakeApi, client: IntercomClient
) -> None:
    api.on("POST", REPLY, refused(REPLY), timeout(REPLY))
    with pytest.raises(IntercomUnavailable) as caught:
        await reply(client)
    assert caught.value.outcome_unknown is True
    assert len(api.requests) == 2


async def test_reply_server_error_is_not_resent(api: FakeApi, client: IntercomClient) -> None:
    api.on("POST", REPLY, error_response(500, "server_error"), OK_CONVERSATION)
    with pytest.raises(IntercomServerError):
        await reply(client)
    assert len(api.requests) == 1


async def test_reply_rate_limited_is_retried(
    api: FakeApi, client: IntercomClient, fake_time: FakeTime
) -> None:
    api.on("POST", REPLY, rate_limited({"X-RateLimit-Reset": str(int(NOW) + 2)}), OK_CONVERSATION)
    await reply(client)
    assert len(api.requests) == 2
    assert fake_time.sleeps == [3.0]


async def test_close_with_a_message_is_not_resent(api: FakeApi, client: IntercomClient) -> None:
    api.on("POST", PARTS, timeout(PARTS), OK_CONVERSATION)
    with pytest.raises(IntercomUnavailable) as caught:
        await client.close("215472", admin_id=BOT, body="Bye")
    assert caught.value.outcome_unknown is True
    assert len(api.requests) == 1


async def test_state_changes_without_a_message_are_retried(
    api: FakeApi, client: IntercomClient
) -> None:
    api.on("POST", PARTS, timeout(PARTS), error_response(502, "bad_gateway"), OK_CONVERSATION)
    await client.assign("215472", admin_id=BOT, assignee_id="814865", assignee_type="team")
    assert len(api.requests) == 3


async def test_idempotent_write_timeout_is_not_an_unknown_outcome(
    api: FakeApi, client: IntercomClient
) -> None:
    api.on("PUT", "/admins/7/away", timeout("/admins/7/away"))
    with pytest.raises(IntercomUnavailable) as caught:
        await client.set_away("7", away=True)
    assert caught.value.outcome_unknown is False


# -- logging ------------------------------------------------------------------------------


async def test_retries_are_logged_without_the_token(api: FakeApi, client: IntercomClient) -> None:
    api.on("GET", "/admins", error_response(500, "server_error"), OK_ADMINS)
    with capture_logs() as logs:
        await client.list_admins()
    [entry] = [e for e in logs if e["event"] == "retrying Intercom request"]
    assert (entry["method"], entry["path"], entry["reason"]) == ("GET", "admins", "500")
    assert TOKEN not in repr(logs)
