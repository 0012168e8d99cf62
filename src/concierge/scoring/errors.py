"""The scoring package's exceptions: one root, and one for a broken scoring file."""

from __future__ import annotations

from concierge.yaml_source import FileProblem


class ScoringError(Exception):
    """Root of everything the scoring package raises."""


ScoringProblem = FileProblem
"""One thing wrong with the file, pointing at the line to fix."""


class ScoringFileError(ScoringError):
    """A scoring file is invalid; ``problems`` lists each with file and line."""

    def __init__(self, problems: list[ScoringProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
