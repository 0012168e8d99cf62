"""The Messenger home card's "Check stock" over HTTP: the search form, then results per branch
from the playbook's catalogue."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from concierge.intercom.signatures import sign_canvas_body
from tests.support.app import SECRET, build_app

Client = AsyncTestClient[Any]
MESSENGER = {
    "workspace_id": "ecosim01",
    "workspace_region": "US",
    "context": {"location": "home", "locale": "en", "messenger_action_color": "#000"},
    "user": {"type": "user", "id": "u1", "name": "Ada Lovelace", "email": "ada@example.com"},
}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[Client]:
    app = build_app(
        f"sqlite:///{tmp_path / 'web.db'}", base_url="http://127.0.0.1:9", run_worker=False
    )
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


async def submit(
    client: Client, card: dict[str, Any], component_id: str, values: dict[str, Any]
) -> dict[str, Any]:
    payload = {
        **MESSENGER,
        "component_id": component_id,
        "input_values": values,
        "current_canvas": card["canvas"],
    }
    raw = json.dumps(payload, separators=(",", ":")).encode()
    headers = {"X-Body-Signature": sign_canvas_body(raw, SECRET)}
    response = await client.post("/canvas/messenger/submit", content=raw, headers=headers)
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


async def test_check_stock_searches_the_catalogue_and_lists_each_branch(client: Client) -> None:
    raw = json.dumps(MESSENGER, separators=(",", ":")).encode()
    headers = {"X-Body-Signature": sign_canvas_body(raw, SECRET)}
    home = (await client.post("/canvas/messenger/initialize", content=raw, headers=headers)).json()
    form = await submit(client, home, "check_stock", {})
    assert form["canvas"]["stored_data"]["screen"] == "stock_check"

    results = await submit(
        client, form, "check", {"product": "12/2 romex", "branch": "eugene", "quantity": "60"}
    )
    shown = results["canvas"]["content"]["components"]
    assert results["event"] == {"type": "completed"}
    assert shown[0]["text"] == "12/2 NM-B Cable, 250 ft (SKU NMB-122-250)"
    assert shown[1]["text"].startswith(
        "Eugene has only 52 coils of 12/2 NM-B Cable, 250 ft (SKU NMB-122-250) on hand, "
        "not enough for your 60."
    )
    table = next(c for c in shown if c["type"] == "data-table")
    assert [row["field"] for row in table["items"]] == [
        "Portland",
        "Eugene",
        "Salem",
        "Vancouver WA",
    ]
    assert table["items"][1]["value"] == "52 coils on hand · 2-day lead time"
