"""Names one playbook file uses for things another file defines: each must exist.

Intents name flows (``flow``), teams (``handoff``) and entity types (``entities``); flow slots
name entity types (``entity``); scoring rules, routing rules and flow conditions name
intents; ``playbook.yaml`` names flows for Messenger buttons (``messenger_flows``). Routing
rules and the default name teams too; the routing loader checks those itself.
Every problem here is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from concierge.conditions import Condition
from concierge.nlu.entity_schema import BUILT_IN_TYPES
from concierge.playbook.condition_logic import named_intents
from concierge.playbook.findings import Finding, error
from concierge.playbook.parts import FLOWS, INTENTS, PLAYBOOK, ROUTING, SCORING, PlaybookParts


def _known(names: Iterable[str]) -> str:
    return ", ".join(sorted(names)) or "none"


def core_references(parts: PlaybookParts) -> list[Finding]:
    """The references the bot cannot start without: intents' flows and teams, and the
    intents routing rules name."""
    return [*_intent_flows_and_teams(parts), *_routing_intents(parts)]


def references(parts: PlaybookParts) -> list[Finding]:
    """Every reference to a flow, team, intent or entity type that is not defined."""
    return [
        *core_references(parts),
        *_intent_entities(parts),
        *_slot_entities(parts),
        *_scoring_intents(parts),
        *_flow_condition_intents(parts),
        *_messenger_flows(parts),
    ]


def _intent_flows_and_teams(parts: PlaybookParts) -> Iterator[Finding]:
    intents, path = parts.intents, parts.path(INTENTS)
    if intents is None:
        return
    for index, intent in enumerate(intents.intents):
        if intent.flow and parts.flows is not None and parts.flows.get(intent.flow) is None:
            line = parts.line(INTENTS, ("intents", index, "flow"))
            message = (
                f"intent '{intent.name}' starts unknown flow '{intent.flow}' "
                f"(flows: {_known(parts.flows.names())})"
            )
            yield error(path, line, message)
        teams = parts.routing.teams if parts.routing is not None else None
        if intent.handoff and teams is not None and intent.handoff not in teams:
            line = parts.line(INTENTS, ("intents", index, "handoff"))
            message = (
                f"intent '{intent.name}' hands off to unknown team '{intent.handoff}' "
                f"(teams: {_known(teams)})"
            )
            yield error(path, line, message)


def _unknown_intents(
    parts: PlaybookParts, file: str, rules: Iterable[tuple[str, Condition | None]], base: str
) -> Iterator[Finding]:
    """``rules`` are (name, condition) in file order, under the top-level list ``base``."""
    if parts.intents is None:
        return
    known = set(parts.intents.names())
    for index, (name, condition) in enumerate(rules):
        for intent in sorted(named_intents(condition) - known):
            line = parts.line(file, (base, index, "when"))
            yield error(parts.path(file), line, f"rule '{name}' names unknown intent '{intent}'")


def _routing_intents(parts: PlaybookParts) -> Iterator[Finding]:
    if parts.routing is not None:
        rules = ((rule.name, rule.condition) for rule in parts.routing.rules)
        yield from _unknown_intents(parts, ROUTING, rules, "rules")


def _scoring_intents(parts: PlaybookParts) -> Iterator[Finding]:
    if parts.scoring is not None:
        rules = ((rule.name, rule.condition) for rule in parts.scoring.rules)
        yield from _unknown_intents(parts, SCORING, rules, "rules")


def _flow_condition_intents(parts: PlaybookParts) -> Iterator[Finding]:
    if parts.flows is None or parts.intents is None:
        return
    known = set(parts.intents.names())
    for flow in parts.flows.flows:
        for index, slot in enumerate(flow.slots):
            for intent in sorted(named_intents(slot.when) - known):
                line = parts.line(FLOWS, ("flows", flow.name, "slots", index, "when"))
                message = (
                    f"flow '{flow.name}', slot '{slot.name}': `when` names unknown intent "
                    f"'{intent}'"
                )
                yield error(parts.path(FLOWS), line, message)


def _entity_types(parts: PlaybookParts) -> set[str] | None:
    if parts.entities is None:
        return None
    return {*BUILT_IN_TYPES, *parts.entities.types}


def _intent_entities(parts: PlaybookParts) -> Iterator[Finding]:
    types = _entity_types(parts)
    if parts.intents is None or types is None:
        return
    for index, intent in enumerate(parts.intents.intents):
        for position, name in enumerate(intent.entities):
            if name not in types:
                line = parts.line(INTENTS, ("intents", index, "entities", position))
                message = (
                    f"intent '{intent.name}' names unknown entity type '{name}' "
                    f"(entity types: {_known(types)})"
                )
                yield error(parts.path(INTENTS), line, message)


def _slot_entities(parts: PlaybookParts) -> Iterator[Finding]:
    types = _entity_types(parts)
    if parts.flows is None or types is None:
        return
    for flow in parts.flows.flows:
        for index, slot in enumerate(flow.slots):
            if slot.entity and slot.entity not in types:
                line = parts.line(FLOWS, ("flows", flow.name, "slots", index, "entity"))
                message = (
                    f"flow '{flow.name}', slot '{slot.name}': unknown entity type "
                    f"'{slot.entity}', so answers are never picked out of messages "
                    f"(entity types: {_known(types)})"
                )
                yield error(parts.path(FLOWS), line, message)


def _messenger_flows(parts: PlaybookParts) -> Iterator[Finding]:
    if parts.settings is None or parts.flows is None:
        return
    path: Path = parts.path(PLAYBOOK)
    for button, flow in parts.settings.messenger_flows.items():
        if parts.flows.get(flow) is None:
            line = parts.line(PLAYBOOK, ("messenger_flows", button))
            message = (
                f"messenger_flows: button '{button}' starts unknown flow '{flow}' "
                f"(flows: {_known(parts.flows.names())})"
            )
            yield error(path, line, message)
