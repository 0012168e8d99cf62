"""``concierge chat``: talk to the real bot from the terminal, through a local stack."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from concierge.cli.common import fail, out
from concierge.log import configure_logging

DEFAULT_MODEL_ROOT = Path(".concierge/models")

chat_app = typer.Typer()


def register(app: typer.Typer) -> None:
    """Add ``chat`` to the ``concierge`` command."""
    app.registered_commands.extend(chat_app.registered_commands)


@chat_app.command()
def chat(
    debug: Annotated[
        bool, typer.Option("--debug", help="After each turn show why the bot answered so.")
    ] = False,
    intents_dir: Annotated[
        Path, typer.Option(help="The playbook directory.", envvar="CONCIERGE_INTENTS_DIR")
    ] = Path("intents"),
    canvases_dir: Annotated[
        Path, typer.Option(help="The canvas templates.", envvar="CONCIERGE_CANVASES_DIR")
    ] = Path("canvases"),
    as_email: Annotated[
        str | None, typer.Option(help="Write as the contact with this email (else a new lead).")
    ] = None,
    model_dir: Annotated[
        Path, typer.Option(help="Where trained models are cached, one per playbook.")
    ] = DEFAULT_MODEL_ROOT,
) -> None:
    """Chat with the bot as a customer (local mode: a local server and the Intercom emulator)."""
    from concierge.scenarios.stack import StackError
    from concierge.scenarios.suite import PlaybookDirs, playbook_problems, playbook_stack
    from concierge.workbench.chat import PROMPT, run_chat

    configure_logging(json_lines=False, level="ERROR")
    if as_email is not None and "@" not in as_email:
        fail(f"--as-email must be an email address, got {as_email!r}")
    dirs = PlaybookDirs(intents_dir.resolve(), canvases_dir.resolve())
    problems = playbook_problems(dirs)
    if problems:
        fail(f"the playbook in {intents_dir} cannot be loaded:\n" + "\n".join(problems))
    with contextlib.ExitStack() as exits:
        work = Path(exits.enter_context(tempfile.TemporaryDirectory(prefix="concierge-chat-")))
        message = (
            f"Loading the playbook in {intents_dir} and its intent model "
            "(the first start trains it: a few seconds)…"
        )
        out.print(message, highlight=False)
        try:
            with out.status("starting the local server…"):
                stack = exits.enter_context(
                    playbook_stack(dirs, work_dir=work, model_root=model_dir, quiet=True)
                )
        except StackError as exc:
            fail(str(exc), code=1)
        out.print(f"[green]ready[/]: playbook {intents_dir}", highlight=False)
        contact = {"email": as_email} if as_email else None
        run_chat(stack, lambda: out.input(PROMPT), out, debug=debug, contact=contact)
