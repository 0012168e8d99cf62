"""A canvas lookup for tests: fixed values out, and a record of the answers it was given."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class RecordingLookup:
    """A lookup that answers with fixed values and remembers what it was asked."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values
        self.asked: list[dict[str, Any]] = []

    def __call__(self, answers: Mapping[str, Any]) -> Mapping[str, Any]:
        self.asked.append(dict(answers))
        return self.values
