"""What every ``concierge`` command shares: the two consoles, failing cleanly, settings."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

from concierge.log import configure_logging
from concierge.settings import Settings, SettingsError, load_settings

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code`` (2: bad input, 1: failure)."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def cli_settings() -> Settings:
    """The settings from the environment, with logging configured; a clean exit when invalid."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        fail(str(exc))
    configure_logging(json_lines=settings.json_logs, level=settings.log_level)
    return settings
