"""Build a Concierge app for tests: local mode, a fresh database, a known client secret."""

from __future__ import annotations

import tempfile
from pathlib import Path

from litestar import Litestar
from pydantic import SecretStr

from concierge.settings import Settings
from concierge.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
SECRET = "test-client-secret"
MODEL_CACHE = Path(tempfile.gettempdir()) / "concierge-test-models" / "portlandia"


def settings_for_tests(database_url: str, **overrides: object) -> Settings:
    """Local-mode settings pointing at the shipped playbook and canvases."""
    values: dict[str, object] = {
        "intercom_client_secret": SecretStr(SECRET),
        "database_url": database_url,
        "intents_dir": ROOT / "intents",
        "canvases_dir": ROOT / "canvases",
        "worker_poll_seconds": 0.1,
        "model_dir": MODEL_CACHE,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


def build_app(database_url: str, *, base_url: str, run_worker: bool = True) -> Litestar:
    """The app as ``concierge serve`` builds it."""
    return create_app(settings_for_tests(database_url), base_url=base_url, run_worker=run_worker)
