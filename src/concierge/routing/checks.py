"""Semantic checks on routing rules that a schema cannot express.

Errors: duplicate rule names, a rule or the default naming a team that is not defined, and
unreachable rules. A rule is unreachable when an earlier rule matches whenever it does:
the earlier rule has no condition, has the identical condition, or its condition is a part
of the later rule's ``all`` (``{intent: loan_application}`` before
``{all: [{intent: loan_application}, {slot: loan_amount, greater_than: 100000}]}`` hides the
second rule: put the specific rule first).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from concierge.conditions import Condition
from concierge.routing.table import DEFAULT_RULE, RoutingRule

Located = tuple[int | None, str]
LineOf = Callable[[tuple[str | int, ...]], int | None]


def conjuncts(condition: Condition) -> list[Condition]:
    """The conditions that must all hold (a flattened ``all``; a single condition otherwise)."""
    if condition.kind != "all":
        return [condition]
    return [part for child in condition.children for part in conjuncts(child)]


def covers(earlier: Condition | None, later: Condition | None) -> bool:
    """True when ``earlier`` holds whenever ``later`` does (as far as can be seen by form)."""
    if earlier is None:
        return True
    if later is None:
        return False
    later_parts = conjuncts(later)
    return all(part in later_parts for part in conjuncts(earlier))


def _hidden_by(rule: RoutingRule, earlier: RoutingRule, line: int | None) -> str:
    if earlier.condition is None:
        why = f"rule {earlier.name!r} (line {line}) has no condition and matches everything"
    elif earlier.condition == rule.condition:
        why = f"rule {earlier.name!r} (line {line}) has the same condition"
    else:
        why = f"rule {earlier.name!r} (line {line}) matches whenever it does; put it first"
    return f"rule {rule.name!r} can never match: {why}"


def unreachable_rules(rules: Sequence[RoutingRule], line_of: LineOf) -> list[Located]:
    """Rules an earlier rule always catches first."""
    found: list[Located] = []
    for index, rule in enumerate(rules):
        for before, earlier in enumerate(rules[:index]):
            if covers(earlier.condition, rule.condition):
                message = _hidden_by(rule, earlier, line_of(("rules", before, "name")))
                found.append((line_of(("rules", index, "name")), message))
                break
    return found


def duplicate_names(rules: Sequence[RoutingRule], line_of: LineOf) -> list[Located]:
    """Rule names used twice (or the reserved name ``default``)."""
    found: list[Located] = []
    seen: dict[str, int] = {}
    for index, rule in enumerate(rules):
        where = line_of(("rules", index, "name"))
        if rule.name == DEFAULT_RULE:
            found.append((where, "'default' is reserved for the default; rename this rule"))
        elif rule.name in seen:
            earlier = line_of(("rules", seen[rule.name], "name"))
            found.append((where, f"rule name {rule.name!r} is already used (line {earlier})"))
        seen.setdefault(rule.name, index)
    return found


def unknown_teams(
    rules: Sequence[RoutingRule], default_team: str, teams: Collection[str], line_of: LineOf
) -> list[Located]:
    """Rules (and the default) naming a team that is not defined under ``teams``."""
    known = ", ".join(sorted(teams))
    found: list[Located] = []
    for index, rule in enumerate(rules):
        if rule.team not in teams:
            message = f"rule {rule.name!r} names team {rule.team!r}, which is not defined ({known})"
            found.append((line_of(("rules", index, "team")), message))
    if default_team not in teams:
        message = f"the default names team {default_team!r}, which is not defined ({known})"
        found.append((line_of(("default", "team")), message))
    return found
