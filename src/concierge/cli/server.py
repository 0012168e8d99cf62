"""``concierge serve``, ``concierge emulator`` and ``concierge db upgrade``."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from concierge.cli.common import cli_settings, err, fail
from concierge.store.errors import StoreError

server_app = typer.Typer()
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``serve``, ``emulator`` and ``db`` to the ``concierge`` command."""
    app.registered_commands.extend(server_app.registered_commands)
    app.add_typer(db_app, name="db")


def _reachable(host: str, port: int) -> str:
    local_host = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104
    return f"http://{local_host}:{port}"


@server_app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Run the app server (local mode with the Intercom emulator when no access token is set)."""
    settings = cli_settings()
    from concierge.web.app import create_app

    try:
        application = create_app(settings, base_url=_reachable(host, port))
    except (StoreError, ValueError) as exc:
        fail(str(exc))
    config = uvicorn.Config(application, host=host, port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    server.run()
    if not server.started:
        fail("the server did not start (see the log above)", code=1)


@server_app.command()
def emulator(
    webhook_url: Annotated[str, typer.Option(help="Where to deliver signed webhooks.")],
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8001,
) -> None:
    """Run the Intercom emulator on its own (sign with CONCIERGE_INTERCOM_CLIENT_SECRET)."""
    settings = cli_settings()
    if not webhook_url.startswith(("http://", "https://")):
        fail(f"--webhook-url must be an http(s) URL, got {webhook_url!r}")
    from concierge.intercom.emulator import Emulator, create_emulator_app

    instance = Emulator(
        client_secret=settings.client_secret,
        webhook_url=webhook_url,
        bot_admin_id=settings.bot_admin_id or "9000001",
    )
    application = create_emulator_app(instance)
    err.print(f"Intercom emulator on {_reachable(host, port)}, webhooks to {webhook_url}")
    uvicorn.run(application, host=host, port=port, log_config=None, access_log=False)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply database migrations (``serve`` also does this on start)."""
    settings = cli_settings()
    from concierge.store.migrations_runner import upgrade_database

    try:
        upgrade_database(settings.database_url, revision)
    except StoreError as exc:
        fail(str(exc), code=1)
    err.print(f"database at revision {revision}")
