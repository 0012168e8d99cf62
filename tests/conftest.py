"""Shared fixtures for every test layer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import structlog


@pytest.fixture(autouse=True)
def _restore_logging_configuration() -> Iterator[None]:
    """Undo a command's logging set-up (``concierge chat`` logs only errors) after each test.

    Commands under test configure structlog for the whole process; without this, a later test
    that captures warnings would see none of them.
    """
    saved: dict[str, Any] = structlog.get_config()
    yield
    structlog.configure(**saved)
