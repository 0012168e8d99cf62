"""Flow slots nobody reads, and slots that conditions read but no flow asks (warnings).

An answer is read by:

- scoring and routing conditions (``{slot: name, ...}``) and flow ``when`` conditions;
- ``{name}`` in a flow's ``on_complete.reply``, and its ``on_complete.answer`` (``stock``
  reads ``product``, ``branch`` and ``quantity``);
- contact conditions on ``concierge_<name>``: a hand-off writes every answer to the contact
  under that attribute, so later conversations can test it;
- the hand-off itself: a flow ending in ``handoff: true`` puts every answer in the team's note.

So a slot is unused when nothing above reads it and its flow does not hand off. Routing rules
also see the lead score as slots (``score_label``, ``score_total``, ``score_fit``,
``score_engagement``); scoring rules do not (the score is being computed).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from concierge.conditions import Condition
from concierge.domain.decisions import Facts, Score
from concierge.flows.summary import PLACEHOLDER
from concierge.playbook.condition_logic import leaves
from concierge.playbook.findings import Finding, warning
from concierge.playbook.parts import FLOWS, ROUTING, SCORING, PlaybookParts
from concierge.routing import with_score

ANSWER_ATTRIBUTE = "concierge_"
"""The prefix of the contact attribute each answer is written to at hand-off
(``concierge.bot.dialogue``)."""
SCORE_SLOTS = frozenset(
    with_score(Facts(now=datetime.now(UTC)), Score(fit=0, engagement=0, total=0, label="")).slots
)


def slot_findings(parts: PlaybookParts) -> list[Finding]:
    """Unused slots and always-empty slots; skipped unless flows, scoring and routing loaded."""
    if parts.flows is None or parts.scoring is None or parts.routing is None:
        return []
    return [*_unused_slots(parts), *_empty_slots(parts)]


def _rule_conditions(parts: PlaybookParts) -> Iterator[tuple[str, int, str, Condition | None]]:
    """(file, index, rule name, condition) for every scoring and routing rule."""
    if parts.scoring is not None:
        for index, rule in enumerate(parts.scoring.rules):
            yield SCORING, index, rule.name, rule.condition
    if parts.routing is not None:
        for index, routed in enumerate(parts.routing.rules):
            yield ROUTING, index, routed.name, routed.condition


def _conditions(parts: PlaybookParts) -> Iterator[Condition | None]:
    for _file, _index, _name, condition in _rule_conditions(parts):
        yield condition
    for flow in parts.flows.flows if parts.flows else ():
        for slot in flow.slots:
            yield slot.when


def _read_slots(parts: PlaybookParts) -> set[str]:
    """Every slot name some condition, reply template or contact test reads."""
    read: set[str] = set()
    for condition in _conditions(parts):
        for leaf in leaves(condition):
            if leaf.kind == "slot":
                read.add(leaf.subject)
            elif leaf.kind == "contact" and leaf.subject.startswith(ANSWER_ATTRIBUTE):
                read.add(leaf.subject.removeprefix(ANSWER_ATTRIBUTE))
    for flow in parts.flows.flows if parts.flows else ():
        read.update(PLACEHOLDER.findall(flow.on_complete.reply or ""))
        read.update(flow.on_complete.reads())  # e.g. answer: stock reads product and branch
    return read


def _unused_slots(parts: PlaybookParts) -> Iterator[Finding]:
    read = _read_slots(parts)
    for flow in parts.flows.flows if parts.flows else ():
        if flow.on_complete.handoff:
            continue
        for slot in flow.slots:
            if slot.name not in read:
                message = (
                    f"flow '{flow.name}' asks '{slot.name}' but nothing uses the answer: no "
                    "scoring or routing rule, condition or reply reads it, and the flow does "
                    "not hand off (so no team sees it); use it or stop asking"
                )
                yield warning(parts.path(FLOWS), slot.line, message)


def _asked(parts: PlaybookParts) -> set[str]:
    return (
        {slot.name for flow in parts.flows.flows for slot in flow.slots} if parts.flows else set()
    )


def _empty_slots(parts: PlaybookParts) -> Iterator[Finding]:
    asked = _asked(parts)
    for file, index, name, condition in _rule_conditions(parts):
        built_in = SCORE_SLOTS if file == ROUTING else frozenset()
        read = {leaf.subject for leaf in leaves(condition) if leaf.kind == "slot"}
        for slot in sorted(read - asked - built_in):
            if slot in SCORE_SLOTS:
                why = "the score is only offered to routing rules, not to scoring rules"
            else:
                why = "no flow asks it"
            message = f"rule '{name}' reads slot '{slot}', which is always empty: {why}"
            yield warning(parts.path(file), parts.line(file, ("rules", index, "when")), message)
