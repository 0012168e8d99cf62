"""Tunable limits of the flow engine (the phrases it listens for are in ``phrases``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FlowSettings:
    """How patient and how easily distracted the flow engine is.

    ``max_invalid``: invalid answers to one question before handing off as "stuck".
    ``detour_confidence``: the classifier confidence at which a different intent is treated
    as a side question (or, for ``handoff_intents``, as a request for a person).
    """

    max_invalid: int = 3
    detour_confidence: float = 0.7
    handoff_intents: frozenset[str] = frozenset({"talk_to_human"})
