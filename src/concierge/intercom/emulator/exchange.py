"""One HTTP exchange with the emulator, independent of the web framework that carries it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from concierge.intercom.emulator.workspace import Workspace

Json = dict[str, Any]
Notify = Callable[[str, Json], None]


@dataclass(frozen=True)
class EmulatorRequest:
    """A request as received: method, path below the emulator's base, headers, raw body."""

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """A header value by case-insensitive name."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)

    def json(self) -> Any:
        """The decoded JSON body; None when empty; raises ValueError when malformed."""
        if not self.body.strip():
            return None
        return json.loads(self.body)


@dataclass
class EmulatorResponse:
    """A response: status, JSON body (None for no content), headers, and how long to hold it."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    hold_seconds: float = 0.0


@dataclass(frozen=True)
class Call:
    """What an endpoint handler gets: the workspace, path/query parameters and the body."""

    workspace: Workspace
    notify: Notify
    app_package_code: str
    params: Mapping[str, str]
    query: Mapping[str, str]
    body: Any


def ok(body: Any, status: int = 200) -> EmulatorResponse:
    """A successful JSON response."""
    return EmulatorResponse(status=status, body=body)
