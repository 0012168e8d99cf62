"""Intercom's rate limit: a call budget per 10-second window, reported in headers."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_SECONDS = 10
DEFAULT_LIMIT = 1666  # 10,000 calls per minute per app, enforced per 10 s window


@dataclass(frozen=True)
class RateWindow:
    """The budget as one response reports it."""

    limit: int
    remaining: int
    reset: int

    @property
    def exceeded(self) -> bool:
        """True when this call was over the budget."""
        return self.remaining < 0

    def headers(self) -> dict[str, str]:
        """``X-RateLimit-Limit``, ``-Remaining`` and ``-Reset`` (unix seconds)."""
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.remaining, 0)),
            "X-RateLimit-Reset": str(self.reset),
        }


class RateLimiter:
    """Counts calls in fixed 10-second windows."""

    def __init__(self, limit: int = DEFAULT_LIMIT, clock: Callable[[], float] = time.time) -> None:
        self.limit = limit
        self._clock = clock
        self._window_start = -math.inf
        self._used = 0

    def take(self) -> RateWindow:
        """Count one call; the result says whether it fits and what to report."""
        now = self._clock()
        if now - self._window_start >= WINDOW_SECONDS:
            self._window_start = now
            self._used = 0
        self._used += 1
        reset = math.ceil(self._window_start + WINDOW_SECONDS)
        return RateWindow(self.limit, self.limit - self._used, reset)

    def peek(self) -> RateWindow:
        """The current budget without counting a call."""
        now = self._clock()
        used = self._used if now - self._window_start < WINDOW_SECONDS else 0
        start = self._window_start if used else now
        return RateWindow(self.limit, self.limit - used, math.ceil(start + WINDOW_SECONDS))
