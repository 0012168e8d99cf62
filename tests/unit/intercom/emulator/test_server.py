"""The Litestar wiring: standalone app and mounted router speak only Intercom's shapes."""

from __future__ import annotations

import time
from typing import Any

import httpx
from litestar import Litestar, get
from litestar.testing import AsyncTestClient

from concierge.intercom.emulator import Emulator, create_emulator_app, create_emulator_router
from tests.unit.intercom.emulator.conftest import AUTH, admin_reply


def _emulator(**kwargs: Any) -> Emulator:
    return Emulator(client_secret="s", webhook_url=None, **kwargs)


async def test_the_standalone_app_serves_rest_and_helpers_at_the_root() -> None:
    async with AsyncTestClient(create_emulator_app(_emulator())) as client:
        me = await client.get("/me", headers=AUTH)
        assert me.status_code == 200
        assert me.headers["content-type"] == "application/json"
        assert me.headers["x-ratelimit-limit"] == "1666"
        sent = await client.post("/_messages", json={"body": "Hi"})
        assert sent.status_code == 201
        log = (await client.get("/_log")).json()
        assert [(e["method"], e["path"]) for e in log] == [("GET", "/me"), ("POST", "/_messages")]


async def test_malformed_bodies_and_unknown_paths_get_error_lists() -> None:
    async with AsyncTestClient(create_emulator_app(_emulator())) as client:
        malformed = await client.post("/conversations/1/reply", content=b"{", headers=AUTH)
        assert malformed.status_code == 400
        assert malformed.json()["errors"][0]["code"] == "parameter_invalid"
        for response in (await client.get("/nowhere", headers=AUTH), await client.get("/")):
            assert response.json()["type"] == "error.list"
        options = await client.options("/me")  # Litestar answers OPTIONS itself
        assert options.status_code == 204
        assert "POST" in options.headers["allow"]


async def test_the_router_mounts_under_a_prefix_beside_other_routes() -> None:
    @get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    emulator = _emulator()
    app = Litestar(
        route_handlers=[healthz, create_emulator_router(emulator)], request_max_body_size=2048
    )
    async with AsyncTestClient(app) as client:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        base = "/intercom-emulator"
        reply = await client.post(f"{base}/conversations/1/reply", json=admin_reply(), headers=AUTH)
        assert reply.status_code == 200
        missing = await client.get(f"{base}/nope", headers=AUTH)
        assert missing.status_code == 404
        assert missing.json()["type"] == "error.list"
        too_big = await client.post(f"{base}/_messages", content=b"x" * 5000)
        assert too_big.status_code == 413
        assert too_big.json()["type"] == "error.list"
        log = (await client.get(f"{base}/_log")).json()
        assert log[0]["path"] == "/conversations/1/reply"


async def test_a_timeout_fault_holds_the_response() -> None:
    emulator = _emulator()
    async with AsyncTestClient(create_emulator_app(emulator)) as client:
        await client.post(
            "/_faults",
            json={"path_prefix": "/conversations", "status": "timeout", "hang_seconds": 0.3},
        )
        started = time.monotonic()
        response = await client.post(
            "/conversations/1/reply", json=admin_reply("late"), headers=AUTH
        )
        assert time.monotonic() - started >= 0.3
        assert response.status_code == 200
        quick = await client.post("/conversations/1/reply", json=admin_reply(), headers=AUTH)
        assert quick.status_code == 200


async def test_app_shutdown_closes_the_emulator() -> None:
    failing = httpx.MockTransport(lambda _: httpx.Response(500))
    emulator = Emulator(
        client_secret="s", webhook_url="http://r.test/", retry_delay=60, webhook_transport=failing
    )
    async with AsyncTestClient(create_emulator_app(emulator)) as client:
        await client.post("/_messages", json={"body": "Hi"})
    assert emulator.deliveries[0].state == "cancelled"
