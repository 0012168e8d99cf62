"""What a loaded flow is: its slots (questions), their checks, and what happens at the end."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from concierge.conditions import Condition
from concierge.flows.errors import UnknownFlowError

SlotType = Literal["choice", "text", "email", "phone", "money", "number", "date", "yes_no"]
SLOT_TYPES: tuple[SlotType, ...] = (
    "choice", "text", "email", "phone", "money", "number", "date", "yes_no",
)  # fmt: skip
NUMERIC_TYPES: tuple[SlotType, ...] = ("money", "number")
DEFAULT_ENTITIES: dict[str, str] = {
    "email": "email",
    "phone": "phone",
    "money": "money",
    "number": "quantity",
    "date": "date",
}

Answer = str | int | float | bool
"""A normalised answer: text, a choice's value, a number, an ISO date string, or yes/no."""


@dataclass(frozen=True)
class Choice:
    """One option of a choice slot; ``value`` is what is stored, ``label`` what is shown."""

    value: str
    label: str
    synonyms: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every way a customer may pick this option."""
        return (self.value, self.label, *self.synonyms)


@dataclass(frozen=True)
class SlotSpec:
    """One question of a flow, with how its answer is found and checked."""

    name: str
    type: SlotType
    question: str
    why: str
    entity: str | None = None
    choices: tuple[Choice, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    required: bool = True
    when: Condition | None = None
    hint: str | None = None
    label: str | None = None
    line: int | None = None

    @property
    def title(self) -> str:
        """Short words for this answer in summaries ("Order number")."""
        return self.label or self.name.replace("_", " ").capitalize()

    @property
    def free_text(self) -> bool:
        """True when any words are an answer (so side questions need care)."""
        return self.type == "text"


AnswerSource = Literal["stock"]
ANSWER_SLOTS: dict[AnswerSource, tuple[str, ...]] = {"stock": ("product", "branch", "quantity")}
"""The slots each answer reads, by name; the first one is required in the flow."""


@dataclass(frozen=True)
class OnComplete:
    """What happens when the flow is done: a reply, a hand-off or an answer, tags.

    ``answer`` names the playbook data the bot answers from instead of handing off
    (``stock``: the catalogue, with the ``product``, ``branch`` and ``quantity`` slots).
    """

    reply: str | None = None
    handoff: bool = False
    tags: tuple[str, ...] = ()
    answer: AnswerSource | None = None

    def reads(self) -> tuple[str, ...]:
        """The slots the answer reads (none without an ``answer``)."""
        return ANSWER_SLOTS[self.answer] if self.answer else ()


@dataclass(frozen=True)
class FlowSpec:
    """A qualification flow: its questions in order, confirmation, and what ends it."""

    name: str
    description: str
    slots: tuple[SlotSpec, ...]
    on_complete: OnComplete = OnComplete()
    confirm: bool = False
    line: int | None = None

    def slot(self, name: str | None) -> SlotSpec | None:
        """The slot called ``name``, or None."""
        return next((slot for slot in self.slots if slot.name == name), None)


@dataclass(frozen=True)
class FlowCatalog:
    """Every flow of a playbook, in file order."""

    flows: tuple[FlowSpec, ...]
    path: Path | None = None

    def get(self, name: str) -> FlowSpec | None:
        """The flow called ``name``, or None."""
        return next((flow for flow in self.flows if flow.name == name), None)

    def require(self, name: str) -> FlowSpec:
        """The flow called ``name``; raises UnknownFlowError when there is none."""
        flow = self.get(name)
        if flow is None:
            raise UnknownFlowError(name, self.names())
        return flow

    def names(self) -> tuple[str, ...]:
        """Every flow name, in file order."""
        return tuple(flow.name for flow in self.flows)
