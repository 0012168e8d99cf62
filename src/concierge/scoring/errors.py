"""The scoring package's exceptions: one root, and one for a broken scoring file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ScoringError(Exception):
    """Root of everything the scoring package raises."""


@dataclass(frozen=True)
class ScoringProblem:
    """One thing wrong (or suspicious) in a scoring file, pointing at the line to look at."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.message}"


class ScoringFileError(ScoringError):
    """A scoring file is invalid; ``problems`` lists each with file and line."""

    def __init__(self, problems: list[ScoringProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
