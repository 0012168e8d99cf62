"""The agent's actions under the Inbox panel: re-route to another team, mark the lead."""

from __future__ import annotations

from collections.abc import Mapping

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


def action_components(teams: Mapping[str, str], qualified: bool | None) -> list[Component]:
    """Re-route (when there are at least two teams) and qualified / not qualified buttons."""
    components: list[Component] = [divider()]
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
    panel: CanvasResponse, teams: Mapping[str, str], qualified: bool | None, notice: str | None
) -> CanvasResponse:
    """The panel with a notice (what just happened) and the agent's actions appended."""
    notice_components: list[Component] = [text(notice, style="muted")] if notice else []
    components = [
        *notice_components,
        *panel.canvas.components,
        *action_components(teams, qualified),
    ]
    return respond(canvas(*components, stored_data=panel.canvas.stored_data))
