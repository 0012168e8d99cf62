"""Apply Alembic migrations programmatically (on ``serve`` and by ``concierge db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.exc import SQLAlchemyError

from concierge.store.database import sync_url
from concierge.store.errors import StoreError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at the packaged migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    rendered = sync_url(database_url).render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def upgrade_database(database_url: str, revision: str = "head") -> None:
    """Bring the database schema up to ``revision``; raises StoreError with the reason."""
    _ensure_sqlite_directory(database_url)
    try:
        command.upgrade(alembic_config(database_url), revision)
    except SQLAlchemyError as exc:
        raise StoreError(
            f"could not migrate the database: {exc.__class__.__name__}: {exc}"
        ) from None


def _ensure_sqlite_directory(database_url: str) -> None:
    url = sync_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
