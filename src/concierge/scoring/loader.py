"""Loading ``scoring.yaml``: read, check against the schema and the semantic rules, build.

The file (see ``scoring.schema.json`` for every field)::

    rules:
      - name: commercial_segment
        dimension: fit            # fit | engagement
        points: 20                # negative allowed
        when: {slot: segment, equals: commercial}
        reason: "Commercial projects buy in volume"   # optional; default: the condition described
      - name: asked_for_pricing
        dimension: engagement
        points: 10
        when: {event: asked_for_pricing, within_days: 30}
        per_event: true           # optional: points for every matching event ...
        cap: 30                   # ... optional: at most this many (either sign) from this rule
    caps: {fit: 60, engagement: 40}
    decay: {half_life_days: 14}   # optional: event points halve every 14 days
    labels: [{label: hot, at_least: 60}, {label: warm, at_least: 30}, {label: cold}]

Any problem raises :class:`ScoringFileError` listing every problem as ``file:line: message``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from concierge.conditions import Condition, ConditionError, parse_condition
from concierge.domain.decisions import Dimension
from concierge.scoring.checks import (
    label_problems,
    repeated_condition_warnings,
    rule_problems,
    score_range,
)
from concierge.scoring.errors import ScoringFileError, ScoringProblem
from concierge.scoring.model import DIMENSIONS, Label, ScoringModel
from concierge.scoring.rules import Decay, ScoringRule
from concierge.scoring.schema import schema_problems
from concierge.yaml_source import YamlDocument, YamlSyntaxError, read_yaml


def _read(path: Path) -> YamlDocument:
    try:
        return read_yaml(path)
    except YamlSyntaxError as exc:
        raise ScoringFileError([ScoringProblem(path, exc.line, str(exc))]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScoringFileError([ScoringProblem(path, None, f"cannot read: {exc}")]) from None
    except ValueError as exc:  # PyYAML raises it for impossible dates such as 2026-13-01
        raise ScoringFileError([ScoringProblem(path, None, f"not valid YAML: {exc}")]) from None


def _check_windows(condition: Condition) -> None:
    """Event windows must be numbers of days (the conditions module reads them late)."""
    if condition.kind == "event" and not isinstance(condition.expected, int | float):
        raise ConditionError(f"within_days must be a number of days, got {condition.expected!r}")
    for child in condition.children:
        _check_windows(child)


def _rule(index: int, data: dict[str, Any], doc: YamlDocument, path: Path) -> ScoringRule:
    try:
        condition = parse_condition(data["when"])
        _check_windows(condition)
    except ConditionError as exc:
        where = doc.line_of(("rules", index, "when"))
        raise ScoringFileError(
            [ScoringProblem(path, where, f"rule {data['name']!r}: {exc}")]
        ) from None
    cap = data.get("cap")
    return ScoringRule(
        name=data["name"],
        dimension=data["dimension"],
        points=float(data["points"]),
        condition=condition,
        reason=data.get("reason") or condition.describe(),
        per_event=bool(data.get("per_event", False)),
        cap=None if cap is None else float(cap),
    )


def _rules(doc: YamlDocument, path: Path) -> tuple[ScoringRule, ...]:
    rules: list[ScoringRule] = []
    problems: list[ScoringProblem] = []
    for index, data in enumerate(doc.data["rules"]):
        try:
            rules.append(_rule(index, data, doc, path))
        except ScoringFileError as exc:
            problems += exc.problems
    if problems:
        raise ScoringFileError(problems)
    return tuple(rules)


def _labels(data: list[dict[str, Any]]) -> tuple[Label, ...]:
    return tuple(
        Label(str(item["label"]), None if item.get("at_least") is None else float(item["at_least"]))
        for item in data
    )


def _semantic_problems(model: ScoringModel, doc: YamlDocument, path: Path) -> list[ScoringProblem]:
    located = rule_problems(model.rules, doc.line_of)
    span = score_range(model.rules, model.caps)
    located += label_problems(model.labels, span, doc.line_of)
    return [ScoringProblem(path, line, message) for line, message in located]


def _model(doc: YamlDocument, path: Path) -> ScoringModel:
    rules = _rules(doc, path)
    caps: dict[Dimension, float] = {dim: float(doc.data["caps"][dim]) for dim in DIMENSIONS}
    half_life = (doc.data.get("decay") or {}).get("half_life_days")
    warnings = repeated_condition_warnings(rules, doc.line_of)
    return ScoringModel(
        rules=rules,
        caps=caps,
        labels=_labels(doc.data["labels"]),
        decay=Decay(None if half_life is None else float(half_life)),
        warnings=tuple(ScoringProblem(path, line, message) for line, message in warnings),
    )


def build_model(doc: YamlDocument, path: Path) -> ScoringModel:
    """A checked ScoringModel from a parsed scoring file; raises ScoringFileError."""
    if not isinstance(doc.data, dict):
        message = "expected a mapping with rules, caps and labels"
        raise ScoringFileError([ScoringProblem(path, doc.line_of(()), message)])
    problems = schema_problems(doc, path)
    if problems:
        raise ScoringFileError(problems)
    model = _model(doc, path)
    problems = _semantic_problems(model, doc, path)
    if problems:
        raise ScoringFileError(problems)
    return model


def load_scoring(path: Path) -> ScoringModel:
    """Read and check a scoring file; raises ScoringFileError naming file and line."""
    return build_model(_read(path), path)
