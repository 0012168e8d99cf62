"""Time and identity helpers for background workers."""

from __future__ import annotations

import os
import random
import socket
import time
import uuid
from datetime import UTC, datetime


def now() -> float:
    """Current Unix time in seconds."""
    return time.time()


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def worker_identity() -> str:
    """A lease owner name unique to this process (host, pid, random suffix)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def backoff_delay(attempt: int, *, base: float = 1.0, cap: float = 300.0) -> float:
    """Exponential backoff with full jitter for the given (1-based) attempt number."""
    ceiling = min(cap, base * (2 ** max(attempt - 1, 0)))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not security
