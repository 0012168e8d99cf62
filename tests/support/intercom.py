"""Talking to Concierge and the emulator the way Intercom and a customer would."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from concierge.intercom.signatures import sign_canvas_body, sign_webhook_body

BOT_ADMIN_ID = "9000001"


def signed_canvas_post(
    base: str, path: str, payload: dict[str, Any], secret: str
) -> httpx.Response:
    """POST a Canvas Kit request signed like Intercom (compact JSON, X-Body-Signature)."""
    raw = json.dumps(payload, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Body-Signature": sign_canvas_body(raw, secret),
    }
    return httpx.post(base + path, content=raw, headers=headers, timeout=10)


def signed_webhook_post(base: str, payload: dict[str, Any], secret: str) -> httpx.Response:
    """POST a webhook notification signed like Intercom (X-Hub-Signature: sha1=…)."""
    raw = json.dumps(payload, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature": sign_webhook_body(raw, secret),
    }
    return httpx.post(base + "/webhooks/intercom", content=raw, headers=headers, timeout=10)


def say(
    emulator: str, body: str, conversation_id: str | None = None, **contact: Any
) -> dict[str, Any]:
    """A customer says something through the emulator's local helper."""
    payload: dict[str, Any] = {"body": body}
    if conversation_id:
        payload["conversation_id"] = conversation_id
    if contact:
        payload["contact"] = contact
    response = httpx.post(emulator + "/_messages", json=payload, timeout=10)
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def emulator_log(emulator: str) -> list[dict[str, Any]]:
    """Every request the emulator received, oldest first."""
    entries: list[dict[str, Any]] = httpx.get(emulator + "/_log", timeout=10).json()
    return entries


def reply_requests(emulator: str, conversation_id: str) -> list[dict[str, Any]]:
    """The reply calls the emulator received for one conversation (any status)."""
    path = f"/conversations/{conversation_id}/reply"
    return [e for e in emulator_log(emulator) if e["method"] == "POST" and e["path"] == path]


def bot_replies(emulator: str, conversation_id: str) -> list[dict[str, Any]]:
    """Parts of the conversation written by the bot admin, read through the REST API."""
    response = httpx.get(
        f"{emulator}/conversations/{conversation_id}",
        headers={"Authorization": "Bearer test", "Intercom-Version": "2.14"},
        timeout=10,
    )
    response.raise_for_status()
    parts = response.json()["conversation_parts"]["conversation_parts"]
    return [
        p
        for p in parts
        if (p.get("author") or {}).get("id") == BOT_ADMIN_ID
        and p.get("part_type") in {"comment", "quick_reply"}
    ]


def wait_for(predicate: Any, timeout: float = 10.0, interval: float = 0.05) -> Any:
    """Poll until ``predicate()`` is truthy; return its value or fail with a clear message."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
