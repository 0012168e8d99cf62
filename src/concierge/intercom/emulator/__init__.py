"""A faithful in-memory stand-in for Intercom: REST API, signed webhooks, local helpers.

``Emulator`` holds the state and delivers webhooks; ``create_emulator_router`` mounts it in
an app (local mode, ``/intercom-emulator``) and ``create_emulator_app`` runs it alone.
"""

from __future__ import annotations

from concierge.intercom.emulator.delivery import Attempt, Delivery
from concierge.intercom.emulator.emulator import Emulator
from concierge.intercom.emulator.errors import ApiError, EmulatorError
from concierge.intercom.emulator.exchange import EmulatorRequest, EmulatorResponse
from concierge.intercom.emulator.seed import (
    AdminSeed,
    ContactSeed,
    ConversationSeed,
    DataAttributeSeed,
    MessageSeed,
    Seed,
    TagSeed,
    TeamSeed,
)
from concierge.intercom.emulator.server import create_emulator_app, create_emulator_router

__all__ = [
    "AdminSeed",
    "ApiError",
    "Attempt",
    "ContactSeed",
    "ConversationSeed",
    "DataAttributeSeed",
    "Delivery",
    "Emulator",
    "EmulatorError",
    "EmulatorRequest",
    "EmulatorResponse",
    "MessageSeed",
    "Seed",
    "TagSeed",
    "TeamSeed",
    "create_emulator_app",
    "create_emulator_router",
]
