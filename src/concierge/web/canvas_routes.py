"""Canvas Kit routes for the Messenger app and the Inbox app.

Every route verifies ``X-Body-Signature`` on the raw bytes first (401 JSON when wrong),
then parses a tolerant request model (400 JSON when the body is not a Canvas Kit request).
After that, nothing escapes as a bare 500: a failure inside a handler is rendered as an
error canvas the person can read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import structlog
from litestar import Request, Router, post
from litestar.di import Provide
from pydantic import BaseModel, ValidationError

from concierge.intercom.canvas_requests import (
    ConfigureRequest,
    InboxRequest,
    LiveCanvasRequest,
    MessengerRequest,
    SubmitSheetRequest,
    template_context,
)
from concierge.intercom.signatures import verify_canvas_signature
from concierge.web.errors import MalformedBody
from concierge.web.inbox import inbox_context
from concierge.web.resources import Resources, provide_resources
from concierge.web.signing import signed_json

log = structlog.get_logger(component="canvas")
Model = TypeVar("Model", bound=BaseModel)
FAILURE_TEXT = "Sorry, something went wrong on our side. Please try again in a moment."


async def _parse(request: Request[Any, Any, Any], resources: Resources, model: type[Model]) -> Model:
    body = await signed_json(
        request,
        header="X-Body-Signature",
        verify=verify_canvas_signature,
        secret=resources.settings.client_secret,
    )
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) or "body" for e in exc.errors())
        raise MalformedBody(f"not a Canvas Kit request (check: {fields})") from None


async def _safely(
    resources: Resources, render: Callable[[], Awaitable[dict[str, Any]] | dict[str, Any]]
) -> dict[str, Any]:
    try:
        result = render()
        return await result if isinstance(result, Awaitable) else result
    except Exception:  # noqa: BLE001 - the person sees an error canvas, never a bare 500
        log.exception("canvas handler failed")
        return resources.canvases.render_error(FAILURE_TEXT).to_json()


@post("/messenger/configure", status_code=200)
async def messenger_configure(request: Request[Any, Any, Any], resources: Resources) -> dict[str, Any]:
    """A teammate inserts the app: offer the cards Concierge can insert."""
    payload = await _parse(request, resources, ConfigureRequest)
    return await _safely(
        resources,
        lambda: resources.canvases.messenger_configure(
            payload.component_id, payload.input_values, template_context(payload)
        ).to_json(),
    )


@post("/messenger/initialize", status_code=200)
async def messenger_initialize(request: Request[Any, Any, Any], resources: Resources) -> dict[str, Any]:
    """The Messenger card's first canvas (the home card, or the card chosen in configure)."""
    payload = await _parse(request, resources, MessengerRequest)
    return await _safely(
        resources,
        lambda: resources.canvases.messenger_initialize(
            template_context(payload), payload.card_creation_options
        ).to_json(),
    )


@post("/messenger/submit", status_code=200)
async def messenger_submit(request: Request[Any, Any, Any], resources: Resources) -> dict[str, Any]:
    """A customer clicked a button or submitted a form in the Messenger card."""
    payload = await _parse(request, resources, MessengerRequest)
    return await _safely(
        resources,
        lambda: resources.canvases.messenger_submit(
            payload.component_id or "",
            payload.input_values,
            payload.stored_data,
            template_context(payload),
        ).to_json(),
    )


@post("/messenger/content", status_code=200)
async def messenger_content(request: Request[Any, Any, Any], resources: Resources) -> dict[str, Any]:
    """A live canvas: content rendered per viewer (bare ``{"content": …}``)."""
    payload = await _parse(request, resources, LiveCanvasRequest)
    return await _safely(
        resources,
        lambda: resources.canvases.live_content(template_context(payload)).to_json(),
    )


@post("/messenger/submit-sheet", status_code=200)
async def messenger_submit_sheet(
    request: Request[Any, Any, Any], resources: Resources
) -> dict[str, Any]:
    """The sheet called ``submitSheet(values)``: continue the card with those values."""
    payload = await _parse(request, resources, SubmitSheetRequest)
    return await _safely(
        resources,
        lambda: resources.canvases.sheet_submitted(
            payload.sheet_values, payload.stored_data, template_context(payload)
        ).to_json(),
    )


async def _inbox_panel(resources: Resources, payload: InboxRequest) -> dict[str, Any]:
    context = await inbox_context(resources.db, template_context(payload))
    return resources.canvases.inbox_panel(context).to_json()


@post("/inbox/initialize", status_code=200)
async def inbox_initialize(request: Request[Any, Any, Any], resources: Resources) -> dict[str, Any]:
    """The agent's panel: what Concierge knows about this conversation and contact."""
    payload = await _parse(request, resources, InboxRequest)
    return await _safely(resources, lambda: _inbox_panel(resources, payload))


@post("/inbox/submit", status_code=200)
async def inbox_submit(request: Request[Any, Any, Any], resources: Resources) -> dict[str, Any]:
    """An agent clicked in the panel (today: refresh)."""
    payload = await _parse(request, resources, InboxRequest)
    return await _safely(resources, lambda: _inbox_panel(resources, payload))


canvas_router = Router(
    path="/canvas",
    route_handlers=[
        messenger_configure,
        messenger_initialize,
        messenger_submit,
        messenger_content,
        messenger_submit_sheet,
        inbox_initialize,
        inbox_submit,
    ],
    dependencies={"resources": Provide(provide_resources, sync_to_thread=False)},
)
