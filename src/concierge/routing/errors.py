"""The routing package's exceptions: one root, and one for a broken routing file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class RoutingError(Exception):
    """Root of everything the routing package raises."""


@dataclass(frozen=True)
class RoutingProblem:
    """One thing wrong in a routing file, pointing at the line to fix."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.message}"


class RoutingFileError(RoutingError):
    """A routing file is invalid; ``problems`` lists each with file and line."""

    def __init__(self, problems: list[RoutingProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
