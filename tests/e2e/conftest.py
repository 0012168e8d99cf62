"""A real Concierge server in local mode, on a free port, with a fresh SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import SecretStr

from concierge.settings import Settings
from concierge.web.app import create_app
from tests.support.server import free_port, serve_in_thread

ROOT = Path(__file__).resolve().parents[2]
SECRET = "e2e-client-secret"


@dataclass(frozen=True)
class LocalServer:
    """Where the server and its embedded emulator answer."""

    base: str
    secret: str
    database_url: str

    @property
    def emulator(self) -> str:
        return self.base + "/intercom-emulator"


@pytest.fixture
def local_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    monkeypatch.delenv("CONCIERGE_INTERCOM_ACCESS_TOKEN", raising=False)
    database_url = f"sqlite:///{tmp_path / 'concierge.db'}"
    settings = Settings(
        intercom_client_secret=SecretStr(SECRET),
        database_url=database_url,
        intents_dir=ROOT / "intents",
        canvases_dir=ROOT / "canvases",
        worker_poll_seconds=0.1,
    )
    port = free_port()
    app = create_app(settings, base_url=f"http://127.0.0.1:{port}")
    with serve_in_thread(app, port) as base:
        yield LocalServer(base=base, secret=SECRET, database_url=database_url)
