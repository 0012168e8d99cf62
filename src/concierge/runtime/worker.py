"""The background worker: claims due events and actions and runs them, forever.

One worker runs per server process. Events and actions are claimed with leases, so several
processes sharing one PostgreSQL database never handle the same row twice; a lease is
renewed while its work is in progress and expires if the process dies, so another worker
(or this one after a restart) resumes it. A webhook acknowledgement wakes the worker at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import structlog

from concierge.runtime.clock import now, worker_identity
from concierge.runtime.events import EventContext, process_event
from concierge.runtime.outbox import OutboxContext, deliver_action
from concierge.store import actions as action_store
from concierge.store import events as event_store
from concierge.store import leases
from concierge.store.database import Database, is_sqlite
from concierge.store.tables import OutgoingAction, WebhookEvent

log = structlog.get_logger(component="worker")


class Worker:
    """Runs stored events through the bot and delivers the outbox."""

    def __init__(
        self,
        db: Database,
        events: EventContext,
        outbox: OutboxContext,
        *,
        poll_seconds: float = 0.5,
        lease_seconds: float = 30.0,
    ) -> None:
        self.db = db
        self.events = events
        self.outbox = outbox
        self.poll_seconds = poll_seconds
        self.lease_seconds = lease_seconds
        self.owner = worker_identity()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Ask the worker to look for work now (called after a webhook is stored)."""
        self._wake.set()

    async def start(self) -> None:
        """Resume what a previous run left behind and start the loop."""
        await self._resume()
        self._task = asyncio.create_task(self._run(), name="concierge-worker")

    async def stop(self) -> None:
        """Stop the loop; work in progress is cancelled and its lease expires."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _resume(self) -> None:
        async with self.db.transaction() as session:
            if is_sqlite(self.db.url):
                await leases.release_all(session, WebhookEvent)
                await leases.release_all(session, OutgoingAction)
            counts = await event_store.count_by_status(session)
        log.info("worker starting", owner=self.owner, pending_events=counts.get("pending", 0))

    async def _run(self) -> None:
        while True:
            try:
                busy = await self.run_once()
            except Exception:
                log.exception("worker iteration failed")
                busy = False
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
                self._wake.clear()

    async def run_once(self) -> bool:
        """Handle at most one event and one action; True if there was anything to do."""
        did_event = await self._one_event()
        did_action = await self._one_action()
        return did_event or did_action

    async def _one_event(self) -> bool:
        async with self.db.transaction() as session:
            event = await event_store.claim_next_event(
                session, self.owner, now(), self.lease_seconds
            )
        if event is None or event.id is None:
            return False
        async with self._holding(WebhookEvent, event.id):
            await process_event(self.db, event, self.owner, self.events)
        return True

    async def _one_action(self) -> bool:
        async with self.db.transaction() as session:
            action = await action_store.claim_next_action(
                session, self.owner, now(), self.lease_seconds
            )
        if action is None or action.id is None:
            return False
        async with self._holding(OutgoingAction, action.id):
            await deliver_action(self.db, action, self.owner, self.outbox)
        return True

    @contextlib.asynccontextmanager
    async def _holding(self, table: Any, row_id: int) -> AsyncIterator[None]:
        renewer = asyncio.create_task(self._renew_forever(table, row_id))
        try:
            yield
        finally:
            renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewer

    async def _renew_forever(self, table: Any, row_id: int) -> None:
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            async with self.db.transaction() as session:
                await leases.renew(session, table, row_id, self.owner, now(), self.lease_seconds)

    async def drain(self, seconds: float = 10.0) -> None:
        """Run until no work is due (tests and the CLI use this)."""
        deadline = now() + seconds
        while now() < deadline and await self.run_once():
            pass
