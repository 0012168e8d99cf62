"""Conditions designers write in flows, scoring and routing files, and how they are checked.

A condition is a mapping. Combinators: ``{all: [...]}``, ``{any: [...]}``, ``{not: {...}}``.
Leaves name what they look at and one operator::

    {slot: segment, equals: commercial}
    {slot: loan_amount, greater_than: 100000}
    {contact: roles, contains: VIP}          # comma-separated strings and lists both work
    {intent: [loan_application, membership]} # the detected intent is one of these
    {event: visited_pricing, within_days: 7} # the customer did this recently
    {slot: email, present: true}

Operators: equals, not_equals, in, not_in, contains, greater_than, at_least, less_than,
at_most, present, matches (regular expression, case-insensitive). Text compares
case-insensitively; numbers compare as numbers (``"100,000"`` counts as 100000).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from concierge.domain.decisions import Facts

SUBJECTS = ("slot", "contact", "intent", "event")
OPERATORS = (
    "equals", "not_equals", "in", "not_in", "contains", "greater_than", "at_least",
    "less_than", "at_most", "present", "matches",
)  # fmt: skip


class ConditionError(ValueError):
    """A condition a designer wrote cannot be understood; the message says why."""


def _text(value: Any) -> str:
    return str(value).strip().casefold()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", "").replace("$", "").strip())
    except ValueError:
        return None


def _items(value: Any) -> list[str]:
    if isinstance(value, str):
        return [_text(part) for part in value.split(",") if part.strip()]
    if isinstance(value, Sequence):
        return [_text(part) for part in value]
    return [] if value is None else [_text(value)]


def _contains(actual: Any, expected: Any) -> bool:
    wanted = _text(expected)
    items = _items(actual)
    return wanted in items or any(wanted in item for item in items)


def _compare(check: Callable[[float, float], bool]) -> Callable[[Any, Any], bool]:
    def compare(actual: Any, expected: Any) -> bool:
        left, right = _number(actual), _number(expected)
        return left is not None and right is not None and check(left, right)

    return compare


def _equals(actual: Any, expected: Any) -> bool:
    left, right = _number(actual), _number(expected)
    if left is not None and right is not None:
        return left == right
    return actual is not None and _text(actual) == _text(expected)


def _in(actual: Any, expected: Any) -> bool:
    return any(_equals(actual, option) for option in _items_raw(expected))


def _items_raw(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _present(actual: Any, expected: Any) -> bool:
    has_value = actual is not None and _text(actual) != ""
    return has_value == bool(expected)


def _matches(actual: Any, expected: Any) -> bool:
    return actual is not None and re.search(str(expected), str(actual), re.IGNORECASE) is not None


_CHECKS: dict[str, Callable[[Any, Any], bool]] = {
    "equals": _equals,
    "not_equals": lambda actual, expected: not _equals(actual, expected),
    "in": _in,
    "not_in": lambda actual, expected: not _in(actual, expected),
    "contains": _contains,
    "greater_than": _compare(lambda a, b: a > b),
    "at_least": _compare(lambda a, b: a >= b),
    "less_than": _compare(lambda a, b: a < b),
    "at_most": _compare(lambda a, b: a <= b),
    "present": _present,
    "matches": _matches,
}


def contact_value(contact: Mapping[str, Any], name: str) -> Any:
    """A contact attribute by name, looking in ``custom_attributes`` too."""
    if name in contact:
        return contact[name]
    custom = contact.get("custom_attributes")
    return custom.get(name) if isinstance(custom, Mapping) else None


@dataclass(frozen=True)
class Condition:
    """A parsed condition: a leaf test or a combination of conditions."""

    kind: str
    subject: str = ""
    operator: str = ""
    expected: Any = None
    children: tuple[Condition, ...] = ()

    def holds(self, facts: Facts) -> bool:
        """True when the facts satisfy this condition."""
        if self.kind == "all":
            return all(child.holds(facts) for child in self.children)
        if self.kind == "any":
            return any(child.holds(facts) for child in self.children)
        if self.kind == "not":
            return not self.children[0].holds(facts)
        return self._leaf_holds(facts)

    def _leaf_holds(self, facts: Facts) -> bool:
        if self.kind == "intent":
            return facts.intent is not None and _in(facts.intent, self.expected)
        if self.kind == "event":
            return _event_happened(facts, self.subject, self.expected)
        source = facts.slots if self.kind == "slot" else facts.contact
        actual = (
            contact_value(source, self.subject)
            if self.kind == "contact"
            else source.get(self.subject)
        )
        return _CHECKS[self.operator](actual, self.expected)

    def describe(self) -> str:
        """Plain words for an agent: why this matched."""
        if self.kind in {"all", "any"}:
            joiner = " and " if self.kind == "all" else " or "
            return joiner.join(child.describe() for child in self.children)
        if self.kind == "not":
            return f"not ({self.children[0].describe()})"
        if self.kind == "intent":
            return f"intent is {' or '.join(map(str, _items_raw(self.expected)))}"
        if self.kind == "event":
            return f"{self.subject} in the last {self.expected} days"
        return f"{self.subject} {self.operator.replace('_', ' ')} {self.expected}"

    def slots(self) -> set[str]:
        """The slot names this condition reads (for "asked but never used" checks)."""
        own = {self.subject} if self.kind == "slot" else set()
        return own.union(*(child.slots() for child in self.children))


def _event_happened(facts: Facts, name: str, days: Any) -> bool:
    window = timedelta(days=float(days))
    return any(event == name and facts.now - when <= window for event, when in facts.events)


def parse_condition(data: Any) -> Condition:
    """Parse a condition mapping, raising ConditionError with a precise reason."""
    if not isinstance(data, Mapping) or not data:
        raise ConditionError("a condition must be a non-empty mapping")
    for combinator in ("all", "any"):
        if combinator in data:
            return _combination(combinator, data[combinator])
    if "not" in data:
        return Condition(kind="not", children=(parse_condition(data["not"]),))
    return _leaf(data)


def _combination(kind: str, items: Any) -> Condition:
    if not isinstance(items, list) or not items:
        raise ConditionError(f"'{kind}' needs a non-empty list of conditions")
    return Condition(kind=kind, children=tuple(parse_condition(item) for item in items))


def _leaf(data: Mapping[str, Any]) -> Condition:
    subjects = [key for key in SUBJECTS if key in data]
    if len(subjects) != 1:
        raise ConditionError(f"a condition names exactly one of {', '.join(SUBJECTS)}")
    kind = subjects[0]
    if kind == "intent":
        return Condition(kind="intent", expected=data["intent"])
    if kind == "event":
        return Condition(
            kind="event", subject=str(data["event"]), expected=data.get("within_days", 30)
        )
    operators = [key for key in data if key != kind]
    if len(operators) != 1 or operators[0] not in _CHECKS:
        raise ConditionError(
            f"'{kind}: {data[kind]}' needs exactly one operator out of {', '.join(OPERATORS)}"
        )
    operator = operators[0]
    _check_operand(operator, data[operator])
    return Condition(kind=kind, subject=str(data[kind]), operator=operator, expected=data[operator])


def _check_operand(operator: str, operand: Any) -> None:
    if (
        operator in {"greater_than", "at_least", "less_than", "at_most"}
        and _number(operand) is None
    ):
        raise ConditionError(f"'{operator}' needs a number, got {operand!r}")
    if operator == "matches":
        try:
            re.compile(str(operand))
        except re.error as exc:
            raise ConditionError(f"'matches' has an invalid regular expression: {exc}") from None
