"""The request log: every request the emulator received, oldest first (``GET /_log``).

Card numbers and social security numbers in logged bodies are masked, the way a bank's
Intercom workspace redacts them: the log is a developer tool and must not keep them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from concierge.privacy import mask_data


@dataclass
class Entry:
    """One request; ``status`` stays None until the response is decided."""

    method: str
    path: str
    body: Any
    received_at: float
    status: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The entry as ``GET /_log`` shows it."""
        return {
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "body": self.body,
            "received_at": self.received_at,
        }


class Journal:
    """Entries in the order the requests arrived."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._entries: list[Entry] = []
        self._clock = clock

    def record(self, method: str, path: str, body: Any) -> Entry:
        """Log a request as it arrives (its status is filled in later)."""
        entry = Entry(
            method=method.upper(),
            path=path,
            body=mask_data(body),
            received_at=round(self._clock(), 3),
        )
        self._entries.append(entry)
        return entry

    def entries(self) -> list[dict[str, Any]]:
        """Every entry, oldest first."""
        return [entry.as_json() for entry in self._entries]

    def clear(self) -> None:
        """Forget everything logged so far."""
        self._entries.clear()
