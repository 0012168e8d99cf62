"""A local Concierge server with its embedded emulator, on a free port, for one script."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import uvicorn
from pydantic import SecretStr

from concierge.settings import Settings
from concierge.web.app import create_app

SECRET = "scenario-secret"  # noqa: S105 - a local emulator's secret, not a credential


@dataclass(frozen=True)
class Stack:
    """Where the server, its emulator and its database are."""

    base: str
    database: Path

    @property
    def emulator(self) -> str:
        """The embedded emulator's base URL."""
        return self.base + "/intercom-emulator"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(url, timeout=1.0)
            return
        time.sleep(0.05)
    raise TimeoutError(f"the local server did not answer at {url} within {timeout} s")


@contextlib.contextmanager
def local_stack(
    *,
    intents_dir: Path,
    canvases_dir: Path,
    work_dir: Path,
    model_dir: Path,
    clock: Callable[[], datetime] | None = None,
) -> Iterator[Stack]:
    """Run a local-mode server in a background thread until the block ends."""
    database = work_dir / "concierge.db"
    settings = Settings(
        intercom_client_secret=SecretStr(SECRET),
        database_url=f"sqlite:///{database}",
        intents_dir=intents_dir,
        canvases_dir=canvases_dir,
        model_dir=model_dir,
        worker_poll_seconds=0.05,
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app(settings, base_url=base, clock=clock)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        _wait_until_up(base + "/healthz")
        yield Stack(base=base, database=database)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
