"""Validate JSON bodies against Intercom's published OpenAPI descriptions in ../shared.

The spec files stay outside the package: tests read them from ``shared/intercom/openapi``
beside the project checkout (``CONCIERGE_SHARED_DIR`` overrides the location).
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

ROOT = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    """Where the shared folder sits (beside the checkout unless overridden)."""
    return Path(os.environ.get("CONCIERGE_SHARED_DIR", ROOT.parent / "shared"))


@cache
def load_spec(version: str = "2.14") -> dict[str, Any]:
    """The parsed OpenAPI document for an Intercom API version."""
    path = shared_dir() / "intercom" / "openapi" / f"api.intercom.io.{version}.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        spec: dict[str, Any] = yaml.load(handle, Loader=loader)  # noqa: S506 - safe loader
    return spec


def _template_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$")


def find_operation(method: str, path: str, version: str = "2.14") -> dict[str, Any]:
    """The operation object whose path template matches a concrete path."""
    paths: dict[str, Any] = load_spec(version)["paths"]
    for template, item in paths.items():
        if _template_regex(template).match(path) and method.lower() in item:
            operation: dict[str, Any] = item[method.lower()]
            return operation
    raise KeyError(f"{method} {path} is not in the {version} description")


def _validator(schema: dict[str, Any], version: str) -> OAS30Validator:
    resource = Resource.from_contents(load_spec(version), default_specification=DRAFT4)
    registry: Registry[Any] = Registry().with_resource("urn:intercom", resource)
    return OAS30Validator(schema, registry=registry)


def _rebase(schema: dict[str, Any]) -> dict[str, Any]:
    text = yaml.safe_dump(schema)
    return yaml.safe_load(text.replace("'#/components", "'urn:intercom#/components"))


def schema_errors(instance: Any, schema: dict[str, Any], version: str = "2.14") -> list[str]:
    """Validation messages for an instance against a schema taken from the spec."""
    validator = _validator(_rebase(schema), version)
    return [f"{list(err.path)}: {err.message}" for err in validator.iter_errors(instance)]


def request_schema(method: str, path: str, version: str = "2.14") -> dict[str, Any]:
    """The JSON request body schema of an operation."""
    operation = find_operation(method, path, version)
    body: dict[str, Any] = operation["requestBody"]["content"]["application/json"]["schema"]
    return body


def response_schema(method: str, path: str, status: int, version: str = "2.14") -> dict[str, Any]:
    """The JSON response schema of an operation for one status code."""
    operation = find_operation(method, path, version)
    content = operation["responses"][str(status)]["content"]["application/json"]
    schema: dict[str, Any] = content["schema"]
    return schema


def component_schema(name: str, version: str = "2.14") -> dict[str, Any]:
    """A named schema under components/schemas, as a $ref the validator can resolve."""
    if name not in load_spec(version)["components"]["schemas"]:
        raise KeyError(f"no component schema {name!r} in {version}")
    return {"$ref": f"#/components/schemas/{name}"}
