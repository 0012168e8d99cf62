"""Hot reload of designer files: a bad edit never takes down a running server.

The watcher polls the modification times of a directory's files; when they change it loads
the playbook again in a worker thread. Success swaps the new one in; failure logs the
problem (with file and line, as the loaders report them) and keeps serving the last good one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

import anyio
import structlog

log = structlog.get_logger(component="reloader")
Loaded = TypeVar("Loaded")


def snapshot(directories: list[Path]) -> dict[str, float]:
    """Every file's modification time under the directories (missing ones skipped)."""
    times: dict[str, float] = {}
    for directory in directories:
        if not directory.exists():
            continue
        for path in sorted(directory.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                times[str(path)] = path.stat().st_mtime
    return times


class Reloader(Generic[Loaded]):
    """Holds the current value and replaces it when its source files change and load."""

    def __init__(
        self, load: Callable[[], Loaded], directories: list[Path], *, poll_seconds: float = 2.0
    ) -> None:
        self._load = load
        self._directories = directories
        self.poll_seconds = poll_seconds
        self._seen = snapshot(directories)
        self.current: Loaded = load()
        self.last_error: str | None = None
        self._task: asyncio.Task[None] | None = None

    async def check(self) -> bool:
        """Reload if anything changed; True when a new value was swapped in."""
        seen = snapshot(self._directories)
        if seen == self._seen:
            return False
        self._seen = seen
        try:
            fresh = await anyio.to_thread.run_sync(self._load)
        except Exception as exc:  # noqa: BLE001 - any loader failure keeps the last good one
            self.last_error = str(exc)
            log.error("playbook reload failed; still serving the last good one", error=str(exc))
            return False
        self.current, self.last_error = fresh, None
        log.info("playbook reloaded")
        return True

    async def start(self) -> None:
        """Poll in the background."""
        self._task = asyncio.create_task(self._watch(), name="concierge-reloader")

    async def stop(self) -> None:
        """Stop polling."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            await self.check()
