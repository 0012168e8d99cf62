"""Canvas Kit routes for the Messenger app and the Inbox app.

Every route verifies ``X-Body-Signature`` on the raw bytes first (401 JSON when wrong),
then parses a tolerant request model (400 JSON when the body is not a Canvas Kit request).
After that, nothing escapes as a bare 500: a failure inside a handler is rendered as an
error canvas the person can read.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

import structlog
from litestar import Request, Router, post
from litestar.di import NamedDependency, Provide

from concierge.bot import cards as bot_cards
from concierge.bot.agent import team_choices
from concierge.bot.stock import canvas_lookups
from concierge.canvas import cards, flow_cards, inbox, meeting_cards
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
from concierge.runtime.clock import utc_now
from concierge.runtime.events import MeetingDesk
from concierge.web import booking_canvas
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


def _desk(resources: Resources) -> MeetingDesk | None:
    """The meetings of the current playbook (``None``: no meetings are offered)."""
    return resources.meetings.current() if resources.meetings is not None else None


def _messenger_context(resources: Resources, payload: CanvasRequest) -> dict[str, Any]:
    """The request's context, plus ``meetings.bookable`` for the home card's booking button."""
    bookable = bool(booking_canvas.bookable(_desk(resources)))
    return {**extract_context(payload), "meetings": {"bookable": bookable}}


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
    return await _safely(resources, lambda: _messenger_card(resources, payload))


async def _messenger_card(resources: Resources, payload: InitializeRequest) -> dict[str, Any]:
    """A booking card (``card_creation_options.meeting``), else the card chosen or home."""
    options, desk = payload.card_creation_options, _desk(resources)
    meeting = booking_canvas.requested_meeting(options)
    if meeting is not None and desk is not None:
        routing = resources.brain.current.routing
        return (await booking_canvas.slot_picker(desk, routing, meeting, payload)).to_wire()
    context = _messenger_context(resources, payload)
    return cards.initialize(resources.canvases, context, options).to_wire()


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
    stored, context = payload.stored_data, _messenger_context(resources, payload)
    contact = context.get("contact") or {}
    desk = _desk(resources)
    if desk is not None and (booked := await booking_canvas.step(desk, brain.routing, payload)):
        return booked.to_wire()
    if stored.get("screen") in meeting_cards.SCREENS:
        return resources.canvases.messenger_initialize(context).to_wire()
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
        resources, lambda: cards.live(resources.canvases, _messenger_context(resources, payload))
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


def _now(resources: Resources) -> datetime:
    """The app's clock (the meetings' clock, which tests fix), else the real time."""
    return resources.meetings.clock() if resources.meetings is not None else utc_now()


async def _inbox_panel(
    resources: Resources,
    payload: CanvasRequest,
    notice: str | None = None,
    card_creation_options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    brain = resources.brain.current
    base = extract_context(payload)
    context = await inbox_context(resources.db, base, brain, _now(resources))
    panel = resources.canvases.inbox_panel(context)
    qualified = (context.get("lead") or {}).get("qualified")
    return inbox.with_actions(
        panel,
        team_choices(brain),
        qualified,
        notice,
        meetings=booking_canvas.bookable(_desk(resources)),
        card_creation_options=card_creation_options,
    ).to_wire()


def _booking_card(resources: Resources, payload: SubmitRequest) -> dict[str, Any] | None:
    """The options of a booking card the agent asked to send (``None``: not that click)."""
    meetings = booking_canvas.bookable(_desk(resources))
    meeting = inbox.booking_request(payload.component_id, meetings)
    return {booking_canvas.MEETING_OPTION: meeting} if meeting else None


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
    """An agent clicked in the panel: act, then show the panel again (a "send booking card"
    click also returns ``card_creation_options`` so Intercom inserts the booking card)."""
    payload = await _parse(request, resources, SubmitRequest)

    async def act_then_render() -> dict[str, Any]:
        if (options := _booking_card(resources, payload)) is not None:
            notice = "Booking card added to your reply."
            return await _inbox_panel(resources, payload, notice, options)
        return await _inbox_panel(resources, payload, await _inbox_action(resources, payload))

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
