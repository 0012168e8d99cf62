"""An async client for the Intercom REST calls the bot makes (API version pinned).

Retry policy
------------
Every call has a timeout. Failures are retried inside one call like this:

- **Connection errors, timeouts and 5xx** share one budget of ``max_retries`` retries, with
  exponential backoff and full jitter: before retry *n* the client sleeps a random time in
  ``[0, min(8, 0.5 * 2 ** (n - 1))]`` seconds. When the budget is spent the last failure is
  raised: :class:`IntercomServerError` for a 5xx, :class:`IntercomUnavailable` otherwise.
- **429** is not a failure of Intercom, so it does not use that budget. The client waits
  until ``X-RateLimit-Reset`` (Unix seconds, read against the injected clock; an undocumented
  ``Retry-After`` in seconds is used when it is absent) plus up to one second of jitter; with
  no usable header (missing, garbage, or more than an hour away) it falls back to the backoff
  above. Rate-limit waits have their own budget: at most
  ``max_retries`` waits, and at most ``max_rate_limit_wait`` seconds of waiting in total per
  call. A wait that would go past that raises :class:`IntercomRateLimited` at once, carrying
  ``reset_at`` so the caller can reschedule instead of holding a worker.
- **Other 4xx** are never retried; Intercom's ``error.list`` becomes a typed
  :class:`IntercomApiError` subclass.

Which calls are safe to repeat
------------------------------
Safe (repeating them converges to the same state): every GET, ``PUT /contacts/{id}``,
``PUT /admins/{id}/away``, ``POST /tags`` (create-or-update by name), attaching a tag to a
conversation, ``POST /data_attributes`` (a repeat fails as a duplicate, which
:meth:`IntercomClient.update_contact_attributes` absorbs), and the state-setting conversation
actions assignment / open / close / snooze — *when they carry no ``body``*.

Not safe: ``reply`` (comment, note, quick reply), and assign or close *with* a ``body``,
since each of those also posts a message. A retried reply can post twice. For these the
client retries only what certainly never reached Intercom (a refused connection, a connect
or pool timeout, a 429). A timeout or dropped connection after the request was sent raises
:class:`IntercomUnavailable` with ``outcome_unknown=True``, and a 5xx raises
:class:`IntercomServerError`; neither is retried here.

How the app avoids a double post: a reply whose attempt ended with an unknown outcome is
not blindly re-sent. The caller (the outbox executor, not this module) first calls
:meth:`IntercomClient.find_existing_reply`, which fetches the conversation and looks for a
part authored by the bot admin with the same body created since the first attempt, and
re-sends only when there is none.
"""

from __future__ import annotations

import asyncio
import html
import math
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any, Literal, Self, TypeVar
from urllib.parse import quote

import httpx
import structlog
from pydantic import BaseModel, ValidationError

from concierge import __version__
from concierge.intercom.errors import (
    IntercomBadRequest,
    IntercomConflict,
    IntercomInvalidResponse,
    IntercomRateLimited,
    IntercomServerError,
    IntercomUnavailable,
    IntercomUnprocessable,
    api_error,
    parse_error_body,
)
from concierge.intercom.resources import (
    Admin,
    AdminList,
    Contact,
    Conversation,
    ConversationPart,
    DataAttribute,
    DataAttributeList,
    Tag,
    Team,
    TeamList,
)

log = structlog.get_logger(component="intercom")

BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
RATE_LIMIT_JITTER = 1.0
MAX_PLAUSIBLE_RESET = 3600.0

AttributeValue = str | int | float | bool | None
ReplyType = Literal["comment", "note", "quick_reply"]
ResourceT = TypeVar("ResourceT", bound=BaseModel)

# Failed before a byte of the request left this process: re-sending cannot duplicate it.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Transient network trouble worth another attempt (when re-sending is safe).
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
# Answers to a create that mean "the attribute exists already".
_DUPLICATE = (IntercomBadRequest, IntercomConflict, IntercomUnprocessable)


@dataclass(frozen=True)
class _Call:
    """One logical API call (which may take several attempts)."""

    method: str
    path: str
    body: Mapping[str, Any] | None = None
    params: Mapping[str, str] | None = None
    idempotent: bool = True


@dataclass(frozen=True)
class _Retry:
    """Another attempt is due after ``delay`` seconds, because of ``reason``."""

    delay: float
    reason: str


@dataclass
class _Budget:
    """What one call has used up so far."""

    failures: int = 0
    throttles: int = 0
    throttled_for: float = 0.0


class IntercomClient:
    """Typed async access to the Intercom REST API with timeouts, retries and 429 handling.

    ``sleep``, ``clock`` and ``rng`` (the jitter source) are injectable so tests never wait.
    One instance caches the contact data attribute names it has seen; share it app-wide.
    """

    def __init__(
        self,
        *,
        base_url: str,
        access_token: str,
        version: str = "2.14",
        timeout: float = 10.0,
        max_retries: int = 4,
        max_rate_limit_wait: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            headers=_headers(access_token, version),
            timeout=httpx.Timeout(timeout),
            transport=transport,
        )
        self._max_retries = max_retries
        self._max_rate_limit_wait = max_rate_limit_wait
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self._contact_attributes: set[str] = set()
        self._attributes_lock = asyncio.Lock()

    async def aclose(self) -> None:
        """Close the underlying connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    # -- conversations -------------------------------------------------------------------

    async def reply(
        self,
        conversation_id: str,
        *,
        admin_id: str,
        body: str | None = None,
        message_type: ReplyType = "comment",
        reply_options: Sequence[tuple[str, str]] | None = None,
    ) -> Conversation:
        """Reply as an admin; ``reply_options`` are ``(text, uuid)`` pairs for quick replies.

        Not idempotent: see the module docstring for what an unknown outcome means.
        """
        payload = _reply_payload(admin_id, body, message_type, reply_options)
        path = f"conversations/{_segment(conversation_id)}/reply"
        data = await self._send(_Call("POST", path, payload, idempotent=False))
        return _parse(Conversation, data)

    async def assign(
        self,
        conversation_id: str,
        *,
        admin_id: str,
        assignee_id: str,
        assignee_type: Literal["admin", "team"],
        body: str | None = None,
    ) -> Conversation:
        """Assign to an admin or a team (``assignee_id="0"`` unassigns), acting as admin_id."""
        payload = {"message_type": "assignment", "type": assignee_type, "admin_id": admin_id}
        payload["assignee_id"] = assignee_id
        return await self._manage(conversation_id, _with_body(payload, body))

    async def close(
        self, conversation_id: str, *, admin_id: str, body: str | None = None
    ) -> Conversation:
        """Close the conversation, optionally leaving a message."""
        payload = {"message_type": "close", "type": "admin", "admin_id": admin_id}
        return await self._manage(conversation_id, _with_body(payload, body))

    async def open(self, conversation_id: str, *, admin_id: str) -> Conversation:
        """Reopen a closed or snoozed conversation."""
        return await self._manage(conversation_id, {"message_type": "open", "admin_id": admin_id})

    async def snooze(
        self, conversation_id: str, *, admin_id: str, snoozed_until: int
    ) -> Conversation:
        """Snooze the conversation until a Unix time."""
        payload: dict[str, Any] = {"message_type": "snoozed", "admin_id": admin_id}
        payload["snoozed_until"] = snoozed_until
        return await self._manage(conversation_id, payload)

    async def get_conversation(self, conversation_id: str) -> Conversation:
        """Retrieve a conversation with its parts (Intercom caps them at 500)."""
        data = await self._send(_Call("GET", f"conversations/{_segment(conversation_id)}"))
        return _parse(Conversation, data)

    async def get_contact(self, contact_id: str) -> Contact:
        """Retrieve a contact with its custom attributes."""
        data = await self._send(_Call("GET", f"contacts/{_segment(contact_id)}"))
        return _parse(Contact, data)

    async def find_existing_reply(
        self, conversation_id: str, *, admin_id: str, body: str, since: int
    ) -> ConversationPart | None:
        """The part by ``admin_id`` with the same body created at or after ``since``, if any.

        Used to reconcile a reply whose outcome is unknown before sending it again.
        """
        conversation = await self.get_conversation(conversation_id)
        return matching_reply(conversation, admin_id=admin_id, body=body, since=since)

    async def _manage(self, conversation_id: str, payload: dict[str, Any]) -> Conversation:
        path = f"conversations/{_segment(conversation_id)}/parts"
        call = _Call("POST", path, payload, idempotent="body" not in payload)
        return _parse(Conversation, await self._send(call))

    # -- tags ----------------------------------------------------------------------------

    async def find_or_create_tag(self, name: str) -> Tag:
        """The tag with this name (case-insensitive), created if it does not exist."""
        return _parse(Tag, await self._send(_Call("POST", "tags", {"name": name})))

    async def tag_conversation(self, conversation_id: str, *, tag_id: str, admin_id: str) -> Tag:
        """Attach a tag to a conversation."""
        path = f"conversations/{_segment(conversation_id)}/tags"
        data = await self._send(_Call("POST", path, {"id": tag_id, "admin_id": admin_id}))
        return _parse(Tag, data)

    # -- contacts ------------------------------------------------------------------------

    async def update_contact_attributes(
        self, contact_id: str, attributes: Mapping[str, AttributeValue]
    ) -> Contact:
        """Set custom attributes on a contact, creating missing contact data attributes.

        A ``None`` value clears an attribute; for an attribute that does not exist yet there
        is nothing to clear, so it is left out rather than created.
        """
        await self._ensure_contact_attributes(attributes)
        values = {
            name: value
            for name, value in attributes.items()
            if value is not None or name in self._contact_attributes
        }
        call = _Call("PUT", f"contacts/{_segment(contact_id)}", {"custom_attributes": values})
        return _parse(Contact, await self._send(call))

    async def list_contact_attributes(self) -> list[DataAttribute]:
        """Every (non-archived) data attribute of the contact model."""
        call = _Call("GET", "data_attributes", params={"model": "contact"})
        return _parse(DataAttributeList, await self._send(call)).data

    async def _ensure_contact_attributes(self, attributes: Mapping[str, AttributeValue]) -> None:
        async with self._attributes_lock:
            if attributes.keys() <= self._contact_attributes:
                return
            await self._refresh_contact_attributes()
            for name, value in attributes.items():
                if value is not None and name not in self._contact_attributes:
                    await self._create_contact_attribute(name, value)

    async def _refresh_contact_attributes(self) -> None:
        listed = await self.list_contact_attributes()
        self._contact_attributes = {a.custom_name for a in listed if a.custom_name is not None}

    async def _create_contact_attribute(self, name: str, value: AttributeValue) -> None:
        payload = {"name": name, "model": "contact", "data_type": data_type_of(value)}
        try:
            await self._send(_Call("POST", "data_attributes", payload))
        except _DUPLICATE:
            await self._refresh_contact_attributes()
            if name not in self._contact_attributes:
                raise
        log.info("created contact data attribute", attribute=name, data_type=payload["data_type"])
        self._contact_attributes.add(name)

    # -- admins and teams ----------------------------------------------------------------

    async def list_admins(self) -> list[Admin]:
        """Every admin (teammate or bot) of the workspace."""
        return _parse(AdminList, await self._send(_Call("GET", "admins"))).admins

    async def list_teams(self) -> list[Team]:
        """Every team of the workspace."""
        return _parse(TeamList, await self._send(_Call("GET", "teams"))).teams

    async def set_away(self, admin_id: str, *, away: bool, reassign: bool = False) -> Admin:
        """Set an admin away (optionally reassigning new replies) or back."""
        payload = {"away_mode_enabled": away, "away_mode_reassign": reassign}
        call = _Call("PUT", f"admins/{_segment(admin_id)}/away", payload)
        return _parse(Admin, await self._send(call))

    async def get_me(self) -> Admin:
        """The admin the access token belongs to (with its ``app``)."""
        return _parse(Admin, await self._send(_Call("GET", "me")))

    # -- transport -----------------------------------------------------------------------

    async def _send(self, call: _Call) -> Any:
        """Perform a call with the retry policy of the module docstring; the decoded body."""
        budget = _Budget()
        while True:
            outcome = await self._attempt(call, budget)
            if not isinstance(outcome, _Retry):
                return outcome
            log.warning(
                "retrying Intercom request",
                method=call.method,
                path=call.path,
                reason=outcome.reason,
                delay=round(outcome.delay, 3),
                failures=budget.failures,
                throttles=budget.throttles,
            )
            await self._sleep(outcome.delay)

    async def _attempt(self, call: _Call, budget: _Budget) -> Any:
        """One attempt: the decoded body, a :class:`_Retry`, or an exception."""
        try:
            response = await self._http.request(
                call.method, call.path, json=call.body, params=call.params
            )
        except httpx.RequestError as exc:
            return _Retry(self._after_exception(exc, call, budget), type(exc).__name__)
        if response.is_success:
            return _decode(response, call)
        return _Retry(self._after_status(response, call, budget), str(response.status_code))

    def _after_exception(self, exc: httpx.RequestError, call: _Call, budget: _Budget) -> float:
        """The delay before the next attempt, or raise IntercomUnavailable."""
        not_sent = isinstance(exc, _NOT_SENT)
        retryable = isinstance(exc, _TRANSIENT) and (call.idempotent or not_sent)
        if not retryable or budget.failures >= self._max_retries:
            attempts = budget.failures + budget.throttles + 1
            raise IntercomUnavailable(
                f"{call.method} /{call.path}: {type(exc).__name__} after {attempts} attempt(s)",
                outcome_unknown=not call.idempotent and not not_sent,
                attempts=attempts,
            ) from exc
        budget.failures += 1
        return self._backoff(budget.failures)

    def _after_status(self, response: httpx.Response, call: _Call, budget: _Budget) -> float:
        """The delay before the next attempt, or raise the typed error for the response."""
        body = parse_error_body(response.content)
        if body.request_id is None:
            body = replace(body, request_id=response.headers.get("x-request-id"))
        error = api_error(
            response.status_code,
            body,
            method=call.method,
            path="/" + call.path,
            reset_at=_reset_at(response.headers, self._clock()),
        )
        if isinstance(error, IntercomRateLimited):
            return self._rate_limit_delay(error, budget)
        retry = call.idempotent and budget.failures < self._max_retries
        if isinstance(error, IntercomServerError) and retry:
            budget.failures += 1
            return self._backoff(budget.failures)
        raise error

    def _rate_limit_delay(self, error: IntercomRateLimited, budget: _Budget) -> float:
        """Wait until the rate-limit window resets, within the per-call waiting budget."""
        if budget.throttles >= self._max_retries:
            raise error
        if error.reset_at is None:
            wait, jitter = self._backoff(budget.throttles + 1), 0.0
        else:
            wait = max(0.0, error.reset_at - self._clock())
            jitter = self._rng.uniform(0, RATE_LIMIT_JITTER)
        if budget.throttled_for + wait > self._max_rate_limit_wait:
            raise error
        budget.throttles += 1
        budget.throttled_for += wait
        return wait + jitter

    def _backoff(self, retry: int) -> float:
        """Full-jitter exponential backoff before the given (1-based) retry."""
        ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (retry - 1))
        return self._rng.uniform(0, ceiling)


def matching_reply(
    conversation: Conversation, *, admin_id: str, body: str, since: int
) -> ConversationPart | None:
    """The first part by ``admin_id`` created at or after ``since`` whose body equals ``body``.

    Bodies are compared as text: Intercom wraps plain text in ``<p>…</p>``, may turn
    newlines into paragraphs or breaks and escapes entities, so tags are dropped, entities
    unescaped and whitespace collapsed on both sides.
    """
    wanted = normalise_body(body)
    for part in conversation.parts:
        author_id = part.author.id if part.author else None
        if author_id != admin_id or (part.created_at or 0) < since:
            continue
        if normalise_body(part.body) == wanted:
            return part
    return None


_TAG = re.compile(r"<[^>]*>")


def normalise_body(body: str | None) -> str:
    """A message body reduced to its words: no tags, entities decoded, single spaces."""
    if not body:
        return ""
    return " ".join(html.unescape(_TAG.sub(" ", body)).split())


def data_type_of(value: AttributeValue) -> str:
    """The Intercom data attribute type for a Python value (``None`` counts as string)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    return "string"


def _headers(access_token: str, version: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {access_token}",
        "Accept": "application/json",
        "Content-Type": "application/json",
        "Intercom-Version": version,
        "User-Agent": f"concierge/{__version__}",
    }


def _segment(value: str) -> str:
    """An id made safe as one URL path segment."""
    return quote(str(value), safe="")


def _with_body(payload: dict[str, Any], body: str | None) -> dict[str, Any]:
    return payload if body is None else {**payload, "body": body}


def _reply_payload(
    admin_id: str,
    body: str | None,
    message_type: ReplyType,
    reply_options: Sequence[tuple[str, str]] | None,
) -> dict[str, Any]:
    """The admin reply body; the spec needs ``body`` for comment/note, options for quick_reply."""
    if message_type in ("comment", "note") and not body:
        raise ValueError(f"a {message_type} needs a body")
    if message_type == "quick_reply" and not reply_options:
        raise ValueError("a quick_reply needs reply_options")
    payload: dict[str, Any] = {"message_type": message_type, "type": "admin", "admin_id": admin_id}
    if body is not None:
        payload["body"] = body
    if reply_options:
        payload["reply_options"] = [{"text": text, "uuid": uid} for text, uid in reply_options]
    return payload


def _reset_at(headers: httpx.Headers, now: float) -> float | None:
    """When the rate-limit window resets (Unix seconds), if the headers say so plausibly."""
    reset = _number(headers.get("x-ratelimit-reset"))
    if reset is None:
        after = _number(headers.get("retry-after"))
        reset = None if after is None else now + after
    if reset is None or abs(reset - now) > MAX_PLAUSIBLE_RESET:
        return None
    return reset


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) and value >= 0 else None


def _decode(response: httpx.Response, call: _Call) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise IntercomInvalidResponse(
            f"{call.method} /{call.path} -> {response.status_code}: body is not JSON"
        ) from exc


def _parse(model: type[ResourceT], data: Any) -> ResourceT:
    """Validate a decoded response as a resource model, or raise IntercomInvalidResponse."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) or "(root)" for e in exc.errors())
        raise IntercomInvalidResponse(f"unexpected {model.__name__} shape: {fields}") from None
