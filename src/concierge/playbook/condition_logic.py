"""Reasoning about designers' conditions by their form: what they read, what they need, and
when one condition holds whenever another does.

Every answer here is sound (never claims more than is true) but not complete: ``covers``
may say False for a pair where the earlier condition does in fact cover the later one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from concierge.conditions import Condition

_POSITIVE = frozenset(
    {"equals", "in", "contains", "greater_than", "at_least", "less_than", "at_most"}
)
_ABOVE = frozenset({"greater_than", "at_least"})
_BELOW = frozenset({"less_than", "at_most"})


def leaves(condition: Condition | None) -> Iterator[Condition]:
    """Every leaf test in ``condition`` (slot, contact, intent and event tests)."""
    if condition is None:
        return
    if condition.kind in {"all", "any", "not"}:
        for child in condition.children:
            yield from leaves(child)
    else:
        yield condition


def options(expected: Any) -> tuple[str, ...]:
    """An intent test's names (``{intent: a}`` or ``{intent: [a, b]}``)."""
    values = expected if isinstance(expected, list | tuple) else [expected]
    return tuple(str(value) for value in values)


def named_intents(condition: Condition | None) -> set[str]:
    """Every intent name the condition mentions, anywhere."""
    return {
        name
        for leaf in leaves(condition)
        if leaf.kind == "intent"
        for name in options(leaf.expected)
    }


def required_intents(condition: Condition | None) -> frozenset[str] | None:
    """The intents one of which must be detected for ``condition`` to hold; None: any."""
    if condition is None or condition.kind in {"slot", "contact", "event", "not"}:
        return None
    if condition.kind == "intent":
        return frozenset(options(condition.expected))
    needs = [required_intents(child) for child in condition.children]
    if condition.kind == "any":
        if any(need is None for need in needs):
            return None
        return frozenset().union(*(need for need in needs if need is not None))
    known = [need for need in needs if need is not None]
    return frozenset.intersection(*known) if known else None


def covers(earlier: Condition | None, later: Condition | None) -> bool:
    """True when ``earlier`` holds whenever ``later`` does (judged by form; no condition
    means "always")."""
    if earlier is None:
        return True
    if later is None:
        return False
    if later.kind == "any":
        return all(covers(earlier, child) for child in later.children)
    if earlier.kind == "all":
        return all(covers(child, later) for child in earlier.children)
    if earlier.kind == "any" and any(covers(child, later) for child in earlier.children):
        return True
    if later.kind == "all" and any(covers(earlier, child) for child in later.children):
        return True
    return earlier == later or _leaf_covers(earlier, later)


def _leaf_covers(earlier: Condition, later: Condition) -> bool:
    if earlier.kind != later.kind or earlier.kind in {"all", "any", "not"}:
        return False
    if earlier.kind == "intent":
        return set(options(later.expected)) <= set(options(earlier.expected))
    if earlier.kind == "event":
        return earlier.subject == later.subject and _number(earlier.expected, later.expected)
    return earlier.subject == later.subject and _test_covers(earlier, later)


def _number(wider: Any, narrower: Any) -> bool:
    """A window of ``wider`` days includes one of ``narrower`` days."""
    return (
        isinstance(wider, int | float) and isinstance(narrower, int | float) and wider >= narrower
    )


def _test_covers(earlier: Condition, later: Condition) -> bool:
    """Same slot or contact attribute: does the earlier test pass whenever the later does?"""
    before, after = earlier.operator, later.operator
    if before == "present" and earlier.expected is True:
        return after in _POSITIVE and _all_filled(later.expected)
    if before in {"in", "equals"} and after in {"in", "equals"}:
        allowed = {_text(value) for value in _values(earlier.expected)}
        return {_text(value) for value in _values(later.expected)} <= allowed
    if before in _ABOVE and after in _ABOVE:
        return _threshold_covers(earlier, later, lambda low, high: low <= high)
    if before in _BELOW and after in _BELOW:
        return _threshold_covers(earlier, later, lambda low, high: low >= high)
    return False


def _threshold_covers(earlier: Condition, later: Condition, wider: Any) -> bool:
    """``at_least 10`` covers ``at_least 20`` and ``greater_than 10``; not the reverse."""
    first, second = _as_float(earlier.expected), _as_float(later.expected)
    if first is None or second is None:
        return False
    strict_earlier = earlier.operator in {"greater_than", "less_than"}
    strict_later = later.operator in {"greater_than", "less_than"}
    if first == second:
        return not strict_earlier or strict_later
    return bool(wider(first, second))


def _values(expected: Any) -> list[Any]:
    return list(expected) if isinstance(expected, list | tuple) else [expected]


def _all_filled(expected: Any) -> bool:
    """Every value to compare with is non-empty (so an empty answer can never pass)."""
    return all(str(value).strip() for value in _values(expected))


def _as_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(str(value).replace(",", "").replace("$", "").strip())
    except ValueError:
        return None


def _text(value: Any) -> str:
    number = _as_float(value)
    return repr(number) if number is not None else str(value).strip().casefold()
