"""Checks of a loaded playbook beyond what each file's loader checks on its own.

Errors: references to flows, teams, intents or entity types that do not exist
(:mod:`references`), and routing rules that can never match (:mod:`lint_routing`).
Warnings:

- examples of different intents that are nearly the same text (the classifier gets mixed
  signals; at most :data:`MAX_LISTED` pairs are listed, then a "... and N more" line);
- intents with fewer than :data:`RECOMMENDED_EXAMPLES` different examples (the loader already
  rejects fewer than 2);
- intents that neither reply, start a flow nor hand off (the bot would only say its
  greeting again), except ``out_of_scope``; intents with both a flow and a hand-off (the flow
  starts and the hand-off team is never used);
- flows that no intent starts and no Messenger button names;
- slots nobody reads and slots no flow asks (:mod:`lint_slots`), rules that are shadowed in
  softer ways (:mod:`lint_routing`).
"""

from __future__ import annotations

from collections.abc import Iterator

from concierge.nlu.intents import IntentCatalog
from concierge.nlu.near_duplicates import NearDuplicate, near_duplicates
from concierge.nlu.text import normalise_text
from concierge.playbook.findings import Finding, warning
from concierge.playbook.lint_routing import routing_findings
from concierge.playbook.lint_slots import slot_findings
from concierge.playbook.parts import FLOWS, INTENTS, PlaybookParts
from concierge.playbook.references import references

RECOMMENDED_EXAMPLES = 10
"""Below this many different examples an intent is recognised unreliably. The shipped
playbooks have 22 or more per intent; 10 warns only where a designer has clearly not yet
written enough, without nagging intents that are merely short of the 15-30 ideal."""
MAX_LISTED = 50


def lint_playbook(parts: PlaybookParts) -> list[Finding]:
    """Every cross-file error and every warning about ``parts`` (in no particular order)."""
    return [
        *references(parts),
        *routing_findings(parts),
        *slot_findings(parts),
        *near_duplicate_examples(parts),
        *thin_intents(parts),
        *idle_intents(parts),
        *unused_flows(parts),
    ]


def _example_line(parts: PlaybookParts, intent: int, example: int) -> int | None:
    return parts.line(INTENTS, ("intents", intent, "examples", example))


def _located_examples(catalog: IntentCatalog) -> list[tuple[int, int, str, str]]:
    """(intent index, example index, text, intent name) for every example."""
    return [
        (index, position, text, intent.name)
        for index, intent in enumerate(catalog.intents)
        for position, text in enumerate(intent.examples)
    ]


def near_duplicate_examples(parts: PlaybookParts) -> list[Finding]:
    """Examples of different intents that read nearly the same, most similar first."""
    if parts.intents is None:
        return []
    examples = _located_examples(parts.intents)
    pairs = near_duplicates([e[2] for e in examples], [e[3] for e in examples])
    found = [_near_duplicate(parts, examples, pair) for pair in pairs[:MAX_LISTED]]
    if len(pairs) > MAX_LISTED:
        message = (
            f"... and {len(pairs) - MAX_LISTED} more pairs of nearly identical examples under "
            f"different intents (the {MAX_LISTED} most similar are listed)"
        )
        found.append(warning(parts.path(INTENTS), None, message))
    return found


def _near_duplicate(
    parts: PlaybookParts, examples: list[tuple[int, int, str, str]], pair: NearDuplicate
) -> Finding:
    first, second = examples[pair.first], examples[pair.second]
    how = (
        "the same words apart from punctuation and little words"
        if pair.same_words
        else f"{pair.similarity:.0%} similar"
    )
    message = (
        f"intent '{second[3]}': example {second[2]!r} is nearly the same as {first[2]!r} of "
        f"intent '{first[3]}' (line {_example_line(parts, first[0], first[1])}; {how}); "
        "reword one or keep it under one intent"
    )
    return warning(parts.path(INTENTS), _example_line(parts, second[0], second[1]), message)


def thin_intents(parts: PlaybookParts) -> Iterator[Finding]:
    """Intents with fewer different examples than recommended."""
    for index, intent in enumerate(parts.intents.intents if parts.intents else ()):
        distinct = len({normalise_text(example) for example in intent.examples})
        if distinct < RECOMMENDED_EXAMPLES:
            message = (
                f"intent '{intent.name}' has {distinct} different examples; add at least "
                f"{RECOMMENDED_EXAMPLES - distinct} more (15-30 varied examples work best: "
                "short and long, typos, the words customers really use)"
            )
            yield warning(
                parts.path(INTENTS), parts.line(INTENTS, ("intents", index, "examples")), message
            )


def idle_intents(parts: PlaybookParts) -> Iterator[Finding]:
    """Intents the bot can do nothing useful with, and hand-offs a flow makes unused."""
    for index, intent in enumerate(parts.intents.intents if parts.intents else ()):
        line = parts.line(INTENTS, ("intents", index, "name"))
        if not (intent.reply or intent.flow or intent.handoff or intent.out_of_scope):
            message = (
                f"intent '{intent.name}' has no reply, flow or handoff: when it is recognised "
                "the bot only repeats its greeting"
            )
            yield warning(parts.path(INTENTS), line, message)
        if intent.flow and intent.handoff:
            message = (
                f"intent '{intent.name}' has both a flow and a handoff: the flow starts and "
                f"handoff '{intent.handoff}' is never used (at the end of the flow, routing "
                "picks the team); remove one"
            )
            yield warning(
                parts.path(INTENTS), parts.line(INTENTS, ("intents", index, "handoff")), message
            )


def unused_flows(parts: PlaybookParts) -> Iterator[Finding]:
    """Flows no intent starts and no Messenger button names."""
    if parts.flows is None or parts.intents is None or parts.settings is None:
        return
    started = {intent.flow for intent in parts.intents.intents if intent.flow}
    started.update(parts.settings.messenger_flows.values())
    for flow in parts.flows.flows:
        if flow.name not in started:
            message = (
                f"flow '{flow.name}' is never started: no intent has `flow: {flow.name}` and "
                "no messenger_flows button in playbook.yaml names it"
            )
            yield warning(parts.path(FLOWS), flow.line, message)
