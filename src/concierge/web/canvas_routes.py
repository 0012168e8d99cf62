"""Canvas Kit routes for the Messenger app and the Inbox app.

Every route verifies ``X-Body-Signature`` on the raw bytes first (401 JSON when wrong),
then parses a tolerant request model (400 JSON when the body is not a Canvas Kit request).
After that, nothing escapes as a bare 500: a failure inside a handler is rendered as an
error canvas the person can read.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import structlog
from litestar import Request, Router, post
from litestar.di import NamedDependency, Provide

from concierge.bot import cards as bot_cards
from concierge.bot.agent import team_choices
from concierge.bot.stock import canvas_lookups
from concierge.canvas import cards, flow_cards, inbox
from concierge.intercom.canvas_requests import (
    CanvasRequest,
    CanvasRequestError,
    ConfigureRequest,
    InitializeRequest,
    LiveCanvasRequest,
    SubmitRequest,
    SubmitSheetRequest,
    extract_context,
    parse_request,
)
from concierge.intercom.signatures import verify_canvas_signature
from concierge.web.errors import MalformedBodyError
from concierge.web.inbox import (
    apply_reroute,
    inbox_context,
    record_verdict,
    remember_card_flow,
)
from concierge.web.resources import Resources, provide_resources
from concierge.web.signing import signed_json

log = structlog.get_logger(component="canvas")
Model = TypeVar("Model", bound=CanvasRequest)
Rendered = dict[str, Any] | Awaitable[dict[str, Any]]
FAILURE_TEXT = "Sorry, something went wrong on our side. Please try again in a moment."


async def _parse(
    request: Request[Any, Any, Any], resources: Resources, model: type[Model]
) -> Model:
    body = await signed_json(
        request,
        header="X-Body-Signature",
        verify=verify_canvas_signature,
        secret=resources.settings.client_secret,
    )
    try:
        parsed = parse_request(model, body)
    except CanvasRequestError as exc:
        raise MalformedBodyError(str(exc)) from None
    structlog.contextvars.bind_contextvars(conversation_id=parsed.conversation_id)
    return parsed


async def _safely(resources: Resources, render: Callable[[], Rendered]) -> dict[str, Any]:
    try:
        result = render()
        return await result if inspect.isawaitable(result) else result
    except Exception:
        log.exception("canvas handler failed")
        return resources.canvases.render_error(FAILURE_TEXT).to_wire()


@post("/messenger/configure", status_code=200)
async def messenger_configure(
    request: Request[Any, Any, Any], resources: NamedDependency[Resources]
) -> dict[str, Any]:
    """A teammate inserts the app: offer the cards Concierge can insert."""
    payload = await _parse(request, resources, ConfigureRequest)
    return await _safely(
        resources,
        lambda: cards.configure(
            resources.canvases, payload.component_id, payload.input_values
        ).to_wire(),
    )


@post("/messenger/initialize", status_code=200)
async def messenger_initialize(
    request: Request[Any, Any, Any], resources: NamedDependency[Resources]
) -> dict[str, Any]:
    """The Messenger card's first canvas (the home card, or the card chosen in configure)."""
    payload = await _parse(request, resources, InitializeRequest)
    return await _safely(
        resources,
        lambda: cards.initialize(
            resources.canvases, extract_context(payload), payload.card_creation_options
        ).to_wire(),
    )


@post("/messenger/submit", status_code=200)
async def messenger_submit(
    request: Request[Any, Any, Any], resources: NamedDependency[Resources]
) -> dict[str, Any]:
    """A customer clicked a button or submitted a form in the Messenger card."""
    payload = await _parse(request, resources, SubmitRequest)
    return await _safely(resources, lambda: _messenger_step(resources, payload))


async def _messenger_step(resources: Resources, payload: SubmitRequest) -> dict[str, Any]:
    """A flow card's answer, a button that starts a flow, or template navigation."""
    brain = resources.brain.current
    stored, context = payload.stored_data, extract_context(payload)
    contact = context.get("contact") or {}
    if stored.get("screen") == flow_cards.FLOW_SCREEN and stored.get("flow_state"):
        state = stored["flow_state"]
        slot = bot_cards.pending_slot(state)
        answer = flow_cards.answer_from(payload.component_id, payload.input_values, slot)
        form, new_state = bot_cards.advance_card_flow(brain, state, answer, contact)
        await remember_card_flow(resources.db, payload.conversation_id, new_state)
        return flow_cards.flow_card(form, new_state).to_wire()
    flow = brain.settings.messenger_flows.get(payload.component_id)
    if flow is not None:
        form, state = bot_cards.start_card_flow(brain, flow, contact)
        await remember_card_flow(resources.db, payload.conversation_id, state)
        return flow_cards.flow_card(form, state).to_wire()
    return resources.canvases.messenger_submit(
        payload.component_id, payload.input_values, stored, context, canvas_lookups(brain)
    ).to_wire()


@post("/messenger/content", status_code=200)
async def messenger_content(
    request: Request[Any, Any, Any], resources: NamedDependency[Resources]
) -> dict[str, Any]:
    """A live canvas: content rendered per viewer (bare ``{"content": …}``)."""
    payload = await _parse(request, resources, LiveCanvasRequest)
    return await _safely(
        resources, lambda: cards.live(resources.canvases, extract_context(payload))
    )


@post("/messenger/submit-sheet", status_code=200)
async def messenger_submit_sheet(
    request: Request[Any, Any, Any], resources: NamedDependency[Resources]
) -> dict[str, Any]:
    """The sheet called ``submitSheet(values)``: continue the card with those values."""
    payload = await _parse(request, resources, SubmitSheetRequest)
    return await _safely(
        resources,
        lambda: cards.sheet_submitted(
            resources.canvases, payload.sheet_values, payload.stored_data, extract_context(payload)
        ).to_wire(),
    )


async def _inbox_panel(
    resources: Resources, payload: CanvasRequest, notice: str | None = None
) -> dict[str, Any]:
    context = await inbox_context(resources.db, extract_context(payload))
    panel = resources.canvases.inbox_panel(context)
    teams = team_choices(resources.brain.current)
    qualified = (context.get("lead") or {}).get("qualified")
    return inbox.with_actions(panel, teams, qualified, notice).to_wire()


async def _inbox_action(resources: Resources, payload: SubmitRequest) -> str | None:
    conversation_id = payload.conversation_id
    if not conversation_id or payload.component_id == inbox.REFRESH:
        return None
    admin = payload.admin
    agent = (admin.name if admin else None) or "An agent"
    if payload.component_id in {inbox.QUALIFIED, inbox.NOT_QUALIFIED}:
        verdict = payload.component_id == inbox.QUALIFIED
        return await record_verdict(
            resources.db, conversation_id, admin.id if admin else None, verdict
        )
    if payload.component_id == inbox.REROUTE:
        team = str(payload.input_values.get(inbox.TEAM) or "")
        notice = await apply_reroute(
            resources.db, resources.brain.current, conversation_id, team, agent
        )
        if resources.worker is not None:
            resources.worker.wake_outbox()
        return notice
    return None


@post("/inbox/initialize", status_code=200)
async def inbox_initialize(
    request: Request[Any, Any, Any], resources: NamedDependency[Resources]
) -> dict[str, Any]:
    """The agent's panel: what Concierge knows about this conversation and contact."""
    payload = await _parse(request, resources, InitializeRequest)
    return await _safely(resources, lambda: _inbox_panel(resources, payload))


@post("/inbox/submit", status_code=200)
async def inbox_submit(
    request: Request[Any, Any, Any], resources: NamedDependency[Resources]
) -> dict[str, Any]:
    """An agent clicked in the panel (today every action refreshes it)."""
    payload = await _parse(request, resources, SubmitRequest)

    async def act_then_render() -> dict[str, Any]:
        notice = await _inbox_action(resources, payload)
        return await _inbox_panel(resources, payload, notice)

    return await _safely(resources, act_then_render)


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
