"""The one place errors become HTTP responses.

Every error leaves as JSON ``{"error": {"code": ..., "message": ...}}`` with a request id;
Canvas Kit routes never reach here with an internal error: they render error canvases.
"""

from __future__ import annotations

from typing import Any

import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap

log = structlog.get_logger(component="web")


class WebError(Exception):
    """An error with a status code and a stable machine-readable code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class BadSignatureError(WebError):
    """A missing or wrong Intercom signature."""

    def __init__(self, header: str) -> None:
        super().__init__(401, "bad_signature", f"missing or invalid {header} header")


class MalformedBodyError(WebError):
    """A body that is not the JSON (or form) this route expects."""

    def __init__(self, message: str) -> None:
        super().__init__(400, "malformed_body", message)


def error_response(status: int, code: str, message: str) -> Response[dict[str, Any]]:
    """The JSON error body every non-canvas route uses."""
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    body = {"error": {"code": code, "message": message, "request_id": request_id}}
    return Response(content=body, status_code=status, media_type="application/json")


def handle_web_error(_request: Request[Any, Any, Any], exc: WebError) -> Response[dict[str, Any]]:
    """Map our own errors."""
    log.info("request rejected", status=exc.status, code=exc.code, reason=exc.message)
    return error_response(exc.status, exc.code, exc.message)


_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}


def handle_http_exception(
    _request: Request[Any, Any, Any], exc: HTTPException
) -> Response[dict[str, Any]]:
    """Map Litestar's own HTTP errors (404, 405, 413 …) to the same shape."""
    code = _CODES.get(exc.status_code, "http_error")
    return error_response(exc.status_code, code, str(exc.detail))


def handle_unexpected(_request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """Anything else: log it with the stack, answer a generic 500."""
    log.exception("unhandled error", error=exc.__class__.__name__)
    return error_response(HTTP_500_INTERNAL_SERVER_ERROR, "internal_error", "internal error")


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    WebError: handle_web_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
