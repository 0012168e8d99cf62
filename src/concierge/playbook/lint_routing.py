"""Routing and scoring rules that can never take effect, judged with the bot's hand-off rules.

The routing loader already rejects duplicate rule names, unknown teams and a rule after one
with no condition, the same condition, or a condition that is part of its ``all``. Here:

- a rule whose condition an earlier rule covers in any other way (``{intent: [a, b]}`` before
  ``{intent: a}``, ``{slot: x, at_least: 10}`` before ``{slot: x, at_least: 50}``, an ``any``
  whose every branch is covered): an error, it can never match;
- a rule that needs a "talk to a person" intent: routing never sees that intent, because
  asking for a person hands off with the intent the conversation had before (an error when
  the rule needs nothing else, a warning when it is one option among others; scoring
  rules get the same warning);
- a rule that needs intents which hand off straight to another team (``handoff:`` without a
  flow): the intent's team wins, so the rule only applies when an agent re-routes such a
  conversation to the rule's team (a warning).

A rule naming an intent that only replies is reachable: when that customer later asks for a
person, or the bot gives up understanding, routing sees the earlier intent.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from concierge.flows import FlowSettings
from concierge.playbook.condition_logic import covers, named_intents, required_intents
from concierge.playbook.findings import Finding, error, warning
from concierge.playbook.parts import ROUTING, SCORING, PlaybookParts
from concierge.routing import RoutingRule

PERSON_INTENTS = FlowSettings().handoff_intents
"""Intents that mean "a person, please"; the bot hands off with the earlier intent instead
(``concierge.bot.dialogue.HUMAN_INTENTS`` and the flow engine agree on these)."""


def routing_findings(parts: PlaybookParts) -> list[Finding]:
    """Every routing (and scoring) rule that cannot take effect as written."""
    if parts.routing is None:
        return []
    rules = parts.routing.rules
    return [
        *_covered_rules(parts, rules),
        *_person_intent_rules(parts, rules),
        *_overridden_by_handoff(parts, rules),
        *_person_intent_scoring(parts),
    ]


def _rule_line(parts: PlaybookParts, index: int, key: str = "name") -> int | None:
    return parts.line(ROUTING, ("rules", index, key))


def _covered_rules(parts: PlaybookParts, rules: Sequence[RoutingRule]) -> Iterator[Finding]:
    for index, rule in enumerate(rules):
        earlier = next(
            (before for before in range(index) if covers(rules[before].condition, rule.condition)),
            None,
        )
        if earlier is not None:
            shadow = rules[earlier]
            message = (
                f"rule '{rule.name}' can never match: rule '{shadow.name}' (line "
                f"{_rule_line(parts, earlier)}) matches whenever it does and comes first; "
                "put the narrower rule above it"
            )
            yield error(parts.path(ROUTING), _rule_line(parts, index), message)


def _person_intent_rules(parts: PlaybookParts, rules: Sequence[RoutingRule]) -> Iterator[Finding]:
    why = (
        "asking for a person hands off with the intent the conversation had before, so "
        "routing never sees"
    )
    for index, rule in enumerate(rules):
        named = sorted(named_intents(rule.condition) & PERSON_INTENTS)
        if not named:
            continue
        needed = required_intents(rule.condition)
        names = ", ".join(f"'{name}'" for name in named)
        line = _rule_line(parts, index, "when")
        if needed is not None and needed <= PERSON_INTENTS:
            message = f"rule '{rule.name}' can never match: {why} {names}"
            yield error(parts.path(ROUTING), line, message)
        else:
            message = f"rule '{rule.name}': its test for intent {names} never holds: {why} {names}"
            yield warning(parts.path(ROUTING), line, message)


def _direct_teams(parts: PlaybookParts) -> dict[str, str]:
    """Intent → team for intents that hand off straight away (a flow would run instead)."""
    if parts.intents is None:
        return {}
    return {i.name: i.handoff for i in parts.intents.intents if i.handoff and not i.flow}


def _overridden_by_handoff(parts: PlaybookParts, rules: Sequence[RoutingRule]) -> Iterator[Finding]:
    teams = _direct_teams(parts)
    for index, rule in enumerate(rules):
        needed = required_intents(rule.condition)
        if not needed or not needed <= set(teams):
            continue
        elsewhere = sorted(name for name in needed if teams[name] != rule.team)
        if len(elsewhere) == len(needed):
            handed = ", ".join(f"'{name}' to '{teams[name]}'" for name in elsewhere)
            message = (
                f"rule '{rule.name}' sends to team '{rule.team}', but its intents hand off "
                f"straight to their own team ({handed}), which wins: the rule only applies "
                f"when an agent re-routes such a conversation to '{rule.team}'"
            )
            yield warning(parts.path(ROUTING), _rule_line(parts, index, "team"), message)


def _person_intent_scoring(parts: PlaybookParts) -> Iterator[Finding]:
    if parts.scoring is None:
        return
    for index, rule in enumerate(parts.scoring.rules):
        named = sorted(named_intents(rule.condition) & PERSON_INTENTS)
        if named:
            names = ", ".join(f"'{name}'" for name in named)
            message = (
                f"rule '{rule.name}': scoring never sees intent {names}: asking for a person "
                "hands off with the intent the conversation had before"
            )
            line = parts.line(SCORING, ("rules", index, "when"))
            yield warning(parts.path(SCORING), line, message)
