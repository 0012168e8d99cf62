"""A real Concierge server in local mode, on a free port, with a fresh SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.app import SECRET, build_app
from tests.support.server import free_port, serve_in_thread


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
    port = free_port()
    app = build_app(database_url, base_url=f"http://127.0.0.1:{port}")
    with serve_in_thread(app, port) as base:
        yield LocalServer(base=base, secret=SECRET, database_url=database_url)
