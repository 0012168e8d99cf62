"""The nlu package's exceptions: one root, one for designer-edited intent files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class NluError(Exception):
    """Something in understanding (intent files, training, the saved model) went wrong."""


@dataclass(frozen=True)
class IntentProblem:
    """One thing wrong with an intents file, pointing at the line to fix."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.message}"


class IntentFileError(NluError):
    """The intents file is invalid; ``problems`` lists every problem with file and line."""

    def __init__(self, problems: list[IntentProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class TrainingError(NluError):
    """The training data cannot make a classifier (e.g. fewer than two intents)."""


class ModelFileError(NluError):
    """A saved model is missing, unreadable, corrupt or holds types we do not trust."""
