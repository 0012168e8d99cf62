"""``/webhooks/intercom``: verify, store durably, acknowledge; the worker does the rest."""

from __future__ import annotations

from typing import Any

import structlog
from litestar import Request, Router, head, post
from litestar.di import NamedDependency, Provide

from concierge.intercom.signatures import verify_webhook_signature
from concierge.intercom.webhooks import Notification, NotificationError, parse_notification
from concierge.privacy import mask_data
from concierge.runtime.clock import now
from concierge.store import events as event_store
from concierge.web.errors import MalformedBodyError
from concierge.web.resources import Resources, provide_resources
from concierge.web.signing import signed_json

log = structlog.get_logger(component="webhooks")


@head("/", status_code=200, sync_to_thread=False)
def validate_url() -> None:
    """Intercom checks the URL with HEAD before subscribing."""


def _event_values(notification: Notification, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "notification_id": notification.id,
        "topic": notification.topic,
        "conversation_id": notification.conversation_id,
        "payload": mask_data(body),
        "intercom_created_at": notification.created_at,
        "received_at": now(),
        "status": event_store.PENDING,
        "attempts": 0,
        "next_attempt_at": 0.0,
    }


@post("/", status_code=200)
async def receive(
    request: Request[Any, Any, Any], resources: NamedDependency[Resources]
) -> dict[str, str]:
    """Store the notification (once per id), then answer 200 so Intercom stops retrying."""
    secret = resources.settings.client_secret
    body = await signed_json(
        request, header="X-Hub-Signature", verify=verify_webhook_signature, secret=secret
    )
    try:
        notification = parse_notification(body)
    except NotificationError as exc:
        raise MalformedBodyError(str(exc)) from None
    async with resources.db.transaction() as session:
        stored = await event_store.record_event(session, _event_values(notification, body))
    structlog.contextvars.bind_contextvars(conversation_id=notification.conversation_id)
    log.info("webhook stored" if stored else "duplicate webhook", topic=notification.topic)
    if stored and resources.worker is not None:
        resources.worker.wake()
    return {"status": "stored" if stored else "duplicate"}


webhook_router = Router(
    path="/webhooks/intercom",
    route_handlers=[validate_url, receive],
    dependencies={"resources": Provide(provide_resources, sync_to_thread=False)},
)
