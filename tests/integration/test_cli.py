"""The ``concierge`` command: clear one-line failures with non-zero exits, and migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from concierge.cli import app

runner = CliRunner()


def test_production_mode_without_secret_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONCIERGE_INTERCOM_ACCESS_TOKEN", "token")
    monkeypatch.delenv("CONCIERGE_INTERCOM_CLIENT_SECRET", raising=False)
    result = runner.invoke(app, ["serve", "--port", "1"])
    assert result.exit_code == 2
    assert "CONCIERGE_INTERCOM_CLIENT_SECRET is required" in result.output


def test_bad_database_url_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONCIERGE_DATABASE_URL", "mysql://nope")
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 1
    assert "supports sqlite and postgresql" in result.output


def test_db_upgrade_creates_the_schema(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    database = tmp_path / "nested" / "concierge.db"
    monkeypatch.setenv("CONCIERGE_DATABASE_URL", f"sqlite:///{database}")
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"webhook_events", "conversations", "messages", "outgoing_actions"} <= tables
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0  # idempotent


def test_emulator_rejects_a_webhook_url_that_is_not_http() -> None:
    result = runner.invoke(app, ["emulator", "--webhook-url", "ftp://x"])
    assert result.exit_code == 2
    assert "--webhook-url must be an http(s) URL" in result.output


@pytest.mark.parametrize("playbook", ["intents", "examples/credit-union/intents"])
def test_shipped_playbooks_validate(playbook: str) -> None:
    root = Path(__file__).resolve().parents[2]
    result = runner.invoke(app, ["intents", "validate", str(root / playbook)])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output


def test_broken_playbook_names_file_and_line(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    for source in (root / "intents").glob("*.yaml"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    intents = tmp_path / "intents.yaml"
    intents.write_text(
        intents.read_text(encoding="utf-8").replace("flow: stock_check", "flow: stock_checks"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["intents", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{intents}:" in result.output
    assert "unknown flow 'stock_checks'" in result.output
