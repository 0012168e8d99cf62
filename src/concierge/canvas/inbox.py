"""The agent's actions under the Inbox panel: re-route to another team, mark the lead, send
the customer a booking card (the Messenger slot picker) for a meeting type."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from concierge.canvas.builders import button, canvas, divider, dropdown, respond, text
from concierge.canvas.components import Component
from concierge.canvas.responses import CanvasResponse

REROUTE, TEAM, QUALIFIED, NOT_QUALIFIED, REFRESH = (
    "reroute",
    "team",
    "qualified",
    "not_qualified",
    "refresh",
)
SEND_BOOKING = "send_booking:"
"""Prefix of the "send booking card" buttons, followed by the meeting type's name."""
MAX_BOOKING_BUTTONS = 5


def booking_buttons(meetings: Mapping[str, str]) -> list[Component]:
    """One "send booking card" button per meeting type (name → title), the first few."""
    chosen = list(meetings.items())[:MAX_BOOKING_BUTTONS]
    return [
        button(f"{SEND_BOOKING}{name}", f"Send booking card: {title}", style="secondary")
        for name, title in chosen
    ]


def booking_request(component_id: str | None, meetings: Mapping[str, str]) -> str | None:
    """The meeting type a "send booking card" click asks for (``None``: another click, or a
    meeting that is no longer offered)."""
    name = (component_id or "").removeprefix(SEND_BOOKING)
    return name if (component_id or "").startswith(SEND_BOOKING) and name in meetings else None


def action_components(
    teams: Mapping[str, str], qualified: bool | None, meetings: Mapping[str, str] | None = None
) -> list[Component]:
    """Send a booking card (per meeting type), re-route (when there are at least two teams)
    and qualified / not qualified buttons."""
    components: list[Component] = [divider(), *booking_buttons(meetings or {})]
    if 2 <= len(teams) <= 10:
        components += [
            dropdown(TEAM, dict(teams), label="Re-route to"),
            button(REROUTE, "Re-route"),
        ]
    if qualified is not None:
        verdict = "Marked qualified" if qualified else "Marked not qualified"
        components.append(text(verdict, style="muted"))
    components += [
        button(QUALIFIED, "Qualified lead", style="secondary"),
        button(NOT_QUALIFIED, "Not qualified", style="secondary"),
    ]
    return components


def with_actions(
    panel: CanvasResponse,
    teams: Mapping[str, str],
    qualified: bool | None,
    notice: str | None,
    *,
    meetings: Mapping[str, str] | None = None,
    card_creation_options: Mapping[str, Any] | None = None,
) -> CanvasResponse:
    """The panel with a notice (what just happened) and the agent's actions appended;
    ``card_creation_options`` makes Intercom insert the Messenger app into the agent's reply
    with these options (a booking card)."""
    notice_components: list[Component] = [text(notice, style="muted")] if notice else []
    components = [
        *notice_components,
        *panel.canvas.components,
        *action_components(teams, qualified, meetings),
    ]
    shown = canvas(*components, stored_data=panel.canvas.stored_data)
    return respond(shown, card_creation_options=card_creation_options)
