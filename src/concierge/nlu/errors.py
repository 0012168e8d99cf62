"""The nlu package's exceptions: one root, one for designer-edited intent files."""

from __future__ import annotations

from concierge.yaml_source import FileProblem


class NluError(Exception):
    """Something in understanding (intent files, training, the saved model) went wrong."""


IntentProblem = FileProblem
"""One thing wrong with the file, pointing at the line to fix."""


class IntentFileError(NluError):
    """The intents file is invalid; ``problems`` lists every problem with file and line."""

    def __init__(self, problems: list[IntentProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class TrainingError(NluError):
    """The training data cannot make a classifier (e.g. fewer than two intents)."""


class ModelFileError(NluError):
    """A saved model is missing, unreadable, corrupt or holds types we do not trust."""
