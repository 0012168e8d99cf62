"""The exception raised for a broken entities file, with every problem's file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from concierge.nlu.errors import NluError


@dataclass(frozen=True)
class EntityProblem:
    """One thing wrong with an entities file, pointing at the line to fix."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.message}"


class EntityFileError(NluError, ValueError):
    """The entities file is invalid; ``problems`` lists every problem with file and line."""

    def __init__(self, problems: list[EntityProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
