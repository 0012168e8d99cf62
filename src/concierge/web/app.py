"""The Litestar application: routes, lifespan resources, error mapping.

``create_app`` builds everything from settings. In local mode (no access token) the Intercom
emulator is mounted at ``/intercom-emulator`` and the REST client talks to it over real HTTP,
so the same code paths run as in production.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from typing import Any

import anyio
import structlog
from litestar import Litestar, Router
from litestar.openapi.config import OpenAPIConfig

from concierge import __version__
from concierge.canvas.templates import CanvasLibrary
from concierge.intercom.client import IntercomClient
from concierge.intercom.emulator import Emulator, create_emulator_router
from concierge.playbook.brain import Brain, load_brain
from concierge.runtime.clock import utc_now
from concierge.runtime.events import EventContext
from concierge.runtime.outbox import OutboxContext
from concierge.runtime.reloader import Reloader
from concierge.runtime.worker import Worker
from concierge.settings import DEFAULT_API_URL, Settings
from concierge.store.database import Database
from concierge.store.migrations_runner import upgrade_database
from concierge.web.canvas_routes import canvas_router
from concierge.web.errors import EXCEPTION_HANDLERS
from concierge.web.health_routes import health_router
from concierge.web.meetings import meetings_router
from concierge.web.middleware import request_id_middleware
from concierge.web.resources import MeetingDesks, Resources
from concierge.web.sheet_routes import sheet_router
from concierge.web.webhook_routes import webhook_router

log = structlog.get_logger(component="app")

Clock = Callable[[], datetime]
EMULATOR_PATH = "/intercom-emulator"
LOCAL_BOT_ADMIN_ID = "9000001"


def _api_url(settings: Settings, base_url: str) -> str:
    if settings.intercom_api_url:
        return settings.intercom_api_url.rstrip("/")
    return base_url.rstrip("/") + EMULATOR_PATH if settings.local_mode else DEFAULT_API_URL


def _client(settings: Settings, base_url: str) -> IntercomClient:
    return IntercomClient(
        base_url=_api_url(settings, base_url),
        access_token=settings.access_token,
        version=settings.intercom_version,
        timeout=settings.http_timeout_seconds,
        max_retries=settings.http_max_retries,
        max_rate_limit_wait=settings.max_rate_limit_wait_seconds,
    )


async def _bot_admin_id(settings: Settings, client: IntercomClient) -> str:
    if settings.bot_admin_id:
        return settings.bot_admin_id
    if settings.local_mode:
        return LOCAL_BOT_ADMIN_ID
    me = await client.get_me()
    log.info("bot admin resolved from /me", admin_id=me.id)
    return me.id


def _emulator(settings: Settings, base_url: str) -> Emulator | None:
    if not settings.local_mode:
        return None
    return Emulator(
        client_secret=settings.client_secret,
        webhook_url=base_url.rstrip("/") + "/webhooks/intercom",
        bot_admin_id=settings.bot_admin_id or LOCAL_BOT_ADMIN_ID,
    )


def _contact_reader(client: IntercomClient) -> Callable[[str], Awaitable[dict[str, Any]]]:
    async def read(contact_id: str) -> dict[str, Any]:
        contact = await client.get_contact(contact_id)
        return contact.model_dump()

    return read


def _meeting_desks(resources: Resources, base_url: str, clock: Clock) -> MeetingDesks:
    """Meetings for the current playbook, noted as the bot; invitations under the public URL."""
    return MeetingDesks(
        brain=resources.brain,
        db=resources.db,
        client=resources.client,
        public_url=resources.settings.public_url or base_url,
        clock=clock,
        admin_id=lambda: resources.bot_admin_id,
    )


def _worker(resources: Resources, clock: Clock | None, desks: MeetingDesks) -> Worker:
    settings = resources.settings
    brain = resources.brain
    events = EventContext(
        brain=lambda: brain.current,
        bot_admin_id=resources.bot_admin_id,
        max_attempts=settings.webhook_max_attempts,
        clock=clock or utc_now,
        contacts=_contact_reader(resources.client),
        meetings=desks.current,
    )
    outbox = OutboxContext(client=resources.client, bot_admin_id=resources.bot_admin_id)
    return Worker(
        resources.db,
        events,
        outbox,
        poll_seconds=settings.worker_poll_seconds,
        directory_sync_seconds=settings.directory_sync_seconds,
    )


def _lifespan(
    settings: Settings,
    base_url: str,
    emulator: Emulator | None,
    run_worker: bool,
    clock: Clock | None,
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(upgrade_database, settings.database_url)
        brain = await anyio.to_thread.run_sync(_brain_reloader, settings)
        canvases = CanvasLibrary.load(settings.canvases_dir)
        db = Database(settings.database_url)
        client = _client(settings, base_url)
        resources = Resources(settings, db, brain, canvases, client, "", emulator=emulator)
        app.state.resources = resources
        try:
            resources.bot_admin_id = await _bot_admin_id(settings, client)
            resources.meetings = _meeting_desks(resources, base_url, clock or utc_now)
            if run_worker:
                resources.worker = _worker(resources, clock, resources.meetings)
                await resources.worker.start()
                await brain.start()
            _announce(settings, base_url)
            yield
        finally:
            await _shutdown(resources)

    return lifespan


def _brain_reloader(settings: Settings) -> Reloader[Brain]:
    def load() -> Brain:
        return load_brain(settings.intents_dir, settings.model_dir, features=settings.nlu_features)

    return Reloader(load, [settings.intents_dir])


async def _shutdown(resources: Resources) -> None:
    await resources.brain.stop()
    if resources.worker is not None:
        await resources.worker.stop()
    await resources.client.aclose()
    if resources.emulator is not None:
        await resources.emulator.aclose()
    await resources.db.dispose()


def _announce(settings: Settings, base_url: str) -> None:
    if settings.local_mode:
        log.warning(
            "LOCAL MODE: no CONCIERGE_INTERCOM_ACCESS_TOKEN set; talking to the Intercom "
            "emulator, not Intercom",
            emulator=base_url.rstrip("/") + EMULATOR_PATH,
            database=settings.database_url,
        )
    else:
        log.info("production mode", intercom_api=_api_url(settings, base_url))


def create_app(
    settings: Settings,
    *,
    base_url: str = "http://127.0.0.1:8000",
    run_worker: bool = True,
    clock: Clock | None = None,
) -> Litestar:
    """The Concierge ASGI app. ``base_url`` is where this server can reach itself;
    ``clock`` fixes the bot's notion of now (conversation scripts use it for office hours)."""
    emulator = _emulator(settings, base_url)
    routes: list[Router] = [
        health_router,
        webhook_router,
        canvas_router,
        sheet_router,
        meetings_router,
    ]
    if emulator is not None:
        routes.append(create_emulator_router(emulator, path=EMULATOR_PATH))
    return Litestar(
        route_handlers=routes,
        lifespan=[_lifespan(settings, base_url, emulator, run_worker, clock)],
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[request_id_middleware],
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(title="Concierge", version=__version__, path="/schema"),
        debug=False,
    )
