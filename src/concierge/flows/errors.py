"""The flows package's exceptions: one root, and one per way a flow can go wrong."""

from __future__ import annotations

from concierge.yaml_source import FileProblem


class FlowError(Exception):
    """Something about qualification flows (the file, a flow name, a stored state) is wrong."""


FlowProblem = FileProblem
"""One thing wrong with the file, pointing at the line to fix."""


class FlowFileError(FlowError):
    """The flows file is invalid; ``problems`` lists every problem with file and line."""

    def __init__(self, problems: list[FlowProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class UnknownFlowError(FlowError):
    """A flow name that the loaded catalogue does not have."""

    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        self.name = name
        super().__init__(f"no flow called {name!r} (known flows: {', '.join(known) or 'none'})")


class FlowStateError(FlowError):
    """A stored flow state cannot be read back (not JSON, or not the shape we write)."""
