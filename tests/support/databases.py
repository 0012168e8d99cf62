"""Fresh, migrated databases for tests: a SQLite file or a new database in the throwaway
PostgreSQL cluster."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from concierge.store.migrations_runner import upgrade_database


def fresh_sqlite(directory: Path) -> str:
    """A migrated SQLite database file in ``directory``."""
    url = f"sqlite:///{directory / f'concierge-{uuid.uuid4().hex[:8]}.db'}"
    upgrade_database(url)
    return url


def fresh_postgres(cluster_url: str) -> str:
    """A new, migrated database inside the cluster that ``cluster_url`` points at."""
    url = make_url(cluster_url)
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    fresh = url.set(database=name).render_as_string(hide_password=False)
    upgrade_database(fresh)
    return fresh
