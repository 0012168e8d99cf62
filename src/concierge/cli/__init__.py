"""The ``concierge`` command.

Each module adds its commands with ``register(app)``: ``server`` (serve, emulator, db),
``intents`` (validate, train, test, import), ``chat``, ``testing`` (test conversations),
``bench`` and ``routing`` (round-robin counters). Every command exits non-zero with a
one-line reason on bad input or bad settings: 2 for bad input (a missing file, a bad
option), 1 when the work itself failed.
"""

from __future__ import annotations

import typer

from concierge.cli import bench, chat, intents, routing, server, testing

app = typer.Typer(
    name="concierge",
    help="Concierge: an Intercom bot and Canvas Kit app server.",
    no_args_is_help=True,
    add_completion=False,
)
for module in (server, intents, chat, testing, bench, routing):
    module.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
