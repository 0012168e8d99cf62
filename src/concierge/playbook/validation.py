"""Check every file of a playbook without training anything: each loader's schema and
semantic checks, then the checks that span files (:mod:`concierge.playbook.lint`). Every
finding names file and line and is an error or a warning."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from concierge.flows import FlowError, load_flows
from concierge.nlu.entity_spec import load_entities
from concierge.nlu.errors import NluError
from concierge.nlu.intents import load_intents
from concierge.playbook.bot_settings import PlaybookError, load_playbook
from concierge.playbook.catalogue_source import load_catalogue
from concierge.playbook.findings import Finding, error, from_problem, ordered, summary
from concierge.playbook.lint import lint_playbook
from concierge.playbook.parts import (
    ENTITIES,
    FLOWS,
    INTENTS,
    PLAYBOOK,
    ROUTING,
    SCORING,
    PlaybookParts,
)
from concierge.routing import RoutingError, load_routing
from concierge.routing.meetings_loader import MEETINGS_FILE, load_meetings
from concierge.scoring import ScoringError, load_scoring
from concierge.yaml_source import FileProblem

Loaded = TypeVar("Loaded")
LOADER_ERRORS = (NluError, FlowError, ScoringError, RoutingError, PlaybookError, ValueError)
_LINE = re.compile(r"(\d+):\s*(.*)", re.DOTALL)


@dataclass
class Report:
    """What validation found: errors fail a CI, warnings only with ``--strict``."""

    directory: Path
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[str]:
        """Each error as ``file:line: message``, by file and line."""
        return [str(found) for found in ordered(self.findings) if found.is_error]

    @property
    def warnings(self) -> list[str]:
        """Each warning as ``file:line: message``, by file and line."""
        return [str(found) for found in ordered(self.findings) if not found.is_error]

    @property
    def ok(self) -> bool:
        """True when there are no errors."""
        return not any(found.is_error for found in self.findings)

    def summary(self) -> str:
        """``N errors, M warnings``."""
        return summary(self.findings)


def _from_message(path: Path, text: str) -> Finding:
    """A loader message without structure (``path:line: message`` or any text) as an error."""
    prefix = f"{path}:"
    rest = text[len(prefix) :].strip() if text.startswith(prefix) else text
    located = _LINE.fullmatch(rest)
    if located:
        return error(path, int(located.group(1)), located.group(2))
    return error(path, None, rest)


def _problems(path: Path, exc: Exception) -> list[Finding]:
    problems = getattr(exc, "problems", None)
    if isinstance(problems, list) and all(isinstance(p, FileProblem) for p in problems):
        return [from_problem(problem) for problem in problems]
    return [_from_message(path, line) for line in str(exc).splitlines() if line.strip()]


def _attempt(report: Report, path: Path, load: Callable[[], Loaded]) -> Loaded | None:
    try:
        return load()
    except LOADER_ERRORS as exc:
        report.findings.extend(_problems(path, exc))
        return None


def _load(report: Report, directory: Path) -> PlaybookParts:
    """Every file that loads; each one that does not adds its problems to ``report``."""
    parts = PlaybookParts(directory)
    parts.settings = _attempt(report, parts.path(PLAYBOOK), lambda: load_playbook(directory))
    parts.intents = _attempt(report, parts.path(INTENTS), lambda: load_intents(parts.path(INTENTS)))
    parts.entities = _attempt(
        report, parts.path(ENTITIES), lambda: load_entities(parts.path(ENTITIES))
    )
    parts.flows = _attempt(report, parts.path(FLOWS), lambda: load_flows(parts.path(FLOWS)))
    parts.scoring = _attempt(report, parts.path(SCORING), lambda: load_scoring(parts.path(SCORING)))
    parts.routing = _attempt(report, parts.path(ROUTING), lambda: load_routing(parts.path(ROUTING)))
    meetings = parts.path(MEETINGS_FILE)  # optional; teams and hosts checked against routing
    _attempt(report, meetings, lambda: load_meetings(meetings, parts.routing))
    catalogue = (parts.settings, parts.entities, parts.flows)  # the stock file, when declared
    _attempt(report, parts.path(PLAYBOOK), lambda: load_catalogue(*catalogue))
    return parts


def validate_playbook(directory: Path) -> Report:
    """Load and check every playbook file in ``directory``."""
    report = Report(directory)
    if not directory.is_dir():
        report.findings.append(error(directory, None, "not a directory"))
        return report
    parts = _load(report, directory)
    if parts.scoring is not None:
        report.findings += [from_problem(item, "warning") for item in parts.scoring.warnings]
    report.findings += lint_playbook(parts)
    report.counts = _counts(parts)
    return report


def _counts(parts: PlaybookParts) -> dict[str, int]:
    intents, flows, scoring, routing = parts.intents, parts.flows, parts.scoring, parts.routing
    return {
        "intents": len(intents.intents) if intents else 0,
        "examples": len(intents.training_pairs()) if intents else 0,
        "flows": len(flows.flows) if flows else 0,
        "scoring rules": len(scoring.rules) if scoring else 0,
        "routing rules": len(routing.rules) if routing else 0,
        "teams": len(routing.teams) if routing else 0,
    }
