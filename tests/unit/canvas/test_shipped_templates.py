"""The Portlandia Electric Supply templates in ``canvases/``: they load, render valid Canvas Kit
JSON, and walk a customer through a quote, a stock check and a hand-off."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped, unused-ignore]

from concierge.canvas.responses import CanvasResponse
from concierge.canvas.templates import CanvasLibrary
from tests.unit.canvas.recording import RecordingLookup
from tests.unit.canvas.spec import canvas_spec_errors, spec_errors

ROOT = Path(__file__).resolve().parents[3]
CANVASES = ROOT / "canvases"
SCHEMA = ROOT / "src" / "concierge" / "canvas" / "template.schema.json"
SHIPPED = sorted(path.stem for path in CANVASES.glob("*.yaml"))

FULL_CONTEXT: dict[str, Any] = {
    "contact": {"id": "c1", "name": "Maya Okafor", "email": "maya@okafor-electric.com"},
    "conversation": {
        "id": "215",
        "status": "open",
        "messages_seen": 3,
        "last_bot_action": "asked for a quote",
        "last_bot_action_at": "2024-05-01 14:30 UTC",
    },
    "admin": {"name": "Jordan"},
    "answers": {"quantity": "40"},
}

QUOTE = {
    "need": "40 x 20 A single-pole breakers",
    "quantity": "40",
    "segment": "commercial",
    "email": "maya@okafor-electric.com",
}


@pytest.fixture(scope="module")
def library() -> CanvasLibrary:
    return CanvasLibrary.load(CANVASES)


def texts(response: CanvasResponse) -> list[str]:
    shown = response.to_wire()["canvas"]["content"]["components"]
    found = [c.get("text", "") for c in shown]
    found += [c["label"] for c in shown if "label" in c]
    found += [row["value"] for c in shown if c["type"] == "data-table" for row in c["items"]]
    return found


def components(response: CanvasResponse) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = response.to_wire()["canvas"]["content"]["components"]
    return shown


def submit(
    library: CanvasLibrary, response: CanvasResponse, component_id: str, values: dict[str, Any]
) -> CanvasResponse:
    stored = response.canvas.stored_data or {}
    return library.messenger_submit(component_id, values, stored, FULL_CONTEXT)


def test_the_playbook_ships_the_expected_screens() -> None:
    expected = {
        "messenger_home",
        "quote_request",
        "quote_received",
        "stock_check",
        "stock_received",
        "talk_to_person",
        "inbox_panel",
        "error",
    }
    assert expected <= set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_each_template_points_editors_at_the_schema(name: str) -> None:
    first_line = (CANVASES / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first_line)
    assert match is not None
    assert (CANVASES / match.group(1)).resolve() == SCHEMA.resolve()


def test_the_template_schema_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(json.loads(SCHEMA.read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", SHIPPED)
@pytest.mark.parametrize("context", [FULL_CONTEXT, {}], ids=["full", "empty"])
def test_each_template_renders_canvas_kit_json_that_matches_the_spec(
    library: CanvasLibrary, name: str, context: dict[str, Any]
) -> None:
    shown = library.render(name, context)
    assert canvas_spec_errors(shown.to_wire()) == []
    no_placeholders_left = "{{" not in shown.to_json()
    assert no_placeholders_left


def test_home_greets_by_first_name_and_offers_three_paths(library: CanvasLibrary) -> None:
    home = library.messenger_initialize(FULL_CONTEXT)
    shown = texts(home)
    assert shown[0].startswith("Hi Maya,")
    assert {"Get a quote", "Check stock", "Talk to a person"} <= set(shown)
    assert spec_errors(home.to_wire(), "initialize_response") == []


def test_home_greets_someone_without_a_name(library: CanvasLibrary) -> None:
    assert texts(library.messenger_initialize({}))[0].startswith("Hi there,")


def test_quote_flow_checks_answers_then_confirms_them(library: CanvasLibrary) -> None:
    form = submit(library, library.messenger_initialize(FULL_CONTEXT), "get_quote", {})
    email = next(
        c for c in form.to_wire()["canvas"]["content"]["components"] if c.get("id") == "email"
    )
    assert email["value"] == "maya@okafor-electric.com"

    retry = submit(library, form, "send_quote", {**QUOTE, "quantity": "forty"})
    assert "Please enter a whole number greater than zero, like 25." in texts(retry)
    assert retry.event is None

    done = submit(library, retry, "send_quote", QUOTE)
    assert done.to_wire()["event"] == {"type": "completed"}
    assert {QUOTE["need"], "40", "Commercial", QUOTE["email"]} <= set(texts(done))
    assert any("sales rep will reply" in text for text in texts(done))
    assert spec_errors(done.to_wire(), "submit_response") == []


def test_stock_check_offers_the_four_branches(library: CanvasLibrary) -> None:
    form = submit(library, library.messenger_initialize({}), "check_stock", {})
    shown = form.to_wire()["canvas"]["content"]["components"]
    branch = next(c for c in shown if c.get("id") == "branch")
    assert branch["type"] == "single-select"
    assert [o["text"] for o in branch["options"]] == ["Portland", "Salem", "Eugene", "Vancouver WA"]


STOCK_RESULTS = {
    "title": "Square D QO 20A 1-Pole Circuit Breaker (SKU QO120)",
    "summary": "Yes — Vancouver WA has 120 on hand. Portland has 410.",
    "branches": [
        {"branch": "Portland", "stock": "410 on hand · 3-day lead time"},
        {"branch": "Vancouver WA", "stock": "120 on hand · 4-day lead time"},
    ],
}


def test_stock_check_checks_its_answers_before_looking_anything_up(
    library: CanvasLibrary,
) -> None:
    lookup = RecordingLookup(STOCK_RESULTS)
    lookups = {"stock": lookup}
    form = submit(library, library.messenger_initialize({}), "check_stock", {})
    cases = [
        ({"product": "QO120", "branch": None}, "Please pick the branch you'd pick up from."),
        ({"product": " ", "branch": "salem"}, "Please tell us which product to look for."),
        ({"product": "QO120", "branch": "salem", "quantity": "0"}, "greater than zero"),
    ]
    for values, hint in cases:
        refused = library.messenger_submit("check", values, form.canvas.stored_data, {}, lookups)
        assert any(hint in text for text in texts(refused))
        assert not refused.completed
    assert lookup.asked == []


def test_stock_results_list_each_branch_from_the_lookup(library: CanvasLibrary) -> None:
    lookup = RecordingLookup(STOCK_RESULTS)
    lookups = {"stock": lookup}
    form = submit(library, library.messenger_initialize({}), "check_stock", {})
    values = {"product": "QO120", "branch": "vancouver_wa", "quantity": ""}
    done = library.messenger_submit("check", values, form.canvas.stored_data, {}, lookups)

    assert lookup.asked == [{"product": "QO120", "branch": "Vancouver WA", "quantity": ""}]
    assert done.completed
    table = next(c for c in components(done) if c["type"] == "data-table")
    assert [(row["field"], row["value"]) for row in table["items"]] == [
        ("Portland", "410 on hand · 3-day lead time"),
        ("Vancouver WA", "120 on hand · 4-day lead time"),
    ]
    assert {STOCK_RESULTS["title"], STOCK_RESULTS["summary"]} <= set(texts(done))
    assert spec_errors(done.to_wire(), "submit_response") == []
    again = submit(library, done, "search_again", {})
    assert "Product or part number" in texts(again)


def test_stock_results_without_a_lookup_say_so_instead_of_an_empty_table(
    library: CanvasLibrary,
) -> None:
    form = submit(library, library.messenger_initialize({}), "check_stock", {})
    done = submit(library, form, "check", {"product": "QO120", "branch": "salem"})
    assert "We couldn't check stock just now. Please try again." in texts(done)
    assert not [c for c in components(done) if c["type"] == "data-table"]
    assert "Talk to a person" in texts(done)


def test_talk_to_a_person_is_final(library: CanvasLibrary) -> None:
    done = submit(library, library.messenger_initialize(FULL_CONTEXT), "talk_to_person", {})
    assert done.completed
    assert any("Someone from our team will reply" in text for text in texts(done))


def test_back_buttons_return_home_without_checking_answers(library: CanvasLibrary) -> None:
    form = submit(library, library.messenger_initialize({}), "get_quote", {})
    home = submit(library, form, "back", {"quantity": "not a number"})
    assert "Get a quote" in texts(home)


def test_inbox_panel_shows_what_the_bot_saw(library: CanvasLibrary) -> None:
    panel = library.inbox_panel(FULL_CONTEXT)
    assert {"Maya Okafor", "open", "3", "asked for a quote", "2024-05-01 14:30 UTC"} <= set(
        texts(panel)
    )


def test_inbox_panel_shows_dashes_when_the_database_has_nothing(library: CanvasLibrary) -> None:
    panel = library.inbox_panel({"conversation": {"id": "215"}})
    components = panel.to_wire()["canvas"]["content"]["components"]
    lead = {row["field"]: row["value"] for row in components[1]["items"]}
    assert lead["Lead score"] == "not scored yet"
    assert {value for field, value in lead.items() if field != "Lead score"} == {"—"}
    rows = components[2]["items"]
    assert {row["field"]: row["value"] for row in rows} == {
        "Contact": "—",
        "Email": "—",
        "Status": "—",
        "Messages seen": "—",
        "Last bot action": "—",
        "When": "—",
        "Failed bot actions": "0",
    }


def test_error_card_always_offers_a_way_forward(library: CanvasLibrary) -> None:
    error = library.render_error("We couldn't check stock just now.")
    assert texts(error)[0] == "We couldn't check stock just now."
    assert {"Start over", "Talk to a person"} <= set(texts(error))
    home = submit(library, error, "start_over", {})
    assert "Get a quote" in texts(home)


DATE_PROMISE = re.compile(
    r"\b(tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"january|february|march|april|june|july|august|september|october|november|december|"
    r"\d{4}-\d{2}-\d{2})\b",  # not d/d: wire gauges such as 12/2 are ordinary here
    re.IGNORECASE,
)


@pytest.mark.parametrize("name", SHIPPED)
def test_no_screen_promises_an_exact_date(name: str) -> None:
    text = (CANVASES / f"{name}.yaml").read_text(encoding="utf-8")
    assert DATE_PROMISE.search(text) is None
