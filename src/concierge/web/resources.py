"""Resources with a lifetime, created in the app's lifespan and injected into handlers."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.datastructures import State

from concierge.canvas.templates import CanvasLibrary
from concierge.intercom.client import IntercomClient
from concierge.intercom.emulator import Emulator
from concierge.playbook.brain import Brain
from concierge.runtime.reloader import Reloader
from concierge.runtime.worker import Worker
from concierge.settings import Settings
from concierge.store.database import Database


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


def provide_resources(state: State) -> Resources:
    """Litestar dependency: the process's resources."""
    resources: Resources = state.resources
    return resources
