"""Logging: JSON lines in production, secrets redacted, context ids on every line."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import structlog

from concierge.log import configure_logging, get_logger


@pytest.fixture(autouse=True)
def _restore_structlog() -> Iterator[None]:
    yield
    structlog.reset_defaults()


def test_json_lines_carry_bound_ids_and_hide_secrets(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(json_lines=True)
    structlog.contextvars.bind_contextvars(request_id="r-1", conversation_id="c-9")
    try:
        get_logger("test").info("hello", client_secret="s3cr3t", access_token="tok123", topic="x")
    finally:
        structlog.contextvars.clear_contextvars()
    line = capsys.readouterr().err.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["event"] == "hello"
    assert (record["request_id"], record["conversation_id"]) == ("r-1", "c-9")
    assert record["client_secret"] == "[redacted]"
    assert record["access_token"] == "[redacted]"
    assert "s3cr3t" not in line
    assert "tok123" not in line


def test_console_format_for_local_mode(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(json_lines=False)
    get_logger("test").warning("local mode on")
    output = capsys.readouterr().err
    assert "local mode on" in output
    assert not output.strip().startswith("{")
