"""Check our wire JSON against the Canvas Kit schemas in Intercom's 2.11 OpenAPI description.

The 2.11 description is wrong in two places, so :func:`in_spec_dialect` rewrites our output
into what that schema expects before validating (and only there):

- checkbox options: the schema names the array ``option``; Intercom's own Inbox tutorial sends
  ``options``, which is what we emit (REFERENCE §1.5).
- list items with an image: ``list_component.items`` is ``oneOf: [list_item_with_image,
  list_item_without_image]``, and "without image" does not forbid an image, so every item with
  an image matches both branches and fails ``oneOf``. We validate such items against
  ``list_item_with_image`` on their own.
"""

from __future__ import annotations

import copy
from typing import Any

from tests.support.openapi import component_schema, schema_errors

VERSION = "2.11"


def _checkbox_as_spec(component: dict[str, Any]) -> dict[str, Any]:
    if component.get("type") == "checkbox" and "options" in component:
        component["option"] = component.pop("options")
    return component


def _imaged_items(component: dict[str, Any]) -> list[dict[str, Any]]:
    if component.get("type") != "list":
        return []
    imaged = [item for item in component["items"] if "image" in item]
    component["items"] = [item for item in component["items"] if "image" not in item]
    return imaged


def in_spec_dialect(canvas: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the canvas as 2.11 wants it, list items with images to validate separately)."""
    adapted = copy.deepcopy(canvas)
    imaged: list[dict[str, Any]] = []
    components = adapted.get("content", {}).get("components", [])
    for component in components:
        _checkbox_as_spec(component)
        imaged.extend(_imaged_items(component))
    adapted["content"]["components"] = [
        c for c in components if c.get("type") != "list" or c["items"]
    ]
    return adapted, imaged


def canvas_spec_errors(canvas: dict[str, Any]) -> list[str]:
    """Schema errors of a wire canvas against ``canvas_object`` (spec bugs adapted away)."""
    adapted, imaged = in_spec_dialect(canvas)
    errors = schema_errors(adapted, component_schema("canvas_object", VERSION), VERSION)
    item_schema = component_schema("list_item_with_image", VERSION)
    for item in imaged:
        errors.extend(schema_errors(item, item_schema, VERSION))
    return errors


def spec_errors(instance: Any, name: str) -> list[str]:
    """Schema errors of any instance against a named 2.11 schema, without adaptation."""
    return schema_errors(instance, component_schema(name, VERSION), VERSION)
