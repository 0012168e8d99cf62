"""The base of every Canvas Kit model: strict when we build, exact Intercom JSON when we send.

Pydantic's own ``ValidationError`` never leaves this package: :func:`building` turns it into
a :class:`~concierge.canvas.errors.CanvasError` whose message names the component and the
rule it breaks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

from concierge.canvas.errors import CanvasError

MAX_BYTES = 64 * 1024
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})


class WireModel(BaseModel):
    """A Canvas Kit object; unknown fields are refused so typos fail loudly."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def to_wire(self) -> dict[str, Any]:
        """The object as Intercom's wire JSON (a plain dict, unset fields left out)."""
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)

    def to_json(self) -> str:
        """The object as compact wire JSON text."""
        return self.model_dump_json(exclude_none=True, by_alias=True)


def serialized_size(value: Any) -> int:
    """Bytes the value takes as compact UTF-8 JSON (how Intercom measures its 64 KB limit)."""
    try:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"is not JSON serializable ({exc})") from None
    return len(text.encode("utf-8"))


def check_size(value: Any, what: str) -> None:
    """Refuse a value larger than Intercom's 64 KB limit."""
    size = serialized_size(value)
    if size > MAX_BYTES:
        raise ValueError(f"{what} is {size} bytes serialized; Intercom allows at most {MAX_BYTES}")


def check_url(url: str, what: str, *, https_only: bool = False) -> str:
    """An absolute http(s) URL; with ``https_only``, plain http only for localhost/127.0.0.1."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"{what} needs an absolute http(s) URL, got {url!r}")
    if https_only and parts.scheme != "https" and parts.hostname not in LOCAL_HOSTS:
        raise ValueError(f"{what} must use https (plain http only for localhost), got {url!r}")
    return url


Path = tuple[str | int, ...]


def _child(node: Any, step: str | int) -> Any:
    if isinstance(node, Mapping):
        return node.get(step)
    if isinstance(node, list) and isinstance(step, int) and step < len(node):
        return node[step]
    return None


def _is_tag(node: Any, step: str | int, more: bool) -> bool:
    """Pydantic puts a discriminated union's tag into the error location; it is not a key."""
    if not isinstance(node, Mapping) or step != node.get("type"):
        return False
    return step not in node or more


def data_path(loc: Sequence[str | int], data: Any) -> Path:
    """The path into the input data an error location points at (union tags dropped)."""
    path: list[str | int] = []
    node, tag_seen = data, False
    for index, step in enumerate(loc):
        if not tag_seen and _is_tag(node, step, more=index + 1 < len(loc)):
            tag_seen = True
            continue
        path.append(step)
        node, tag_seen = _child(node, step), False
    return tuple(path)


def _message(error: ErrorDetails) -> str:
    if error["type"] == "union_tag_not_found":
        return "needs a type"
    if error["type"] == "union_tag_invalid":
        expected = error.get("ctx", {}).get("expected_tags", "")
        return f"unknown type {error['input'].get('type')!r}; expected one of {expected}"
    return error["msg"].removeprefix("Value error, ")


def problems(exc: ValidationError, data: Any) -> list[tuple[Path, str]]:
    """Each problem as (path into ``data``, readable message)."""
    return [(data_path(error["loc"], data), _message(error)) for error in exc.errors()]


def _label(components: Any, index: int) -> str:
    item = _child(components, index)
    if not isinstance(item, Mapping):
        return f"component {index + 1}"
    kind = item.get("type", "component without a type")
    ident = item.get("id")
    return (
        f"component {index + 1} ({kind} {ident!r})" if ident else f"component {index + 1} ({kind})"
    )


def describe_path(path: Path, data: Any) -> str:
    """A path as a reader would say it: components are named by position, type and id."""
    steps, node = list(path), data
    if steps[:1] == ["content"]:
        steps, node = steps[1:], _child(node, "content")
    if len(steps) >= 2 and steps[0] == "components" and isinstance(steps[1], int):
        rest = ".".join(str(step) for step in steps[2:])
        label = _label(_child(node, "components"), steps[1])
        return f"{label}: {rest}" if rest else label
    return ".".join(str(step) for step in steps)


def describe(exc: ValidationError, data: Any = None) -> str:
    """Readable lines for every problem in a validation error, each naming where it is."""
    lines = []
    for path, message in problems(exc, data):
        where = describe_path(path, data)
        lines.append(f"{where}: {message}" if where else message)
    return "; ".join(lines)


@contextmanager
def building(what: str, data: Any = None) -> Iterator[None]:
    """Build something, turning validation failures into a :class:`CanvasError` about ``what``."""
    try:
        yield
    except ValidationError as exc:
        raise CanvasError(f"{what}: {describe(exc, data)}") from None
