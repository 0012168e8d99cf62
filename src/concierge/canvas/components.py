"""Typed Canvas Kit components, strict about the rules Intercom documents (REFERENCE §1.5).

Each model dumps (``to_wire()`` or ``model_dump(exclude_none=True, by_alias=True)``) to
exactly the JSON Intercom expects, e.g. ``{"type": "data-table", "items": [{"type":
"field-value", ...}]}``. Checkbox options are emitted under ``options`` (what Intercom's own
tutorial sends) and accepted under ``option`` too (what the reference and OpenAPI say).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Annotated, Literal, Self

from pydantic import AliasChoices, Field, StrictInt, StringConstraints, model_validator

from concierge.canvas.actions import Action, UrlAction
from concierge.canvas.wire import WireModel, check_url

Id = Annotated[str, StringConstraints(min_length=1)]
Pixels = Annotated[StrictInt, Field(gt=0)]
Align = Literal["left", "center", "right"]
ImageAlign = Literal["left", "center", "right", "full_width"]
TextStyle = Literal["header", "paragraph", "muted", "error"]
SpacerSize = Literal["xs", "s", "m", "l", "xl"]
ButtonStyle = Literal["primary", "secondary", "link"]
SaveState = Literal["unsaved", "saved", "failed"]
BottomMargin = Literal["none"]

INPUT_TYPES = frozenset({"input", "textarea", "dropdown", "single-select", "checkbox"})


class Text(WireModel):
    """A paragraph, header, muted note or error message (markdown: bold and links only)."""

    type: Literal["text"] = "text"
    text: str
    id: str | None = None
    align: Align | None = None
    style: TextStyle | None = None
    bottom_margin: BottomMargin | None = None


class Image(WireModel):
    """An image of a fixed size in pixels; its only possible action is a url action."""

    type: Literal["image"] = "image"
    url: str
    width: Pixels
    height: Pixels
    id: str | None = None
    align: ImageAlign | None = None
    rounded: bool | None = None
    bottom_margin: BottomMargin | None = None
    action: UrlAction | None = None

    @model_validator(mode="after")
    def _absolute_url(self) -> Self:
        check_url(self.url, "an image")
        return self


class Spacer(WireModel):
    """Empty vertical space."""

    type: Literal["spacer"] = "spacer"
    id: str | None = None
    size: SpacerSize | None = None


class Divider(WireModel):
    """A horizontal rule."""

    type: Literal["divider"] = "divider"
    id: str | None = None
    bottom_margin: BottomMargin | None = None


class FieldValue(WireModel):
    """One row of a data table."""

    type: Literal["field-value"] = "field-value"
    field: str
    value: str


class DataTable(WireModel):
    """Label/value rows."""

    type: Literal["data-table"] = "data-table"
    items: Annotated[list[FieldValue], Field(min_length=1)]


class ListItem(WireModel):
    """One clickable (or disabled) row of a list; a submit sends its id as ``component_id``."""

    type: Literal["item"] = "item"
    id: Id
    title: str
    subtitle: str | None = None
    tertiary_text: str | None = None
    image: str | None = None
    image_width: Pixels | None = None
    image_height: Pixels | None = None
    rounded_image: bool | None = None
    disabled: bool | None = None
    action: Action | None = None

    @model_validator(mode="after")
    def _image_has_size(self) -> Self:
        if self.image is None:
            return self
        check_url(self.image, f"list item {self.id!r} image")
        if self.image_width is None or self.image_height is None:
            raise ValueError(
                f"list item {self.id!r} has an image, so needs image_width and image_height"
            )
        return self


class ItemList(WireModel):
    """A list of items (Canvas Kit ``list``)."""

    type: Literal["list"] = "list"
    items: Annotated[list[ListItem], Field(min_length=1)]
    disabled: bool | None = None


class Option(WireModel):
    """A choice in a dropdown, single-select or checkbox."""

    type: Literal["option"] = "option"
    id: Id
    text: str
    disabled: bool | None = None


def check_options(options: Sequence[Option], kind: str, low: int, high: int | None) -> None:
    """Refuse too few or too many options, or two options with the same id."""
    count = len(options)
    if count < low or (high is not None and count > high):
        wanted = f"{low} to {high}" if high is not None else f"at least {low}"
        raise ValueError(f"a {kind} needs {wanted} options, got {count}")
    repeated = sorted(ident for ident, seen in Counter(o.id for o in options).items() if seen > 1)
    if repeated:
        raise ValueError(f"option ids must be unique within a {kind}; repeated: {repeated}")


def check_chosen(chosen: Sequence[str], options: Sequence[Option], kind: str) -> None:
    """Refuse a default value that is not one of the option ids."""
    known = {option.id for option in options}
    unknown = [value for value in chosen if value not in known]
    if unknown:
        raise ValueError(f"{kind} value {unknown} is not among its option ids {sorted(known)}")


class Button(WireModel):
    """A button; clicking it runs its action."""

    type: Literal["button"] = "button"
    id: Id
    label: str
    action: Action
    style: ButtonStyle | None = None
    disabled: bool | None = None


class Input(WireModel):
    """A single-line text input; an action renders an inline button."""

    type: Literal["input"] = "input"
    id: Id
    label: str | None = None
    placeholder: str | None = None
    value: str | None = None
    action: Action | None = None
    save_state: SaveState | None = None
    disabled: bool | None = None


class TextArea(WireModel):
    """A multi-line text input (submitted by a button)."""

    type: Literal["textarea"] = "textarea"
    id: Id
    label: str | None = None
    placeholder: str | None = None
    value: str | None = None
    error: bool | None = None
    disabled: bool | None = None


class Dropdown(WireModel):
    """A closed list of 2 to 10 options."""

    type: Literal["dropdown"] = "dropdown"
    id: Id
    options: list[Option]
    label: str | None = None
    value: str | None = None
    save_state: SaveState | None = None
    disabled: bool | None = None

    @model_validator(mode="after")
    def _options(self) -> Self:
        check_options(self.options, "dropdown", 2, 10)
        check_chosen([self.value] if self.value else [], self.options, "dropdown")
        return self


class SingleSelect(WireModel):
    """2 to 10 options shown as buttons; an action submits on select."""

    type: Literal["single-select"] = "single-select"
    id: Id
    options: list[Option]
    label: str | None = None
    value: str | None = None
    save_state: SaveState | None = None
    disabled: bool | None = None
    action: Action | None = None

    @model_validator(mode="after")
    def _options(self) -> Self:
        check_options(self.options, "single-select", 2, 10)
        check_chosen([self.value] if self.value else [], self.options, "single-select")
        return self


class Checkbox(WireModel):
    """One or more tickable options; its value is the list of ticked option ids."""

    type: Literal["checkbox"] = "checkbox"
    id: Id
    label: str
    options: list[Option] = Field(validation_alias=AliasChoices("options", "option"))
    value: list[str] | None = None
    save_state: SaveState | None = None
    disabled: bool | None = None

    @model_validator(mode="after")
    def _options(self) -> Self:
        check_options(self.options, "checkbox", 1, None)
        check_chosen(self.value or [], self.options, "checkbox")
        return self


Component = Annotated[
    Text
    | Image
    | Spacer
    | Divider
    | DataTable
    | ItemList
    | Button
    | Input
    | TextArea
    | Dropdown
    | SingleSelect
    | Checkbox,
    Field(discriminator="type"),
]
