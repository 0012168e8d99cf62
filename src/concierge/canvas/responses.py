"""What a Canvas Kit endpoint answers: a canvas (in a response), configure results, live content.

Shapes (REFERENCE §1.4)::

    CanvasResponse      {"canvas": {...}, "event"?: {"type": "completed"},
                         "card_creation_options"?: {...}}
    Canvas              {"content": {"components": [...]}, "stored_data"?: {...}}
                        or {"content_url": "https://...", "stored_data"?: {...}}
    ConfigureResults    {"results": {...}}
    LiveCanvasResponse  {"content": {"components": [...]}}

``content`` and ``stored_data`` may each be at most 64 KB of serialized JSON, and component ids
(list item ids included: they arrive as ``component_id``) must be unique within a canvas.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Annotated, Any, Literal, Self

from pydantic import Field, model_validator

from concierge.canvas.components import Component, ItemList
from concierge.canvas.wire import WireModel, building, check_size, check_url


def component_ids(components: Sequence[Component]) -> Iterator[str]:
    """Every id a canvas's components declare, list item ids included."""
    for component in components:
        ident = getattr(component, "id", None)
        if isinstance(ident, str):
            yield ident
        if isinstance(component, ItemList):
            yield from (item.id for item in component.items)


class Content(WireModel):
    """The components of a canvas, in display order."""

    components: Annotated[list[Component], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        counts = Counter(component_ids(self.components))
        repeated = sorted(ident for ident, seen in counts.items() if seen > 1)
        if repeated:
            raise ValueError(f"component ids must be unique within a canvas; repeated: {repeated}")
        return self


class Canvas(WireModel):
    """A static canvas (``content``) or a live one (``content_url``), with optional state."""

    content: Content | None = None
    content_url: str | None = None
    stored_data: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _valid(self) -> Self:
        if (self.content is None) == (self.content_url is None):
            raise ValueError("a canvas needs exactly one of content or content_url")
        if self.content_url is not None:
            check_url(self.content_url, "content_url")
        if self.content is not None:
            check_size(self.content.to_wire(), "content")
        if self.stored_data is not None:
            check_size(self.stored_data, "stored_data")
        return self

    @property
    def components(self) -> list[Component]:
        """The components shown (none for a live canvas)."""
        return list(self.content.components) if self.content is not None else []


class Event(WireModel):
    """Tells Intercom the app's job is done (the only event type is ``completed``)."""

    type: Literal["completed"] = "completed"


class CanvasResponse(WireModel):
    """The answer to configure, initialize, submit and submit-sheet requests."""

    canvas: Canvas
    event: Event | None = None
    card_creation_options: dict[str, Any] | None = None

    @property
    def completed(self) -> bool:
        """True when the response tells Intercom the app's job is done."""
        return self.event is not None


class ConfigureResults(WireModel):
    """Ends a configure flow; Intercom sends ``results`` to initialize as card_creation_options."""

    results: dict[str, Any]


class LiveCanvasResponse(WireModel):
    """The answer to a live canvas (``content_url``) request: bare content, no canvas wrapper."""

    content: Content


def parse_content(data: Mapping[str, Any]) -> Content:
    """Content from wire JSON (``{"components": [...]}``), or a CanvasError naming the component."""
    with building("canvas content", data):
        return Content.model_validate(data)


def parse_canvas(data: Mapping[str, Any]) -> Canvas:
    """A canvas from wire JSON, or a CanvasError naming the component and the rule it breaks."""
    with building("canvas", data):
        return Canvas.model_validate(data)
