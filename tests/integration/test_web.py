"""HTTP behaviour at the edge: signatures, malformed and oversized bodies, health, sheets,
and the Inbox panel reading what the database holds."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from litestar.testing import AsyncTestClient
from sqlmodel import select

from concierge.intercom.sheets import encrypt_sheet_user
from concierge.intercom.signatures import sign_canvas_body, sign_webhook_body
from concierge.runtime.events import EventContext
from concierge.runtime.outbox import OutboxContext
from concierge.runtime.worker import Worker
from concierge.store import actions as action_store
from concierge.store import events as event_store
from concierge.store.database import Database
from concierge.store.tables import LeadFeedback
from tests.support.app import SECRET, build_app

Client = AsyncTestClient[Any]


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[Client]:
    app = build_app(
        f"sqlite:///{tmp_path / 'web.db'}", base_url="http://127.0.0.1:9", run_worker=False
    )
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


def compact(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


async def process_one_event(client: Client) -> bool:
    """Let a worker (not started by this app) handle the next stored event."""
    resources = client.app.state.resources
    worker = Worker(
        resources.db,
        EventContext(lambda: resources.brain.current, resources.bot_admin_id),
        OutboxContext(resources.client, resources.bot_admin_id),
    )
    return await worker.process_one_event()


async def stored_events(client: Client) -> int:
    db: Database = client.app.state.resources.db
    async with db.transaction() as session:
        return len(await event_store.list_events(session))


def notification(notification_id: str = "notif_1") -> dict[str, Any]:
    return {
        "type": "notification_event",
        "id": notification_id,
        "topic": "conversation.user.created",
        "app_id": "ecosim01",
        "created_at": 1726425600,
        "delivery_attempts": 1,
        "data": {
            "type": "notification_event_data",
            "item": {
                "type": "conversation",
                "id": "77",
                "source": {"id": "1", "body": "<p>hi</p>", "author": {"type": "user", "id": "u1"}},
            },
        },
    }


async def test_head_validates_the_webhook_url(client: Client) -> None:
    assert (await client.head("/webhooks/intercom")).status_code == 200


async def test_signed_webhook_is_stored_once_and_acknowledged(client: Client) -> None:
    raw = compact(notification())
    headers = {
        "X-Hub-Signature": sign_webhook_body(raw, SECRET),
        "Content-Type": "application/json",
    }
    first = await client.post("/webhooks/intercom", content=raw, headers=headers)
    second = await client.post("/webhooks/intercom", content=raw, headers=headers)
    assert (first.status_code, first.json()) == (200, {"status": "stored"})
    assert (second.status_code, second.json()) == (200, {"status": "duplicate"})
    assert await stored_events(client) == 1


@pytest.mark.parametrize("header", [None, "sha1=" + "0" * 40, "deadbeef"])
async def test_bad_webhook_signature_is_401_and_stores_nothing(
    client: Client, header: str | None
) -> None:
    headers = {"X-Hub-Signature": header} if header else {}
    response = await client.post(
        "/webhooks/intercom", content=compact(notification()), headers=headers
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"
    assert await stored_events(client) == 0


async def test_signature_is_checked_on_the_exact_bytes(client: Client) -> None:
    raw = compact(notification())
    signature = sign_webhook_body(raw, SECRET)
    spaced = json.dumps(notification(), indent=1).encode()  # same JSON, other bytes
    response = await client.post(
        "/webhooks/intercom", content=spaced, headers={"X-Hub-Signature": signature}
    )
    assert response.status_code == 401


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'{"id": "x"}'])
async def test_malformed_webhook_is_400_and_stores_nothing(client: Client, raw: bytes) -> None:
    headers = {"X-Hub-Signature": sign_webhook_body(raw, SECRET)}
    response = await client.post("/webhooks/intercom", content=raw, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_body"
    assert await stored_events(client) == 0


async def test_oversized_body_is_413(client: Client) -> None:
    raw = compact({"padding": "x" * 300_000})
    headers = {"X-Hub-Signature": sign_webhook_body(raw, SECRET)}
    response = await client.post("/webhooks/intercom", content=raw, headers=headers)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"
    assert await stored_events(client) == 0


async def canvas_post(
    client: Client, path: str, payload: dict[str, Any], secret: str = SECRET
) -> Any:
    raw = compact(payload)
    return await client.post(
        path, content=raw, headers={"X-Body-Signature": sign_canvas_body(raw, secret)}
    )


MESSENGER = {
    "workspace_id": "ecosim01",
    "workspace_region": "US",
    "context": {"location": "home", "locale": "en", "messenger_action_color": "#000"},
    "user": {"type": "user", "id": "u1", "name": "Ada Lovelace", "email": "ada@example.com"},
}


CARD_ANSWERS = {
    "segment": "commercial",
    "product": "LED high-bays",
    "quantity": "300",
    "branch": "Portland",
    "timeline": "2027-03-15",
    "budget": "45000",
    "email": "ada@northwind-builders.com",
}


def card_answer(card: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """What a customer clicks or types on one flow card."""
    components = card["canvas"]["content"]["components"]
    for component in components:
        if component["type"] == "single-select":
            return component["id"], {component["id"]: CARD_ANSWERS.get(component["id"], "yes")}
        if component["type"] == "input":
            value = CARD_ANSWERS[component["id"]]
            return "flow_next", {component["id"]: value}
    buttons = [c["id"] for c in components if c["type"] == "button"]
    return next(b for b in buttons if b.startswith("answer:")), {}


async def test_home_card_runs_the_quote_flow_one_card_per_step(client: Client) -> None:
    home = (await canvas_post(client, "/canvas/messenger/initialize", MESSENGER)).json()
    texts = [c.get("text", "") for c in home["canvas"]["content"]["components"]]
    assert any("Ada" in t for t in texts)
    card = (
        await canvas_post(
            client,
            "/canvas/messenger/submit",
            {
                **MESSENGER,
                "component_id": "get_quote",
                "input_values": {},
                "current_canvas": home["canvas"],
            },
        )
    ).json()
    seen = []
    for _ in range(12):
        stored = card["canvas"]["stored_data"]
        if card.get("event") == {"type": "completed"}:
            break
        assert stored["screen"] == "flow"
        seen.append(stored["flow_state"]["pending"] or stored["flow_state"]["status"])
        component_id, values = card_answer(card)
        card = (
            await canvas_post(
                client,
                "/canvas/messenger/submit",
                {
                    **MESSENGER,
                    "component_id": component_id,
                    "input_values": values,
                    "current_canvas": card["canvas"],
                },
            )
        ).json()
    assert card.get("event") == {"type": "completed"}
    assert seen[:3] == ["segment", "product", "quantity"]
    answers = card["canvas"]["stored_data"]["flow_state"]["answers"]
    assert answers["quantity"] == 300
    assert answers["email"] == "ada@northwind-builders.com"


async def test_invalid_answer_on_a_card_is_marked_failed(client: Client) -> None:
    home = (await canvas_post(client, "/canvas/messenger/initialize", MESSENGER)).json()
    card = (
        await canvas_post(
            client,
            "/canvas/messenger/submit",
            {
                **MESSENGER,
                "component_id": "get_quote",
                "input_values": {},
                "current_canvas": home["canvas"],
            },
        )
    ).json()
    for _ in range(2):
        component_id, values = card_answer(card)
        card = (
            await canvas_post(
                client,
                "/canvas/messenger/submit",
                {
                    **MESSENGER,
                    "component_id": component_id,
                    "input_values": values,
                    "current_canvas": card["canvas"],
                },
            )
        ).json()
    pending = card["canvas"]["stored_data"]["flow_state"]["pending"]
    assert pending == "quantity"
    bad = (
        await canvas_post(
            client,
            "/canvas/messenger/submit",
            {
                **MESSENGER,
                "component_id": "flow_next",
                "input_values": {pending: "lots and lots"},
                "current_canvas": card["canvas"],
            },
        )
    ).json()
    components = bad["canvas"]["content"]["components"]
    assert any(c.get("style") == "error" for c in components)
    assert any(c.get("save_state") == "failed" for c in components)
    assert bad["canvas"]["stored_data"]["flow_state"]["pending"] == "quantity"


async def test_configure_offers_cards_then_returns_results(client: Client) -> None:
    configure = {
        "workspace_id": "ecosim01",
        "admin": {"id": "42", "type": "admin"},
        "context": {"location": "conversation", "conversation_id": 5},
    }
    first = (await canvas_post(client, "/canvas/messenger/configure", configure)).json()
    assert first["canvas"]["content"]["components"]
    chosen = {
        **configure,
        "component_id": "insert_card",
        "input_values": {"card": "stock_check"},
        "current_canvas": first["canvas"],
    }
    results = (await canvas_post(client, "/canvas/messenger/configure", chosen)).json()
    assert results == {"results": {"screen": "stock_check"}}
    init = {**MESSENGER, "card_creation_options": {"screen": "stock_check"}}
    card = (await canvas_post(client, "/canvas/messenger/initialize", init)).json()
    assert card["canvas"]["stored_data"]["screen"] == "stock_check"


async def test_live_canvas_answers_bare_content(client: Client) -> None:
    live = {**MESSENGER, "canvas": {"content": {"components": []}, "stored_data": {}}}
    body = (await canvas_post(client, "/canvas/messenger/content", live)).json()
    assert set(body) == {"content"}
    assert body["content"]["components"]


async def test_unknown_screen_renders_an_error_canvas_not_a_500(client: Client) -> None:
    submit = {
        **MESSENGER,
        "component_id": "nope",
        "input_values": {},
        "current_canvas": {"content": {"components": []}, "stored_data": {"screen": "gone"}},
    }
    response = await canvas_post(client, "/canvas/messenger/submit", submit)
    assert response.status_code == 200
    styles = [c.get("style") for c in response.json()["canvas"]["content"]["components"]]
    assert "error" in styles


async def test_canvas_with_wrong_secret_is_401(client: Client) -> None:
    response = await canvas_post(client, "/canvas/messenger/initialize", MESSENGER, secret="nope")
    assert response.status_code == 401


async def test_canvas_request_that_is_not_one_is_400(client: Client) -> None:
    response = await canvas_post(client, "/canvas/messenger/submit", {"workspace_id": "w"})
    assert response.status_code == 400
    assert "component_id" in response.json()["error"]["message"]


def panel_rows(body: dict[str, Any]) -> dict[str, str]:
    tables = [c for c in body["canvas"]["content"]["components"] if c["type"] == "data-table"]
    return {item["field"]: item["value"] for table in tables for item in table["items"]}


INBOX = {
    "workspace_id": "ecosim01",
    "admin": {"id": "42", "type": "admin", "name": "Sam"},
    "conversation": {"type": "conversation", "id": "77"},
    "contact": {"type": "contact", "id": "u1", "name": "Ada", "email": "ada@example.com"},
}


async def test_inbox_panel_shows_what_the_database_holds(client: Client) -> None:
    before = panel_rows((await canvas_post(client, "/canvas/inbox/initialize", INBOX)).json())
    assert before["Messages seen"] == "0"
    raw = compact(notification("notif_inbox"))
    await client.post(
        "/webhooks/intercom",
        content=raw,
        headers={"X-Hub-Signature": sign_webhook_body(raw, SECRET)},
    )
    assert await process_one_event(client)
    after = panel_rows((await canvas_post(client, "/canvas/inbox/initialize", INBOX)).json())
    assert after["Messages seen"] == "1"
    assert after["Status"] == "bot"
    assert after["Contact"] == "Ada"
    assert after["Failed bot actions"] == "0"
    refreshed = {**INBOX, "component_id": "refresh", "input_values": {}}
    again = panel_rows((await canvas_post(client, "/canvas/inbox/submit", refreshed)).json())
    assert again == after


async def test_unusable_conversation_event_is_parked_with_its_error(client: Client) -> None:
    broken = notification("notif_broken")
    broken["data"]["item"] = {"type": "conversation", "source": "not an object"}
    raw = compact(broken)
    await client.post(
        "/webhooks/intercom",
        content=raw,
        headers={"X-Hub-Signature": sign_webhook_body(raw, SECRET)},
    )
    resources = client.app.state.resources
    assert await process_one_event(client)
    async with resources.db.transaction() as session:
        parked = await event_store.list_events(session, "parked")
    assert [event.notification_id for event in parked] == ["notif_broken"]
    assert parked[0].last_error
    assert "malformed conversation item" in parked[0].last_error


async def test_sheet_opens_for_a_valid_user_without_frame_blocking(client: Client) -> None:
    data = {
        "workspace_id": "ecosim01",
        "component_id": "details",
        "user": encrypt_sheet_user({"id": "u1", "name": "Ada <script>"}, SECRET),
    }
    response = await client.post(
        "/canvas/messenger/sheet",
        content=urlencode({"intercom_data": json.dumps(data)}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    assert "x-frame-options" not in response.headers
    assert "frame-ancestors" not in response.headers.get("content-security-policy", "")
    assert "Ada &lt;script&gt;" in response.text
    assert "submitSheet" in response.text


async def test_sheet_with_a_forged_user_is_401(client: Client) -> None:
    data = {"workspace_id": "ecosim01", "user": encrypt_sheet_user({"id": "u1"}, "other-secret")}
    response = await client.post(
        "/canvas/messenger/sheet",
        content=urlencode({"intercom_data": json.dumps(data)}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 401


async def test_health_endpoints(client: Client) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] is True
    check = await canvas_post(client, "/intercom/health-check", {"workspace_id": "ecosim01"})
    assert check.json() == {"state": "OK"}
    unsigned = await client.post("/intercom/health-check", content=b'{"workspace_id":"w"}')
    assert unsigned.status_code == 401


async def test_every_response_carries_a_request_id(client: Client) -> None:
    response = await client.get("/healthz", headers={"X-Request-Id": "abc123"})
    assert response.headers["x-request-id"] == "abc123"
    assert (await client.get("/nope")).json()["error"]["code"] == "not_found"


async def test_agent_marks_the_lead_and_reroutes_from_the_panel(client: Client) -> None:
    raw = compact(notification("notif_agent"))
    await client.post(
        "/webhooks/intercom",
        content=raw,
        headers={"X-Hub-Signature": sign_webhook_body(raw, SECRET)},
    )
    resources = client.app.state.resources
    assert await process_one_event(client)
    marked = (
        await canvas_post(
            client,
            "/canvas/inbox/submit",
            {**INBOX, "component_id": "qualified", "input_values": {}},
        )
    ).json()
    texts = [c.get("text") for c in marked["canvas"]["content"]["components"]]
    assert "Marked as a qualified lead." in texts
    rerouted = (
        await canvas_post(
            client,
            "/canvas/inbox/submit",
            {**INBOX, "component_id": "reroute", "input_values": {"team": "catalog"}},
        )
    ).json()
    texts = [c.get("text") for c in rerouted["canvas"]["content"]["components"]]
    assert any(t and t.startswith("Re-routed to Catalog") for t in texts)
    assert panel_rows(rerouted)["Routed to"].startswith("catalog")
    async with resources.db.transaction() as session:
        actions = await action_store.list_actions(session, "77")
        feedback = (await session.exec(select(LeadFeedback))).all()
    kinds = [(a.kind, a.payload.get("assignee_id")) for a in actions if a.event_id is None]
    assert ("assign", "5000003") in kinds
    assert [(f.conversation_id, f.qualified) for f in feedback] == [("77", True)]
