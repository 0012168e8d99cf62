"""Screen logic for multi-step Messenger cards: check answers, carry them forward, show failures.

State lives in the canvas's ``stored_data`` (Intercom sends it back with the next submit)::

    {"screen": "quote_request",                  # the template now showing
     "answers": {"quantity": "40", ...},          # every input value submitted so far, by id
     "answer_text": {"branch": "Salem", ...}}     # the same answers as a person reads them

Templates show answers with ``{{ answers.quantity }}`` or ``{{ answer_text.branch }}``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from concierge.canvas.components import INPUT_TYPES
from concierge.canvas.input_rules import InputRule
from concierge.canvas.placeholders import display

SCREEN = "screen"
ANSWERS = "answers"
ANSWER_TEXT = "answer_text"
CHOICE_TYPES = frozenset({"dropdown", "single-select", "checkbox"})


def find_failures(rules: Mapping[str, InputRule], values: Mapping[str, Any]) -> dict[str, str]:
    """The hint for every input whose submitted value breaks its rule, by input id."""
    failures = {}
    for input_id, rule in rules.items():
        hint = rule.problem(values.get(input_id))
        if hint is not None:
            failures[input_id] = hint
    return failures


def _option_texts(component: Mapping[str, Any]) -> dict[str, str]:
    options = component.get("options") or component.get("option") or []
    return {str(option["id"]): str(option["text"]) for option in options}


def _readable(component: Mapping[str, Any], value: Any) -> str:
    if component.get("type") not in CHOICE_TYPES:
        return display(value)
    texts = _option_texts(component)
    chosen = value if isinstance(value, list) else [value]
    return ", ".join(texts.get(str(item), display(item)) for item in chosen if item is not None)


def _inputs(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        if component.get("type") in INPUT_TYPES and "id" in component:
            yield component


def stored_mapping(stored_data: Mapping[str, Any], key: str) -> dict[str, Any]:
    """A mapping kept in stored_data (empty if missing or not a mapping: it came over the wire)."""
    value = stored_data.get(key)
    return dict(value) if isinstance(value, Mapping) else {}


def carry_forward(
    stored_data: Mapping[str, Any], components: list[dict[str, Any]], values: Mapping[str, Any]
) -> dict[str, Any]:
    """``stored_data`` with this screen's submitted values merged into the answers."""
    answers = stored_mapping(stored_data, ANSWERS)
    readable = stored_mapping(stored_data, ANSWER_TEXT)
    answers.update({str(key): value for key, value in values.items()})
    for component in _inputs(components):
        if component["id"] in values:
            readable[component["id"]] = _readable(component, values[component["id"]])
    return {**stored_data, ANSWERS: answers, ANSWER_TEXT: readable}


def _kept_value(component: dict[str, Any], value: Any) -> Any:
    kind = component.get("type")
    if kind in {"input", "textarea"}:
        return display(value)
    known = _option_texts(component)
    if kind == "checkbox":
        return (
            [str(item) for item in value if str(item) in known] if isinstance(value, list) else []
        )
    return str(value) if str(value) in known else None


def _with_entry(
    component: dict[str, Any], values: Mapping[str, Any], failed: bool
) -> dict[str, Any]:
    updated = dict(component)
    value = values.get(str(component.get("id")))
    if value is not None and component.get("type") in INPUT_TYPES:
        kept = _kept_value(component, value)
        if kept not in (None, []):
            updated["value"] = kept
    if failed:
        updated.update(
            {"error": True} if component["type"] == "textarea" else {"save_state": "failed"}
        )
    return updated


def mark_failures(
    components: list[dict[str, Any]], values: Mapping[str, Any], failures: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The screen again with entered values kept, failed inputs marked and each hint below it."""
    marked: list[dict[str, Any]] = []
    for component in components:
        failed = component.get("id") in failures
        marked.append(_with_entry(component, values, failed))
        if failed:
            marked.append({"type": "text", "text": failures[component["id"]], "style": "error"})
    return marked
