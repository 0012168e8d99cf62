"""The JSON Schema for routing files, and its complaints turned into file:line problems."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from concierge.routing.errors import RoutingProblem
from concierge.schema_check import schema_findings, validator_for
from concierge.yaml_source import YamlDocument

SCHEMA_FILE = "routing.schema.json"


def plain(data: Any) -> Any:
    """``data`` with YAML dates and timestamps turned back into the ISO text they were."""
    if isinstance(data, dict):
        return {key: plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain(item) for item in data]
    return data.isoformat() if isinstance(data, date) else data


def schema_problems(doc: YamlDocument, path: Path, data: Any = None) -> list[RoutingProblem]:
    """Every place ``doc`` (or ``data``, a cleaned copy of it) breaks the schema."""
    validator = validator_for("concierge.routing", SCHEMA_FILE)
    return [
        RoutingProblem(path, line, message)
        for line, message in schema_findings(validator, doc, data)
    ]
