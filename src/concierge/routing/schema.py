"""The JSON Schema for routing files, and its complaints turned into file:line problems."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

# types-jsonschema is not among the lint extras; the ignore stays harmless if it is added.
from jsonschema import Draft202012Validator  # type: ignore[import-untyped, unused-ignore]
from jsonschema.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    ValidationError as SchemaError,
)
from jsonschema.exceptions import best_match  # type: ignore[import-untyped, unused-ignore]

from concierge.routing.errors import RoutingProblem
from concierge.yaml_source import YamlDocument

SCHEMA_FILE = "routing.schema.json"


def load_schema() -> Draft202012Validator:
    """A validator for routing files, from ``routing.schema.json`` shipped in this package."""
    text = resources.files("concierge.routing").joinpath(SCHEMA_FILE).read_text("utf-8")
    return Draft202012Validator(json.loads(text))


def _where(error: SchemaError) -> tuple[str | int, ...]:
    """Where the error is; for an unexpected key, the key itself (so the line is exact)."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        extra = [key for key in error.instance if key not in allowed]
        return (*path, extra[0]) if extra else path
    return path


def _message(error: SchemaError) -> str:
    if error.context:
        error = best_match(error.context)
    where = ".".join(str(step) for step in error.absolute_path)
    return f"{where}: {error.message}" if where else error.message


def plain(data: Any) -> Any:
    """``data`` with YAML dates and timestamps turned back into the ISO text they were."""
    if isinstance(data, dict):
        return {key: plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain(item) for item in data]
    return data.isoformat() if isinstance(data, date) else data


def schema_problems(doc: YamlDocument, path: Path, data: Any = None) -> list[RoutingProblem]:
    """Every place ``doc`` (or ``data``, a cleaned copy of it) breaks the schema."""
    checked = doc.data if data is None else data
    errors = sorted(
        load_schema().iter_errors(checked), key=lambda e: [str(s) for s in e.absolute_path]
    )
    return [RoutingProblem(path, doc.line_of(_where(error)), _message(error)) for error in errors]
