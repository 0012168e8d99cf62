"""Request bodies the emulator accepts, modelled on Intercom's 2.14 OpenAPI description.

The models are strict (no coercion: ``"admin_id": 1`` is rejected, as the spec's ``type:
string`` demands) and ignore unknown fields (the spec allows additional properties). Where
Intercom's documentation is stricter than its spec (``body`` is required for comments and
notes, quick replies need options, a contact reply names exactly one contact identifier),
the emulator follows the documentation: everything it accepts is valid under the spec.
Tests check both directions against the spec file.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, Self, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from concierge.intercom.emulator.errors import invalid

Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
Uuid = Annotated[
    str, StringConstraints(pattern=r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
]
NonBlank = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]


class Body(BaseModel):
    """Base of every request body model: strict types, unknown fields ignored.

    Optional fields are typed ``X | None = None`` for "absent", but an explicit JSON
    ``null`` is only accepted for the fields the spec marks ``nullable`` (``NULLABLE``).
    """

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)
    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _no_stray_nulls(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name in cls.model_fields:
                if name in data and data[name] is None and name not in cls.NULLABLE:
                    raise ValueError(f"{name} may not be null")
        return data


class AwayRequest(Body):
    """``PUT /admins/{id}/away``."""

    away_mode_enabled: bool
    away_mode_reassign: bool
    away_status_reason_id: int | None = None


class QuickReplyOption(Body):
    """One quick reply button."""

    text: NonBlank
    uuid: Uuid


class AttachmentFile(Body):
    """An inline attachment (base64 ``data``)."""

    content_type: str
    data: str
    name: str


class AdminReplyRequest(Body):
    """``POST /conversations/{id}/reply`` as an admin: comment, note or quick reply."""

    message_type: Literal["comment", "note", "quick_reply"]
    type: Literal["admin"]
    admin_id: str
    body: str | None = None
    created_at: int | None = None
    reply_options: list[QuickReplyOption] | None = None
    attachment_urls: list[Url] = Field(default_factory=list, max_length=10)
    attachment_files: list[AttachmentFile] = Field(default_factory=list, max_length=10)
    skip_notifications: bool = False

    @model_validator(mode="after")
    def _needs_content(self) -> Self:
        if self.message_type == "quick_reply" and not self.reply_options:
            raise ValueError("reply_options is required when message_type is quick_reply")
        if self.message_type != "quick_reply" and not (self.body or "").strip():
            raise ValueError(f"body is required when message_type is {self.message_type}")
        return self


class ContactReplyRequest(Body):
    """``POST /conversations/{id}/reply`` on behalf of a contact (exactly one identifier)."""

    message_type: Literal["comment"]
    type: Literal["user"]
    body: NonBlank
    intercom_user_id: str | None = None
    email: str | None = None
    user_id: str | None = None
    created_at: int | None = None
    attachment_urls: list[Url] = Field(default_factory=list, max_length=10)
    attachment_files: list[AttachmentFile] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _one_identifier(self) -> Self:
        given = [
            n for n in ("intercom_user_id", "email", "user_id") if getattr(self, n) is not None
        ]
        if len(given) != 1:
            raise ValueError("exactly one of intercom_user_id, email or user_id is required")
        return self


class CloseRequest(Body):
    """``POST /conversations/{id}/parts`` with ``message_type: close``."""

    message_type: Literal["close"]
    type: Literal["admin"]
    admin_id: str
    body: str | None = None


class SnoozeRequest(Body):
    """``POST /conversations/{id}/parts`` with ``message_type: snoozed``."""

    message_type: Literal["snoozed"]
    admin_id: str
    snoozed_until: int


class OpenRequest(Body):
    """``POST /conversations/{id}/parts`` with ``message_type: open``."""

    message_type: Literal["open"]
    admin_id: str


class AssignRequest(Body):
    """``POST /conversations/{id}/parts`` with ``message_type: assignment``."""

    message_type: Literal["assignment"]
    type: Literal["admin", "team"]
    admin_id: str
    assignee_id: str
    body: str | None = None


PartRequest = CloseRequest | SnoozeRequest | OpenRequest | AssignRequest
PART_REQUESTS: dict[str, type[PartRequest]] = {
    "close": CloseRequest,
    "snoozed": SnoozeRequest,
    "open": OpenRequest,
    "assignment": AssignRequest,
}
REPLY_REQUESTS: dict[str, type[AdminReplyRequest | ContactReplyRequest]] = {
    "admin": AdminReplyRequest,
    "user": ContactReplyRequest,
}


class TagConversationRequest(Body):
    """``POST /conversations/{id}/tags``."""

    id: str
    admin_id: str


class UntagConversationRequest(Body):
    """``DELETE /conversations/{id}/tags/{tag_id}``."""

    admin_id: str


class TagRequest(Body):
    """``POST /tags`` (create or update by name; tagging companies/users is not emulated)."""

    name: NonBlank
    id: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_bulk_tagging(cls, data: Any) -> Any:
        if isinstance(data, dict) and ({"companies", "users"} & data.keys()):
            raise ValueError("tagging companies or users is not supported by the emulator")
        return data


class ContactUpdateRequest(Body):
    """``PUT /contacts/{id}``; only the fields present are changed."""

    role: Literal["user", "lead"] | None = None
    external_id: str | None = None
    email: str | None = None
    phone: str | None = None
    name: str | None = None
    avatar: str | None = None
    signed_up_at: int | None = None
    last_seen_at: int | None = None
    owner_id: int | None = None
    unsubscribed_from_emails: bool | None = None
    custom_attributes: dict[str, Any] | None = None

    NULLABLE = frozenset(
        {
            "phone",
            "name",
            "avatar",
            "signed_up_at",
            "last_seen_at",
            "owner_id",
            "unsubscribed_from_emails",
            "custom_attributes",
        }
    )


class AttributeOption(Body):
    """One option of a list attribute."""

    value: NonBlank


class DataAttributeRequest(Body):
    """``POST /data_attributes``."""

    name: str
    model: Literal["contact", "company"]
    data_type: Literal["options", "string", "integer", "float", "boolean", "datetime", "date"]
    description: str = ""
    options: list[AttributeOption] | None = None
    messenger_writable: bool = False

    @model_validator(mode="after")
    def _options_for_lists(self) -> Self:
        if self.data_type == "options" and not self.options:
            raise ValueError("options is required (a non-empty array) when data_type is options")
        return self


B = TypeVar("B", bound=BaseModel)


def parse(model: type[B], body: Any) -> B:
    """Validate a decoded JSON body, or raise Intercom's 400 ``parameter_invalid``."""
    if not isinstance(body, dict):
        raise invalid("Request body must be a JSON object")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise invalid(describe(exc)) from None


def parse_tagged(models: dict[str, type[B]], field: str, body: Any) -> B:
    """Pick the model by a discriminating field (``message_type``, ``type``), then parse."""
    if not isinstance(body, dict):
        raise invalid("Request body must be a JSON object")
    tag = body.get(field)
    if not isinstance(tag, str) or tag not in models:
        allowed = ", ".join(repr(name) for name in models)
        raise invalid(f"{field} must be one of {allowed} (got {tag!r})")
    return parse(models[tag], body)


def describe(exc: ValidationError) -> str:
    """One readable sentence per problem, e.g. ``admin_id: must be a string (got 1)``."""
    messages = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"])
        if error["type"] == "missing":
            messages.append(f"{where} is a required parameter")
            continue
        text = error["msg"].removeprefix("Value error, ")
        got = f" (got {error['input']!r})" if where and "input" in error else ""
        messages.append(f"{where}: {text}{got}" if where else text)
    return "; ".join(messages)
