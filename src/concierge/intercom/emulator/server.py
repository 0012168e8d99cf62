"""Litestar wiring: the emulator mounted in the main app, or standing alone.

One catch-all handler hands raw bytes to :meth:`Emulator.handle`, so the emulator sees every
request exactly as sent (malformed JSON included) and every answer, even for unknown paths
or framework errors, is an Intercom ``error.list`` rather than Litestar's error shape.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from litestar import Litestar, Request, Response, Router, route
from litestar.enums import HttpMethod
from litestar.exceptions import HTTPException

from concierge.intercom.emulator.emulator import Emulator, error_response
from concierge.intercom.emulator.errors import ApiError
from concierge.intercom.emulator.exchange import EmulatorRequest, EmulatorResponse
from concierge.intercom.emulator.wire import encode

METHODS = [HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE]
_ERROR_CODES = {
    400: "parameter_invalid",
    401: "unauthorized",
    404: "not_found",
    429: "rate_limit_exceeded",
}


def create_emulator_router(emulator: Emulator, path: str = "/intercom-emulator") -> Router:
    """The emulator's REST API and helpers under ``path``, for mounting in an app.

    Routers have no lifespan: the app that mounts it must ``await emulator.aclose()`` on
    shutdown (``concierge.web.app`` does).
    """
    return Router(
        path=path,
        route_handlers=[_catch_all(emulator)],
        exception_handlers={Exception: _framework_error},
        include_in_schema=False,
    )


def create_emulator_app(emulator: Emulator) -> Litestar:
    """The emulator alone at ``/`` (``concierge emulator``); shutdown closes it."""
    return Litestar(
        route_handlers=[create_emulator_router(emulator, path="/")],
        exception_handlers={Exception: _framework_error},
        on_shutdown=[emulator.aclose],
        openapi_config=None,
        debug=False,
    )


def _catch_all(emulator: Emulator) -> Any:
    @route(["/", "/{path:path}"], http_method=METHODS, include_in_schema=False)
    async def intercom_emulator(request: Request[Any, Any, Any]) -> Response[bytes]:
        answer = await emulator.handle(await _as_emulator_request(request))
        await _hold(request, answer.hold_seconds, emulator.closing)
        return _as_response(answer)

    return intercom_emulator


async def _as_emulator_request(request: Request[Any, Any, Any]) -> EmulatorRequest:
    sub_path = str(request.path_params.get("path") or "/")
    return EmulatorRequest(
        method=request.method,
        path=sub_path if sub_path.startswith("/") else f"/{sub_path}",
        headers=dict(request.headers),
        query={key: str(value) for key, value in request.query_params.items()},
        body=await request.body(),
    )


def _as_response(answer: EmulatorResponse) -> Response[bytes]:
    content = b"" if answer.body is None else encode(answer.body)
    return Response(
        content=content,
        status_code=answer.status,
        headers=answer.headers,
        media_type="application/json",
    )


async def _hold(request: Request[Any, Any, Any], seconds: float, closing: asyncio.Event) -> None:
    """Hold the response (a ``timeout`` fault) until the time is up, the client hangs up,
    or the emulator shuts down."""
    if seconds <= 0:
        return
    waiters = {
        asyncio.ensure_future(_disconnected(request)),
        asyncio.ensure_future(closing.wait()),
    }
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await waiter


async def _disconnected(request: Request[Any, Any, Any]) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        continue


def _framework_error(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """Errors raised by Litestar itself (body too large, no route, ...) as ``error.list``."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    code = _ERROR_CODES.get(status, "server_error" if status >= 500 else "bad_request")
    message = exc.detail if isinstance(exc, HTTPException) else "Internal server error"
    return _as_response(error_response(ApiError(status, code, message)))
