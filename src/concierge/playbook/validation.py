"""Check every file of a playbook without training anything: each loader's schema and
semantic checks, then the checks that span files. Every finding names file and line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from concierge.flows import FlowCatalog, FlowError, load_flows
from concierge.nlu.entities import load_entities
from concierge.nlu.errors import NluError
from concierge.nlu.intents import IntentCatalog, load_intents
from concierge.playbook.bot_settings import PlaybookError, load_playbook
from concierge.playbook.brain import cross_file_problems
from concierge.routing import RoutingError, RoutingTable, load_routing
from concierge.scoring import ScoringError, ScoringModel, load_scoring

Loaded = TypeVar("Loaded")
LOADER_ERRORS = (NluError, FlowError, ScoringError, RoutingError, PlaybookError, ValueError)


@dataclass
class Report:
    """What validation found: errors fail a CI, warnings only with ``--strict``."""

    directory: Path
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when there are no errors."""
        return not self.errors


def _attempt(report: Report, load: Callable[[], Loaded]) -> Loaded | None:
    try:
        return load()
    except LOADER_ERRORS as exc:
        report.errors.extend(line for line in str(exc).splitlines() if line.strip())
        return None


def validate_playbook(directory: Path) -> Report:
    """Load and check every playbook file in ``directory``."""
    report = Report(directory)
    if not directory.is_dir():
        report.errors.append(f"{directory}: not a directory")
        return report
    _attempt(report, lambda: load_playbook(directory))
    intents = _attempt(report, lambda: load_intents(directory / "intents.yaml"))
    _attempt(report, lambda: load_entities(directory / "entities.yaml"))
    flows = _attempt(report, lambda: load_flows(directory / "flows.yaml"))
    scoring = _attempt(report, lambda: load_scoring(directory / "scoring.yaml"))
    routing = _attempt(report, lambda: load_routing(directory / "routing.yaml"))
    _cross_check(report, intents, flows, routing)
    _count(report, intents, flows, scoring, routing)
    return report


def _cross_check(
    report: Report,
    intents: IntentCatalog | None,
    flows: FlowCatalog | None,
    routing: RoutingTable | None,
) -> None:
    if intents is not None and flows is not None and routing is not None:
        report.errors.extend(cross_file_problems(report.directory, intents, flows, routing))


def _count(
    report: Report,
    intents: IntentCatalog | None,
    flows: FlowCatalog | None,
    scoring: ScoringModel | None,
    routing: RoutingTable | None,
) -> None:
    if scoring is not None:
        report.warnings.extend(str(warning) for warning in scoring.warnings)
    report.counts = {
        "intents": len(intents.intents) if intents else 0,
        "examples": len(intents.training_pairs()) if intents else 0,
        "flows": len(flows.flows) if flows else 0,
        "scoring rules": len(scoring.rules) if scoring else 0,
        "routing rules": len(routing.rules) if routing else 0,
        "teams": len(routing.teams) if routing else 0,
    }
