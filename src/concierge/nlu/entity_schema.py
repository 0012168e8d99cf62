"""The JSON Schema for entities files, and its complaints turned into file:line problems."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

# types-jsonschema is not among the lint extras; the ignore stays harmless if it is added.
from jsonschema import Draft202012Validator  # type: ignore[import-untyped, unused-ignore]
from jsonschema.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    ValidationError as SchemaError,
)
from jsonschema.exceptions import best_match  # type: ignore[import-untyped, unused-ignore]

from concierge.nlu.entity_errors import EntityProblem
from concierge.yaml_source import JsonPath, YamlDocument

SCHEMA_FILE = "entities.schema.json"
BUILT_IN_TYPES = ("email", "phone", "money", "quantity", "postal_code", "date")


def load_schema() -> Draft202012Validator:
    """A validator for entities files, from ``entities.schema.json`` shipped in this package."""
    text = resources.files("concierge.nlu").joinpath(SCHEMA_FILE).read_text("utf-8")
    return Draft202012Validator(json.loads(text))


def _dotted(path: JsonPath) -> str:
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(
        "."
    )


def _where(error: SchemaError) -> JsonPath:
    """Where the error is; for an unexpected or misnamed key, the key (so the line is exact)."""
    path = tuple(error.absolute_path)
    if "propertyNames" in error.schema_path and isinstance(error.instance, str):
        return (*path, error.instance)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        extra = [key for key in error.instance if key not in allowed]
        return (*path, extra[0]) if extra else path
    return path


def _unknown_fields(error: SchemaError) -> str:
    allowed = list(error.schema.get("properties", {}))
    extra = ", ".join(repr(key) for key in error.instance if key not in allowed)
    return f"unknown field {extra} (known fields: {', '.join(allowed)})"


def _type_name_problem(name: object) -> str:
    if name in BUILT_IN_TYPES:
        return f"{name!r} is a built-in entity type; choose another name"
    return f"{name!r} must be snake_case (lowercase letters, digits and _)"


def _what(error: SchemaError) -> str:
    if not error.absolute_path and error.validator == "type":
        return "the file must be a mapping with 'lookups' and/or 'patterns'"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        return _unknown_fields(error)
    if error.validator == "type" and isinstance(error.instance, bool | int | float):
        kind = type(error.instance).__name__
        return f"{error.instance!r} is read as a YAML {kind}; quote it"
    if error.validator == "pattern" and error.validator_value == "\\S":
        return "must not be blank"
    if error.validator in ("pattern", "not"):
        return _type_name_problem(error.instance)
    if error.validator == "minItems":
        return "needs at least one value"
    return str(error.message)


def _message(error: SchemaError) -> str:
    if error.context:
        error = best_match(error.context)
    where = _dotted(tuple(error.absolute_path))
    return f"{where}: {_what(error)}" if where else _what(error)


def schema_problems(doc: YamlDocument, path: Path) -> list[EntityProblem]:
    """Every place ``doc`` breaks the entities schema, in file order."""
    found = [
        EntityProblem(path, doc.line_of(_where(error)), _message(error))
        for error in load_schema().iter_errors(doc.data)
    ]
    return sorted(found, key=lambda problem: problem.line or 0)
