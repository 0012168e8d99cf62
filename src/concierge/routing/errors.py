"""The routing package's exceptions: one root, and one for a broken routing file."""

from __future__ import annotations

from concierge.yaml_source import FileProblem


class RoutingError(Exception):
    """Root of everything the routing package raises."""


RoutingProblem = FileProblem
"""One thing wrong with the file, pointing at the line to fix."""


class RoutingFileError(RoutingError):
    """A routing file is invalid; ``problems`` lists each with file and line."""

    def __init__(self, problems: list[RoutingProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
