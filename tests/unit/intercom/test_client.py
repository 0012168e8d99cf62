"""IntercomClient: what each method sends (checked against the 2.14 spec) and reads back."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from concierge.intercom.client import AttributeValue, IntercomClient, data_type_of, normalise_body
from concierge.intercom.errors import IntercomBadRequest
from concierge.intercom.resources import Contact, Conversation
from tests.support.openapi import request_schema, response_schema, schema_errors
from tests.unit.intercom.fake_api import (
    BOT,
    NOW,
    TOKEN,
    FakeApi,
    FakeTime,
    Recorded,
    admin_json,
    contact_json,
    conversation_json,
    data_attribute_json,
    error_response,
    json_response,
    make_client,
    part_json,
    tag_json,
    team_json,
)

CONVERSATION = "215472"
QUICK_UUIDS = ("6f1f8a55-3a8c-4c57-9d5f-5c1c6f0a7a11", "0b1b8e2e-0d55-4c3b-8f6e-0a5d3f5c9d22")


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def client(api: FakeApi, fake_time: FakeTime) -> AsyncIterator[IntercomClient]:
    async with make_client(api, fake_time) as intercom:
        yield intercom


def assert_valid_request(recorded: Recorded, prefix: str = "") -> None:
    """The body the client sent validates against the 2.14 request schema."""
    path = recorded.path.removeprefix(prefix)
    assert schema_errors(recorded.body, request_schema(recorded.method, path)) == []


def assert_valid_response(method: str, path: str, body: Any) -> None:
    """Our canned responses are real 2.14 shapes (so the models are tested on real data)."""
    assert schema_errors(body, response_schema(method, path, 200)) == []


# -- headers and URLs ---------------------------------------------------------------------


async def test_every_request_carries_auth_version_and_json_headers(
    api: FakeApi, client: IntercomClient
) -> None:
    api.on("GET", "/me", json_response(200, admin_json()))
    await client.get_me()
    headers = api.requests[0].headers
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["intercom-version"] == "2.14"
    assert headers["accept"] == "application/json"
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"].startswith("concierge/")


async def test_version_is_configurable(api: FakeApi, fake_time: FakeTime) -> None:
    api.on("GET", "/me", json_response(200, admin_json()))
    async with make_client(api, fake_time, version="2.15") as intercom:
        await intercom.get_me()
    assert api.requests[0].headers["intercom-version"] == "2.15"


@pytest.mark.parametrize(
    "base_url",
    ["http://127.0.0.1:8000/intercom-emulator", "http://127.0.0.1:8000/intercom-emulator/"],
)
async def test_base_url_path_prefix_is_kept(fake_time: FakeTime, base_url: str) -> None:
    api = FakeApi(prefix="/intercom-emulator")
    api.on("POST", f"/conversations/{CONVERSATION}/reply", json_response(200, conversation_json()))
    async with make_client(api, fake_time, base_url=base_url) as intercom:
        await intercom.reply(CONVERSATION, admin_id=BOT, body="Hi")
    assert api.requests[0].path == f"/intercom-emulator/conversations/{CONVERSATION}/reply"
    assert_valid_request(api.requests[0], prefix="/intercom-emulator")


async def test_ids_are_escaped_as_one_path_segment(api: FakeApi, client: IntercomClient) -> None:
    api.on("GET", "/conversations/a%2Fb", json_response(200, conversation_json("a/b")))
    conversation = await client.get_conversation("a/b")
    assert conversation.id == "a/b"


async def test_closing_the_client_closes_the_pool(api: FakeApi, fake_time: FakeTime) -> None:
    intercom = make_client(api, fake_time)
    await intercom.aclose()
    with pytest.raises(RuntimeError):
        await intercom.get_me()


# -- conversations ------------------------------------------------------------------------


async def test_reply_comment(api: FakeApi, client: IntercomClient) -> None:
    parts = [part_json("1", "<p>Hello there</p>")]
    response = conversation_json(CONVERSATION, parts)
    assert_valid_response("POST", f"/conversations/{CONVERSATION}/reply", response)
    api.on("POST", f"/conversations/{CONVERSATION}/reply", json_response(200, response))
    conversation = await client.reply(CONVERSATION, admin_id=BOT, body="Hello there")
    sent = api.requests[0]
    assert sent.body == {
        "message_type": "comment",
        "type": "admin",
        "admin_id": BOT,
        "body": "Hello there",
    }
    assert_valid_request(sent)
    assert conversation.id == CONVERSATION
    assert conversation.admin_assignee_id == "814860"
    assert conversation.parts[0].body == "<p>Hello there</p>"


async def test_reply_note(api: FakeApi, client: IntercomClient) -> None:
    api.on("POST", f"/conversations/{CONVERSATION}/reply", json_response(200, conversation_json()))
    await client.reply(CONVERSATION, admin_id=BOT, body="<b>Score 82</b>", message_type="note")
    assert api.requests[0].body["message_type"] == "note"
    assert_valid_request(api.requests[0])


async def test_reply_quick_reply_sends_text_and_uuid_options(
    api: FakeApi, client: IntercomClient
) -> None:
    api.on("POST", f"/conversations/{CONVERSATION}/reply", json_response(200, conversation_json()))
    options = [("Get a quote", QUICK_UUIDS[0]), ("Check stock", QUICK_UUIDS[1])]
    await client.reply(
        CONVERSATION,
        admin_id=BOT,
        body="What can I help with?",
        message_type="quick_reply",
        reply_options=options,
    )
    sent = api.requests[0]
    assert sent.body["reply_options"] == [
        {"text": "Get a quote", "uuid": QUICK_UUIDS[0]},
        {"text": "Check stock", "uuid": QUICK_UUIDS[1]},
    ]
    assert sent.body["message_type"] == "quick_reply"
    assert_valid_request(sent)


async def test_quick_reply_body_is_optional(api: FakeApi, client: IntercomClient) -> None:
    api.on("POST", f"/conversations/{CONVERSATION}/reply", json_response(200, conversation_json()))
    await client.reply(
        CONVERSATION,
        admin_id=BOT,
        message_type="quick_reply",
        reply_options=[("Yes", QUICK_UUIDS[0])],
    )
    assert "body" not in api.requests[0].body
    assert_valid_request(api.requests[0])


@pytest.mark.parametrize(
    ("message_type", "body", "options"),
    [("comment", None, None), ("note", "", None), ("quick_reply", "Pick one", None)],
)
async def test_reply_without_required_fields_is_refused_before_sending(
    api: FakeApi, client: IntercomClient, message_type: Any, body: str | None, options: Any
) -> None:
    with pytest.raises(ValueError, match="needs"):
        await client.reply(
            CONVERSATION, admin_id=BOT, body=body, message_type=message_type, reply_options=options
        )
    assert api.requests == []


Action = Callable[[IntercomClient], Awaitable[Conversation]]

MANAGE_CASES: list[tuple[str, Action, dict[str, Any]]] = [
    (
        "assign-admin",
        lambda c: c.assign(CONVERSATION, admin_id=BOT, assignee_id="814860", assignee_type="admin"),
        {"message_type": "assignment", "type": "admin", "admin_id": BOT, "assignee_id": "814860"},
    ),
    (
        "assign-team-with-body",
        lambda c: c.assign(
            CONVERSATION,
            admin_id=BOT,
            assignee_id="814865",
            assignee_type="team",
            body="Passing you to Sales",
        ),
        {
            "message_type": "assignment",
            "type": "team",
            "admin_id": BOT,
            "assignee_id": "814865",
            "body": "Passing you to Sales",
        },
    ),
    (
        "close",
        lambda c: c.close(CONVERSATION, admin_id=BOT),
        {"message_type": "close", "type": "admin", "admin_id": BOT},
    ),
    (
        "close-with-body",
        lambda c: c.close(CONVERSATION, admin_id=BOT, body="Glad I could help"),
        {"message_type": "close", "type": "admin", "admin_id": BOT, "body": "Glad I could help"},
    ),
    (
        "open",
        lambda c: c.open(CONVERSATION, admin_id=BOT),
        {"message_type": "open", "admin_id": BOT},
    ),
    (
        "snooze",
        lambda c: c.snooze(CONVERSATION, admin_id=BOT, snoozed_until=int(NOW) + 3600),
        {"message_type": "snoozed", "admin_id": BOT, "snoozed_until": int(NOW) + 3600},
    ),
]


@pytest.mark.parametrize(
    ("action", "expected"), [c[1:] for c in MANAGE_CASES], ids=[c[0] for c in MANAGE_CASES]
)
async def test_manage_actions_post_conversation_parts(
    api: FakeApi, client: IntercomClient, action: Action, expected: dict[str, Any]
) -> None:
    api.on("POST", f"/conversations/{CONVERSATION}/parts", json_response(200, conversation_json()))
    conversation = await action(client)
    sent = api.requests[0]
    assert (sent.method, sent.path, sent.body) == (
        "POST",
        f"/conversations/{CONVERSATION}/parts",
        expected,
    )
    assert_valid_request(sent)
    assert conversation.id == CONVERSATION


async def test_get_conversation_reads_parts_and_normalises_ids(
    api: FakeApi, client: IntercomClient
) -> None:
    response = conversation_json(CONVERSATION, [part_json("77", "<p>Hi</p>")])
    assert_valid_response("GET", f"/conversations/{CONVERSATION}", response)
    api.on("GET", f"/conversations/{CONVERSATION}", json_response(200, response))
    conversation = await client.get_conversation(CONVERSATION)
    assert api.requests[0].method == "GET"
    assert conversation.state == "open"
    assert conversation.open is True
    assert conversation.admin_assignee_id == "814860"
    assert conversation.team_assignee_id is None
    assert conversation.contacts.contacts[0].id == "6329bd9ffe4e2e91dac76188"
    assert conversation.source is not None
    assert conversation.source.author is not None
    assert conversation.source.author.type == "user"
    part = conversation.parts[0]
    assert (part.id, part.part_type, part.app_package_code) == ("77", "comment", "concierge")
    assert part.author is not None
    assert part.author.id == BOT


# -- tags ---------------------------------------------------------------------------------


async def test_find_or_create_tag(api: FakeApi, client: IntercomClient) -> None:
    assert_valid_response("POST", "/tags", tag_json())
    api.on("POST", "/tags", json_response(200, tag_json()))
    tag = await client.find_or_create_tag("hot-lead")
    assert (tag.id, tag.name) == ("7522907", "hot-lead")
    assert api.requests[0].body == {"name": "hot-lead"}
    assert_valid_request(api.requests[0])


async def test_tag_conversation(api: FakeApi, client: IntercomClient) -> None:
    api.on("POST", f"/conversations/{CONVERSATION}/tags", json_response(200, tag_json()))
    tag = await client.tag_conversation(CONVERSATION, tag_id="7522907", admin_id=BOT)
    assert tag.id == "7522907"
    assert api.requests[0].body == {"id": "7522907", "admin_id": BOT}
    assert_valid_request(api.requests[0])


# -- admins and teams ---------------------------------------------------------------------


async def test_list_admins(api: FakeApi, client: IntercomClient) -> None:
    body = {"type": "admin.list", "admins": [admin_json(), admin_json("814860", away=True)]}
    assert_valid_response("GET", "/admins", body)
    api.on("GET", "/admins", json_response(200, body))
    admins = await client.list_admins()
    assert [a.id for a in admins] == [BOT, "814860"]
    assert admins[1].away_mode_enabled is True
    assert admins[0].team_ids == ["814865"]


async def test_list_teams(api: FakeApi, client: IntercomClient) -> None:
    body = {"type": "team.list", "teams": [team_json()]}
    assert_valid_response("GET", "/teams", body)
    api.on("GET", "/teams", json_response(200, body))
    teams = await client.list_teams()
    assert teams[0].name == "Sales"
    assert teams[0].admin_ids == ["814860", "9000001"]


async def test_set_away(api: FakeApi, client: IntercomClient) -> None:
    api.on("PUT", "/admins/814860/away", json_response(200, admin_json("814860", away=True)))
    admin = await client.set_away("814860", away=True, reassign=True)
    sent = api.requests[0]
    assert sent.body == {"away_mode_enabled": True, "away_mode_reassign": True}
    assert_valid_request(sent)
    assert admin.away_mode_enabled is True


async def test_get_me_includes_the_app(api: FakeApi, client: IntercomClient) -> None:
    me = admin_json() | {"app": {"type": "app", "id_code": "ecosim01", "region": "US"}}
    assert_valid_response("GET", "/me", me)
    api.on("GET", "/me", json_response(200, me))
    admin = await client.get_me()
    assert admin.id == BOT
    assert admin.app is not None
    assert admin.app.id_code == "ecosim01"


# -- contact attributes -------------------------------------------------------------------


def attribute_list(*names: str) -> dict[str, Any]:
    standard = [
        data_attribute_json("email", custom=False),
        data_attribute_json("name", custom=False),
    ]
    return {"type": "list", "data": standard + [data_attribute_json(n) for n in names]}


def echo_contact(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content)
    return json_response(200, contact_json("c1", body["custom_attributes"]))


async def test_update_contact_attributes_creates_only_missing_ones(
    api: FakeApi, client: IntercomClient
) -> None:
    assert_valid_response("GET", "/data_attributes", attribute_list("segment"))
    api.on("GET", "/data_attributes", json_response(200, attribute_list("segment")))
    api.on("POST", "/data_attributes", json_response(200, data_attribute_json("new")))
    api.on("PUT", "/contacts/c1", echo_contact)
    values: dict[str, AttributeValue] = {
        "segment": "utility",
        "lead_score": 82,
        "budget": 1500.5,
        "vip": True,
    }
    contact = await client.update_contact_attributes("c1", values)
    assert api.requests[0].params == {"model": "contact"}
    created = [r.body for r in api.sent("POST")]
    assert created == [
        {"name": "lead_score", "model": "contact", "data_type": "integer"},
        {"name": "budget", "model": "contact", "data_type": "float"},
        {"name": "vip", "model": "contact", "data_type": "boolean"},
    ]
    for request in api.sent("POST") + api.sent("PUT"):
        assert_valid_request(request)
    assert api.sent("PUT")[0].body == {"custom_attributes": values}
    assert contact.custom_attributes == values


async def test_known_attributes_are_cached(api: FakeApi, client: IntercomClient) -> None:
    api.on("GET", "/data_attributes", json_response(200, attribute_list("segment")))
    api.on("POST", "/data_attributes", json_response(200, data_attribute_json("x")))
    api.on("PUT", "/contacts/c1", echo_contact)
    await client.update_contact_attributes("c1", {"segment": "a", "intent": "quote"})
    await client.update_contact_attributes("c1", {"segment": "b", "intent": "stock"})
    assert [r.method for r in api.requests] == ["GET", "POST", "PUT", "PUT"]


async def test_standard_attribute_names_do_not_count_as_custom(
    api: FakeApi, client: IntercomClient
) -> None:
    api.on("GET", "/data_attributes", json_response(200, attribute_list()))
    api.on("POST", "/data_attributes", json_response(200, data_attribute_json("name")))
    api.on("PUT", "/contacts/c1", echo_contact)
    await client.update_contact_attributes("c1", {"name": "x"})
    assert [r.body["name"] for r in api.sent("POST")] == ["name"]


async def test_none_clears_existing_attributes_and_skips_unknown_ones(
    api: FakeApi, client: IntercomClient
) -> None:
    api.on("GET", "/data_attributes", json_response(200, attribute_list("segment")))
    api.on("PUT", "/contacts/c1", echo_contact)
    await client.update_contact_attributes("c1", {"segment": None, "never_created": None})
    assert api.sent("POST") == []
    assert api.sent("PUT")[0].body == {"custom_attributes": {"segment": None}}
    assert_valid_request(api.sent("PUT")[0])


async def test_attribute_created_meanwhile_is_not_an_error(
    api: FakeApi, client: IntercomClient
) -> None:
    api.on(
        "GET",
        "/data_attributes",
        json_response(200, attribute_list()),
        json_response(200, attribute_list("intent")),
    )
    duplicate = error_response(400, "parameter_invalid", "Name already exists", field="name")
    api.on("POST", "/data_attributes", duplicate)
    api.on("PUT", "/contacts/c1", echo_contact)
    contact = await client.update_contact_attributes("c1", {"intent": "quote"})
    assert contact.custom_attributes == {"intent": "quote"}
    assert [r.method for r in api.requests] == ["GET", "POST", "GET", "PUT"]


async def test_refused_attribute_creation_is_raised(api: FakeApi, client: IntercomClient) -> None:
    api.on("GET", "/data_attributes", json_response(200, attribute_list()))
    api.on("POST", "/data_attributes", error_response(400, "parameter_invalid", "Bad name"))
    with pytest.raises(IntercomBadRequest):
        await client.update_contact_attributes("c1", {"bad.name": "x"})
    assert api.sent("PUT") == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a", "string"),
        (3, "integer"),
        (2.5, "float"),
        (True, "boolean"),
        (False, "boolean"),
        (None, "string"),
    ],
)
def test_data_type_inference(value: Any, expected: str) -> None:
    assert data_type_of(value) == expected


# -- reconciling a reply with an unknown outcome -------------------------------------------


async def reconcile(
    api: FakeApi, client: IntercomClient, parts: list[dict[str, Any]], **kw: Any
) -> Any:
    api.on(
        "GET",
        f"/conversations/{CONVERSATION}",
        json_response(200, conversation_json(CONVERSATION, parts)),
    )
    arguments: dict[str, Any] = {
        "admin_id": BOT,
        "body": "Thanks!\nA loan officer will reply soon.",
        "since": int(NOW) - 60,
    }
    return await client.find_existing_reply(CONVERSATION, **(arguments | kw))


async def test_find_existing_reply_tolerates_paragraph_wrapping(
    api: FakeApi, client: IntercomClient
) -> None:
    parts = [
        part_json("1", "<p>Hi</p>", created_at=int(NOW) - 30),
        part_json(
            "2", "<p>Thanks!</p><p>A loan officer  will reply soon.</p>", created_at=int(NOW) - 10
        ),
    ]
    found = await reconcile(api, client, parts)
    assert found is not None
    assert found.id == "2"


async def test_find_existing_reply_decodes_entities(api: FakeApi, client: IntercomClient) -> None:
    parts = [part_json("5", "<p>Cables &amp; conduit</p>")]
    found = await reconcile(api, client, parts, body="Cables & conduit")
    assert found is not None


@pytest.mark.parametrize(
    "part",
    [
        part_json("3", "<p>Thanks! A loan officer will reply soon.</p>", author_id="814860"),
        part_json("3", "<p>Thanks! A loan officer will reply soon.</p>", created_at=int(NOW) - 600),
        part_json("3", "<p>Thanks! A loan officer will reply tomorrow.</p>"),
        part_json("3", None),
    ],
    ids=["other-author", "before-first-attempt", "other-body", "no-body"],
)
async def test_find_existing_reply_does_not_match(
    api: FakeApi, client: IntercomClient, part: dict[str, Any]
) -> None:
    assert await reconcile(api, client, [part]) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>Hello  world</p>", "Hello world"),
        ("Hello\n\nworld", "Hello world"),
        ("<p>Hello</p><p>world</p>", "Hello world"),
        ("Hello<br>world", "Hello world"),
        ("&lt;b&gt; &amp;", "<b> &"),
        (None, ""),
    ],
)
def test_normalise_body(raw: str | None, expected: str) -> None:
    assert normalise_body(raw) == expected


def test_contact_keeps_its_owner_as_a_string() -> None:
    # Intercom sends owner_id as an integer; assignment compares it with admin ids (strings).
    contact = Contact.model_validate({"type": "contact", "id": "c1", "owner_id": 9000101})
    assert contact.owner_id == "9000101"
    assert Contact.model_validate({"id": "c2", "owner_id": None}).owner_id is None
