"""One Messenger card per flow step, built from a form description (see
``concierge.flows.forms.step_as_form``) without knowing flow internals.

The card carries the flow's JSON state in ``stored_data`` under ``flow_state`` (with
``screen: flow``); the next submit sends the answer back as ``input_values[<id>]`` or, for
buttons, as the clicked ``component_id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from concierge.canvas.builders import (
    button,
    canvas,
    data_table,
    error_text,
    respond,
    single_select,
    text,
    text_input,
)
from concierge.canvas.components import Component, Input
from concierge.canvas.responses import CanvasResponse

FLOW_SCREEN = "flow"
NEXT, SKIP = "flow_next", "flow_skip"
ANSWER_PREFIX = "answer:"


def _choices(form: Mapping[str, Any]) -> dict[str, str]:
    return {str(option["id"]): str(option["label"]) for option in form.get("options", [])}


def _input(form: Mapping[str, Any]) -> list[Component]:
    kind, slot = form.get("input"), str(form.get("id"))
    options = _choices(form)
    if kind == "single_select" and 2 <= len(options) <= 10:
        return [single_select(slot, options, label=form.get("label"), submit_on_select=True)]
    if kind in {"single_select", "yes_no"} and options:
        buttons = [button(f"{ANSWER_PREFIX}{key}", label) for key, label in options.items()]
        return [text(str(form.get("label") or ""), style="header"), *buttons]
    field = text_input(slot, form.get("label"), placeholder=form.get("placeholder"))
    if form.get("error"):
        field = Input.model_validate({**field.model_dump(), "save_state": "failed"})
    return [field, button(NEXT, "Next")]


def flow_card(form: Mapping[str, Any], state: Mapping[str, Any] | None) -> CanvasResponse:
    """The card for one step; a final step ends the app's job (``event: completed``)."""
    stored = {"screen": FLOW_SCREEN, "flow_state": dict(state) if state else None}
    if form.get("final"):
        message = str(form.get("message") or "Thanks, we have everything we need.")
        return respond(canvas(text(message), stored_data=stored), completed=True)
    components: list[Component] = []
    if form.get("intro"):
        components.append(text(str(form["intro"])))
    if form.get("rows"):
        components.append(data_table((row["field"], row["value"]) for row in form["rows"]))
    if form.get("error"):
        components.append(error_text(str(form["error"])))
    components += _input(form)
    if form.get("optional"):
        components.append(button(SKIP, "Skip", style="secondary"))
    return respond(canvas(*components, stored_data=stored))


def answer_from(component_id: str, input_values: Mapping[str, Any], slot: str | None) -> str:
    """The customer's answer on a flow card, as the text a chat message would carry."""
    if component_id == SKIP:
        return "skip"
    if component_id.startswith(ANSWER_PREFIX):
        return component_id.removeprefix(ANSWER_PREFIX)
    value = input_values.get(slot or "", input_values.get(component_id, ""))
    return str(value or "")
