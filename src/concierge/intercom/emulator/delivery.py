"""Webhook delivery the way Intercom does it.

Each notification is POSTed in Intercom's envelope with ``X-Hub-Signature: sha1=<hex>``
(HMAC-SHA1 of the exact body bytes under the app's client secret) and Intercom's user agent.
A delivery that times out (5 s) or answers non-2xx is retried once after ``retry_delay``
(Intercom waits about a minute) with ``delivery_attempts`` incremented; a ``410 Gone``
disables the subscription instead. Deliveries run as background tasks, so the REST call
that caused them never waits; every delivery is kept for inspection.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
import structlog

from concierge.intercom.emulator.wire import encode
from concierge.intercom.signatures import sign_webhook_body

log = structlog.get_logger(component="intercom-emulator")

USER_AGENT = "intercom-parrot-service-client/1.0"
DELIVERY_TIMEOUT_SECONDS = 5.0
PING_ITEM = {"type": "ping", "message": "something something interzen"}
DeliveryState = Literal["pending", "delivered", "failed", "skipped", "cancelled"]


@dataclass
class Attempt:
    """One POST of a notification: the status it got, or why it got none."""

    number: int
    sent_at: float
    status: int | None = None
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        """True for a 2xx answer."""
        return self.status is not None and 200 <= self.status < 300


@dataclass
class Delivery:
    """A notification and what happened to it."""

    topic: str
    envelope: dict[str, Any]
    state: DeliveryState = "pending"
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def notification_id(self) -> str:
        """The envelope's ``notif_…`` id (the same on every attempt)."""
        return str(self.envelope["id"])

    def as_json(self) -> dict[str, Any]:
        """The delivery as tests and ``GET /_deliveries`` inspect it."""
        return {
            "id": self.notification_id,
            "topic": self.topic,
            "state": self.state,
            "attempts": [vars(attempt) for attempt in self.attempts],
            "envelope": self.envelope,
        }


def envelope(topic: str, item: dict[str, Any], app_id: str, created_at: int) -> dict[str, Any]:
    """Intercom's ``notification_event`` envelope (``delivery_attempts`` set per attempt)."""
    return {
        "type": "notification_event",
        "app_id": app_id,
        "data": {"type": "notification_event_data", "item": item},
        "links": {},
        "id": f"notif_{uuid.uuid4()}",
        "topic": topic,
        "delivery_status": None,
        "delivery_attempts": 0,
        "delivered_at": 0,
        "first_sent_at": created_at,
        "created_at": created_at,
        "self": None,
    }


class WebhookSender:
    """Signs and delivers notifications to one webhook URL (None: deliveries disabled)."""

    def __init__(
        self,
        *,
        url: str | None,
        secret: str,
        app_id: str,
        retry_delay: float,
        timeout: float = DELIVERY_TIMEOUT_SECONDS,
        clock: Callable[[], float] = time.time,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = url
        self.disabled = url is None
        self.deliveries: list[Delivery] = []
        self._secret = secret
        self._app_id = app_id
        self._retry_delay = retry_delay
        self._timeout = timeout
        self._clock = clock
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def send(self, topic: str, item: dict[str, Any]) -> Delivery:
        """Queue a notification; it is delivered in the background."""
        delivery = Delivery(topic, envelope(topic, item, self._app_id, int(self._clock())))
        self.deliveries.append(delivery)
        if self.disabled:
            delivery.state = "skipped"
            return delivery
        task = asyncio.get_running_loop().create_task(self._deliver(delivery))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return delivery

    async def wait_idle(self) -> None:
        """Wait until every queued delivery (retries included) has finished."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def aclose(self) -> None:
        """Cancel deliveries still under way and close the HTTP client."""
        tasks = set(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _deliver(self, delivery: Delivery) -> None:
        try:
            last = await self._attempt(delivery)
            if not last.succeeded and last.status != 410:
                await asyncio.sleep(self._retry_delay)
                last = await self._attempt(delivery)
            self._finish(delivery, last)
        except asyncio.CancelledError:
            delivery.state = "cancelled"
            raise

    def _finish(self, delivery: Delivery, last: Attempt) -> None:
        delivery.state = "delivered" if last.succeeded else "failed"
        if last.status == 410:
            self.disabled = True
        log.debug(
            "webhook delivery finished",
            topic=delivery.topic,
            state=delivery.state,
            attempts=len(delivery.attempts),
            notification_id=delivery.notification_id,
        )

    async def _attempt(self, delivery: Delivery) -> Attempt:
        attempt = Attempt(number=len(delivery.attempts) + 1, sent_at=self._clock())
        delivery.attempts.append(attempt)
        delivery.envelope["delivery_attempts"] = attempt.number
        raw = encode(delivery.envelope)
        try:
            response = await self._http().post(
                str(self.url), content=raw, headers=self._headers(raw)
            )
            attempt.status = response.status_code
        except httpx.TimeoutException:
            attempt.error = f"no response within {self._timeout} s"
        except httpx.HTTPError as exc:
            attempt.error = f"{type(exc).__name__}: {exc}"
        return attempt

    def _headers(self, raw: bytes) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            "X-Hub-Signature": sign_webhook_body(raw, self._secret),
        }

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._timeout, transport=self._transport)
        return self._client
