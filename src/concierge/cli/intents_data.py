"""``concierge intents import`` and ``concierge intents train``."""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.filesize import decimal
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from concierge.cli.common import cli_settings, err, fail, out

if TYPE_CHECKING:
    from concierge.workbench.importer import ImportSummary
    from concierge.workbench.training import TrainingResult

SHOWN = 10  # conflicts and dropped intents listed one by one before "... and N more"


def register(intents_app: typer.Typer) -> None:
    """Add ``import`` and ``train`` to ``concierge intents``."""
    intents_app.command("import")(intents_import)
    intents_app.command("train")(intents_train)


def intents_import(
    file: Annotated[Path, typer.Argument(help="The labelled CSV file (one utterance a row).")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="The playbook directory to write.", show_default=False)
    ],
    text_column: Annotated[str, typer.Option(help="The column with the utterances.")] = "text",
    intent_column: Annotated[str, typer.Option(help="The column with the labels.")] = "intent",
    encoding: Annotated[str, typer.Option(help="The file's text encoding.")] = "utf-8",
    force: Annotated[
        bool, typer.Option("--force", help="Replace the playbook files of an existing playbook.")
    ] = False,
) -> None:
    """Make a playbook directory from a labelled CSV (exit 2 on bad input, 1 on failure)."""
    from concierge.workbench.importer import ImportRefusedError, import_labelled
    from concierge.workbench.labelled_csv import CsvDataError, read_labelled_csv

    started = time.perf_counter()
    try:
        rows = read_labelled_csv(
            file, text_column=text_column, intent_column=intent_column, encoding=encoding
        )
        summary = import_labelled(rows, out_dir, force=force, source=file.name)
    except (CsvDataError, ImportRefusedError) as exc:
        fail(str(exc))
    except (OSError, RuntimeError) as exc:
        fail(f"cannot write the playbook into {out_dir}: {exc}", code=1)
    _print_import(summary, time.perf_counter() - started)


def _print_import(summary: ImportSummary, seconds: float) -> None:
    table = Table(title="Imported playbook", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_row("rows read", str(summary.rows))
    table.add_row("intents", str(summary.intents))
    table.add_row("examples", str(summary.examples))
    table.add_row("duplicates dropped", str(summary.duplicates))
    table.add_row("conflicts resolved", str(len(summary.conflicts)))
    table.add_row("intents dropped", str(len(summary.dropped)))
    table.add_row("took", f"{seconds:.1f} s")
    out.print(table)
    out.print(f"written to {summary.out_dir.resolve()}", highlight=False)
    _print_conflicts(summary)
    _print_dropped(summary)
    if not summary.has_out_of_scope:
        out.print(
            "note: no out_of_scope intent (label at least 2 rows 'oos'); add one so the bot "
            "can tell what it should not answer",
            highlight=False,
        )
    for warning in summary.warnings[:SHOWN]:
        out.print(f"[yellow]warning[/] {warning}", highlight=False)
    _more(len(summary.warnings), "warning(s): concierge intents validate lists them all")
    out.print(f"next: concierge intents train {shlex.quote(str(summary.out_dir))}", highlight=False)


def _print_conflicts(summary: ImportSummary) -> None:
    for conflict in summary.conflicts[:SHOWN]:
        labels = ", ".join(f"{name} x{count}" for name, count in conflict.labels.items())
        out.print(
            f"conflict: {conflict.text!r} ({_lines(conflict.rows)}) was labelled {labels}; "
            f"kept under {conflict.kept}",
            highlight=False,
        )
    _more(len(summary.conflicts), "conflict(s)")


def _print_dropped(summary: ImportSummary) -> None:
    for dropped in summary.dropped[:SHOWN]:
        where = _lines(dropped.rows) if dropped.rows else "the rest went to other intents"
        out.print(
            f"dropped: intent {dropped.name} has {dropped.examples} different example(s) "
            f"({where}); it needs at least 2, so it was left out",
            highlight=False,
        )
    _more(len(summary.dropped), "dropped intent(s)")


def _lines(rows: tuple[int, ...]) -> str:
    """Where rows are in the CSV file: ``line 4`` or ``lines 2, 6, 9``."""
    return ("line " if len(rows) == 1 else "lines ") + ", ".join(map(str, rows))


def _more(total: int, what: str) -> None:
    if total > SHOWN:
        out.print(f"... and {total - SHOWN} more {what}", highlight=False)


def intents_train(
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="The playbook directory (default: CONCIERGE_INTENTS_DIR or intents).",
            show_default=False,
        ),
    ] = None,
    model_dir: Annotated[
        Path | None,
        typer.Option(
            help="Where to save the model (default: CONCIERGE_MODEL_DIR, where serve looks).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Train even when the saved model is up to date.")
    ] = False,
) -> None:
    """Train a playbook's intent model and save it where concierge serve finds it."""
    settings = cli_settings()
    directory = directory or settings.intents_dir
    model_dir = model_dir or settings.model_dir
    if not directory.is_dir():
        fail(f"{directory}: no such playbook directory")
    from concierge.workbench.training import PlaybookTrainingError, train_playbook

    with Progress(
        SpinnerColumn(finished_text="[green]done[/]"),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        try:
            result = train_playbook(
                directory,
                model_dir,
                force=force,
                progress=_phases(progress),
                features=settings.nlu_features,
            )
        except PlaybookTrainingError as exc:
            progress.stop()
            fail(str(exc), code=1)
    _print_training(result)


def _phases(progress: Progress) -> Callable[[str], None]:
    """A progress callback showing each phase on its own line, with its own elapsed time."""
    current: list[TaskID] = []

    def show(phase: str) -> None:
        for task in current:
            progress.update(task, total=1, completed=1)
        current[:] = [progress.add_task(phase, total=None)]

    return show


def _print_training(result: TrainingResult) -> None:
    if result.skipped:
        out.print(
            f"up to date: the model in {result.model_dir} was trained on this data "
            f"({result.intents} intents, {result.examples} examples); --force trains anyway",
            highlight=False,
        )
        return
    table = Table(title="Trained intent model", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("value")
    table.add_row("why", result.reason)
    table.add_row("intents", str(result.intents))
    table.add_row("examples", str(result.examples))
    for phase, seconds in result.timings.items():
        table.add_row(phase, f"{seconds:.2f} s")
    out.print(table)
    out.print(f"model saved to {result.model_dir} ({decimal(result.size_bytes)})", highlight=False)
    changes = result.changes
    if changes.known:
        out.print("since the previous model:", highlight=False)
        for line in changes.describe():
            out.print(f"  {line}", highlight=False)
    elif changes.note != result.reason:
        out.print(changes.note, highlight=False)
