"""What validating a playbook finds: errors and warnings, each at a file and line.

Errors are things the bot cannot work with (or that certainly do nothing); warnings are
things that work but probably not as the designer meant. Findings are shown errors first,
then warnings, each group by file and then by line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from concierge.yaml_source import FileProblem

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")


@dataclass(frozen=True)
class Finding:
    """One error or warning, pointing at the line to fix (``line`` None: the whole file)."""

    severity: Severity
    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return str(FileProblem(self.path, self.line, self.message))

    @property
    def is_error(self) -> bool:
        """True for an error, False for a warning."""
        return self.severity == "error"


def error(path: Path, line: int | None, message: str) -> Finding:
    """An error at ``path:line``."""
    return Finding("error", path, line, message)


def warning(path: Path, line: int | None, message: str) -> Finding:
    """A warning at ``path:line``."""
    return Finding("warning", path, line, message)


def from_problem(problem: FileProblem, severity: Severity = "error") -> Finding:
    """A loader's ``file:line`` problem as a finding."""
    return Finding(severity, problem.path, problem.line, problem.message)


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings; within each, by file, then line (whole-file ones last)."""
    return sorted(
        findings,
        key=lambda found: (
            SEVERITIES.index(found.severity),
            str(found.path),
            found.line is None,
            found.line or 0,
        ),
    )


def grouped(findings: Iterable[Finding]) -> list[list[Finding]]:
    """The findings in :func:`ordered` order, one list per severity and file."""
    groups: list[list[Finding]] = []
    for found in ordered(findings):
        last = groups[-1][-1] if groups else None
        if last is not None and (last.severity, last.path) == (found.severity, found.path):
            groups[-1].append(found)
        else:
            groups.append([found])
    return groups


def plural(count: int, noun: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def summary(findings: Iterable[Finding]) -> str:
    """``N errors, M warnings``."""
    found = list(findings)
    errors = sum(found.is_error for found in found)
    return f"{plural(errors, 'error')}, {plural(len(found) - errors, 'warning')}"
