"""Canvas Kit request bodies in every shape Intercom (or its docs) uses, parsed into one model each
(REFERENCE §1.2, §5, §7, §8)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from concierge.intercom.canvas_requests import (
    CanvasRequestError,
    ConfigureRequest,
    HealthCheckRequest,
    InitializeRequest,
    LiveCanvasRequest,
    SubmitRequest,
    SubmitSheetRequest,
    extract_context,
    parse_request,
)
from concierge.intercom.errors import IntercomError

ADMIN: dict[str, Any] = {
    "type": "admin",
    "id": 5017691,
    "name": "Jordan Reyes",
    "email": "jordan@portlandia-electric.example",
    "job_title": "Account manager",
    "away_mode_enabled": False,
    "away_mode_reassign": False,
    "has_inbox_seat": True,
    "team_ids": [814, "815"],
    "avatar": {"image_url": "https://static.intercomassets.com/avatars/1/square_128/j.png"},
}

CONTACT: dict[str, Any] = {
    "type": "contact",
    "id": "65f1c0ffee0123456789abcd",
    "external_id": "pes-4412",
    "role": "user",
    "email": "maya@okafor-electric.com",
    "name": "Maya Okafor",
    "phone": None,
    "custom_attributes": {"segment": "commercial"},
    "location": {"city": "Salem"},
}

LEGACY_CUSTOMER: dict[str, Any] = {
    "type": "user",
    "id": "65f1c0ffee0123456789abcd",
    "user_id": "pes-4412",
    "email": "maya@okafor-electric.com",
    "name": "Maya Okafor",
}

CONTEXT_COLOR: dict[str, Any] = {
    "conversation_id": 215,
    "location": "conversation",
    "locale": "en",
    "messenger_action_color": "#0b5fff",
    "messenger_background_color": "#ffffff",
    "referrer": "https://portlandia-electric.example/catalog/breakers",
}

CURRENT_CANVAS: dict[str, Any] = {
    "content": {
        "components": [
            {"type": "input", "id": "email", "label": "Email"},
            {
                "type": "checkbox",
                "id": "extras",
                "label": "Extras",
                "option": [{"type": "option", "id": "delivery", "text": "Delivery"}],
            },
            {"type": "button", "id": "send", "label": "Send", "action": {"type": "submit"}},
        ]
    },
    "stored_data": {"screen": "quote_request", "answers": {"need": "breakers"}},
}


def messenger_submit(**changes: Any) -> dict[str, Any]:
    """§8.1 step 5: an end user clicks a submit button in a Messenger card."""
    body = {
        "workspace_id": "ab12cd34",
        "workspace_region": "US",
        "component_id": "send",
        "context": copy.deepcopy(CONTEXT_COLOR),
        "current_canvas": copy.deepcopy(CURRENT_CANVAS),
        "input_values": {"email": "maya@okafor-electric.com", "extras": ["delivery"]},
        "customer": copy.deepcopy(LEGACY_CUSTOMER),
        "contact": copy.deepcopy(CONTACT),
    }
    body.update(changes)
    return body


class TestConfigure:
    def test_first_configure_call(self) -> None:
        body = {"workspace_id": "ab12cd34", "admin": ADMIN, "context": CONTEXT_COLOR}
        request = parse_request(ConfigureRequest, body)
        assert request.admin is not None
        assert request.admin.id == "5017691"
        assert request.admin.team_ids == ["814", "815"]
        assert request.component_id is None
        assert request.current_canvas is None
        assert request.stored_data == {}

    def test_configure_after_a_submit_inside_the_configure_canvas(self) -> None:
        body = {
            "workspace_id": "ab12cd34",
            "workspace_region": "US",
            "admin": ADMIN,
            "context": CONTEXT_COLOR,
            "component_id": "choose_flow",
            "current_canvas": CURRENT_CANVAS,
            "input_values": {"flow": "quote"},
        }
        request = parse_request(ConfigureRequest, body)
        assert request.component_id == "choose_flow"
        assert request.input_values == {"flow": "quote"}


class TestInitialize:
    def test_messenger_initialize(self) -> None:
        body = {
            "workspace_id": "ab12cd34",
            "workspace_region": "US",
            "card_creation_options": {"flow": "quote"},
            "context": {"location": "home", "locale": "en", "messenger_action_colour": "#0b5fff"},
            "admin": ADMIN,
        }
        request = parse_request(InitializeRequest, body)
        assert request.card_creation_options == {"flow": "quote"}
        assert request.context.location == "home"
        assert request.end_user is None
        assert request.conversation_id is None

    def test_inbox_initialize_with_numeric_ids(self) -> None:
        body = {
            "workspace_id": "ab12cd34",
            "workspace_region": "US",
            "admin": ADMIN,
            "conversation": {
                "type": "conversation",
                "id": 215,
                "state": "open",
                "admin_assignee_id": 5017691,
            },
            "contact": {**CONTACT, "id": 42},
        }
        request = parse_request(InitializeRequest, body)
        assert request.conversation_id == "215"
        assert request.conversation is not None
        assert request.conversation.admin_assignee_id == "5017691"
        assert request.end_user is not None
        assert request.end_user.id == "42"
        assert request.context.location is None

    @pytest.mark.parametrize("spelling", ["colour", "color"])
    def test_both_colour_spellings_fill_one_attribute(self, spelling: str) -> None:
        context = {
            f"messenger_action_{spelling}": "#0b5fff",
            f"messenger_background_{spelling}": "#fff",
        }
        request = parse_request(InitializeRequest, {"workspace_id": "w", "context": context})
        assert request.context.messenger_action_colour == "#0b5fff"
        assert request.context.messenger_background_colour == "#fff"

    def test_nulls_become_empty_defaults(self) -> None:
        body = {"workspace_id": "w", "context": None, "card_creation_options": None, "admin": None}
        request = parse_request(InitializeRequest, body)
        assert request.context.locale is None
        assert request.card_creation_options == {}


class TestEndUser:
    def test_customer_and_contact_together_are_merged_contact_first(self) -> None:
        customer = {**LEGACY_CUSTOMER, "name": "M. Okafor", "phone": "503-555-0142"}
        request = parse_request(SubmitRequest, messenger_submit(customer=customer))
        who = request.end_user
        assert who is not None
        assert who.name == "Maya Okafor"
        assert who.phone == "503-555-0142"
        assert who.external_id == "pes-4412"

    @pytest.mark.parametrize("key", ["user", "customer", "contact"])
    def test_any_one_key_is_enough(self, key: str) -> None:
        body = messenger_submit(customer=None, contact=None)
        body[key] = LEGACY_CUSTOMER
        request = parse_request(SubmitRequest, body)
        assert request.end_user is not None
        assert request.end_user.email == "maya@okafor-electric.com"
        assert request.end_user.external_id == "pes-4412"
        assert request.end_user.kind == "user"

    def test_lead_from_the_legacy_type(self) -> None:
        body = messenger_submit(contact=None, customer={"type": "lead", "id": "9"})
        who = parse_request(SubmitRequest, body).end_user
        assert who is not None
        assert who.kind == "lead"


class TestSubmit:
    def test_messenger_submit(self) -> None:
        request = parse_request(SubmitRequest, messenger_submit())
        assert request.component_id == "send"
        assert request.input_values["extras"] == ["delivery"]
        assert request.conversation_id == "215"
        assert request.stored_data == {"screen": "quote_request", "answers": {"need": "breakers"}}

    def test_inbox_submit_with_customer_key(self) -> None:
        body = {
            "workspace_id": "ab12cd34",
            "workspace_region": "US",
            "admin": ADMIN,
            "component_id": "refresh",
            "conversation": {"id": "215"},
            "customer": CONTACT,
            "current_canvas": {"content": {"components": []}},
            "input_values": {},
        }
        request = parse_request(SubmitRequest, body)
        assert request.end_user is not None
        assert request.end_user.name == "Maya Okafor"
        assert request.conversation_id == "215"

    def test_numeric_component_id_becomes_text(self) -> None:
        assert parse_request(SubmitRequest, messenger_submit(component_id=7)).component_id == "7"

    def test_double_wrapped_current_canvas_is_unwrapped(self) -> None:
        wrapped = {"current_canvas": copy.deepcopy(CURRENT_CANVAS)}
        request = parse_request(SubmitRequest, messenger_submit(current_canvas=wrapped))
        assert request.stored_data["screen"] == "quote_request"
        assert len(request.current_canvas.components if request.current_canvas else []) == 3

    def test_checkbox_option_is_normalised_to_options(self) -> None:
        request = parse_request(SubmitRequest, messenger_submit())
        assert request.current_canvas is not None
        checkbox = request.current_canvas.components[1]
        assert "option" not in checkbox
        assert checkbox["options"] == [{"type": "option", "id": "delivery", "text": "Delivery"}]

    def test_checkbox_with_options_is_left_alone(self) -> None:
        canvas = copy.deepcopy(CURRENT_CANVAS)
        checkbox = canvas["content"]["components"][1]
        checkbox["options"] = checkbox.pop("option")
        request = parse_request(SubmitRequest, messenger_submit(current_canvas=canvas))
        assert request.current_canvas is not None
        assert request.current_canvas.components[1]["options"][0]["id"] == "delivery"

    def test_null_stored_data_is_empty(self) -> None:
        canvas: dict[str, Any] = {"content": {"components": []}, "stored_data": None}
        assert (
            parse_request(SubmitRequest, messenger_submit(current_canvas=canvas)).stored_data == {}
        )

    def test_unknown_fields_are_ignored(self) -> None:
        request = parse_request(SubmitRequest, messenger_submit(app_id="old", new_field={"x": 1}))
        assert request.workspace_id == "ab12cd34"

    def test_submit_needs_a_component_id(self) -> None:
        body = messenger_submit()
        del body["component_id"]
        with pytest.raises(CanvasRequestError, match="component_id"):
            parse_request(SubmitRequest, body)

    def test_sample_app_payload_from_the_docs(self) -> None:
        """§5: the request the samples and tutorials show."""
        body = {
            "workspace_id": "ab12cd34",
            "component_id": "submit_button",
            "input_values": {"csat": "satisfied", "description": "Quick and friendly."},
            "current_canvas": {
                "content": {
                    "components": [
                        {"type": "single-select", "id": "csat", "options": []},
                        {"type": "textarea", "id": "description"},
                    ]
                }
            },
            "context": {"location": "conversation", "conversation_id": 215},
            "customer": {"type": "user", "email": "maya@okafor-electric.com"},
        }
        request = parse_request(SubmitRequest, body)
        assert request.input_values["csat"] == "satisfied"
        assert request.end_user is not None
        assert request.end_user.email == "maya@okafor-electric.com"
        assert request.workspace_region is None


class TestOtherRequests:
    def test_live_canvas_request_reads_state_from_canvas(self) -> None:
        body = {
            "workspace_id": "ab12cd34",
            "workspace_region": "US",
            "canvas": {
                "content_url": "https://app.example.com/live",
                "stored_data": {"order": "1001"},
            },
            "context": CONTEXT_COLOR,
            "contact": CONTACT,
        }
        request = parse_request(LiveCanvasRequest, body)
        assert request.stored_data == {"order": "1001"}
        assert request.canvas is not None
        assert request.canvas.content_url == "https://app.example.com/live"
        assert request.canvas.components == []

    def test_submit_sheet(self) -> None:
        body = messenger_submit(sheet_values={"rating": 5, "comment": "Fast"})
        del body["component_id"]
        request = parse_request(SubmitSheetRequest, body)
        assert request.sheet_values == {"rating": 5, "comment": "Fast"}
        assert request.end_user is not None

    def test_health_check(self) -> None:
        assert (
            parse_request(HealthCheckRequest, {"workspace_id": "ab12cd34"}).workspace_id
            == "ab12cd34"
        )

    @pytest.mark.parametrize("body", [[], "text", None, {}])
    def test_bodies_that_are_not_requests_are_refused(self, body: Any) -> None:
        with pytest.raises(CanvasRequestError) as caught:
            parse_request(HealthCheckRequest, body)
        assert isinstance(caught.value, IntercomError)


class TestTemplateContext:
    def test_messenger_context(self) -> None:
        context = extract_context(parse_request(SubmitRequest, messenger_submit(admin=ADMIN)))
        assert context["contact"] == {
            "id": "65f1c0ffee0123456789abcd",
            "external_id": "pes-4412",
            "name": "Maya Okafor",
            "first_name": "Maya",
            "email": "maya@okafor-electric.com",
            "role": "user",
        }
        assert context["conversation"] == {"id": "215"}
        assert context["admin"]["name"] == "Jordan Reyes"
        assert context["locale"] == "en"
        assert context["stored_data"]["screen"] == "quote_request"

    def test_context_without_anyone(self) -> None:
        context = extract_context(parse_request(InitializeRequest, {"workspace_id": "w"}))
        assert context["contact"] == {}
        assert context["admin"] == {}
        assert context["conversation"] == {"id": None}
        assert context["stored_data"] == {}
