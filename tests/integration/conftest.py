"""Fixtures for integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.postgres import throwaway_postgres


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """``postgresql+psycopg://concierge@127.0.0.1:PORT/concierge`` of a throwaway cluster."""
    with throwaway_postgres() as url:
        yield url
