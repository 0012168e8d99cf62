"""Which Messenger cards a teammate can insert (configure), and the screens that continue a
card outside the usual submit path: live content and a submitted sheet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from concierge.canvas.builders import (
    button,
    canvas,
    configure_results,
    live_content,
    respond,
    single_select,
    text,
)
from concierge.canvas.responses import CanvasResponse, ConfigureResults
from concierge.canvas.templates import CanvasLibrary

HOME = "messenger_home"
INSERTABLE: dict[str, str] = {
    "messenger_home": "Home card: quote, stock, talk to a person",
    "quote_request": "Quote request form",
    "stock_check": "Stock check",
}
CHOICE, INSERT = "card", "insert_card"


def configure(
    library: CanvasLibrary, component_id: str | None, input_values: Mapping[str, Any]
) -> CanvasResponse | ConfigureResults:
    """First call: let the teammate pick a card. After "Insert": that card's options."""
    choices = {name: label for name, label in INSERTABLE.items() if name in library}
    chosen = str(input_values.get(CHOICE) or "")
    if component_id == INSERT and chosen in choices:
        return configure_results({"screen": chosen})
    picker = canvas(
        text("Which card should Concierge add to this conversation?", style="header"),
        single_select(CHOICE, choices, label="Card"),
        button(INSERT, "Insert card"),
    )
    return respond(picker)


def initialize(
    library: CanvasLibrary, context: Mapping[str, Any], options: Mapping[str, Any]
) -> CanvasResponse:
    """The card a teammate chose in configure, or the home card."""
    screen = str(options.get("screen") or HOME)
    return library.messenger_initialize(context, screen if screen in INSERTABLE else HOME)


def live(library: CanvasLibrary, context: Mapping[str, Any]) -> dict[str, Any]:
    """Live canvas content: the home card rendered for whoever is looking now."""
    response = library.messenger_initialize(context, HOME)
    return live_content(*response.canvas.components).to_wire()


def sheet_submitted(
    library: CanvasLibrary,
    sheet_values: Mapping[str, Any],
    stored_data: Mapping[str, Any],
    context: Mapping[str, Any],
) -> CanvasResponse:
    """Back from a sheet: keep its values with the card's answers and show the same screen."""
    screen = str(stored_data.get("screen") or HOME)
    answers = {**dict(stored_data.get("answers") or {}), **dict(sheet_values)}
    stored = {**dict(stored_data), "answers": answers}
    try:
        return respond(library.render(screen, context, stored))
    except Exception:  # noqa: BLE001 - the person sees an error card, never a failure
        return library.render_error("We could not show that card again; please start over.")
