"""What a flow wants done next, and the customer turn that led to it.

:meth:`~concierge.flows.engine.FlowEngine.advance` answers a :class:`Turn` with one
:class:`Step`; every step carries the new ``state`` to store. ``kind`` names the variant
(handy for logs); ``text`` is plain words the bot may say (empty when the caller decides).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from concierge.domain.understanding import Entity
from concierge.flows import phrases
from concierge.flows.spec import Answer, OnComplete, SlotType
from concierge.flows.state import FlowState, HandoffReason


def _sentence(text: str) -> str:
    """``text`` ending like a sentence, so a question can follow it."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", ":")) else f"{text}."


@dataclass(frozen=True)
class Turn:
    """One customer message as the flow sees it.

    ``entities`` are what the extractor found in ``text``; ``intent`` and ``confidence`` are
    the classifier's verdict (``intent`` None when it abstained); ``contact`` holds contact
    attributes for ``when`` conditions that look at the contact. Free-text answers are
    stored as written, so pass text with card and social security numbers already masked.
    """

    text: str
    entities: tuple[Entity, ...] = ()
    intent: str | None = None
    confidence: float = 0.0
    contact: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Option:
    """One button or list option: ``value`` is sent back, ``label`` is shown."""

    value: str
    label: str


@dataclass(frozen=True, kw_only=True)
class SlotStep:
    """A step about one question (the pending slot)."""

    state: FlowState
    slot: str
    question: str
    slot_type: SlotType
    choices: tuple[Option, ...] = ()
    optional: bool = False
    kind: ClassVar[str] = "slot"


@dataclass(frozen=True, kw_only=True)
class Ask(SlotStep):
    """Ask the question."""

    kind: ClassVar[str] = "ask"

    @property
    def text(self) -> str:
        """What to say."""
        return self.question


@dataclass(frozen=True, kw_only=True)
class Reask(SlotStep):
    """The answer was not valid: say ``hint`` and ask again (``attempt`` counts from 1)."""

    hint: str
    attempt: int = 1
    kind: ClassVar[str] = "reask"

    @property
    def text(self) -> str:
        """What to say."""
        return f"{_sentence(self.hint)} {self.question}"


@dataclass(frozen=True, kw_only=True)
class Explain(SlotStep):
    """The customer asked why: say ``why``, then ask again."""

    why: str
    kind: ClassVar[str] = "explain"

    @property
    def text(self) -> str:
        """What to say."""
        return f"{_sentence(self.why)} {self.question}"


@dataclass(frozen=True, kw_only=True)
class Confirm:
    """Show the answers (``lines`` of label and value) and ask whether to pass them on."""

    state: FlowState
    summary: str
    lines: tuple[tuple[str, str], ...]
    question: str = phrases.CONFIRM_QUESTION
    hint: str | None = None
    kind: ClassVar[str] = "confirm"

    @property
    def text(self) -> str:
        """What to say."""
        return "\n".join(part for part in (self.hint, self.summary, self.question) if part)


@dataclass(frozen=True, kw_only=True)
class ChooseChange:
    """The customer wants to change something: ask which answer (``choices`` are slots)."""

    state: FlowState
    question: str
    choices: tuple[Option, ...]
    hint: str | None = None
    kind: ClassVar[str] = "choose_change"

    @property
    def text(self) -> str:
        """What to say."""
        return " ".join(part for part in (self.hint, self.question) if part)


@dataclass(frozen=True, kw_only=True)
class Complete:
    """Every answer is in: ``answers`` (flow order) and what to do (``reply`` is filled in)."""

    state: FlowState
    answers: Mapping[str, Answer]
    on_complete: OnComplete
    reply: str
    kind: ClassVar[str] = "complete"

    @property
    def text(self) -> str:
        """What to say."""
        return self.reply


@dataclass(frozen=True, kw_only=True)
class Cancelled:
    """The customer stopped the flow."""

    state: FlowState
    kind: ClassVar[str] = "cancelled"

    @property
    def text(self) -> str:
        """What to say."""
        return phrases.CANCELLED_REPLY


@dataclass(frozen=True, kw_only=True)
class HandoffRequested:
    """Hand over to a person: the customer ``asked``, or the bot is ``stuck`` on ``slot``."""

    state: FlowState
    reason: HandoffReason
    slot: str | None = None
    kind: ClassVar[str] = "handoff_requested"

    @property
    def text(self) -> str:
        """Empty: routing decides what the customer is told."""
        return ""


@dataclass(frozen=True, kw_only=True)
class SideQuestion:
    """A different, confident intent: answer it, then call ``resume`` to re-ask."""

    state: FlowState
    intent: str
    confidence: float
    kind: ClassVar[str] = "side_question"

    @property
    def text(self) -> str:
        """Empty: the caller answers the side question."""
        return ""


Step = (
    Ask | Reask | Explain | Confirm | ChooseChange | Complete | Cancelled | HandoffRequested
    | SideQuestion
)  # fmt: skip
