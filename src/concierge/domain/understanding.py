"""What the NLU layer understood from one customer message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class IntentScore:
    """One intent with the classifier's confidence in it (0..1)."""

    intent: str
    confidence: float


@dataclass(frozen=True)
class Prediction:
    """The classifier's answer for one message.

    ``intent`` is None when the classifier abstains (confidence below the threshold, or the
    top two too close to call); ``ranking`` always holds the best candidates, best first,
    so the bot can ask "did you mean A or B?".
    """

    intent: str | None
    confidence: float
    ranking: tuple[IntentScore, ...] = ()
    abstain_reason: str | None = None

    @property
    def abstained(self) -> bool:
        """True when the classifier would rather not guess."""
        return self.intent is None


@dataclass(frozen=True)
class Entity:
    """A value found in a message.

    ``type`` is e.g. ``email``, ``phone``, ``money``, ``quantity``, ``postal_code``, ``date``,
    or a playbook lookup name such as ``product`` or ``branch``. ``value`` is normalised
    (money and quantities as numbers, dates as ISO ``YYYY-MM-DD`` strings, lookups as their
    canonical name); ``text`` is what the customer wrote; ``start``/``end`` are character
    offsets into the message.
    """

    type: str
    value: Any
    text: str
    start: int
    end: int
    attributes: dict[str, Any] = field(default_factory=dict)
