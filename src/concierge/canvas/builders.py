"""Small helpers so code that builds canvases reads like the canvas it builds.

    respond(canvas(text("Thanks!", style="header"), button("again", "Start over")), completed=True)

Every helper raises :class:`~concierge.canvas.errors.CanvasError` naming the component and
what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from concierge.canvas.actions import Action, SubmitAction, UrlAction
from concierge.canvas.components import (
    Align,
    Button,
    ButtonStyle,
    Checkbox,
    Component,
    DataTable,
    Divider,
    Dropdown,
    FieldValue,
    Image,
    ImageAlign,
    Input,
    ItemList,
    ListItem,
    Option,
    SingleSelect,
    Spacer,
    SpacerSize,
    Text,
    TextArea,
    TextStyle,
)
from concierge.canvas.responses import (
    Canvas,
    CanvasResponse,
    ConfigureResults,
    Content,
    Event,
    LiveCanvasResponse,
)
from concierge.canvas.wire import building

Choices = Mapping[str, str] | Sequence[Option]


def _as_options(choices: Choices) -> list[Option]:
    if isinstance(choices, Mapping):
        return [Option(id=ident, text=label) for ident, label in choices.items()]
    return list(choices)


def text(
    body: str, *, style: TextStyle | None = None, align: Align | None = None, id: str | None = None
) -> Text:
    """A text component (markdown bold and links only)."""
    with building("text"):
        return Text(text=body, style=style, align=align, id=id)


def header(body: str, *, align: Align | None = None) -> Text:
    """A header line."""
    return text(body, style="header", align=align)


def error_text(message: str, *, id: str | None = None) -> Text:
    """A red error message (Canvas Kit's ``style: error``)."""
    return text(message, style="error", id=id)


def image(
    url: str, width: int, height: int, *, align: ImageAlign | None = None, rounded: bool = False
) -> Image:
    """An image of ``width`` x ``height`` pixels."""
    with building(f"image {url!r}"):
        return Image(url=url, width=width, height=height, align=align, rounded=rounded or None)


def spacer(size: SpacerSize | None = None) -> Spacer:
    """Vertical space."""
    with building("spacer"):
        return Spacer(size=size)


def divider() -> Divider:
    """A horizontal rule."""
    return Divider()


def data_table(rows: Mapping[str, object] | Iterable[tuple[str, object]]) -> DataTable:
    """A table of label/value rows; values are shown as text."""
    pairs = rows.items() if isinstance(rows, Mapping) else rows
    with building("data-table"):
        items = [FieldValue(field=field, value=str(value)) for field, value in pairs]
        return DataTable(items=items)


def list_item(
    id: str, title: str, *, subtitle: str | None = None, action: Action | None = None
) -> ListItem:
    """A list row; by default clicking it submits with ``component_id`` = ``id``."""
    with building(f"list item {id!r}"):
        return ListItem(id=id, title=title, subtitle=subtitle, action=action or SubmitAction())


def item_list(*items: ListItem) -> ItemList:
    """A list of items."""
    with building("list"):
        return ItemList(items=list(items))


def button(
    id: str, label: str, *, action: Action | None = None, style: ButtonStyle | None = None
) -> Button:
    """A button; its action defaults to submit."""
    with building(f"button {id!r}"):
        return Button(id=id, label=label, action=action or SubmitAction(), style=style)


def link_button(id: str, label: str, url: str, *, style: ButtonStyle | None = None) -> Button:
    """A button opening ``url`` in a new tab."""
    with building(f"button {id!r}"):
        return Button(id=id, label=label, action=UrlAction(url=url), style=style)


def text_input(
    id: str, label: str | None = None, *, placeholder: str | None = None, value: str | None = None
) -> Input:
    """A single-line text input."""
    with building(f"input {id!r}"):
        return Input(id=id, label=label, placeholder=placeholder, value=value)


def textarea(id: str, label: str | None = None, *, placeholder: str | None = None) -> TextArea:
    """A multi-line text input."""
    with building(f"textarea {id!r}"):
        return TextArea(id=id, label=label, placeholder=placeholder)


def dropdown(
    id: str, choices: Choices, *, label: str | None = None, value: str | None = None
) -> Dropdown:
    """A dropdown of 2 to 10 choices (``{option_id: text}`` or Option models)."""
    with building(f"dropdown {id!r}"):
        return Dropdown(id=id, options=_as_options(choices), label=label, value=value)


def single_select(
    id: str, choices: Choices, *, label: str | None = None, submit_on_select: bool = False
) -> SingleSelect:
    """2 to 10 choices shown as buttons; optionally submitting as soon as one is picked."""
    action = SubmitAction() if submit_on_select else None
    with building(f"single-select {id!r}"):
        return SingleSelect(id=id, options=_as_options(choices), label=label, action=action)


def checkbox(id: str, label: str, choices: Choices, *, value: Sequence[str] = ()) -> Checkbox:
    """One or more tickable choices."""
    with building(f"checkbox {id!r}"):
        return Checkbox(id=id, label=label, options=_as_options(choices), value=list(value) or None)


def canvas(*components: Component, stored_data: Mapping[str, Any] | None = None) -> Canvas:
    """A static canvas of the components, with optional state carried to the next request."""
    stored = dict(stored_data) if stored_data is not None else None
    with building("canvas"):
        return Canvas(content=Content(components=list(components)), stored_data=stored)


def respond(
    shown: Canvas,
    *,
    completed: bool = False,
    card_creation_options: Mapping[str, Any] | None = None,
) -> CanvasResponse:
    """A response showing ``shown``; ``completed`` tells Intercom the app's job is done."""
    options = dict(card_creation_options) if card_creation_options is not None else None
    event = Event() if completed else None
    return CanvasResponse(canvas=shown, event=event, card_creation_options=options)


def configure_results(results: Mapping[str, Any]) -> ConfigureResults:
    """Ends a configure flow with these card creation options."""
    return ConfigureResults(results=dict(results))


def live_content(*components: Component) -> LiveCanvasResponse:
    """The answer to a live canvas request."""
    with building("live canvas content"):
        return LiveCanvasResponse(content=Content(components=list(components)))
