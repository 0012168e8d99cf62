"""The ``concierge`` command: serve, emulator, db.

Every command exits non-zero with a one-line reason on bad input or bad settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
import uvicorn
from rich.console import Console

from concierge.log import configure_logging
from concierge.settings import Settings, SettingsError, load_settings
from concierge.store.errors import StoreError

app = typer.Typer(
    name="concierge",
    help="Concierge: an Intercom bot and Canvas Kit app server.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
intents_app = typer.Typer(
    help="Work on the playbook in an intents directory.", no_args_is_help=True
)
app.add_typer(intents_app, name="intents")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _settings() -> Settings:
    try:
        settings = load_settings()
    except SettingsError as exc:
        _fail(str(exc))
    configure_logging(json_lines=settings.json_logs, level=settings.log_level)
    return settings


def _reachable(host: str, port: int) -> str:
    local_host = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104
    return f"http://{local_host}:{port}"


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Run the app server (local mode with the Intercom emulator when no access token is set)."""
    settings = _settings()
    from concierge.web.app import create_app

    try:
        application = create_app(settings, base_url=_reachable(host, port))
    except (StoreError, ValueError) as exc:
        _fail(str(exc))
    config = uvicorn.Config(application, host=host, port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    server.run()
    if not server.started:
        _fail("the server did not start (see the log above)", code=1)


@app.command()
def emulator(
    webhook_url: Annotated[str, typer.Option(help="Where to deliver signed webhooks.")],
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8001,
) -> None:
    """Run the Intercom emulator on its own (sign with CONCIERGE_INTERCOM_CLIENT_SECRET)."""
    settings = _settings()
    if not webhook_url.startswith(("http://", "https://")):
        _fail(f"--webhook-url must be an http(s) URL, got {webhook_url!r}")
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
    settings = _settings()
    from concierge.store.migrations_runner import upgrade_database

    try:
        upgrade_database(settings.database_url, revision)
    except StoreError as exc:
        _fail(str(exc), code=1)
    err.print(f"database at revision {revision}")


@intents_app.command("validate")
def intents_validate(
    directory: Annotated[Path, typer.Argument(help="The playbook directory.")] = Path("intents"),
    strict: Annotated[bool, typer.Option(help="Treat warnings as failures.")] = False,
) -> None:
    """Check every playbook file (schema, semantics, cross-file); exit 1 on errors."""
    from concierge.playbook.validation import validate_playbook

    report = validate_playbook(directory)
    for line in report.errors:
        out.print(f"[red]error[/]   {line}", highlight=False)
    for line in report.warnings:
        out.print(f"[yellow]warning[/] {line}", highlight=False)
    counts = ", ".join(f"{count} {name}" for name, count in report.counts.items())
    if not report.ok or (strict and report.warnings):
        failures = len(report.errors) + (len(report.warnings) if strict else 0)
        _fail(f"{directory}: {failures} problem(s) to fix", code=1)
    out.print(f"[green]ok[/] {directory}: {counts}", highlight=False)


def main() -> None:
    """Console-script entry point."""
    app()
