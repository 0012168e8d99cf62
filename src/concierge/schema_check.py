"""JSON Schema checks of designer files, with each complaint placed on its file line."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

# types-jsonschema is not among the lint extras; the ignore stays harmless if it is added.
from jsonschema import Draft202012Validator  # type: ignore[import-untyped, unused-ignore]
from jsonschema.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    ValidationError as SchemaError,
)
from jsonschema.exceptions import best_match  # type: ignore[import-untyped, unused-ignore]

from concierge.yaml_source import YamlDocument


@cache
def validator_for(package: str, filename: str) -> Draft202012Validator:
    """A validator for the schema ``filename`` shipped inside ``package`` (loaded once)."""
    text = resources.files(package).joinpath(filename).read_text("utf-8")
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


def schema_findings(
    validator: Draft202012Validator, doc: YamlDocument, data: Any = None
) -> list[tuple[int | None, str]]:
    """``(line, message)`` for every place ``doc`` (or a cleaned copy, ``data``) breaks it."""
    checked = doc.data if data is None else data
    errors = sorted(validator.iter_errors(checked), key=lambda e: [str(s) for s in e.absolute_path])
    return [(doc.line_of(_where(error)), _message(error)) for error in errors]
