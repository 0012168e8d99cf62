"""The JSON Schema for scoring files, and its complaints turned into file:line problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from concierge.schema_check import schema_findings, validator_for
from concierge.scoring.errors import ScoringProblem
from concierge.yaml_source import YamlDocument

SCHEMA_FILE = "scoring.schema.json"


def schema_problems(doc: YamlDocument, path: Path, data: Any = None) -> list[ScoringProblem]:
    """Every place ``doc`` (or ``data``, a cleaned copy of it) breaks the schema."""
    validator = validator_for("concierge.scoring", SCHEMA_FILE)
    return [
        ScoringProblem(path, line, message)
        for line, message in schema_findings(validator, doc, data)
    ]
