"""Shared fixtures for every test layer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import structlog

_PRISTINE_LOGGING: dict[str, Any] = structlog.get_config()


@pytest.fixture(autouse=True)
def _restore_logging_configuration() -> Iterator[None]:
    """Put structlog back as it was before any test, after each test.

    Commands and local stacks under test configure structlog for the whole process (``concierge
    chat`` logs only errors), sometimes from a module-scoped fixture that runs before this one;
    without this, a later test that captures warnings would see none of them.
    """
    yield
    structlog.configure(**_PRISTINE_LOGGING)
