"""The exception raised for a broken entities file, with every problem's file and line."""

from __future__ import annotations

from concierge.nlu.errors import NluError
from concierge.yaml_source import FileProblem

EntityProblem = FileProblem
"""One thing wrong with the file, pointing at the line to fix."""


class EntityFileError(NluError, ValueError):
    """The entities file is invalid; ``problems`` lists every problem with file and line."""

    def __init__(self, problems: list[EntityProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
