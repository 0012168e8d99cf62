"""Incoming Canvas Kit requests (REFERENCE §1.2), parsed tolerantly.

One model per request: configure, initialize (Messenger and Inbox), submit (Messenger and
Inbox), live canvas (``content_url``), submit-sheet, sheet-open (``intercom_data``) and the
installation health check. Variants handled (REFERENCE §7):

- the end user arrives as ``contact``, ``customer`` or ``user`` (often two of them):
  ``end_user`` merges whichever are present, ``contact`` first;
- ``messenger_action_colour`` / ``messenger_action_color`` (and the background pair) fill one
  ``..._colour`` attribute;
- checkbox options under ``option`` (reference, OpenAPI) or ``options`` (tutorial) in
  ``current_canvas`` components are normalised to ``options``;
- ``current_canvas`` double-wrapped as ``{"current_canvas": {...}}`` (the 2.11 OpenAPI) or
  wrapped as ``{"canvas": {...}}`` is unwrapped;
- Messenger and Inbox send different field sets: only ``workspace_id`` (and ``component_id``
  on submit) is required, everything else is optional with an empty default;
- unknown fields are ignored; ids sent as numbers (``context.conversation_id``, admin, contact,
  conversation and team ids) become strings; ``null`` objects become empty defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from concierge.intercom.errors import IntercomError

WRAPPERS = ("current_canvas", "canvas")


class CanvasRequestError(IntercomError):
    """A Canvas Kit request body that cannot be understood."""


def _as_str(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _or_empty(value: Any) -> Any:
    return {} if value is None else value


def _or_empty_list(value: Any) -> Any:
    return [] if value is None else value


StrId = Annotated[str, BeforeValidator(_as_str)]
Values = Annotated[dict[str, Any], BeforeValidator(_or_empty)]


class _Tolerant(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


class CanvasContext(_Tolerant):
    """Where the app is shown (REFERENCE §1.3); availability depends on the location."""

    conversation_id: StrId | None = None
    location: str | None = None
    locale: str | None = None
    messenger_action_colour: str | None = Field(
        default=None,
        validation_alias=AliasChoices("messenger_action_colour", "messenger_action_color"),
    )
    messenger_background_colour: str | None = Field(
        default=None,
        validation_alias=AliasChoices("messenger_background_colour", "messenger_background_color"),
    )
    referrer: str | None = None


class Admin(_Tolerant):
    """The teammate involved (inserting the app, or viewing the Inbox panel)."""

    id: StrId | None = None
    type: str | None = None
    name: str | None = None
    email: str | None = None
    job_title: str | None = None
    away_mode_enabled: bool | None = None
    team_ids: Annotated[list[StrId], BeforeValidator(_or_empty_list)] = Field(default_factory=list)


class EndUser(_Tolerant):
    """The customer: a v2 Contact or a legacy user/lead, whichever Intercom sent."""

    id: StrId | None = None
    type: str | None = None
    role: str | None = None
    external_id: StrId | None = Field(
        default=None, validation_alias=AliasChoices("external_id", "user_id")
    )
    email: str | None = None
    name: str | None = None
    phone: str | None = None
    custom_attributes: Values = Field(default_factory=dict)

    @property
    def kind(self) -> str | None:
        """``user`` or ``lead`` (v2 ``role``, or the legacy ``type``)."""
        return self.role or (self.type if self.type in {"user", "lead"} else None)

    @property
    def first_name(self) -> str | None:
        """The first word of the name, for greetings."""
        return self.name.split()[0] if self.name and self.name.strip() else None


class Conversation(_Tolerant):
    """The conversation an Inbox app is shown beside (only what the panel needs)."""

    id: StrId | None = None
    state: str | None = None
    open: bool | None = None
    admin_assignee_id: StrId | None = None
    team_assignee_id: StrId | None = None
    created_at: int | None = None


def _unwrap(value: Any) -> Any:
    while isinstance(value, Mapping) and "content" not in value and "content_url" not in value:
        wrapper = next((key for key in WRAPPERS if key in value), None)
        if wrapper is None:
            break
        value = value[wrapper]
    return value


def _checkbox_options(component: Any) -> Any:
    if not isinstance(component, Mapping) or component.get("type") != "checkbox":
        return component
    if "options" in component or "option" not in component:
        return component
    normalised = {key: item for key, item in component.items() if key != "option"}
    return {**normalised, "options": component["option"]}


class CurrentCanvas(_Tolerant):
    """The canvas that was showing (raw components, as Intercom echoed them)."""

    content: dict[str, Any] | None = None
    content_url: str | None = None
    stored_data: Values = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, value: Any) -> Any:
        value = _unwrap(value)
        if not isinstance(value, Mapping) or not isinstance(value.get("content"), Mapping):
            return value
        components = value["content"].get("components")
        if isinstance(components, list):
            content = {**value["content"], "components": [_checkbox_options(c) for c in components]}
            return {**value, "content": content}
        return value

    @property
    def components(self) -> list[Any]:
        """The components that were showing (empty for a live canvas)."""
        components = (self.content or {}).get("components")
        return list(components) if isinstance(components, list) else []


class _CanvasRequestBase(_Tolerant):
    workspace_id: StrId
    workspace_region: str | None = None
    context: Annotated[CanvasContext, BeforeValidator(_or_empty)] = Field(
        default_factory=CanvasContext
    )
    current_canvas: CurrentCanvas | None = None
    input_values: Values = Field(default_factory=dict)

    @property
    def stored_data(self) -> dict[str, Any]:
        """State our previous canvas carried (empty when there was none)."""
        return dict(self.current_canvas.stored_data) if self.current_canvas else {}


class CanvasRequest(_CanvasRequestBase):
    """Fields shared by every signed Canvas Kit request; Messenger and Inbox fill different ones."""

    admin: Admin | None = None
    contact: EndUser | None = None
    customer: EndUser | None = None
    user: EndUser | None = None
    conversation: Conversation | None = None
    card_creation_options: Values = Field(default_factory=dict)

    @property
    def end_user(self) -> EndUser | None:
        """The customer, merged from ``contact``, ``customer`` and ``user`` (in that priority)."""
        present = [who for who in (self.user, self.customer, self.contact) if who is not None]
        if not present:
            return None
        merged: dict[str, Any] = {}
        for who in present:
            merged.update(who.model_dump(exclude_defaults=True))
        return EndUser.model_validate(merged)

    @property
    def conversation_id(self) -> str | None:
        """The conversation, from ``context`` (Messenger) or ``conversation`` (Inbox)."""
        if self.context.conversation_id:
            return self.context.conversation_id
        return self.conversation.id if self.conversation else None


class ConfigureRequest(CanvasRequest):
    """Configure: first call (admin + context) or after a submit inside the configure canvas."""

    component_id: StrId | None = None


class InitializeRequest(CanvasRequest):
    """Initialize: Messenger (card_creation_options, context) or Inbox (conversation, contact)."""


class SubmitRequest(CanvasRequest):
    """Submit: a component with a submit action was used (Messenger or Inbox)."""

    component_id: StrId


class LiveCanvasRequest(CanvasRequest):
    """A live canvas fetch from ``content_url``; ``canvas`` is the stored canvas."""

    canvas: CurrentCanvas | None = None

    @property
    def stored_data(self) -> dict[str, Any]:
        """State the stored canvas carries."""
        source = self.canvas or self.current_canvas
        return dict(source.stored_data) if source else {}


class SubmitSheetRequest(CanvasRequest):
    """The sheet page called ``submitSheet(values)``; ``sheet_values`` holds those values."""

    sheet_values: Values = Field(default_factory=dict)


class SheetOpenRequest(_CanvasRequestBase):
    """The ``intercom_data`` of a sheet-open form post; ``user`` is still encrypted."""

    component_id: StrId | None = None
    user: str | None = None


class HealthCheckRequest(_Tolerant):
    """Intercom's installation health check."""

    workspace_id: StrId


Request = TypeVar("Request", bound=BaseModel)


def parse_request(model: type[Request], body: Any) -> Request:
    """``body`` (decoded JSON) as ``model``; CanvasRequestError says which field is wrong."""
    if not isinstance(body, Mapping):
        raise CanvasRequestError(f"a {model.__name__} body must be a JSON object")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(step) for step in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        raise CanvasRequestError(f"not a valid {model.__name__}: {problems}") from None


def _contact_context(who: EndUser | None) -> dict[str, Any]:
    if who is None:
        return {}
    return {
        "id": who.id,
        "external_id": who.external_id,
        "name": who.name,
        "first_name": who.first_name,
        "email": who.email,
        "role": who.kind,
    }


def _admin_context(admin: Admin | None) -> dict[str, Any]:
    if admin is None:
        return {}
    return {"id": admin.id, "name": admin.name, "email": admin.email}


def extract_context(request: CanvasRequest) -> dict[str, Any]:
    """A plain mapping for canvas templates: contact, conversation, admin, locale, stored_data."""
    return {
        "workspace_id": request.workspace_id,
        "locale": request.context.locale,
        "location": request.context.location,
        "contact": _contact_context(request.end_user),
        "conversation": {"id": request.conversation_id},
        "admin": _admin_context(request.admin),
        "stored_data": request.stored_data,
    }
