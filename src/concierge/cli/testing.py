"""``concierge test conversations``: play conversation scripts through a real local server."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from concierge.cli.common import fail, out
from concierge.log import configure_logging

DEFAULT_SCRIPTS = Path("tests/conversations")
DEFAULT_MODEL_ROOT = Path(".concierge/models")

test_app = typer.Typer(help="Test the bot end to end.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``test`` group (``test conversations``) to the ``concierge`` command."""
    app.add_typer(test_app, name="test")


@test_app.command("conversations")
def conversations(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Script files or directories [default: tests/conversations]."),
    ] = None,
    intents_dir: Annotated[
        Path | None, typer.Option(help="Run every script against this playbook instead.")
    ] = None,
    canvases_dir: Annotated[
        Path | None, typer.Option(help="Use these canvas templates instead of the scripts' own.")
    ] = None,
    model_dir: Annotated[
        Path, typer.Option(help="Where trained models are cached, one per playbook.")
    ] = DEFAULT_MODEL_ROOT,
) -> None:
    """Play conversation scripts (one local server per playbook); exit 1 if any fails."""
    from concierge.scenarios.report import print_result, print_summary
    from concierge.scenarios.script import ScriptError
    from concierge.scenarios.stack import StackError
    from concierge.scenarios.suite import PlaybookGroup, load_suite, run_suite, suite_problems

    configure_logging(json_lines=False, level="ERROR")
    try:
        groups = load_suite(
            paths or [DEFAULT_SCRIPTS],
            root=Path.cwd(),
            intents_dir=intents_dir,
            canvases_dir=canvases_dir,
        )
    except ScriptError as exc:
        fail(str(exc))
    problems = suite_problems(groups)
    if problems:
        fail("the playbook cannot be loaded:\n" + "\n".join(problems))

    def announce(group: PlaybookGroup) -> None:
        count = len(group.scripts)
        out.print(
            f"[bold]{group.dirs.label}[/]: {count} script{'s' if count != 1 else ''} "
            "(starting a local server; loading or training the intent model)",
            highlight=False,
        )

    with tempfile.TemporaryDirectory(prefix="concierge-test-") as work:
        try:
            suite = run_suite(
                groups,
                work_root=Path(work),
                model_root=model_dir,
                on_group=announce,
                on_result=lambda result: print_result(out, result),
                quiet=True,
            )
        except StackError as exc:
            fail(str(exc), code=1)
    print_summary(out, suite)
    if suite.failed:
        raise typer.Exit(1)
