"""Canvas templates: loading points at file:line, rendering fills placeholders, and the Messenger
screens navigate, validate, carry answers forward and never raise."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from concierge.canvas.errors import CanvasError, CanvasTemplateError, UnknownTemplateError
from concierge.canvas.responses import CanvasResponse
from concierge.canvas.templates import CanvasLibrary

HOME = """
components:
  - type: text
    text: "Hi {{ contact.first_name | there }}"
    style: header
  - {type: button, id: order, label: Order, action: {type: submit}}
  - {type: button, id: help, label: Help, action: {type: submit}}
on_submit:
  order: order_form
  help: done
"""

ORDER_FORM = """
stored_data: {flow: order}
components:
  - {type: input, id: email, label: Email, value: "{{ contact.email }}"}
  - {type: input, id: quantity, label: Quantity}
  - {type: textarea, id: note, label: Note}
  - type: dropdown
    id: branch
    label: Branch
    options:
      - {type: option, id: salem, text: Salem}
      - {type: option, id: eugene, text: Eugene}
  - type: checkbox
    id: extras
    label: Extras
    options:
      - {type: option, id: delivery, text: Delivery}
      - {type: option, id: cut, text: Cut to length}
  - {type: button, id: send, label: Send, action: {type: submit}}
  - {type: button, id: back, label: Back, action: {type: submit}}
validate:
  email: email
  quantity: {rule: positive_integer, hint: "How many reels? A whole number, please."}
  note: required
  branch: required
on_submit:
  send: done
  back: {to: messenger_home, validate: false}
"""

DONE = """
components:
  - type: data-table
    items:
      - {type: field-value, field: Email, value: "{{ answers.email | — }}"}
      - {type: field-value, field: Branch, value: "{{ answer_text.branch | — }}"}
      - {type: field-value, field: Extras, value: "{{ answer_text.extras | none }}"}
event: completed
"""

INBOX = """
components:
  - type: data-table
    items:
      - {type: field-value, field: Status, value: "{{ conversation.status | — }}"}
      - {type: field-value, field: Seen, value: "{{ conversation.messages_seen | — }}"}
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@pytest.fixture
def canvases(tmp_path: Path) -> Path:
    write(tmp_path, "messenger_home", HOME)
    write(tmp_path, "order_form", ORDER_FORM)
    write(tmp_path, "done", DONE)
    write(tmp_path, "inbox_panel", INBOX)
    return tmp_path


@pytest.fixture
def library(canvases: Path) -> CanvasLibrary:
    return CanvasLibrary.load(canvases)


def components(response: CanvasResponse) -> list[dict[str, Any]]:
    wire = response.to_wire()
    found: list[dict[str, Any]] = wire["canvas"]["content"]["components"]
    return found


def by_id(response: CanvasResponse, ident: str) -> dict[str, Any]:
    return next(c for c in components(response) if c.get("id") == ident)


def load_problems(directory: Path, **kwargs: Any) -> str:
    with pytest.raises(CanvasTemplateError) as caught:
        CanvasLibrary.load(directory, **kwargs)
    return str(caught.value)


GOOD_ORDER = {
    "email": "ada@example.com",
    "quantity": "4",
    "note": "Two reels",
    "branch": "eugene",
    "extras": ["delivery", "cut"],
}


class TestRender:
    def test_placeholders_are_filled_from_the_context(self, library: CanvasLibrary) -> None:
        shown = library.render("messenger_home", {"contact": {"name": "Ada Lovelace"}})
        assert shown.to_wire()["content"]["components"][0]["text"] == "Hi Ada"

    def test_defaults_fill_missing_values(self, library: CanvasLibrary) -> None:
        shown = library.render("messenger_home", {})
        assert shown.to_wire()["content"]["components"][0]["text"] == "Hi there"

    def test_round_trip_keeps_the_wire_shape(self, library: CanvasLibrary) -> None:
        wire = library.render("order_form", {"contact": {"email": "a@b.co"}}).to_wire()
        assert wire["content"]["components"][0] == {
            "type": "input",
            "id": "email",
            "label": "Email",
            "value": "a@b.co",
        }
        assert wire["content"]["components"][4]["options"][1] == {
            "type": "option",
            "id": "cut",
            "text": "Cut to length",
        }

    def test_stored_data_names_the_screen_and_keeps_template_state(
        self, library: CanvasLibrary
    ) -> None:
        shown = library.render("order_form", {}, stored_data={"answers": {"x": "1"}})
        assert shown.stored_data == {"flow": "order", "answers": {"x": "1"}, "screen": "order_form"}

    def test_unknown_template_raises_a_canvas_error(self, library: CanvasLibrary) -> None:
        with pytest.raises(UnknownTemplateError, match="no canvas template named 'nope'"):
            library.render("nope", {})
        assert issubclass(UnknownTemplateError, CanvasError)

    def test_names_lists_templates_including_the_built_in_error(
        self, library: CanvasLibrary
    ) -> None:
        assert library.names == ["done", "error", "inbox_panel", "messenger_home", "order_form"]


class TestMessengerScreens:
    def test_initialize_shows_home(self, library: CanvasLibrary) -> None:
        response = library.messenger_initialize({"contact": {"first_name": "Grace"}})
        assert components(response)[0]["text"] == "Hi Grace"
        assert response.canvas.stored_data == {"screen": "messenger_home"}
        assert response.event is None

    def test_submit_follows_on_submit(self, library: CanvasLibrary) -> None:
        response = library.messenger_submit("order", {}, {"screen": "messenger_home"}, {})
        assert response.canvas.stored_data is not None
        assert response.canvas.stored_data["screen"] == "order_form"
        assert by_id(response, "quantity")["label"] == "Quantity"

    def test_valid_answers_move_on_and_carry_forward(self, library: CanvasLibrary) -> None:
        form = library.messenger_submit("order", {}, {"screen": "messenger_home"}, {})
        assert form.canvas.stored_data is not None
        done = library.messenger_submit("send", GOOD_ORDER, form.canvas.stored_data, {})
        table = components(done)[0]["items"]
        assert [row["value"] for row in table] == [
            "ada@example.com",
            "Eugene",
            "Delivery, Cut to length",
        ]
        assert done.canvas.stored_data is not None
        assert done.canvas.stored_data["answers"]["quantity"] == "4"
        assert done.canvas.stored_data["flow"] == "order"

    def test_final_screen_is_marked_completed(self, library: CanvasLibrary) -> None:
        done = library.messenger_submit("help", {}, {"screen": "messenger_home"}, {})
        assert done.to_wire()["event"] == {"type": "completed"}

    def test_invalid_answers_show_the_same_screen_with_failures(
        self, library: CanvasLibrary
    ) -> None:
        entered = {**GOOD_ORDER, "email": "ada at example", "quantity": "0", "note": "  "}
        stored = {"screen": "order_form", "answers": {"earlier": "kept"}}
        response = library.messenger_submit("send", entered, stored, {})
        assert response.canvas.stored_data == {**stored, "flow": "order"}
        assert response.event is None
        email, quantity, note = (
            by_id(response, "email"),
            by_id(response, "quantity"),
            by_id(response, "note"),
        )
        assert (email["save_state"], email["value"]) == ("failed", "ada at example")
        assert (quantity["save_state"], quantity["value"]) == ("failed", "0")
        assert note["error"] is True
        assert by_id(response, "branch")["value"] == "eugene"
        assert "save_state" not in by_id(response, "branch")
        assert by_id(response, "extras")["value"] == ["delivery", "cut"]

    def test_each_failure_gets_its_hint_below_the_field(self, library: CanvasLibrary) -> None:
        entered = {**GOOD_ORDER, "quantity": "lots"}
        shown = components(library.messenger_submit("send", entered, {"screen": "order_form"}, {}))
        position = next(i for i, c in enumerate(shown) if c.get("id") == "quantity")
        assert shown[position + 1] == {
            "type": "text",
            "text": "How many reels? A whole number, please.",
            "style": "error",
        }
        assert [c for c in shown if c.get("style") == "error"] == [shown[position + 1]]

    def test_default_hints_explain_the_rule(self, library: CanvasLibrary) -> None:
        entered = {**GOOD_ORDER, "email": "nope", "branch": None}
        shown = components(library.messenger_submit("send", entered, {"screen": "order_form"}, {}))
        hints = [c["text"] for c in shown if c.get("style") == "error"]
        assert hints == [
            "Please enter an email address, like name@company.com.",
            "Please fill this in.",
        ]

    def test_navigation_can_skip_validation(self, library: CanvasLibrary) -> None:
        response = library.messenger_submit("back", {"quantity": "x"}, {"screen": "order_form"}, {})
        assert response.canvas.stored_data is not None
        assert response.canvas.stored_data["screen"] == "messenger_home"

    def test_unknown_component_renders_a_helpful_error(self, library: CanvasLibrary) -> None:
        response = library.messenger_submit("launch", {}, {"screen": "messenger_home"}, {})
        first = components(response)[0]
        assert first["style"] == "error"
        assert "isn't available any more" in first["text"]
        assert by_id(response, "start_over")["label"] == "Start over"

    @pytest.mark.parametrize("stored", [{}, {"screen": "deleted_screen"}, {"screen": 7}])
    def test_unknown_screen_renders_a_helpful_error(
        self, library: CanvasLibrary, stored: dict[str, Any]
    ) -> None:
        response = library.messenger_submit("order", {}, stored, {})
        assert "expired" in components(response)[0]["text"]

    def test_initialize_can_start_on_another_screen(self, library: CanvasLibrary) -> None:
        response = library.messenger_initialize({}, screen="order_form")
        assert by_id(response, "send")["label"] == "Send"
        assert "expired" in components(library.messenger_initialize({}, screen="gone"))[0]["text"]

    def test_garbled_stored_answers_are_ignored_not_fatal(self, library: CanvasLibrary) -> None:
        stored = {"screen": "order_form", "answers": "garbled", "answer_text": [1, 2]}
        done = library.messenger_submit("send", GOOD_ORDER, stored, {})
        assert done.completed
        assert done.canvas.stored_data is not None
        assert done.canvas.stored_data["answers"] == GOOD_ORDER

    def test_start_over_from_the_error_card_goes_home(self, library: CanvasLibrary) -> None:
        error = library.messenger_submit("launch", {}, {"screen": "messenger_home"}, {})
        assert error.canvas.stored_data is not None
        home = library.messenger_submit("start_over", {}, error.canvas.stored_data, {})
        assert components(home)[0]["text"] == "Hi there"

    def test_a_canvas_broken_at_runtime_becomes_an_error_card(self, tmp_path: Path) -> None:
        write(
            tmp_path,
            "messenger_home",
            HOME.replace("order_form", "picture").replace("help: done", "help: picture"),
        )
        write(
            tmp_path,
            "picture",
            """
            components:
              - type: image
                url: "{{ product.image | https://example.com/a.png }}"
                width: 10
                height: 10
            """,
        )
        library = CanvasLibrary.load(tmp_path, required=["messenger_home"])
        context = {"product": {"image": "not a url"}}
        response = library.messenger_submit("order", {}, {"screen": "messenger_home"}, context)
        assert components(response)[0]["style"] == "error"
        assert "went wrong" in components(response)[0]["text"]


class TestErrorsAndInbox:
    def test_render_error_shows_the_message_in_error_style(self, library: CanvasLibrary) -> None:
        response = library.render_error("We could not reach the stock system.")
        assert components(response)[0] == {
            "type": "text",
            "text": "We could not reach the stock system.",
            "style": "error",
        }

    def test_render_error_without_a_message_apologises(self, library: CanvasLibrary) -> None:
        assert "went wrong" in components(library.render_error("  "))[0]["text"]

    def test_designers_can_replace_the_error_template(self, canvases: Path) -> None:
        write(
            canvases,
            "error",
            '{components: [{type: text, text: "Oops: {{ error.message }}", style: error}]}',
        )
        library = CanvasLibrary.load(canvases)
        assert components(library.render_error("no stock"))[0]["text"] == "Oops: no stock"

    def test_inbox_panel_shows_dashes_for_missing_values(self, library: CanvasLibrary) -> None:
        response = library.inbox_panel({"conversation": {"status": "open", "messages_seen": None}})
        assert [row["value"] for row in components(response)[0]["items"]] == ["open", "—"]

    def test_inbox_panel_missing_template_is_an_error_card(self, canvases: Path) -> None:
        (canvases / "inbox_panel.yaml").unlink()
        library = CanvasLibrary.load(canvases, required=["messenger_home"])
        assert components(library.inbox_panel({}))[0]["style"] == "error"


class TestLoadingProblems:
    def test_yaml_syntax_error_names_file_and_line(self, canvases: Path) -> None:
        path = write(canvases, "broken", "components:\n  - type: text\n    text: [unclosed\n")
        assert f"{path}:" in load_problems(canvases)
        assert "not valid YAML" in load_problems(canvases)

    def test_unquoted_placeholder_gets_a_hint(self, canvases: Path) -> None:
        path = write(
            canvases, "broken", "components:\n  - type: text\n    text: {{ contact.name }}\n"
        )
        message = load_problems(canvases)
        assert f"{path}:3: " in message
        assert "must be quoted" in message

    def test_schema_error_names_the_line(self, canvases: Path) -> None:
        path = write(
            canvases, "broken", "components:\n  - type: text\n    text: Hi\n    colour: red\n"
        )
        assert (
            f"{path}:4: components.0: Additional properties are not allowed ('colour'"
            in load_problems(canvases)
        )

    def test_missing_id_names_the_component_line(self, canvases: Path) -> None:
        path = write(
            canvases,
            "broken",
            "components:\n  - {type: text, text: Hi}\n"
            "  - {type: button, label: Go, action: {type: submit}}\n",
        )
        assert f"{path}:3: components.1: 'id' is a required property" in load_problems(canvases)

    def test_component_rules_are_checked_by_building_a_sample(self, canvases: Path) -> None:
        text = """
        components:
          - {type: button, id: go, label: Go, action: {type: submit}}
          - type: list
            items:
              - {type: item, id: go, title: Again}
        """
        path = write(canvases, "broken", text)
        assert (
            f"{path}:1: components: component ids must be unique within a canvas; repeated: ['go']"
            in load_problems(canvases)
        )

    def test_sheet_url_rule_points_at_the_url_line(self, canvases: Path) -> None:
        text = """
        components:
          - type: button
            id: open
            label: Open
            action:
              type: sheet
              url: http://sheets.example.com
        """
        path = write(canvases, "broken", text)
        assert (
            f"{path}:7: component 1 (button 'open'): action.url: a sheet action must use https"
            in load_problems(canvases)
        )

    def test_bad_placeholder_names_the_line(self, canvases: Path) -> None:
        path = write(
            canvases,
            "broken",
            'components:\n  - {type: text, text: "ok"}\n  - {type: text, text: "Hi {{ name"}\n',
        )
        assert f"{path}:3: '{{{{' without a closing" in load_problems(canvases)

    def test_unknown_navigation_target(self, canvases: Path) -> None:
        path = write(
            canvases,
            "broken",
            "components:\n  - {type: button, id: go, label: Go, action: {type: submit}}\n"
            "on_submit:\n  go: nowhere\n",
        )
        assert (
            f"{path}:4: on_submit 'go' leads to 'nowhere', which is not a template"
            in load_problems(canvases)
        )

    def test_on_submit_must_name_a_component_on_the_screen(self, canvases: Path) -> None:
        path = write(
            canvases,
            "broken",
            "components:\n  - {type: text, text: Hi}\non_submit:\n  gone: done\n",
        )
        assert f"{path}:4: on_submit names 'gone', but no component" in load_problems(canvases)

    def test_validate_must_name_an_input(self, canvases: Path) -> None:
        text = (
            "components:\n  - {type: button, id: go, label: Go, action: {type: submit}}\n"
            "validate:\n  go: required\n"
        )
        path = write(canvases, "broken", text)
        assert f"{path}:4: validate names 'go', but no input" in load_problems(canvases)

    def test_unknown_rule_is_refused(self, canvases: Path) -> None:
        text = "components:\n  - {type: input, id: n}\nvalidate:\n  n: shoe_size\n"
        path = write(canvases, "broken", text)
        assert f"{path}:4: validate.n:" in load_problems(canvases)

    def test_required_templates_must_exist(self, canvases: Path) -> None:
        (canvases / "inbox_panel.yaml").unlink()
        assert "inbox_panel.yaml: this template is required but missing" in load_problems(canvases)

    def test_missing_directory(self, tmp_path: Path) -> None:
        assert "does not exist" in load_problems(tmp_path / "nowhere")

    def test_empty_file(self, canvases: Path) -> None:
        write(canvases, "blank", "")
        assert "blank.yaml: the template is empty" in load_problems(canvases)

    def test_every_problem_in_every_file_is_reported_together(self, canvases: Path) -> None:
        first = write(canvases, "first", "components: []\n")
        second = write(canvases, "second", "components:\n  - {type: spacer, size: huge}\n")
        with pytest.raises(CanvasTemplateError) as caught:
            CanvasLibrary.load(canvases)
        assert {problem.path for problem in caught.value.problems} == {first, second}
        assert all(problem.line is not None for problem in caught.value.problems)
