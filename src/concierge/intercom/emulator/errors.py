"""Errors the emulator answers with, shaped like Intercom's ``error.list`` bodies."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from concierge.intercom.errors import IntercomError


class EmulatorError(IntercomError):
    """The root of everything the emulator raises."""


class ApiError(EmulatorError):
    """A request the emulator refuses, answered as Intercom would (status + error code)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def not_found(message: str = "Resource Not Found", code: str = "not_found") -> ApiError:
    """Intercom's 404 for a resource that does not exist."""
    return ApiError(404, code, message)


def invalid(message: str) -> ApiError:
    """Intercom's 400 for a parameter with a wrong value or type."""
    return ApiError(400, "parameter_invalid", message)


def error_body(code: str, message: str, request_id: str | None = None) -> dict[str, Any]:
    """The ``error.list`` body Intercom sends with every error status."""
    return {
        "type": "error.list",
        "request_id": request_id or str(uuid.uuid4()),
        "errors": [{"code": code, "message": message}],
    }
