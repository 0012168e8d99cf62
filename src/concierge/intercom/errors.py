"""The exceptions of the Intercom wire layer, rooted at :class:`IntercomError`.

REST failures come in two families:

- :class:`IntercomApiError` — Intercom answered with a non-2xx status. It carries the status,
  the ``request_id`` and the ``{code, message, field}`` entries of Intercom's ``error.list``
  body, with one subclass per status the app treats differently (400, 401, 403, 404, 409,
  422, 429, 5xx).
- :class:`IntercomUnavailable` — no answer at all (connection refused, timeout, dropped
  connection) after the client's retries. ``outcome_unknown`` tells the caller whether a
  non-idempotent write may nevertheless have reached Intercom, so it must reconcile (look
  for the effect) before sending again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_EXCERPT_CHARS = 200


class IntercomError(Exception):
    """Something about talking to (or being called by) Intercom went wrong."""


@dataclass(frozen=True)
class ErrorDetail:
    """One entry of Intercom's ``error.list``: a machine code, a message, maybe a field."""

    code: str
    message: str | None = None
    field: str | None = None


@dataclass(frozen=True)
class ErrorBody:
    """What could be read from an error response body (any shape, possibly none)."""

    request_id: str | None = None
    errors: tuple[ErrorDetail, ...] = ()
    excerpt: str | None = None


class IntercomApiError(IntercomError):
    """Intercom answered a REST call with a non-2xx status."""

    def __init__(
        self,
        status: int,
        errors: Sequence[ErrorDetail] = (),
        *,
        request_id: str | None = None,
        method: str | None = None,
        path: str | None = None,
        excerpt: str | None = None,
    ) -> None:
        self.status = status
        self.errors = list(errors)
        self.request_id = request_id
        self.method = method
        self.path = path
        self.excerpt = excerpt
        super().__init__(self._describe())

    @property
    def code(self) -> str | None:
        """The code of the first error (``not_found``, ``parameter_invalid``…), if any."""
        return self.errors[0].code if self.errors else None

    def _describe(self) -> str:
        where = f"{self.method} {self.path} -> " if self.method and self.path else ""
        details = "; ".join(_detail_text(detail) for detail in self.errors)
        text = details or self.excerpt or "no error details"
        suffix = f" [request_id={self.request_id}]" if self.request_id else ""
        return f"{where}{self.status}: {text}{suffix}"


class IntercomBadRequest(IntercomApiError):  # noqa: N818 - the API's names
    """400: the request was malformed (``parameter_invalid``, ``parameter_not_found``…)."""


class IntercomUnauthorized(IntercomApiError):  # noqa: N818 - the API's names
    """401: the access token is missing, invalid or revoked."""


class IntercomForbidden(IntercomApiError):  # noqa: N818 - the API's names
    """403: the token may not do this (``api_plan_restricted``, missing scope…)."""


class IntercomNotFound(IntercomApiError):  # noqa: N818 - the API's names
    """404: the conversation, contact, admin… does not exist."""


class IntercomConflict(IntercomApiError):  # noqa: N818 - the API's names
    """409: the request conflicts with the resource's current state."""


class IntercomUnprocessable(IntercomApiError):  # noqa: N818 - the API's names
    """422: the request was well formed but Intercom refused its content."""


class IntercomRateLimited(IntercomApiError):  # noqa: N818 - the API's names
    """429: over the rate limit; ``reset_at`` is when the window resets (Unix seconds)."""

    def __init__(
        self,
        status: int,
        errors: Sequence[ErrorDetail] = (),
        *,
        reset_at: float | None = None,
        **context: Any,
    ) -> None:
        self.reset_at = reset_at
        super().__init__(status, errors, **context)


class IntercomServerError(IntercomApiError):
    """5xx: Intercom failed; for a non-idempotent write the outcome is unknown."""


class IntercomUnavailable(IntercomError):  # noqa: N818 - the API's names
    """No response from Intercom (connection error or timeout) after the client's retries.

    ``outcome_unknown`` is True when the last attempt was a non-idempotent write that may
    have reached Intercom (a timeout or a dropped connection after the request was sent):
    the caller must check whether it took effect before sending it again.
    """

    def __init__(self, message: str, *, outcome_unknown: bool, attempts: int = 1) -> None:
        self.outcome_unknown = outcome_unknown
        self.attempts = attempts
        super().__init__(message)


class IntercomInvalidResponse(IntercomError):  # noqa: N818 - like its siblings
    """A 2xx response whose body is not the JSON object the endpoint promises."""


_STATUS_ERRORS: dict[int, type[IntercomApiError]] = {
    400: IntercomBadRequest,
    401: IntercomUnauthorized,
    403: IntercomForbidden,
    404: IntercomNotFound,
    409: IntercomConflict,
    422: IntercomUnprocessable,
}


def api_error(
    status: int,
    body: ErrorBody,
    *,
    method: str | None = None,
    path: str | None = None,
    reset_at: float | None = None,
) -> IntercomApiError:
    """The typed exception for a non-2xx status and its parsed body."""
    context: dict[str, Any] = {
        "request_id": body.request_id,
        "method": method,
        "path": path,
        "excerpt": body.excerpt,
    }
    if status == 429:
        return IntercomRateLimited(status, body.errors, reset_at=reset_at, **context)
    if status >= 500:
        return IntercomServerError(status, body.errors, **context)
    return _STATUS_ERRORS.get(status, IntercomApiError)(status, body.errors, **context)


def parse_error_body(content: bytes) -> ErrorBody:
    """Read an error body leniently: ``error.list`` with or without ``type``, or anything."""
    try:
        document = json.loads(content) if content.strip() else None
    except (ValueError, UnicodeDecodeError):
        return ErrorBody(excerpt=_excerpt(content))
    if not isinstance(document, dict):
        return ErrorBody(excerpt=_excerpt(content))
    errors = tuple(_details(document.get("errors")))
    request_id = document.get("request_id")
    return ErrorBody(
        request_id=str(request_id) if request_id is not None else None,
        errors=errors,
        excerpt=None if errors else _excerpt(content),
    )


def _details(raw: Any) -> list[ErrorDetail]:
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        return []
    return [_detail(item) for item in raw if isinstance(item, dict)]


def _detail(item: dict[str, Any]) -> ErrorDetail:
    return ErrorDetail(
        code=str(item.get("code") or "unknown"),
        message=_optional_str(item.get("message")),
        field=_optional_str(item.get("field")),
    )


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _excerpt(content: bytes) -> str | None:
    text = " ".join(content.decode("utf-8", errors="replace").split())
    if not text:
        return None
    return text if len(text) <= _EXCERPT_CHARS else text[:_EXCERPT_CHARS] + "…"


def _detail_text(detail: ErrorDetail) -> str:
    text = detail.code + (f": {detail.message}" if detail.message else "")
    return text + (f" (field {detail.field})" if detail.field else "")
