"""Where a customer is in a flow: plain data that round-trips through JSON.

The state is stored with the conversation and in Canvas Kit ``stored_data``, so it holds names
and answers only (never the flow definition). Its JSON shape (``version`` 1)::

    {"version": 1, "flow": "commercial_quote", "intent": "quote_request",
     "status": "asking", "pending": "quantity",
     "answers": {"segment": "commercial", "product": "LED high-bay"},
     "skipped": ["budget"], "attempts": {"quantity": 1}, "reason": null}

``status`` is ``asking`` (``pending`` names the question), ``confirming``, ``choosing`` (which
answer to change), ``completed``, ``cancelled`` or ``handed_off`` (``reason`` is ``asked`` or
``stuck``). ``attempts`` counts invalid answers by slot (``_confirm`` and ``_change`` for the
confirmation), ``skipped`` lists optional questions the customer passed on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast, get_args

from concierge.flows.errors import FlowStateError
from concierge.flows.spec import Answer

Status = Literal["asking", "confirming", "choosing", "completed", "cancelled", "handed_off"]
HandoffReason = Literal["asked", "stuck"]
STATE_VERSION = 1
FINISHED: frozenset[str] = frozenset({"completed", "cancelled", "handed_off"})


@dataclass(frozen=True)
class FlowState:
    """One customer's progress through one flow. Treat the mappings as read-only."""

    flow: str
    status: Status = "asking"
    pending: str | None = None
    answers: Mapping[str, Answer] = field(default_factory=dict)
    skipped: tuple[str, ...] = ()
    attempts: Mapping[str, int] = field(default_factory=dict)
    intent: str | None = None
    reason: HandoffReason | None = None

    @property
    def finished(self) -> bool:
        """True once the flow completed, was cancelled or was handed off."""
        return self.status in FINISHED

    def evolve(self, **changes: Any) -> FlowState:
        """A copy with ``changes`` applied."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The state as JSON-ready data (for Canvas Kit ``stored_data``)."""
        return {
            "version": STATE_VERSION,
            "flow": self.flow,
            "intent": self.intent,
            "status": self.status,
            "pending": self.pending,
            "answers": dict(self.answers),
            "skipped": list(self.skipped),
            "attempts": dict(self.attempts),
            "reason": self.reason,
        }

    def to_json(self) -> str:
        """The state as compact JSON text (for the database)."""
        return json.dumps(self.to_dict(), separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_dict(cls, data: Any) -> FlowState:
        """Read a state written by :meth:`to_dict`; raises FlowStateError on anything else."""
        if not isinstance(data, Mapping) or data.get("version") != STATE_VERSION:
            raise FlowStateError(f"not a version {STATE_VERSION} flow state")
        return cls(
            flow=_text(data, "flow"),
            status=_choice(data, "status", get_args(Status)),
            pending=_optional_text(data, "pending"),
            answers=_answers(data.get("answers", {})),
            skipped=_names(data.get("skipped", [])),
            attempts=_attempts(data.get("attempts", {})),
            intent=_optional_text(data, "intent"),
            reason=_optional_reason(data),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> FlowState:
        """Read a state written by :meth:`to_json`; raises FlowStateError on anything else."""
        try:
            data = json.loads(text)
        except (ValueError, TypeError) as exc:
            raise FlowStateError(f"flow state is not JSON: {exc}") from None
        return cls.from_dict(data)


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise FlowStateError(f"flow state needs {key!r} as text")
    return value


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    return None if data.get(key) is None else _text(data, key)


def _choice(data: Mapping[str, Any], key: str, allowed: tuple[str, ...]) -> Any:
    value = data.get(key)
    if value not in allowed:
        raise FlowStateError(f"flow state {key!r} must be one of {', '.join(allowed)}")
    return value


def _optional_reason(data: Mapping[str, Any]) -> HandoffReason | None:
    if data.get("reason") is None:
        return None
    return cast(HandoffReason, _choice(data, "reason", get_args(HandoffReason)))


def _is_answer(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str | int | bool)


def _answers(value: Any) -> dict[str, Answer]:
    if not isinstance(value, Mapping) or not all(
        isinstance(key, str) and _is_answer(item) for key, item in value.items()
    ):
        raise FlowStateError("flow state 'answers' must map names to text, numbers or yes/no")
    return dict(value)


def _names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise FlowStateError("flow state 'skipped' must be a list of names")
    return tuple(value)


def _attempts(value: Any) -> dict[str, int]:
    valid = isinstance(value, Mapping) and all(
        isinstance(key, str) and isinstance(count, int) and not isinstance(count, bool)
        for key, count in value.items()
    )
    if not valid:
        raise FlowStateError("flow state 'attempts' must map names to counts")
    return dict(value)
