"""The background worker: claims due events and actions and runs them, forever.

One worker runs per server process. Events and actions are claimed with leases, so several
processes sharing one PostgreSQL database never handle the same row twice; a lease is
renewed while its work is in progress and expires if the process dies, so another worker
(or this one after a restart) resumes it. A webhook acknowledgement wakes the worker at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any

import structlog

from concierge.runtime.clock import now, worker_identity
from concierge.runtime.directory import DEFAULT_SYNC_SECONDS, DirectorySync
from concierge.runtime.events import EventContext, process_event
from concierge.runtime.outbox import OutboxContext, deliver_action
from concierge.store import actions as action_store
from concierge.store import events as event_store
from concierge.store import leases
from concierge.store.database import Database, is_sqlite
from concierge.store.tables import OutgoingAction, WebhookEvent

log = structlog.get_logger(component="worker")


class Worker:
    """Runs stored events through the bot and delivers the outbox.

    Events run one at a time (cheap, local work). Deliveries run concurrently, up to
    ``max_deliveries`` at once and never two for the same conversation, so one slow call
    to Intercom holds up neither the bot nor other conversations.
    """

    def __init__(
        self,
        db: Database,
        events: EventContext,
        outbox: OutboxContext,
        *,
        poll_seconds: float = 0.5,
        lease_seconds: float = 30.0,
        max_deliveries: int = 8,
        directory_sync_seconds: float | None = DEFAULT_SYNC_SECONDS,
    ) -> None:
        self.db = db
        self.directory_sync_seconds = directory_sync_seconds
        self.events = events
        self.outbox = outbox
        self.poll_seconds = poll_seconds
        self.lease_seconds = lease_seconds
        self.owner = worker_identity()
        self._event_wake = asyncio.Event()
        self._action_wake = asyncio.Event()
        self._slots = asyncio.Semaphore(max_deliveries)
        self._tasks: set[asyncio.Task[None]] = set()

    def wake(self) -> None:
        """Ask the worker to look for work now (called after a webhook is stored)."""
        self._event_wake.set()

    def wake_outbox(self) -> None:
        """Ask the worker to deliver newly planned actions now (agent actions)."""
        self._action_wake.set()

    async def start(self) -> None:
        """Resume what a previous run left behind and start the loops (and the Intercom
        directory sync, unless ``directory_sync_seconds`` is None)."""
        await self._resume()
        self._spawn(self._run_events(), "concierge-events")
        self._spawn(self._run_actions(), "concierge-outbox")
        if self.directory_sync_seconds is not None:
            sync = DirectorySync(self.db, self.outbox.client, self.directory_sync_seconds)
            self._spawn(sync.run_forever(), "concierge-directory")

    async def stop(self) -> None:
        """Stop everything; work in progress is cancelled and its lease expires."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _resume(self) -> None:
        async with self.db.transaction() as session:
            if is_sqlite(self.db.url):
                await leases.release_all(session, WebhookEvent)
                await leases.release_all(session, OutgoingAction)
            counts = await event_store.count_by_status(session)
        log.info("worker starting", owner=self.owner, pending_events=counts.get("pending", 0))

    async def _idle(self, signal: asyncio.Event) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(signal.wait(), timeout=self.poll_seconds)
        signal.clear()

    async def _run_events(self) -> None:
        while True:
            try:
                busy = await self.process_one_event()
            except Exception:
                log.exception("event loop iteration failed")
                busy = False
            if not busy:
                await self._idle(self._event_wake)

    async def _run_actions(self) -> None:
        while True:
            await self._slots.acquire()
            try:
                action = await self._claim_action()
            except Exception:
                log.exception("outbox loop iteration failed")
                action = None
            if action is None:
                self._slots.release()
                await self._idle(self._action_wake)
                continue
            self._spawn(self._deliver_then_release(action), f"deliver-{action.id}")

    async def _deliver_then_release(self, action: OutgoingAction) -> None:
        try:
            await self.deliver(action)
        except Exception:
            log.exception("delivery failed", action=action.id)
        finally:
            self._slots.release()
            self._action_wake.set()

    async def process_one_event(self) -> bool:
        """Claim and handle one due event; True if there was one."""
        async with self.db.transaction() as session:
            event = await event_store.claim_next_event(
                session, self.owner, now(), self.lease_seconds
            )
        if event is None or event.id is None:
            return False
        async with self._holding(WebhookEvent, event.id):
            await process_event(self.db, event, self.owner, self.events)
        self._action_wake.set()
        return True

    async def _claim_action(self) -> OutgoingAction | None:
        async with self.db.transaction() as session:
            return await action_store.claim_next_action(
                session, self.owner, now(), self.lease_seconds
            )

    async def deliver(self, action: OutgoingAction) -> None:
        """Deliver one claimed action while holding its lease."""
        assert action.id is not None
        async with self._holding(OutgoingAction, action.id):
            await deliver_action(self.db, action, self.owner, self.outbox)

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
