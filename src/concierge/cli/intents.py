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
    strict: Annotated[
        bool,
        typer.Option(
            help="Fail on warnings too (exit 1), not only on errors: for CI, to keep a "
            "playbook free of warnings."
        ),
    ] = False,
) -> None:
    """Check every playbook file: schemas, cross-file references, unreachable rules, unused
    slots and flows, near-duplicate examples.

    Errors are listed first, then warnings, by file and line. Exit 0 when there are no
    errors (warnings only fail with --strict), 1 when there are, 2 when DIRECTORY is missing.
    """
    from rich.markup import escape

    from concierge.playbook.findings import grouped
    from concierge.playbook.validation import validate_playbook

    if not directory.is_dir():
        fail(f"{escape(str(directory))}: no such playbook directory", code=2)
    report = validate_playbook(directory)
    for number, group in enumerate(grouped(report.findings)):
        if number:
            out.print()
        for found in group:
            colour = "red" if found.is_error else "yellow"
            out.print(f"[{colour}]{found.severity:<7}[/] {escape(str(found))}", highlight=False)
    counts = ", ".join(f"{count} {name}" for name, count in report.counts.items())
    if not report.ok or (strict and report.findings):
        reason = "" if not report.ok else " (--strict: warnings fail too)"
        fail(f"{escape(str(directory))}: {report.summary()}{reason}", code=1)
    out.print(
        f"[green]ok[/] {escape(str(directory))}: {report.summary()} ({counts})", highlight=False
    )
