"""The JSON Schema for flows files, and its complaints turned into file:line problems."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

# types-jsonschema is not among the lint extras; the ignore stays harmless if it is added.
from jsonschema import Draft202012Validator  # type: ignore[import-untyped, unused-ignore]
from jsonschema.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    ValidationError as SchemaError,
)
from jsonschema.exceptions import best_match  # type: ignore[import-untyped, unused-ignore]

from concierge.flows.errors import FlowProblem
from concierge.yaml_source import JsonPath, YamlDocument

SCHEMA_FILE = "flows.schema.json"


def load_schema() -> Draft202012Validator:
    """A validator for flows files, from ``flows.schema.json`` shipped in this package."""
    text = resources.files("concierge.flows").joinpath(SCHEMA_FILE).read_text("utf-8")
    return Draft202012Validator(json.loads(text))


def describe_path(path: JsonPath) -> str:
    """``path`` in words: ``flow 'order_status': slots[1].type``."""
    if len(path) >= 2 and path[0] == "flows":
        rest = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in path[2:]).lstrip(".")
        return f"flow {path[1]!r}: {rest}" if rest else f"flow {path[1]!r}"
    return ".".join(str(step) for step in path)


def _where(error: SchemaError) -> JsonPath:
    """Where the error is; for an unexpected key, the key itself (so the line is exact)."""
    path = tuple(error.absolute_path)
    if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
        return (*path, error.instance)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        extra = [key for key in error.instance if key not in allowed]
        return (*path, extra[0]) if extra else path
    return path


def _what(error: SchemaError) -> str:
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        extra = ", ".join(repr(key) for key in error.instance if key not in allowed)
        return f"unknown field {extra} (known fields: {', '.join(allowed)})"
    scalar = isinstance(error.instance, bool | int | float)
    if error.validator == "type" and scalar and "string" in str(error.validator_value):
        kind = type(error.instance).__name__
        return f"{error.instance!r} is read as a YAML {kind}; quote it"
    if error.validator == "pattern" and error.validator_value == "\\S":
        return "must not be blank"
    if error.validator == "pattern":
        return f"{error.instance!r} must be snake_case (lowercase letters, digits and _)"
    return str(error.message)


def _problem(error: SchemaError, doc: YamlDocument, path: Path) -> FlowProblem:
    if error.context:
        error = best_match(error.context)
    where = _where(error)
    named = "propertyNames" in error.absolute_schema_path
    text = describe_path(where if named else tuple(error.absolute_path))
    message = f"{text}: {_what(error)}" if text else _what(error)
    return FlowProblem(path, doc.line_of(where), message)


def schema_problems(doc: YamlDocument, path: Path) -> list[FlowProblem]:
    """Every place ``doc`` breaks the flows schema, in file order."""
    errors: list[Any] = list(load_schema().iter_errors(doc.data))
    problems = [_problem(error, doc, path) for error in errors]
    return sorted(problems, key=lambda problem: problem.line or 0)
