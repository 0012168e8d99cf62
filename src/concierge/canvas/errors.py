"""The canvas package's exceptions: one root, one for designer-edited template files."""

from __future__ import annotations

from concierge.yaml_source import FileProblem


class CanvasError(Exception):
    """A canvas (or a part of one) breaks a Canvas Kit rule; the message says which and why."""


class UnknownTemplateError(CanvasError):
    """A template name that the loaded library does not have."""


TemplateProblem = FileProblem
"""One thing wrong with a template file, pointing at the line to fix."""


class CanvasTemplateError(CanvasError):
    """One or more template files are invalid; ``problems`` lists each with file and line."""

    def __init__(self, problems: list[TemplateProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
