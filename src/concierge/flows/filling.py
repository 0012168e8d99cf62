"""Turning a message's entities into answers, and the words left for the pending question.

Every entity fills the first unanswered slot that takes its type (the pending question
first), so one message can answer several questions ("300 LED high-bays for Portland,
email a@b.com"). The rest of the text, with other entities blanked out, is what the pending
question's fallback reader sees.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from concierge.domain.understanding import Entity
from concierge.flows.spec import DEFAULT_ENTITIES, Answer, FlowSpec, SlotSpec
from concierge.flows.values import Accepted, check_value

# Entity types whose text the pending question's fallback reader may still use.
NUMERIC_ENTITIES = frozenset({"quantity", "money"})


@dataclass(frozen=True)
class Fill:
    """What a message's entities answered; ``problem`` says why the pending one was invalid."""

    found: dict[str, Answer] = field(default_factory=dict)
    used: tuple[Entity, ...] = ()
    problem: str | None = None


def entity_type(slot: SlotSpec) -> str | None:
    """The entity type that answers ``slot`` (its ``entity``, or the default for its type)."""
    return slot.entity or DEFAULT_ENTITIES.get(slot.type)


def _target(
    flow: FlowSpec, kind: str, taken: Collection[str], pending: SlotSpec | None
) -> SlotSpec | None:
    candidates = [s for s in flow.slots if entity_type(s) == kind and s.name not in taken]
    if pending is not None and pending in candidates:
        return pending
    return candidates[0] if candidates else None


def take_entities(
    flow: FlowSpec,
    answers: Mapping[str, Answer],
    entities: Sequence[Entity],
    pending: SlotSpec | None,
) -> Fill:
    """Fill unanswered slots from ``entities`` (pending slot first, then flow order)."""
    found: dict[str, Answer] = {}
    used: list[Entity] = []
    problem: str | None = None
    for entity in entities:
        slot = _target(flow, entity.type, {*answers, *found}, pending)
        if slot is None:
            continue
        verdict = check_value(slot, entity.value)
        if isinstance(verdict, Accepted):
            found[slot.name] = verdict.value
            used.append(entity)
        elif slot is pending and problem is None:
            problem = verdict.reason
    return Fill(found, tuple(used), problem)


def corrections(
    flow: FlowSpec, answers: Mapping[str, Answer], entities: Sequence[Entity]
) -> dict[str, Answer]:
    """New values for answered slots ("no, make it 400"), leaving out unchanged ones."""
    fill = take_entities(flow, {}, entities, None)
    return {name: value for name, value in fill.found.items() if answers.get(name) != value}


def residual(text: str, entities: Sequence[Entity], used: Sequence[Entity], slot: SlotSpec) -> str:
    """``text`` with blanks where entities stand that the pending slot's reader must not see.

    Kept: numbers and amounts (a number slot may read a quantity), and the slot's own type.
    """
    keep = NUMERIC_ENTITIES | {entity_type(slot) or ""}
    used_ids = {id(entity) for entity in used}
    chars = list(text)
    for entity in entities:
        if id(entity) in used_ids or entity.type not in keep:
            start, end = max(0, entity.start), min(len(chars), entity.end)
            chars[start:end] = " " * max(0, end - start)
    return "".join(chars)
