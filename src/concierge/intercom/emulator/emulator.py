"""The Intercom emulator: a workspace, its REST API, local helpers, faults and webhooks.

:meth:`Emulator.handle` answers one request, independent of any web framework; the Litestar
adapters in ``server`` only carry bytes in and out. Handlers change state synchronously
(no ``await`` between reading and writing), so concurrent requests on the event loop never
see half-applied changes.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import structlog

from concierge.intercom.emulator.delivery import PING_ITEM, Delivery, WebhookSender
from concierge.intercom.emulator.errors import ApiError, EmulatorError, error_body, invalid
from concierge.intercom.emulator.exchange import Call, EmulatorRequest, EmulatorResponse
from concierge.intercom.emulator.faults import Fault, FaultBook
from concierge.intercom.emulator.journal import Journal
from concierge.intercom.emulator.local_helpers import LOCAL_PREFIX, LocalHelpers, state_json
from concierge.intercom.emulator.ratelimit import DEFAULT_LIMIT, RateLimiter, RateWindow
from concierge.intercom.emulator.routes import resolve
from concierge.intercom.emulator.seed import Seed
from concierge.intercom.emulator.seeding import build_workspace

log = structlog.get_logger(component="intercom-emulator")

_BEARER = re.compile(r"^bearer\s+\S+", re.IGNORECASE)
_NOT_JSON = object()
FAULT_RESET_SECONDS = 2


class Emulator:
    """A faithful in-memory stand-in for one Intercom workspace and app.

    ``client_secret`` signs webhooks to ``webhook_url`` (None disables delivery);
    ``bot_admin_id`` is the app's bot identity (``GET /me``); parts the app writes through
    the API carry ``app_package_code``; a failed delivery is retried once after
    ``retry_delay`` seconds; ``seed`` replaces the default Portlandia workspace;
    ``webhook_transport`` routes deliveries through another httpx transport (e.g. an
    in-process ASGI app or a test double).
    """

    def __init__(
        self,
        *,
        client_secret: str,
        webhook_url: str | None,
        bot_admin_id: str = "9000001",
        app_package_code: str = "concierge-local",
        retry_delay: float = 60.0,
        seed: Seed | None = None,
        rate_limit: int = DEFAULT_LIMIT,
        delivery_timeout: float = 5.0,
        webhook_transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not bot_admin_id.isdigit():
            raise EmulatorError(
                f"bot_admin_id must be numeric like Intercom's, got {bot_admin_id!r}"
            )
        self.app_package_code = app_package_code
        self.workspace = build_workspace(seed or Seed(), bot_admin_id, clock)
        self.webhooks = WebhookSender(
            url=webhook_url,
            secret=client_secret,
            app_id=self.workspace.info.id,
            retry_delay=retry_delay,
            timeout=delivery_timeout,
            clock=clock,
            transport=webhook_transport,
        )
        self.faults = FaultBook()
        self.journal = Journal(clock)
        self.rate_limiter = RateLimiter(rate_limit, clock)
        self.closing = asyncio.Event()
        self._clock = clock
        self._helpers = LocalHelpers(self.workspace, self.webhooks, self.journal, self.faults)

    @property
    def deliveries(self) -> list[Delivery]:
        """Every webhook notification so far, with its attempts and outcome."""
        return self.webhooks.deliveries

    async def wait_for_deliveries(self) -> None:
        """Wait until no delivery (or pending retry) is under way (wrap it in
        ``asyncio.timeout`` to bound the wait)."""
        await self.webhooks.wait_idle()

    def send_ping(self) -> Delivery:
        """Deliver a ``ping`` notification now (needs a running event loop)."""
        return self.webhooks.send("ping", dict(PING_ITEM))

    def state(self) -> dict[str, Any]:
        """The workspace as JSON (what ``GET /_state`` returns)."""
        return state_json(self.workspace)

    async def aclose(self) -> None:
        """Release held responses, cancel deliveries under way, close the HTTP client."""
        self.closing.set()
        self.closing.clear()
        await self.webhooks.aclose()

    async def handle(self, request: EmulatorRequest) -> EmulatorResponse:
        """Answer one request (logging it unless it asks for the log)."""
        body = _decode(request)
        entry = None
        if request.path != f"{LOCAL_PREFIX}log":
            entry = self.journal.record(
                request.method, request.path, None if body is _NOT_JSON else body
            )
        response = self._respond(request, body)
        if entry is not None:
            entry.status = response.status
        return response

    def _respond(self, request: EmulatorRequest, body: Any) -> EmulatorResponse:
        try:
            if request.path.startswith(LOCAL_PREFIX):
                helper = self._helpers.route(request.method, request.path)
                return helper(_require_json(body))
            return self._rest(request, body)
        except ApiError as exc:
            return error_response(exc)
        except Exception:
            log.exception("emulator handler failed", method=request.method, path=request.path)
            return error_response(ApiError(500, "server_error", "Internal server error"))

    def _rest(self, request: EmulatorRequest, body: Any) -> EmulatorResponse:
        if not _BEARER.match(request.header("authorization") or ""):
            raise ApiError(401, "unauthorized", "Access Token Invalid")
        fault = self.faults.take(request.method, request.path)
        if fault is not None and fault.status != "timeout":
            raise self._fault_error(fault)
        window = self.rate_limiter.take()
        try:
            response = self._dispatch(request, body, window)
        except ApiError as exc:
            response = error_response(exc)
        response.headers.update(window.headers())
        response.hold_seconds = fault.hang_seconds if fault is not None else 0.0
        return response

    def _dispatch(
        self, request: EmulatorRequest, body: Any, window: RateWindow
    ) -> EmulatorResponse:
        if window.exceeded:
            raise ApiError(
                429, "rate_limit_exceeded", f"Exceeded rate limit of {window.limit} in 10_seconds"
            )
        handler, params = resolve(request.method, request.path)
        call = Call(
            workspace=self.workspace,
            notify=self._notify,
            app_package_code=self.app_package_code,
            params=params,
            query=request.query,
            body=_require_json(body),
        )
        return handler(call)

    def _notify(self, topic: str, item: dict[str, Any]) -> None:
        self.webhooks.send(topic, item)

    def _fault_error(self, fault: Fault) -> ApiError:
        if fault.status == 500:
            headers = self.rate_limiter.peek().headers()
            return ApiError(500, "server_error", "Internal server error (injected fault)", headers)
        limit = self.rate_limiter.limit
        reset = int(self._clock()) + FAULT_RESET_SECONDS
        headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": str(reset),
        }
        return ApiError(
            429, "rate_limit_exceeded", f"Exceeded rate limit of {limit} in 10_seconds", headers
        )


def error_response(exc: ApiError) -> EmulatorResponse:
    """An ``error.list`` response for an ApiError (with a fresh request id)."""
    request_id = str(uuid.uuid4())
    headers = {"X-Request-Id": request_id, **exc.headers}
    return EmulatorResponse(exc.status, error_body(exc.code, exc.message, request_id), headers)


def _decode(request: EmulatorRequest) -> Any:
    try:
        return request.json()
    except ValueError:
        return _NOT_JSON


def _require_json(body: Any) -> Any:
    if body is _NOT_JSON:
        raise invalid("Request body is not valid JSON")
    return body
