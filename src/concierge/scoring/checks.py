"""Semantic checks on a scoring file that a schema cannot express.

Errors: duplicate rule names, ``per_event`` on a rule that is not an engagement rule about
events, labels out of order (they must go from the highest threshold to the lowest), labels
no total can reach, and a last label that does not catch every possible total.
Warnings: a rule whose condition is identical to an earlier rule's in the same dimension
(both always fire together, so the lead is counted twice for one fact).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from concierge.domain.decisions import Dimension
from concierge.scoring.model import DIMENSIONS, Label
from concierge.scoring.rules import ScoringRule

Located = tuple[int | None, str]
LineOf = Callable[[tuple[str | int, ...]], int | None]


def rule_problems(rules: Sequence[ScoringRule], line_of: LineOf) -> list[Located]:
    """Duplicate names and misplaced ``per_event`` flags."""
    found: list[Located] = []
    seen: dict[str, int] = {}
    for index, rule in enumerate(rules):
        if rule.name in seen:
            earlier = line_of(("rules", seen[rule.name], "name"))
            message = f"rule name {rule.name!r} is already used (line {earlier})"
            found.append((line_of(("rules", index, "name")), message))
        seen.setdefault(rule.name, index)
        if rule.per_event and (rule.dimension != "engagement" or not rule.reads_events):
            message = f"rule {rule.name!r}: per_event needs an engagement rule about an event"
            found.append((line_of(("rules", index, "per_event")), message))
    return found


def repeated_condition_warnings(rules: Sequence[ScoringRule], line_of: LineOf) -> list[Located]:
    """Rules with the same condition as an earlier rule of the same dimension."""
    found: list[Located] = []
    for index, rule in enumerate(rules):
        for earlier in rules[:index]:
            if earlier.dimension == rule.dimension and earlier.condition == rule.condition:
                message = (
                    f"rule {rule.name!r} has the same condition as {earlier.name!r}: both always "
                    "fire together and count the same fact twice; merge them"
                )
                found.append((line_of(("rules", index, "when")), message))
                break
    return found


def score_range(rules: Sequence[ScoringRule], caps: dict[Dimension, float]) -> tuple[float, float]:
    """The lowest and highest total these rules can produce under these caps."""
    low = high = 0.0
    for dimension in DIMENSIONS:
        bounds = [rule.bounds() for rule in rules if rule.dimension == dimension]
        low += max(-caps[dimension], sum(bound[0] for bound in bounds))
        high += min(caps[dimension], sum(bound[1] for bound in bounds))
    return low, high


def _order_problem(label: Label, before: Label) -> str | None:
    if before.at_least is None:
        return (
            f"label {label.label!r} comes after {before.label!r}, which already catches every score"
        )
    if label.at_least is None or label.at_least < before.at_least:
        return None
    if label.at_least == before.at_least:
        return f"label {label.label!r} can never be given: {before.label!r} has the same threshold"
    return (
        f"labels go from the highest threshold to the lowest: {label.label!r} "
        f"({label.at_least:g}) comes after {before.label!r} ({before.at_least:g})"
    )


def label_problems(
    labels: Sequence[Label], span: tuple[float, float], line_of: LineOf
) -> list[Located]:
    """Order, duplicates, unreachable thresholds and the catch-all at the end."""
    found: list[Located] = []
    low, high = span
    for index, label in enumerate(labels):
        where = line_of(("labels", index))
        if any(other.label == label.label for other in labels[:index]):
            found.append((where, f"label {label.label!r} is listed twice"))
        problem = _order_problem(label, labels[index - 1]) if index else None
        if problem:
            found.append((where, problem))
        elif label.at_least is not None and label.at_least > high:
            message = f"label {label.label!r} needs {label.at_least:g}; the most is {high:g}"
            found.append((where, message))
    last = labels[-1]
    if last.at_least is not None and last.at_least > low:
        message = (
            f"the last label {last.label!r} must catch every score: the total can be as low as "
            f"{low:g}, so use at_least: {low:g} or lower, or leave at_least out"
        )
        found.append((line_of(("labels", len(labels) - 1)), message))
    return found
