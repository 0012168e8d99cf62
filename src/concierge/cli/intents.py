"""``concierge intents``: work on the playbook in an intents directory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from concierge.cli import intents_data, intents_test
from concierge.cli.common import fail, out

intents_app = typer.Typer(
    help="Work on the playbook in an intents directory.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add ``intents`` to the ``concierge`` command."""
    app.add_typer(intents_app, name="intents")
    intents_data.register(intents_app)
    intents_test.register(intents_app)


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
        fail(f"{directory}: {failures} problem(s) to fix", code=1)
    out.print(f"[green]ok[/] {directory}: {counts}", highlight=False)
