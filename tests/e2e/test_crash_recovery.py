"""Production mode against a standalone emulator: a server killed with SIGKILL while its
reply call hangs sends that reply exactly once after restart."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import httpx

from tests.support.intercom import BOT_ADMIN_ID, bot_replies, reply_requests, say, wait_for
from tests.support.server import ROOT, concierge_process, free_port

SECRET = "crash-test-secret"


def outbox_statuses(database: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT kind, status, maybe_sent FROM outgoing_actions"
        ).fetchall()
    return [(str(kind), str(status), int(maybe)) for kind, status, maybe in rows]


def test_sigkill_mid_reply_then_restart_sends_the_reply_exactly_once(tmp_path: Path) -> None:
    emulator_port, server_port = free_port(), free_port()
    emulator = f"http://127.0.0.1:{emulator_port}"
    server = f"http://127.0.0.1:{server_port}"
    database = tmp_path / "concierge.db"
    env = {
        "CONCIERGE_INTERCOM_CLIENT_SECRET": SECRET,
        "CONCIERGE_INTERCOM_ACCESS_TOKEN": "production-token",
        "CONCIERGE_INTERCOM_API_URL": emulator,
        "CONCIERGE_BOT_ADMIN_ID": BOT_ADMIN_ID,
        "CONCIERGE_DATABASE_URL": f"sqlite:///{database}",
        "CONCIERGE_INTENTS_DIR": str(ROOT / "intents"),
        "CONCIERGE_CANVASES_DIR": str(ROOT / "canvases"),
        "CONCIERGE_HTTP_TIMEOUT_SECONDS": "60",
        "CONCIERGE_WORKER_POLL_SECONDS": "0.1",
    }
    emulator_args = [
        "emulator",
        "--port",
        str(emulator_port),
        "--webhook-url",
        f"{server}/webhooks/intercom",
    ]
    serve_args = ["serve", "--port", str(server_port)]
    with concierge_process(emulator_args, env, emulator + "/_log", tmp_path / "emulator.log"):
        with concierge_process(
            serve_args, env, server + "/healthz", tmp_path / "server1.log"
        ) as first:
            httpx.post(
                emulator + "/_faults",
                timeout=5,
                json={
                    "path_prefix": "/conversations",
                    "method": "POST",
                    "status": "timeout",
                    "count": 1,
                    "hang_seconds": 120,
                },
            )
            conversation_id = say(emulator, "Hello, anyone there?")["conversation_id"]
            wait_for(lambda: reply_requests(emulator, conversation_id), timeout=10)
            assert outbox_statuses(database) == [("reply", "pending", 1)]
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        with concierge_process(serve_args, env, server + "/healthz", tmp_path / "server2.log"):
            wait_for(lambda: outbox_statuses(database) == [("reply", "done", 0)], timeout=30)
            time.sleep(1.0)
            assert len(bot_replies(emulator, conversation_id)) == 1
            assert len(reply_requests(emulator, conversation_id)) == 1
