"""``concierge intents import`` and ``concierge intents train``."""

from __future__ import annotations

import typer


def register(intents_app: typer.Typer) -> None:
    """Add this module's commands to ``concierge intents`` (none yet)."""
