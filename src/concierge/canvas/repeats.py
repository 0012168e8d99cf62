"""Components (and data-table rows) shown once per value: ``repeat: lookup.branches``.

A component or a data-table row may carry ``repeat`` with a dotted path into the render
context. The value there decides how often it is shown: a list once per item, any other value
that is not empty once, and a missing, empty or false value not at all (so ``repeat`` also
shows a component only when something is there). Inside, ``{{ item }}`` is the current value::

    - type: data-table
      items:
        - type: field-value
          repeat: lookup.branches
          field: "{{ item.branch }}"
          value: "{{ item.stock }}"

A data-table left without rows is left out (Canvas Kit rejects an empty table). A repeated
component with an ``id`` must make it unique with a placeholder. For checking a template,
:func:`fill_screen` with ``sample=True`` shows each repeated part once with an empty item.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from concierge.canvas.placeholders import fill, look_up

REPEAT = "repeat"
ITEM = "item"


def occurrences(value: Any) -> list[Any]:
    """The items a ``repeat`` path's value stands for (see the module docstring)."""
    if isinstance(value, list | tuple):
        return list(value)
    return [value] if value not in (None, False, "", {}) else []


def _expanded(
    items: list[Any], context: Mapping[str, Any], missing: str, sample: bool
) -> Iterator[Any]:
    for item in items:
        if not (isinstance(item, Mapping) and REPEAT in item):
            yield _filled(item, context, missing, sample)
            continue
        body = {key: value for key, value in item.items() if key != REPEAT}
        values = [{}] if sample else occurrences(look_up(context, str(item[REPEAT]).split(".")))
        for value in values:
            yield _filled(body, {**context, ITEM: value}, missing, sample)


def _empty_table(value: Any) -> bool:
    return (
        isinstance(value, Mapping) and value.get("type") == "data-table" and not value.get("items")
    )


def _filled(value: Any, context: Mapping[str, Any], missing: str, sample: bool) -> Any:
    if isinstance(value, str):
        return fill(value, context, missing=missing)
    if isinstance(value, Mapping):
        return {key: _filled(item, context, missing, sample) for key, item in value.items()}
    if isinstance(value, list):
        expanded = _expanded(value, context, missing, sample)
        return [item for item in expanded if not _empty_table(item)]
    return value


def fill_screen(
    components: list[Any], context: Mapping[str, Any], *, missing: str = "", sample: bool = False
) -> list[Any]:
    """``components`` with repeats expanded and every placeholder filled from ``context``."""
    filled: list[Any] = _filled(components, context, missing, sample)
    return filled
