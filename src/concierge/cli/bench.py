"""``concierge bench nlu``: the intent classifier's accuracy, speed and size on public data."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.filesize import decimal
from rich.table import Table

from concierge.cli.common import cli_settings, err, fail, out

bench_app = typer.Typer(help="Benchmarks that print numbers.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``bench`` to the ``concierge`` command."""
    app.add_typer(bench_app, name="bench")


def _default_data_dir() -> Path:
    shared = os.environ.get("CONCIERGE_SHARED_DIR")
    return (Path(shared) if shared else Path("..") / "shared") / "data" / "banking77"


@bench_app.command("nlu")
def bench_nlu(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            help="A folder with train.csv and test.csv "
            "[default: $CONCIERGE_SHARED_DIR/data/banking77 or ../shared/data/banking77]",
            show_default=False,
        ),
    ] = None,
    text_column: Annotated[str, typer.Option(help="The column with the utterances.")] = "text",
    intent_column: Annotated[str, typer.Option(help="The column with the labels.")] = "category",
    calls: Annotated[
        int, typer.Option(help="Single-utterance calls to time (at least 1000).", min=1000)
    ] = 1000,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the numbers to this JSON file.")
    ] = None,
    features: Annotated[
        str | None,
        typer.Option(
            help="Feature set: tfidf or tfidf+embeddings [default: $CONCIERGE_NLU_FEATURES]",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Import train.csv, train, evaluate on test.csv; print accuracy, timings, memory, size."""
    from concierge.nlu.errors import NluError
    from concierge.nlu.pipeline import require_features
    from concierge.workbench.benchmark import BenchmarkData, run_benchmark
    from concierge.workbench.labelled_csv import CsvDataError

    folder = data_dir or _default_data_dir()
    if not folder.is_dir():
        fail(f"{folder}: no such folder (pass --data-dir with train.csv and test.csv)")
    data = BenchmarkData(folder / "train.csv", folder / "test.csv", text_column, intent_column)
    try:
        chosen = require_features(features or cli_settings().nlu_features)
        result = run_benchmark(
            data, calls=calls, progress=lambda step: err.print(f"… {step}"), features=chosen
        )
    except (CsvDataError, NluError) as exc:
        fail(str(exc))
    numbers = {k: v for k, v in asdict(result).items() if k != "evaluation"}
    numbers["machine"] = f"{os.cpu_count()} cores, Python {platform.python_version()}"
    _print(numbers, folder)
    if json_out is not None:
        json_out.write_text(json.dumps(numbers, indent=2) + "\n", encoding="utf-8")
        err.print(f"numbers written to {json_out}")


def _print(numbers: dict[str, object], folder: Path) -> None:
    table = Table(title=f"NLU benchmark: {folder}", show_header=False)
    rows = [
        (
            "data",
            f"{numbers['train_rows']} train / {numbers['test_rows']} test utterances, "
            f"{numbers['intents']} intents",
        ),
        ("features", str(numbers["features"])),
        ("accuracy (top intent)", f"{numbers['top1_accuracy']:.4f}"),
        ("macro F1 (top intent)", f"{numbers['top1_macro_f1']:.4f}"),
        ("bot accuracy (abstaining counts as out_of_scope)", f"{numbers['bot_accuracy']:.4f}"),
        ("abstention rate", f"{numbers['abstention_rate']:.4f}"),
        ("training time", f"{numbers['training_seconds']:.1f} s"),
        (
            "latency, one message at a time",
            f"median {numbers['latency_median_ms']:.2f} ms, p99 {numbers['latency_p99_ms']:.2f} ms "
            f"over {numbers['latency_calls']} calls",
        ),
        ("peak memory (RSS)", f"{numbers['peak_rss_mib']:.0f} MiB"),
        ("model size", decimal(int(str(numbers["model_bytes"])))),
        ("machine", str(numbers["machine"])),
    ]
    for name, value in rows:
        table.add_row(name, value)
    out.print(table)
