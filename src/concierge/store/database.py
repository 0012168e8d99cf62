"""Engines and sessions for SQLite (embedded default) and PostgreSQL (production).

One URL setting drives both the async engine the server uses and the sync engine Alembic
uses; this module turns the user's URL into the right driver for each.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from concierge.store.errors import StoreError

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg"}
_SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}


def parse_url(raw: str) -> URL:
    """Parse a database URL, accepting ``postgres://`` as PostgreSQL."""
    text = raw.replace("postgres://", "postgresql://", 1) if raw.startswith("postgres://") else raw
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise StoreError(f"CONCIERGE_DATABASE_URL is not a database URL: {exc}") from None
    if url.get_backend_name() not in _ASYNC_DRIVERS:
        raise StoreError(
            f"CONCIERGE_DATABASE_URL uses {url.get_backend_name()!r}; "
            "Concierge supports sqlite and postgresql"
        )
    return url


def async_url(raw: str) -> URL:
    """The URL with the async driver for its backend."""
    url = parse_url(raw)
    return url.set(drivername=_ASYNC_DRIVERS[url.get_backend_name()])


def sync_url(raw: str) -> URL:
    """The URL with the sync driver for its backend (used by migrations)."""
    url = parse_url(raw)
    return url.set(drivername=_SYNC_DRIVERS[url.get_backend_name()])


def is_sqlite(raw: str) -> bool:
    """True for the embedded SQLite backend (one server process per database file)."""
    return parse_url(raw).get_backend_name() == "sqlite"


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_engine(raw: str) -> AsyncEngine:
    """An async engine for the configured database."""
    url = async_url(raw)
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(url, connect_args={"timeout": 10})
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        return engine
    return create_async_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


class Database:
    """The engine plus a session factory; created in the app's lifespan and injected."""

    def __init__(self, raw_url: str) -> None:
        self.url = raw_url
        self.engine = create_engine(raw_url)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work commits on success and rolls back on error."""
        async with self._sessions() as session, session.begin():
            yield session

    async def ping(self) -> bool:
        """True when the database answers a trivial query."""
        from sqlalchemy import text

        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - readiness reports any failure as not ready
            return False
        return True

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
