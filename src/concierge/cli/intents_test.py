"""``concierge intents test``: how well the playbook's intents are recognised, and what to fix.

Either on a labelled test CSV (``--test-file``, classified with the saved model, trained first
when it does not match the playbook) or by cross-validation over the playbook's own examples
(``--cross-validate K``). Prints a short summary that stays readable with a hundred intents
(``--all`` adds the full per-intent table); ``--report-dir`` writes the full report and
``--predictions`` every prediction.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from concierge.cli.common import cli_settings, err, fail, out

if TYPE_CHECKING:  # scikit-learn loads slowly: only this command imports it, when it runs
    from concierge.nlu.intents import IntentCatalog
    from concierge.nlu.pipeline import FeatureSet
    from concierge.workbench.evaluation import Evaluation, IntentScores

WORST = 5
"""How many intents and confusions the summary lists under "Fix first"."""
EXAMPLE_CHARS = 70


def register(intents_app: typer.Typer) -> None:
    """Add ``test`` to ``concierge intents``."""
    intents_app.command("test")(intents_test)


def intents_test(
    directory: Annotated[Path, typer.Argument(help="The playbook directory.")] = Path("intents"),
    test_file: Annotated[
        Path | None, typer.Option(help="Labelled CSV to test the saved model on.")
    ] = None,
    cross_validate: Annotated[
        int | None,
        typer.Option(
            "--cross-validate", metavar="K", help="Cross-validate on the playbook's examples."
        ),
    ] = None,
    text_column: Annotated[str, typer.Option(help="The CSV column with the text.")] = "text",
    intent_column: Annotated[str, typer.Option(help="The CSV column with the label.")] = "intent",
    encoding: Annotated[str, typer.Option(help="The CSV file's encoding.")] = "utf-8",
    report_dir: Annotated[
        Path | None, typer.Option(help="Write report.json, errors.csv and charts here.")
    ] = None,
    predictions: Annotated[
        Path | None, typer.Option(help="Write every prediction to this CSV file.")
    ] = None,
    model_dir: Annotated[
        Path | None, typer.Option(help="Where the saved model is (default: settings).")
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Print the full per-intent table.")
    ] = False,
) -> None:
    """Measure intent recognition on a test CSV or by cross-validation; show what to fix."""
    if (test_file is None) == (cross_validate is None):
        fail("give exactly one of --test-file FILE.csv or --cross-validate K")
    settings = cli_settings()
    catalog = _load_catalog(directory)
    context: dict[str, object] = {"playbook": str(directory), "intents": len(catalog.intents)}
    if test_file is not None:
        columns = (text_column, intent_column, encoding)
        model = (model_dir or settings.model_dir, settings.nlu_features)
        evaluation = _test_on_file(catalog, test_file, columns, model, context)
    else:
        folds = int(cross_validate or 0)
        evaluation = _cross_validate(catalog, folds, settings.nlu_features, context)
    written = _write_outputs(evaluation, report_dir, predictions, context)
    _print_summary(evaluation, context, show_all=show_all)
    for line in written:
        out.print(line, highlight=False)


def _load_catalog(directory: Path) -> IntentCatalog:
    """The playbook's intents; exit 1 listing every problem when they cannot be loaded."""
    from concierge.nlu.errors import IntentFileError
    from concierge.nlu.intents import load_intents

    try:
        return load_intents(directory)
    except IntentFileError as exc:
        for problem in exc.problems:
            err.print(f"[red]error[/]   {escape(str(problem))}", highlight=False)
        fail(f"{directory}: {len(exc.problems)} problem(s) in the playbook to fix", code=1)


def _test_on_file(
    catalog: IntentCatalog,
    test_file: Path,
    columns: tuple[str, str, str],
    model: tuple[Path, FeatureSet],
    context: dict[str, object],
) -> Evaluation:
    """Evaluate the saved (or freshly trained) model (its folder and features) on the CSV."""
    from concierge.nlu.errors import NluError
    from concierge.nlu.model_store import load_or_train
    from concierge.workbench.evaluation import EvaluationError, check_labels, evaluate
    from concierge.workbench.labelled_csv import CsvDataError, read_labelled_csv

    text_column, intent_column, encoding = columns
    model_dir, features = model
    try:
        rows = read_labelled_csv(
            test_file, text_column=text_column, intent_column=intent_column, encoding=encoding
        )
        check_labels(rows, catalog.names())
    except CsvDataError as exc:
        fail(str(exc))
    except EvaluationError as exc:
        fail(f"{test_file}: {exc}; add them to {catalog.path} or fix the labels")
    started = time.perf_counter()
    try:
        classifier, info = load_or_train(catalog, model_dir, features=features)
    except NluError as exc:
        fail(f"cannot train a model on {_directory_of(catalog)}: {exc}", code=1)
    model_seconds = _seconds_since(started)
    context.update(
        mode="test_file",
        data=str(test_file),
        columns={"text": text_column, "intent": intent_column, "encoding": encoding},
        model={
            "directory": str(model_dir),
            "fingerprint": info.fingerprint,
            "threshold": info.threshold,
            "margin": info.margin,
            "temperature": info.temperature,
            "created_at": info.created_at,
            "retrained": info.retrained,
            "seconds": model_seconds,
        },
    )
    started = time.perf_counter()
    evaluation = evaluate(classifier, rows)
    context["seconds"] = _seconds_since(started)
    return evaluation


def _seconds_since(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def _directory_of(catalog: IntentCatalog) -> str:
    """The playbook directory the catalog was read from, for messages."""
    return str(catalog.path.parent) if catalog.path else "the playbook"


def _cross_validate(
    catalog: IntentCatalog, folds: int, features: FeatureSet, context: dict[str, object]
) -> Evaluation:
    """Cross-validate over the playbook's examples with a progress bar per fold."""
    from concierge.nlu.classifier import DEFAULT_MARGIN, DEFAULT_THRESHOLD
    from concierge.nlu.errors import NluError
    from concierge.workbench.evaluation import EvaluationError, check_folds, cross_validate

    pairs = catalog.training_pairs()
    try:
        check_folds([intent for _, intent in pairs], folds)
    except EvaluationError as exc:
        fail(f"--cross-validate {folds}: {exc}")
    context.update(
        mode="cross_validation",
        data=str(catalog.path),
        folds=folds,
        seed=0,
        model={
            "fingerprint": catalog.fingerprint(),
            "threshold": DEFAULT_THRESHOLD,
            "margin": DEFAULT_MARGIN,
        },
    )
    columns = (TextColumn("cross-validating"), BarColumn(), MofNCompleteColumn())
    started = time.perf_counter()
    with Progress(*columns, TextColumn("folds"), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task("folds", total=folds)
        try:
            evaluation = cross_validate(
                pairs,
                folds,
                features=features,
                progress=lambda done, _: bar.update(task, completed=done),
            )
        except NluError as exc:
            fail(f"cannot train a model on {_directory_of(catalog)}: {exc}", code=1)
    context["seconds"] = _seconds_since(started)
    return evaluation


def _write_outputs(
    evaluation: Evaluation,
    report_dir: Path | None,
    predictions: Path | None,
    context: dict[str, object],
) -> list[str]:
    """Write the predictions CSV and the report when asked; lines saying where they went."""
    from concierge.workbench.report import write_predictions, write_report

    lines = []
    try:
        if predictions is not None:
            write_predictions(evaluation, predictions)
            lines.append(f"Predictions: {predictions}")
        if report_dir is not None:
            names = ", ".join(
                path.name for path in write_report(evaluation, report_dir, context=context)
            )
            lines.append(f"Report: {report_dir} ({names})")
    except OSError as exc:
        fail(f"cannot write {exc.filename or 'the output'}: {exc.strerror or exc}", code=1)
    return lines


def _print_summary(evaluation: Evaluation, context: dict[str, object], *, show_all: bool) -> None:
    """Overall numbers, then the worst intents, the biggest confusions and the abstentions."""
    _print_overall(evaluation, context)
    if show_all:
        out.print()
        out.print(_intent_table(evaluation))
    if not evaluation.errors:
        out.print("\n[green]Every prediction was right.[/]")
        return
    out.print("\n[bold]Fix first[/]")
    if not show_all:
        _print_worst_intents(evaluation)
    _print_confusions(evaluation)
    _print_abstentions(evaluation)


def _print_overall(evaluation: Evaluation, context: dict[str, object]) -> None:
    count = len(evaluation.predictions)
    if context.get("mode") == "test_file":
        source = f"{count} utterances from {context['data']}"
        model = context["model"]
        if isinstance(model, dict) and model["retrained"]:
            trained = f"Trained the model of {context['playbook']} in {model['seconds']} s"
            out.print(escape(trained), highlight=False)
    else:
        source = (
            f"{count} examples of {context['playbook']}, {context['folds']}-fold cross-validated"
        )
    out.print(f"Tested {escape(source)} in {context['seconds']} s", highlight=False)
    out.print(
        f"  accuracy [bold]{evaluation.accuracy:.3f}[/] · macro F1 {evaluation.macro_f1:.3f}"
        f" · weighted F1 {evaluation.weighted_f1:.3f}",
        highlight=False,
    )
    out.print(
        f"  top intent, abstaining or not: accuracy {evaluation.top_intent_accuracy:.4f}"
        f" · macro F1 {evaluation.top_intent_macro_f1:.4f}",
        highlight=False,
    )
    reasons = ", ".join(f"{reason} {n}" for reason, n in evaluation.abstentions.items())
    out.print(
        f"  abstained {evaluation.abstention_rate:.1%}" + (f" ({reasons})" if reasons else ""),
        highlight=False,
    )
    scoped = []
    if evaluation.out_of_scope_recall is not None:
        scoped.append(f"out-of-scope recall {evaluation.out_of_scope_recall:.3f}")
    if evaluation.in_scope_accuracy is not None:
        scoped.append(f"in-scope accuracy {evaluation.in_scope_accuracy:.3f}")
    out.print("  " + " · ".join(scoped), highlight=False)


def _confused_with(scores: IntentScores, most: int = 3) -> str:
    return ", ".join(f"{name} ({count})" for name, count in scores.confused_with[:most])


def _print_worst_intents(evaluation: Evaluation) -> None:
    out.print("[italic]Worst intents[/] (F1, support)")
    for scores in evaluation.per_intent[:WORST]:
        out.print(
            f"  {scores.f1:.2f}  {scores.intent}  {scores.support} utterances,"
            f" precision {scores.precision:.2f}, recall {scores.recall:.2f}",
            highlight=False,
        )
        if scores.confused_with:
            out.print(f"        [dim]became {_confused_with(scores)}[/]", highlight=False)


def _intent_table(evaluation: Evaluation) -> Table:
    table = Table(title="Every intent, worst first", title_justify="left", box=None)
    table.add_column("intent", no_wrap=True)
    for name in ("F1", "precision", "recall", "support"):
        table.add_column(name, justify="right")
    table.add_column("became instead")
    for scores in evaluation.per_intent:
        table.add_row(
            scores.intent,
            f"{scores.f1:.2f}",
            f"{scores.precision:.2f}",
            f"{scores.recall:.2f}",
            str(scores.support),
            _confused_with(scores, most=2) or "-",
        )
    return table


def _print_confusions(evaluation: Evaluation) -> None:
    from concierge.workbench.evaluation import hint

    if not evaluation.answered_confusions:
        return
    out.print("[italic]Biggest confusions[/] (expected → predicted, abstentions aside)")
    for confusion in evaluation.answered_confusions[:WORST]:
        example = confusion.example
        if len(example) > EXAMPLE_CHARS:
            example = example[: EXAMPLE_CHARS - 1] + "…"
        out.print(
            f"  {confusion.count:>4}  {confusion.expected} → {confusion.predicted}"
            f"  e.g. {escape(repr(example))}",
            highlight=False,
        )
        out.print(f"        [dim]{escape(hint(evaluation, confusion))}[/]", highlight=False)


def _print_abstentions(evaluation: Evaluation) -> None:
    most = list(evaluation.abstentions_by_intent.items())[:WORST]
    if not most:
        return
    listed = ", ".join(f"{intent} ({count})" for intent, count in most)
    out.print(f"[italic]Most abstentions[/] on {listed}", highlight=False)
    out.print("        [dim]add examples worded like those (see errors.csv)[/]", highlight=False)
