"""The JSON Schema for intent files, and its complaints turned into file:line problems."""

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

from concierge.nlu.errors import IntentProblem
from concierge.yaml_source import JsonPath, YamlDocument

SCHEMA_FILE = "intents.schema.json"


def load_schema() -> Draft202012Validator:
    """A validator for intent files, from ``intents.schema.json`` shipped in this package."""
    text = resources.files("concierge.nlu").joinpath(SCHEMA_FILE).read_text("utf-8")
    return Draft202012Validator(json.loads(text))


def describe_path(path: JsonPath, data: Any) -> str:
    """``path`` in words, naming the intent when it has one: ``intent 'greeting': examples[2]``."""
    if len(path) >= 2 and path[0] == "intents" and isinstance(path[1], int):
        item = _item(data, path[1])
        name = item.get("name") if isinstance(item, dict) else None
        if isinstance(name, str):
            rest = _dotted(path[2:])
            return f"intent {name!r}: {rest}" if rest else f"intent {name!r}"
    return _dotted(path)


def _item(data: Any, index: int) -> Any:
    intents = data.get("intents") if isinstance(data, dict) else None
    return intents[index] if isinstance(intents, list) and index < len(intents) else None


def _dotted(path: JsonPath) -> str:
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(
        "."
    )


def _where(error: SchemaError) -> JsonPath:
    """Where the error is; for an unexpected key, the key itself (so the line is exact)."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        extra = [key for key in error.instance if key not in allowed]
        return (*path, extra[0]) if extra else path
    return path


def _unknown_fields(error: SchemaError) -> str:
    allowed = list(error.schema.get("properties", {}))
    extra = ", ".join(repr(key) for key in error.instance if key not in allowed)
    return f"unknown field {extra} (known fields: {', '.join(allowed)})"


def _what(error: SchemaError) -> str:
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        return _unknown_fields(error)
    quotable = isinstance(error.instance, bool | int | float)
    if error.validator == "type" and error.validator_value == "string" and quotable:
        return f"{error.instance!r} is read as a YAML {type(error.instance).__name__}; quote it"
    if error.validator == "minItems" and isinstance(error.instance, list):
        return f"has {len(error.instance)}, needs at least {error.validator_value}"
    if error.validator == "pattern" and error.validator_value == "\\S":
        return "must not be blank"
    if error.validator == "pattern":
        return f"{error.instance!r} must be snake_case (lowercase letters, digits and _)"
    return str(error.message)


def _message(error: SchemaError, data: Any) -> str:
    if error.context:
        error = best_match(error.context)
    where = describe_path(tuple(error.absolute_path), data)
    return f"{where}: {_what(error)}" if where else _what(error)


def schema_problems(doc: YamlDocument, path: Path) -> list[IntentProblem]:
    """Every place ``doc`` breaks the intents schema, in file order."""
    errors = load_schema().iter_errors(doc.data)
    found = [
        IntentProblem(path, doc.line_of(_where(error)), _message(error, doc.data))
        for error in errors
    ]
    return sorted(found, key=lambda problem: problem.line or 0)
