"""Screens with server-computed values (``lookup:``) and parts shown once per value
(``repeat:``): what the customer sees for many, one and no values, and load-time checks."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from concierge.canvas.errors import CanvasTemplateError
from concierge.canvas.responses import CanvasResponse
from concierge.canvas.templates import CanvasLibrary
from tests.unit.canvas.recording import RecordingLookup

HOME = """
components:
  - {type: input, id: product, label: Product}
  - {type: button, id: look, label: Look, action: {type: submit}}
on_submit:
  look: results
"""

RESULTS = """
lookup: stock
components:
  - type: text
    text: "{{ lookup.title | Nothing to show }}"
    style: header
  - type: text
    repeat: lookup.warning
    text: "Careful: {{ item.text }}"
  - type: data-table
    items:
      - {type: field-value, field: Asked for, value: "{{ answer_text.product | — }}"}
  - type: data-table
    items:
      - type: field-value
        repeat: lookup.rows
        field: "{{ item.branch }}"
        value: "{{ item.count }} on hand"
  - type: button
    repeat: lookup.rows
    id: "pick_{{ item.id }}"
    label: "Pick {{ item.branch }}"
    action: {type: submit}
event: completed
"""

INBOX = """
components:
  - {type: text, text: Panel}
"""


def write(directory: Path, name: str, text: str) -> None:
    (directory / f"{name}.yaml").write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture
def library(tmp_path: Path) -> CanvasLibrary:
    write(tmp_path, "messenger_home", HOME)
    write(tmp_path, "results", RESULTS)
    write(tmp_path, "inbox_panel", INBOX)
    return CanvasLibrary.load(tmp_path)


def look(library: CanvasLibrary, lookup: RecordingLookup | None) -> list[dict[str, Any]]:
    home = library.messenger_initialize({})
    lookups = {"stock": lookup} if lookup is not None else None
    shown: CanvasResponse = library.messenger_submit(
        "look", {"product": "QO120"}, home.canvas.stored_data, {}, lookups
    )
    components: list[dict[str, Any]] = shown.to_wire()["canvas"]["content"]["components"]
    return components


def test_the_lookup_gets_the_answers_and_fills_the_screen(library: CanvasLibrary) -> None:
    lookup = RecordingLookup({"title": "Breakers"})
    shown = look(library, lookup)
    assert lookup.asked == [{"product": "QO120"}]
    assert shown[0]["text"] == "Breakers"
    assert shown[1]["items"][0]["value"] == "QO120"


def test_a_row_and_a_button_are_shown_once_per_listed_value(library: CanvasLibrary) -> None:
    rows = [{"id": "pdx", "branch": "Portland", "count": 410}, {"id": "sle", "branch": "Salem"}]
    shown = look(library, RecordingLookup({"title": "Breakers", "rows": rows}))
    table = shown[2]
    assert [(row["field"], row["value"]) for row in table["items"]] == [
        ("Portland", "410 on hand"),
        ("Salem", " on hand"),
    ]
    assert [(c["id"], c["label"]) for c in shown if c["type"] == "button"] == [
        ("pick_pdx", "Pick Portland"),
        ("pick_sle", "Pick Salem"),
    ]


def test_a_single_value_shows_its_part_once_and_nothing_shows_none(
    library: CanvasLibrary,
) -> None:
    warned = look(library, RecordingLookup({"warning": {"text": "last few"}}))
    assert [c["text"] for c in warned if c["type"] == "text"] == [
        "Nothing to show",
        "Careful: last few",
    ]
    quiet = look(library, RecordingLookup({"warning": None, "rows": []}))
    assert [c["type"] for c in quiet] == ["text", "data-table"]


def test_without_its_lookup_the_screen_shows_its_defaults(library: CanvasLibrary) -> None:
    shown = look(library, None)
    assert shown[0]["text"] == "Nothing to show"
    assert len([c for c in shown if c["type"] == "data-table"]) == 1


def load_problems(directory: Path) -> str:
    with pytest.raises(CanvasTemplateError) as caught:
        CanvasLibrary.load(directory)
    return str(caught.value)


def test_an_unknown_lookup_or_a_bad_repeat_path_names_the_line(tmp_path: Path) -> None:
    write(tmp_path, "messenger_home", HOME)
    write(tmp_path, "inbox_panel", INBOX)
    bad = RESULTS.replace("lookup: stock", "lookup: prices").replace(
        "repeat: lookup.warning", "repeat: lookup..warning"
    )
    write(tmp_path, "results", bad)
    problems = load_problems(tmp_path)
    assert f"{tmp_path / 'results.yaml'}:1:" in problems
    assert "'prices' is not one of ['stock']" in problems
    assert f"{tmp_path / 'results.yaml'}:7:" in problems


def test_a_repeated_part_is_checked_like_any_other_when_loading(tmp_path: Path) -> None:
    write(tmp_path, "messenger_home", HOME)
    write(tmp_path, "inbox_panel", INBOX)
    write(tmp_path, "results", RESULTS.replace('    label: "Pick {{ item.branch }}"\n', ""))
    problems = load_problems(tmp_path)
    assert f"{tmp_path / 'results.yaml'}:18: components.4: 'label' is a required property" in (
        problems
    )
