"""Checks a schema cannot express: unique slot names, sound conditions, choices, ranges.

Runs on a document that already passed the schema; every problem names file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from concierge.conditions import Condition, ConditionError, parse_condition
from concierge.flows.errors import FlowProblem
from concierge.flows.flow_schema import describe_path
from concierge.flows.signals import normalise
from concierge.flows.spec import NUMERIC_TYPES
from concierge.yaml_source import JsonPath, YamlDocument

Finding = tuple[JsonPath, str]
_ANY_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def semantic_problems(doc: YamlDocument, path: Path) -> list[FlowProblem]:
    """Every semantic problem of a schema-valid flows document, in file order."""
    findings = [
        finding
        for name, flow in doc.data["flows"].items()
        for finding in _flow_findings(("flows", name), flow)
    ]
    problems = [
        FlowProblem(path, doc.line_of(where), f"{describe_path(where)}: {message}")
        for where, message in findings
    ]
    return sorted(problems, key=lambda problem: problem.line or 0)


def _flow_findings(base: JsonPath, flow: Mapping[str, Any]) -> Iterator[Finding]:
    slots: Sequence[Mapping[str, Any]] = flow["slots"]
    names = {slot["name"] for slot in slots}
    seen: dict[str, int] = {}
    for index, slot in enumerate(slots):
        where = (*base, "slots", index)
        if slot["name"] in seen:
            first = seen[slot["name"]]
            yield (*where, "name"), f"slot {slot['name']!r} is already defined (slots[{first}])"
        yield from _slot_findings(where, slot)
        yield from _when_findings(where, slot, set(seen), names)
        seen.setdefault(slot["name"], index)
    yield from _reply_findings(base, flow, names)


def _slot_findings(where: JsonPath, slot: Mapping[str, Any]) -> Iterator[Finding]:
    kind, choices = slot["type"], slot.get("choices")
    if kind == "choice" and len(choices or []) < 2:
        yield (*where, "type"), "a choice slot needs `choices` (at least two)"
    if kind != "choice" and choices is not None:
        yield (*where, "choices"), f"choices only apply to choice slots (this one is {kind})"
    for bound in ("min", "max"):
        if bound in slot and kind not in NUMERIC_TYPES:
            yield (*where, bound), f"{bound} only applies to number and money slots"
    if "min" in slot and "max" in slot and slot["min"] > slot["max"]:
        yield (*where, "min"), f"min {slot['min']} is greater than max {slot['max']}"
    yield from _choice_findings(where, choices or [])


def _choice_names(choice: Any) -> list[str]:
    if isinstance(choice, str):
        return [choice]
    return [choice["value"], choice.get("label", choice["value"]), *choice.get("synonyms", [])]


def _choice_findings(where: JsonPath, choices: Sequence[Any]) -> Iterator[Finding]:
    owner: dict[str, int] = {}
    for index, choice in enumerate(choices):
        for name in dict.fromkeys(normalise(text) for text in _choice_names(choice)):
            at = (*where, "choices", index)
            if not name:
                yield at, "a choice needs letters or digits so customers can type it"
            elif owner.get(name, index) != index:
                yield at, f"{name!r} would also pick choices[{owner[name]}]"
            owner.setdefault(name, index)


def _uses_events(condition: Condition) -> bool:
    return condition.kind == "event" or any(_uses_events(c) for c in condition.children)


def _when_findings(
    where: JsonPath, slot: Mapping[str, Any], earlier: set[str], names: set[str]
) -> Iterator[Finding]:
    if "when" not in slot:
        return
    at = (*where, "when")
    try:
        condition = parse_condition(slot["when"])
    except ConditionError as exc:
        yield at, f"bad condition: {exc}"
        return
    if _uses_events(condition):
        yield at, "event conditions don't apply to flows; use slot, contact or intent"
    for used in sorted(condition.slots()):
        if used == slot["name"]:
            yield at, f"the condition uses {used!r}, the slot it decides on"
        elif used not in names:
            yield at, f"the condition uses {used!r}, which is not a slot of this flow"
        elif used not in earlier:
            yield at, f"the condition uses {used!r}, which is asked later (use earlier slots)"


def _reply_findings(base: JsonPath, flow: Mapping[str, Any], names: set[str]) -> Iterator[Finding]:
    reply = flow.get("on_complete", {}).get("reply", "")
    for placeholder in _ANY_PLACEHOLDER.findall(reply):
        if placeholder not in names:
            known = ", ".join(sorted(names))
            where = (*base, "on_complete", "reply")
            yield where, f"{{{placeholder}}} is not a slot of this flow ({known})"
