"""The canvas package's exceptions: one root, one for designer-edited template files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class CanvasError(Exception):
    """A canvas (or a part of one) breaks a Canvas Kit rule; the message says which and why."""


class UnknownTemplateError(CanvasError):
    """A template name that the loaded library does not have."""


@dataclass(frozen=True)
class TemplateProblem:
    """One thing wrong with a template file, pointing at the line to fix."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.message}"


class CanvasTemplateError(CanvasError):
    """One or more template files are invalid; ``problems`` lists each with file and line."""

    def __init__(self, problems: list[TemplateProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
