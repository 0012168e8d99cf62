"""Placeholders in template strings: ``{{ contact.name | there }}``.

A placeholder is a dotted path looked up in a plain context mapping (list items by number,
e.g. ``{{ items.0 }}``), optionally followed by ``|`` and a default used when the value is
missing, ``None`` or empty. There is no code execution: no filters, calls or attribute access
on objects, only mapping keys and list indexes.

Values are shown as text: numbers as written, booleans as ``yes``/``no``, lists joined with
commas, datetimes as ``2024-05-01 14:30 UTC``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from concierge.canvas.errors import CanvasError

OPEN, CLOSE = "{{", "}}"
PATH = re.compile(r"[A-Za-z_][\w-]*(\.[\w-]+)*")


class PlaceholderError(CanvasError):
    """A string whose placeholders are not well formed."""


@dataclass(frozen=True)
class Placeholder:
    """One ``{{ path | default }}`` occurrence."""

    start: int
    end: int
    path: tuple[str, ...]
    default: str | None


def _parse_one(text: str, start: int) -> Placeholder:
    end = text.find(CLOSE, start + len(OPEN))
    if end < 0:
        raise PlaceholderError(f"'{{{{' without a closing '}}}}' in {text!r}")
    inner = text[start + len(OPEN) : end]
    if OPEN in inner:
        raise PlaceholderError(f"a placeholder cannot contain '{{{{' in {text!r}")
    path, bar, default = inner.partition("|")
    path = path.strip()
    if not PATH.fullmatch(path):
        raise PlaceholderError(
            f"{{{{{inner}}}}} needs a dotted name like contact.name (optionally '| default'); "
            f"in {text!r}"
        )
    return Placeholder(
        start, end + len(CLOSE), tuple(path.split(".")), default.strip() if bar else None
    )


def find_placeholders(text: str) -> list[Placeholder]:
    """Every placeholder in ``text``; raises PlaceholderError on bad syntax."""
    found: list[Placeholder] = []
    position = 0
    while (start := text.find(OPEN, position)) >= 0:
        if CLOSE in text[position:start]:
            raise PlaceholderError(f"'}}}}' without an opening '{{{{' in {text!r}")
        found.append(_parse_one(text, start))
        position = found[-1].end
    if CLOSE in text[position:]:
        raise PlaceholderError(f"'}}}}' without an opening '{{{{' in {text!r}")
    return found


def look_up(context: Mapping[str, Any], path: Sequence[str]) -> Any:
    """The value at a dotted path in nested mappings/lists, or None when any step is missing."""
    value: Any = context
    for key in path:
        if isinstance(value, Mapping):
            value = value.get(key)
        elif isinstance(value, Sequence) and not isinstance(value, str) and key.isdigit():
            index = int(key)
            value = value[index] if index < len(value) else None
        else:
            return None
    return value


def display(value: Any) -> str:
    """A context value as text for a canvas ('' when there is nothing to show)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo else value
        return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if value.tzinfo else "")
    if isinstance(value, list | tuple):
        return ", ".join(shown for shown in (display(item) for item in value) if shown)
    return str(value)


def fill(text: str, context: Mapping[str, Any], *, missing: str = "") -> str:
    """``text`` with every placeholder replaced by its value, else its default, else ``missing``."""
    pieces: list[str] = []
    position = 0
    for placeholder in find_placeholders(text):
        shown = display(look_up(context, placeholder.path))
        fallback = placeholder.default if placeholder.default is not None else missing
        pieces.append(text[position : placeholder.start])
        pieces.append(shown or fallback)
        position = placeholder.end
    pieces.append(text[position:])
    return "".join(pieces)


def fill_all(value: Any, context: Mapping[str, Any], *, missing: str = "") -> Any:
    """A copy of a JSON-like value with placeholders filled in every string (keys untouched)."""
    if isinstance(value, str):
        return fill(value, context, missing=missing)
    if isinstance(value, Mapping):
        return {key: fill_all(item, context, missing=missing) for key, item in value.items()}
    if isinstance(value, list):
        return [fill_all(item, context, missing=missing) for item in value]
    return value


def strings_in(
    value: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in a JSON-like value with its path, for checking placeholder syntax."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings_in(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_in(item, (*path, index))
