"""An evaluation written to disk: numbers for tools, a list of errors and two charts for people.

:func:`write_report` fills a directory (created if missing) with:

- ``report.json``: every metric, every intent's scores, every confusion (with an example and a
  hint), the counts, and the ``context`` the caller passes (model fingerprint, data source…);
- ``errors.csv``: every wrong prediction, in input order, with the classifier's best and
  second-best intents;
- ``confusion.png``: the largest confusions between intents as horizontal bars labelled
  ``expected → predicted`` (a 77 by 77 matrix would be unreadable), and below them the
  intents the classifier abstained on most;
- ``confidence.png``: the top confidence of right and wrong predictions, stacked, with the
  abstention threshold marked.

:func:`write_predictions` writes one ``text,expected,predicted,confidence`` row per utterance.
The charts are drawn with matplotlib's object API on the Agg canvas, so no display is needed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from concierge.nlu.intents import OUT_OF_SCOPE
from concierge.workbench.evaluation import Evaluation, PredictedText, hint

REPORT_FILE = "report.json"
ERRORS_FILE = "errors.csv"
CONFUSION_CHART = "confusion.png"
CONFIDENCE_CHART = "confidence.png"
CHARTED_CONFUSIONS = 25
"""How many confusions ``confusion.png`` shows."""
CHARTED_ABSTENTIONS = 10
"""How many of the most abstained-on intents ``confusion.png`` shows."""
MIN_CHART_HEIGHT = 3.5
"""Inches; a chart with one or two bars still gets room for its titles."""
BAR_HEIGHT = 0.3
"""Inches per bar, enough for a two-line label at 9 points."""
LABEL_CHARS = 60
"""Longer ``expected → predicted`` labels are broken over two lines."""
DIGITS = 4
DPI = 110
INTENT_COLOUR = "#d62728"
GREY = "#7f7f7f"
CORRECT_COLOUR = "#2ca02c"

PREDICTION_HEADER = ("text", "expected", "predicted", "confidence")
ERROR_HEADER = (
    "text",
    "expected",
    "predicted",
    "confidence",
    "top_intent",
    "second_best",
    "second_confidence",
    "abstain_reason",
)


def write_report(
    evaluation: Evaluation, report_dir: Path, *, context: dict[str, object]
) -> list[Path]:
    """Write the four report files into ``report_dir`` and return their paths.

    Raises OSError when the directory cannot be created or written.
    """
    report_dir.mkdir(parents=True, exist_ok=True)
    paths = [
        report_dir / REPORT_FILE,
        report_dir / ERRORS_FILE,
        report_dir / CONFUSION_CHART,
        report_dir / CONFIDENCE_CHART,
    ]
    text = json.dumps(report_data(evaluation, context), indent=2, ensure_ascii=False, default=str)
    paths[0].write_text(text + "\n", encoding="utf-8")
    _write_csv(paths[1], ERROR_HEADER, [_error_row(item) for item in evaluation.errors])
    _save(confusion_chart(evaluation), paths[2])
    _save(confidence_chart(evaluation.predictions, evaluation.threshold), paths[3])
    return paths


def write_predictions(evaluation: Evaluation, path: Path) -> None:
    """Write ``text,expected,predicted,confidence``, one row per utterance in input order."""
    rows = [
        (item.text, item.expected, item.predicted, _rounded(item.confidence))
        for item in evaluation.predictions
    ]
    _write_csv(path, PREDICTION_HEADER, rows)


def _rounded(value: float) -> float:
    return round(float(value), DIGITS)


def _optional(value: float | None) -> float | None:
    return None if value is None else _rounded(value)


def report_data(evaluation: Evaluation, context: dict[str, object]) -> dict[str, object]:
    """The content of ``report.json``."""
    return {
        "context": context,
        "counts": counts(evaluation),
        "thresholds": {"threshold": evaluation.threshold, "margin": evaluation.margin},
        "metrics": {
            "accuracy": _rounded(evaluation.accuracy),
            "macro_f1": _rounded(evaluation.macro_f1),
            "top_intent_accuracy": _rounded(evaluation.top_intent_accuracy),
            "top_intent_macro_f1": _rounded(evaluation.top_intent_macro_f1),
            "weighted_f1": _rounded(evaluation.weighted_f1),
            "abstention_rate": _rounded(evaluation.abstention_rate),
            "abstentions": evaluation.abstentions,
            "out_of_scope_recall": _optional(evaluation.out_of_scope_recall),
            "in_scope_accuracy": _optional(evaluation.in_scope_accuracy),
        },
        "per_intent": [
            {
                "intent": scores.intent,
                "precision": _rounded(scores.precision),
                "recall": _rounded(scores.recall),
                "f1": _rounded(scores.f1),
                "support": scores.support,
                "confused_with": [
                    {"intent": name, "count": count} for name, count in scores.confused_with
                ],
            }
            for scores in evaluation.per_intent
        ],
        "confusions": [
            {
                "expected": confusion.expected,
                "predicted": confusion.predicted,
                "count": confusion.count,
                "abstained": confusion.abstained,
                "example": confusion.example,
                "hint": hint(evaluation, confusion),
            }
            for confusion in evaluation.confusions
        ],
        "abstentions_by_intent": evaluation.abstentions_by_intent,
    }


def counts(evaluation: Evaluation) -> dict[str, int]:
    """How many utterances, intents, errors, abstentions and out-of-scope examples."""
    predictions = evaluation.predictions
    return {
        "utterances": len(predictions),
        "intents": len(evaluation.per_intent),
        "correct": len(predictions) - len(evaluation.errors),
        "errors": len(evaluation.errors),
        "abstained": sum(item.abstained for item in predictions),
        "out_of_scope_examples": sum(item.expected == OUT_OF_SCOPE for item in predictions),
    }


def _error_row(item: PredictedText) -> tuple[object, ...]:
    return (
        item.text,
        item.expected,
        item.predicted,
        _rounded(item.confidence),
        item.top_intent or "",
        item.runner_up or "",
        _rounded(item.runner_up_confidence) if item.runner_up else "",
        item.abstain_reason or "",
    )


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)


def _save(figure: Figure, path: Path) -> None:
    FigureCanvasAgg(figure)
    figure.savefig(path, dpi=DPI)


def confusion_chart(evaluation: Evaluation) -> Figure:
    """The largest confusions between intents on top, the most abstained-on intents below.

    Horizontal bars labelled ``expected → predicted``, the largest first; abstentions are
    charted apart because their fix differs (more examples, not clearer boundaries).
    """
    confusions = evaluation.answered_confusions[:CHARTED_CONFUSIONS]
    abstained = list(evaluation.abstentions_by_intent.items())[:CHARTED_ABSTENTIONS]
    heights = [max(len(confusions), 2)] + ([max(len(abstained), 2)] if abstained else [])
    height = max(MIN_CHART_HEIGHT, 1.4 + BAR_HEIGHT * sum(heights))
    figure = Figure(figsize=(11, height), layout="constrained")
    panels = figure.subplots(len(heights), 1, height_ratios=heights, squeeze=False)[:, 0]
    if confusions:
        labels = [_pair_label(c.expected, c.predicted) for c in confusions]
        _bars(panels[0], labels, [c.count for c in confusions], INTENT_COLOUR)
    else:
        panels[0].text(0.5, 0.5, "No intent was mistaken for another", ha="center")
        panels[0].set_axis_off()
    panels[0].set_title(
        "Confusions, expected → predicted"
        + _shown(len(confusions), len(evaluation.answered_confusions), "pairs"),
        fontsize=10,
        loc="left",
    )
    if abstained:
        _bars(panels[1], [name for name, _ in abstained], [n for _, n in abstained], GREY)
        panels[1].set_title(
            "Abstentions, by expected intent"
            + _shown(len(abstained), len(evaluation.abstentions_by_intent), "intents"),
            fontsize=10,
            loc="left",
        )
    panels[-1].set_xlabel("utterances")
    return figure


def _shown(shown: int, found: int, noun: str) -> str:
    """`` (the 25 largest of 80 pairs)`` when not everything is charted, else nothing."""
    return f" (the {shown} largest of {found} {noun})" if shown < found else ""


def _pair_label(expected: str, predicted: str) -> str:
    """``expected → predicted`` on one line, or two when both names are long."""
    joined = f"{expected} → {predicted}"
    return joined if len(joined) <= LABEL_CHARS else f"{expected} →\n{predicted}"


def _bars(axes: Axes, labels: list[str], counts: list[int], colour: str) -> None:
    """Horizontal bars, the first on top, each with its count at its end."""
    positions = np.arange(len(labels))[::-1]
    bars = axes.barh(positions, counts, color=colour)
    axes.bar_label(bars, padding=3, fontsize=9)
    axes.set_yticks(positions, labels, fontsize=9)
    axes.set_ylim(-0.6, max(len(labels), 2) - 0.4)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.margins(x=0.08)
    axes.spines[["top", "right"]].set_visible(False)


def confidence_chart(predictions: Sequence[PredictedText], threshold: float) -> Figure:
    """Histograms of the top confidence, right above wrong, with the threshold marked.

    Two panels with their own scales: the wrong predictions are usually far fewer, and
    their shape (how many sit below the threshold) is what matters.
    """
    figure = Figure(figsize=(9, 6), layout="constrained")
    panels = figure.subplots(2, 1, sharex=True)
    groups = (
        ("right", CORRECT_COLOUR, [item.confidence for item in predictions if item.correct]),
        ("wrong", INTENT_COLOUR, [item.confidence for item in predictions if not item.correct]),
    )
    for axes, (name, colour, values) in zip(panels, groups, strict=True):
        axes.hist(values, bins=[step / 20 for step in range(21)], color=colour)
        axes.axvline(threshold, color="black", linestyle="--", linewidth=1.2)
        below = sum(value < threshold for value in values)
        axes.set_title(
            f"{name}: {len(values)} predictions, {below} below the threshold",
            fontsize=10,
            loc="left",
        )
        axes.set_ylabel("utterances")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
    panels[0].annotate(
        f"abstain below {threshold:g}",
        xy=(threshold, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(4, -12),
        textcoords="offset points",
        fontsize=9,
    )
    panels[1].set_xlim(0.0, 1.0)
    panels[1].set_xlabel("top confidence (the classifier's best intent)")
    figure.suptitle("Confidence of right and wrong predictions", fontsize=11)
    return figure
