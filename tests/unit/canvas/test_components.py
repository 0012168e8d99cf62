"""Canvas Kit components: the rules Intercom documents are enforced when we build, and what we
send is exactly Intercom's wire JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest

from concierge.canvas.actions import SheetAction, SubmitAction, UrlAction, sheet_action, url_action
from concierge.canvas.builders import (
    button,
    canvas,
    checkbox,
    configure_results,
    data_table,
    divider,
    dropdown,
    error_text,
    header,
    image,
    item_list,
    link_button,
    list_item,
    live_content,
    respond,
    single_select,
    spacer,
    text,
    text_input,
    textarea,
)
from concierge.canvas.components import Checkbox, ListItem, Option
from concierge.canvas.errors import CanvasError
from concierge.canvas.responses import Canvas, parse_canvas
from tests.unit.canvas.spec import canvas_spec_errors, spec_errors


def choices(count: int) -> dict[str, str]:
    return {f"o{n}": f"Option {n}" for n in range(count)}


def one_component(component: dict[str, Any]) -> Canvas:
    return parse_canvas({"content": {"components": [component]}})


def every_component() -> Canvas:
    return canvas(
        header("Welcome"),
        text("Plain *bold* text", align="center"),
        error_text("That did not work"),
        image("https://example.com/logo.png", 120, 40, align="full_width", rounded=True),
        spacer("m"),
        divider(),
        data_table({"Branch": "Salem", "Quantity": 40}),
        item_list(
            list_item("order_1", "Order 1001", subtitle="Shipped"),
            ListItem(
                id="order_2",
                title="Order 1002",
                image="https://example.com/box.png",
                image_width=48,
                image_height=48,
            ),
        ),
        button("go", "Go"),
        link_button("docs", "Read the docs", "https://example.com/docs", style="link"),
        text_input("email", "Email", placeholder="you@company.com"),
        textarea("need", "What do you need?"),
        dropdown("size", choices(3), label="Size"),
        single_select("branch", choices(4), label="Branch", submit_on_select=True),
        checkbox("extras", "Extras", choices(2), value=["o1"]),
        stored_data={"screen": "home"},
    )


class TestWireJson:
    def test_types_are_spelled_as_intercom_spells_them(self) -> None:
        wire = every_component().to_wire()
        types = [component["type"] for component in wire["content"]["components"]]
        assert "data-table" in types
        assert "single-select" in types
        assert wire["content"]["components"][6]["items"][1]["type"] == "field-value"
        assert wire["content"]["components"][7]["items"][0]["type"] == "item"

    def test_unset_fields_are_left_out_and_values_are_text(self) -> None:
        assert data_table({"Quantity": 40}).to_wire() == {
            "type": "data-table",
            "items": [{"type": "field-value", "field": "Quantity", "value": "40"}],
        }
        assert button("go", "Go").to_wire() == {
            "type": "button",
            "id": "go",
            "label": "Go",
            "action": {"type": "submit"},
        }

    def test_checkbox_options_are_emitted_as_options(self) -> None:
        wire = checkbox("extras", "Extras", {"a": "A"}).to_wire()
        assert "options" in wire
        assert "option" not in wire

    def test_checkbox_accepts_the_singular_option_key_when_parsing(self) -> None:
        parsed = Checkbox.model_validate(
            {"id": "c", "label": "L", "option": [{"type": "option", "id": "a", "text": "A"}]}
        )
        assert [option.id for option in parsed.options] == ["a"]

    def test_model_dump_and_to_json_give_the_same_wire_json(self) -> None:
        shown = every_component()
        assert shown.model_dump(exclude_none=True, by_alias=True) == shown.to_wire()
        assert json.loads(shown.to_json()) == shown.to_wire()

    def test_canvas_response_with_completed_event(self) -> None:
        wire = respond(canvas(text("Done")), completed=True).to_wire()
        assert wire == {
            "canvas": {"content": {"components": [{"type": "text", "text": "Done"}]}},
            "event": {"type": "completed"},
        }

    def test_inbox_response_can_carry_card_creation_options(self) -> None:
        wire = respond(canvas(text("Sent")), card_creation_options={"quote": "q1"}).to_wire()
        assert wire["card_creation_options"] == {"quote": "q1"}
        assert "event" not in wire

    def test_configure_results_and_live_content_shapes(self) -> None:
        assert configure_results({"flow": "quote"}).to_wire() == {"results": {"flow": "quote"}}
        live = live_content(text("Now")).to_wire()
        assert live == {"content": {"components": [{"type": "text", "text": "Now"}]}}
        assert spec_errors(live, "live_canvas_response") == []

    def test_everything_we_build_matches_the_2_11_spec(self) -> None:
        assert canvas_spec_errors(every_component().to_wire()) == []

    def test_responses_match_the_2_11_spec(self) -> None:
        response = respond(canvas(text("Done")), completed=True).to_wire()
        assert spec_errors(response, "submit_response") == []
        assert spec_errors(configure_results({"a": 1}).to_wire(), "results_response") == []


class TestOptionCounts:
    @pytest.mark.parametrize("count", [2, 10])
    def test_dropdown_and_single_select_accept_2_to_10(self, count: int) -> None:
        assert len(dropdown("size", choices(count)).options) == count
        assert len(single_select("size", choices(count)).options) == count

    @pytest.mark.parametrize("count", [0, 1, 11])
    def test_dropdown_refuses_too_few_or_too_many(self, count: int) -> None:
        with pytest.raises(CanvasError, match=r"dropdown 'size'.*2 to 10 options, got"):
            dropdown("size", choices(count))

    @pytest.mark.parametrize("count", [1, 11])
    def test_single_select_refuses_too_few_or_too_many(self, count: int) -> None:
        with pytest.raises(CanvasError, match=r"single-select 'branch'.*2 to 10 options"):
            single_select("branch", choices(count))

    def test_checkbox_needs_at_least_one_option(self) -> None:
        assert len(checkbox("terms", "Terms", choices(1)).options) == 1
        with pytest.raises(CanvasError, match=r"checkbox 'terms'.*at least 1 options, got 0"):
            checkbox("terms", "Terms", {})

    def test_option_ids_must_be_unique(self) -> None:
        options = [Option(id="a", text="A"), Option(id="a", text="Again")]
        with pytest.raises(CanvasError, match=r"repeated: \['a'\]"):
            dropdown("size", options)

    def test_default_value_must_be_an_option(self) -> None:
        with pytest.raises(CanvasError, match="not among its option ids"):
            dropdown("size", choices(2), value="huge")
        with pytest.raises(CanvasError, match="not among its option ids"):
            checkbox("extras", "Extras", choices(2), value=["o9"])


class TestRequiredFields:
    @pytest.mark.parametrize(
        "component",
        [
            {"type": "button", "label": "Go", "action": {"type": "submit"}},
            {"type": "input", "label": "Email"},
            {"type": "textarea"},
            {"type": "dropdown", "options": [{"type": "option", "id": "a", "text": "A"}] * 2},
            {
                "type": "checkbox",
                "label": "L",
                "options": [{"type": "option", "id": "a", "text": "A"}],
            },
        ],
    )
    def test_interactive_components_need_an_id(self, component: dict[str, Any]) -> None:
        with pytest.raises(
            CanvasError, match=rf"component 1 \({component['type']}\): id: Field required"
        ):
            one_component(component)

    def test_empty_id_is_refused(self) -> None:
        with pytest.raises(CanvasError, match="button ''"):
            button("", "Go")

    def test_button_needs_an_action(self) -> None:
        with pytest.raises(CanvasError, match="action: Field required"):
            one_component({"type": "button", "id": "go", "label": "Go"})

    def test_unknown_type_lists_the_known_ones(self) -> None:
        with pytest.raises(CanvasError, match=r"unknown type 'carousel'.*'single-select'"):
            one_component({"type": "carousel"})

    def test_component_without_type(self) -> None:
        with pytest.raises(CanvasError, match="needs a type"):
            one_component({"text": "hello"})

    def test_misspelled_field_is_refused(self) -> None:
        with pytest.raises(CanvasError, match="component 1 \\(text\\): colour: Extra inputs"):
            one_component({"type": "text", "text": "hi", "colour": "red"})

    def test_error_names_the_component_by_position_and_id(self) -> None:
        components = [
            {"type": "text", "text": "Pick a branch"},
            {"type": "single-select", "id": "branch", "options": []},
        ]
        with pytest.raises(CanvasError, match=r"component 2 \(single-select 'branch'\)"):
            parse_canvas({"content": {"components": components}})


class TestAllowedValues:
    @pytest.mark.parametrize(
        "component",
        [
            {"type": "text", "text": "hi", "style": "loud"},
            {"type": "text", "text": "hi", "align": "justify"},
            {"type": "spacer", "size": "xxl"},
            {
                "type": "button",
                "id": "b",
                "label": "B",
                "action": {"type": "submit"},
                "style": "danger",
            },
            {"type": "input", "id": "i", "save_state": "pending"},
            {"type": "divider", "bottom_margin": "small"},
        ],
    )
    def test_values_outside_the_documented_enums_are_refused(
        self, component: dict[str, Any]
    ) -> None:
        with pytest.raises(CanvasError, match="Input should be"):
            one_component(component)


class TestImages:
    @pytest.mark.parametrize("width", ["120", 120.5, 0, -4, True])
    def test_image_size_must_be_positive_whole_pixels(self, width: Any) -> None:
        with pytest.raises(CanvasError, match="width"):
            one_component(
                {"type": "image", "url": "https://e.com/a.png", "width": width, "height": 10}
            )

    def test_image_action_can_only_open_a_url(self) -> None:
        action = {"type": "submit"}
        with pytest.raises(CanvasError, match="action"):
            one_component(
                {
                    "type": "image",
                    "url": "https://e.com/a.png",
                    "width": 1,
                    "height": 1,
                    "action": action,
                }
            )

    def test_list_item_image_needs_its_size(self) -> None:
        item = {
            "type": "item",
            "id": "i",
            "title": "T",
            "image": "https://e.com/a.png",
            "image_width": 10,
        }
        with pytest.raises(
            CanvasError, match="list item 'i' has an image, so needs image_width and image_height"
        ):
            one_component({"type": "list", "items": [item]})


class TestActions:
    def test_url_action_needs_an_absolute_url(self) -> None:
        with pytest.raises(CanvasError, match="url action needs an absolute http"):
            url_action("/relative/page")
        with pytest.raises(CanvasError, match="url: Field required"):
            one_component({"type": "button", "id": "b", "label": "B", "action": {"type": "url"}})

    def test_sheet_action_must_be_https(self) -> None:
        with pytest.raises(CanvasError, match="must use https"):
            sheet_action("http://sheets.example.com/form")

    @pytest.mark.parametrize(
        "url",
        ["https://sheets.example.com/form", "http://localhost:8000/sheet", "http://127.0.0.1/s"],
    )
    def test_sheet_action_allows_https_and_local_mode(self, url: str) -> None:
        assert sheet_action(url).url == url

    def test_actions_serialise_with_their_type(self) -> None:
        assert SubmitAction().to_wire() == {"type": "submit"}
        assert UrlAction(url="https://e.com").to_wire() == {"type": "url", "url": "https://e.com"}
        assert SheetAction(url="https://e.com").to_wire() == {
            "type": "sheet",
            "url": "https://e.com",
        }


class TestCanvasRules:
    def test_component_ids_must_be_unique(self) -> None:
        with pytest.raises(CanvasError, match=r"unique within a canvas; repeated: \['go'\]"):
            canvas(button("go", "Go"), button("go", "Go again"))

    def test_list_item_ids_count_as_component_ids(self) -> None:
        with pytest.raises(CanvasError, match=r"repeated: \['next'\]"):
            canvas(button("next", "Next"), item_list(list_item("next", "Next order")))

    def test_stored_data_over_64_kb_is_refused(self) -> None:
        with pytest.raises(
            CanvasError, match=r"stored_data is 65.* bytes serialized; .* at most 65536"
        ):
            canvas(text("hi"), stored_data={"blob": "x" * 65_530})

    def test_stored_data_just_under_64_kb_is_fine(self) -> None:
        shown = canvas(text("hi"), stored_data={"blob": "x" * 65_500})
        assert len(json.dumps(shown.stored_data, separators=(",", ":"))) <= 65_536

    def test_non_ascii_counts_in_bytes(self) -> None:
        with pytest.raises(CanvasError, match="stored_data"):
            canvas(text("hi"), stored_data={"blob": "é" * 33_000})

    def test_content_over_64_kb_is_refused(self) -> None:
        with pytest.raises(CanvasError, match=r"content is .* bytes"):
            canvas(*[text("x" * 1000, id=f"t{n}") for n in range(70)])

    def test_canvas_needs_exactly_one_of_content_and_content_url(self) -> None:
        with pytest.raises(CanvasError, match="exactly one of content or content_url"):
            parse_canvas({"stored_data": {}})
        live = parse_canvas({"content_url": "https://app.example.com/live"})
        assert live.to_wire() == {"content_url": "https://app.example.com/live"}
        assert live.components == []

    def test_empty_canvas_is_refused(self) -> None:
        with pytest.raises(CanvasError, match="at least 1 item"):
            canvas()

    def test_dropdown_default_value_is_sent(self) -> None:
        assert dropdown("size", choices(2), value="o1").to_wire()["value"] == "o1"
