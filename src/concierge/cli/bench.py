"""The ``concierge bench``-related commands."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``concierge`` command (none yet)."""
