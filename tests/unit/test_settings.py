"""Settings: local mode, production requirements, secrets never shown."""

from __future__ import annotations

import pytest

from concierge.settings import Settings, SettingsError, load_settings


def test_no_access_token_means_local_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONCIERGE_INTERCOM_ACCESS_TOKEN", raising=False)
    settings = load_settings()
    assert settings.local_mode
    assert settings.intercom_version == "2.14"
    assert settings.client_secret  # a documented local default


def test_production_mode_requires_a_client_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONCIERGE_INTERCOM_ACCESS_TOKEN", "tok")
    monkeypatch.delenv("CONCIERGE_INTERCOM_CLIENT_SECRET", raising=False)
    with pytest.raises(SettingsError, match="CONCIERGE_INTERCOM_CLIENT_SECRET is required"):
        load_settings()


def test_production_mode_with_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONCIERGE_INTERCOM_ACCESS_TOKEN", "tok")
    monkeypatch.setenv("CONCIERGE_INTERCOM_CLIENT_SECRET", "s3cr3t")
    settings = load_settings()
    assert not settings.local_mode
    assert settings.json_logs
    assert "s3cr3t" not in repr(settings)
    assert "tok" not in repr(settings).replace("token", "")


def test_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONCIERGE_MAX_BODY_BYTES", "lots")
    with pytest.raises(SettingsError, match="CONCIERGE_MAX_BODY_BYTES"):
        load_settings()


def test_log_format_override() -> None:
    assert Settings(log_format="json").json_logs
    assert not Settings(log_format="console").json_logs
