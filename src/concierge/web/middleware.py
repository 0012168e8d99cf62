"""ASGI middleware binding a request id to every log line and echoing it back."""

from __future__ import annotations

import uuid

import structlog
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Bind ``request_id`` (from ``X-Request-Id`` or a new uuid) for the request's lifetime."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming[:64] or uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message)["X-Request-Id"] = request_id
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            structlog.contextvars.clear_contextvars()

    return middleware
