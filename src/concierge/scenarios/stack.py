"""A local Concierge server with its embedded emulator, on a free port, in a background thread.

One stack serves any number of conversations of one playbook: each conversation script (or
chat) is its own contact and conversation in the emulator, and the stack's :class:`SettableClock`
is set to a script's moment before the script plays.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import uvicorn
from pydantic import SecretStr

from concierge.runtime.clock import utc_now
from concierge.settings import Settings
from concierge.web.app import create_app

SECRET = "scenario-secret"  # noqa: S105 - a local emulator's secret, not a credential
START_TIMEOUT = 120.0
HTTP_TIMEOUT = 10.0


class StackError(RuntimeError):
    """The local server did not start (its log says why)."""


class SettableClock:
    """The bot's notion of now: the real time, or a fixed moment while one is set."""

    def __init__(self) -> None:
        self._fixed: datetime | None = None

    def set(self, moment: datetime | None) -> None:
        """Fix now at ``moment``; ``None`` goes back to the real time."""
        self._fixed = moment

    def __call__(self) -> datetime:
        """The current moment as the bot sees it."""
        return self._fixed if self._fixed is not None else utc_now()


@dataclass(frozen=True)
class Stack:
    """Where the server, its emulator and its database are, the clock the bot reads, and one
    HTTP client kept open for talking to them (a new client per call costs ~50 ms)."""

    base: str
    database: Path
    clock: SettableClock
    http: httpx.Client

    @property
    def emulator(self) -> str:
        """The embedded emulator's base URL."""
        return self.base + "/intercom-emulator"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(http: httpx.Client, url: str, thread: threading.Thread, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise StackError("the local server stopped while starting (see the log above)")
        with contextlib.suppress(httpx.HTTPError):
            http.get(url, timeout=1.0)
            return
        time.sleep(0.05)
    raise StackError(f"the local server did not answer at {url} within {timeout:.0f} s")


def local_settings(
    *, intents_dir: Path, canvases_dir: Path, database: Path, model_dir: Path
) -> Settings:
    """Local-mode settings whatever the environment says: never a real Intercom workspace."""
    return Settings(
        intercom_client_secret=SecretStr(SECRET),
        intercom_access_token=None,
        intercom_api_url=None,
        bot_admin_id=None,
        database_url=f"sqlite:///{database}",
        intents_dir=intents_dir,
        canvases_dir=canvases_dir,
        model_dir=model_dir,
        worker_poll_seconds=0.05,
    )


@contextlib.contextmanager
def local_stack(
    *,
    intents_dir: Path,
    canvases_dir: Path,
    work_dir: Path,
    model_dir: Path,
    start_timeout: float = START_TIMEOUT,
    quiet: bool = False,
) -> Iterator[Stack]:
    """Run a local-mode server (database in ``work_dir``) in a background thread until the
    block ends; raises :class:`StackError` when it does not start. ``quiet`` keeps the
    server's log to errors (for commands whose own output is the point)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    database = work_dir / "concierge.db"
    settings = local_settings(
        intents_dir=intents_dir, canvases_dir=canvases_dir, database=database, model_dir=model_dir
    )
    clock = SettableClock()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app(settings, base_url=base, clock=clock)
    if quiet:  # after create_app: the web framework sets the root logger to INFO
        logging.getLogger().setLevel(logging.ERROR)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        with httpx.Client(timeout=HTTP_TIMEOUT) as http:
            _wait_until_up(http, base + "/healthz", thread, start_timeout)
            yield Stack(base=base, database=database, clock=clock, http=http)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
