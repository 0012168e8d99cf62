"""The whole pipeline on PostgreSQL, with two server instances sharing one database behind a
standalone emulator: every conversation gets exactly one greeting, whichever instance's
worker handled it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from concierge.intercom.emulator import Emulator, create_emulator_app
from concierge.web.app import create_app
from tests.support.app import SECRET, settings_for_tests
from tests.support.databases import fresh_postgres
from tests.support.intercom import BOT_ADMIN_ID, bot_replies, reply_requests, say, wait_for
from tests.support.server import free_port, serve_in_thread

pytestmark = pytest.mark.postgres


@contextlib.contextmanager
def two_instances_on(database_url: str) -> Iterator[str]:
    """A standalone emulator plus two production-mode servers on one database."""
    ports = [free_port(), free_port()]
    emulator_port = free_port()
    emulator_base = f"http://127.0.0.1:{emulator_port}"
    emulator = Emulator(
        client_secret=SECRET,
        webhook_url=f"http://127.0.0.1:{ports[0]}/webhooks/intercom",
        bot_admin_id=BOT_ADMIN_ID,
        retry_delay=0.5,
    )
    settings = settings_for_tests(
        database_url,
        intercom_access_token=SecretStr("production-token"),
        intercom_api_url=emulator_base,
        bot_admin_id=BOT_ADMIN_ID,
    )
    with contextlib.ExitStack() as stack:
        stack.enter_context(
            serve_in_thread(create_emulator_app(emulator), emulator_port, probe="/_log")
        )
        for port in ports:
            app = create_app(settings, base_url=f"http://127.0.0.1:{port}")
            stack.enter_context(serve_in_thread(app, port))
        yield emulator_base


def test_two_instances_on_one_postgres_reply_once_per_conversation(postgres_url: str) -> None:
    database_url = fresh_postgres(postgres_url)
    with two_instances_on(database_url) as emulator:
        conversations = [say(emulator, f"Hello number {i}")["conversation_id"] for i in range(12)]
        for conversation_id in conversations:
            wait_for(lambda c=conversation_id: bot_replies(emulator, c), timeout=20)
        for conversation_id in conversations:
            assert len(bot_replies(emulator, conversation_id)) == 1
            assert len(reply_requests(emulator, conversation_id)) == 1
