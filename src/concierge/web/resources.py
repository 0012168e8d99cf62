"""Resources with a lifetime, created in the app's lifespan and injected into handlers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import structlog
from litestar.datastructures import State

from concierge.canvas.templates import CanvasLibrary
from concierge.intercom.client import IntercomClient
from concierge.intercom.emulator import Emulator
from concierge.playbook.brain import Brain
from concierge.routing.errors import RoutingError
from concierge.routing.meetings_loader import MEETINGS_FILE, load_meetings
from concierge.runtime.events import MeetingDesk
from concierge.runtime.meetings import MeetingService, host_calendars
from concierge.runtime.reloader import Reloader
from concierge.runtime.worker import Worker
from concierge.settings import Settings
from concierge.store.database import Database

log = structlog.get_logger(component="resources")


class MeetingDesks:
    """The meeting desk of the current playbook, built once per loaded playbook (a reload
    builds a new one; the bookings live in the database, so nothing is lost).

    A plain class, not a dataclass: Litestar validates the injected :class:`Resources` with
    msgspec, which would look into a dataclass's fields (and reject the meetings config's
    ``Path | str`` unions); a plain class is only checked with ``isinstance``.
    """

    def __init__(
        self,
        brain: Reloader[Brain],
        db: Database,
        client: IntercomClient,
        public_url: str,
        clock: Callable[[], datetime],
        admin_id: Callable[[], str],
    ) -> None:
        self.brain = brain
        self.db = db
        self.client = client
        self.public_url = public_url
        self.clock = clock
        self.admin_id = admin_id
        self._built_for: Brain | None = None
        self._desk: MeetingDesk | None = None

    def current(self) -> MeetingDesk | None:
        """The desk for the playbook loaded now (``None`` without meetings or when the
        meetings file is broken; the reason is logged)."""
        brain = self.brain.current
        if brain is not self._built_for:
            self._desk = self._build(brain)
            self._built_for = brain
        return self._desk

    def _build(self, brain: Brain) -> MeetingDesk | None:
        try:
            config = load_meetings(brain.directory / MEETINGS_FILE, brain.routing)
        except RoutingError as exc:
            log.error("meetings not offered: the meetings file is broken", error=str(exc))
            return None
        if not config.meetings:
            return None
        calendars = host_calendars(config, brain.routing)
        service = MeetingService(
            config,
            brain.routing,
            calendars,
            self.db,
            self.client,
            admin_id=self.admin_id(),
            clock=self.clock,
        )
        return MeetingDesk(service, config, self.public_url)


@dataclass
class Resources:
    """Everything a request handler may need, built once per process."""

    settings: Settings
    db: Database
    brain: Reloader[Brain]
    canvases: CanvasLibrary
    client: IntercomClient
    bot_admin_id: str
    worker: Worker | None = None
    emulator: Emulator | None = None
    meetings: MeetingDesks | None = None


def provide_resources(state: State) -> Resources:
    """Litestar dependency: the process's resources."""
    resources: Resources = state.resources
    return resources
