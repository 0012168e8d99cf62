"""Injected failures: make the next N matching REST requests fail like Intercom sometimes does.

* ``429``: refused with ``rate_limit_exceeded`` and ``X-RateLimit-Reset`` ~2 s ahead;
* ``500``: refused with ``server_error``;
* ``"timeout"``: the request IS applied (state changes, webhooks fire) but the response is
  held for ``hang_seconds`` — the classic "did it go through?" case.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from typing import Any, Literal

from pydantic import Field

from concierge.intercom.emulator.bodies import Body

FaultKind = Literal[429, 500, "timeout"]
DEFAULT_HANG_SECONDS = 30.0


class FaultRequest(Body):
    """``POST /_faults``."""

    path_prefix: str = Field(pattern=r"^/")
    status: FaultKind
    count: int = Field(default=1, ge=1)
    method: str | None = Field(default=None, pattern=r"^[A-Za-z]+$")
    hang_seconds: float = Field(default=DEFAULT_HANG_SECONDS, ge=0)


@dataclass
class Fault:
    """An armed fault and how many more requests it will hit."""

    id: int
    path_prefix: str
    status: FaultKind
    remaining: int
    method: str | None
    hang_seconds: float

    def matches(self, method: str, path: str) -> bool:
        """True for a request this fault applies to."""
        same_method = self.method is None or self.method == method.upper()
        return same_method and path.startswith(self.path_prefix)

    def as_json(self) -> dict[str, Any]:
        """The fault as ``GET /_faults`` shows it."""
        return asdict(self)


class FaultBook:
    """Armed faults, consumed oldest first."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)

    def arm(self, request: FaultRequest) -> Fault:
        """Arm a fault for the next ``count`` matching requests."""
        fault = Fault(
            id=next(self._ids),
            path_prefix=request.path_prefix,
            status=request.status,
            remaining=request.count,
            method=request.method.upper() if request.method else None,
            hang_seconds=request.hang_seconds,
        )
        self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The fault that hits this request (counting it), if any."""
        for fault in self._faults:
            if fault.matches(method, path):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
                return fault
        return None

    def clear(self) -> int:
        """Disarm everything; returns how many faults were armed."""
        count = len(self._faults)
        self._faults.clear()
        return count

    def armed(self) -> list[Fault]:
        """The faults still armed, oldest first."""
        return list(self._faults)
