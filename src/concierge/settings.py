"""Settings, built once from the environment (prefix ``CONCIERGE_``) and passed down.

No access token means *local mode*: an embedded SQLite database and the Intercom emulator
mounted at ``/intercom-emulator``. Outside local mode a client secret is mandatory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_API_URL = "https://api.intercom.io"
LOCAL_CLIENT_SECRET = "concierge-local-secret"  # noqa: S105 - documented local-mode default


class SettingsError(ValueError):
    """The settings cannot describe a server that should start."""


class Settings(BaseSettings):
    """Everything configurable, with the names documented in DESIGN.md."""

    model_config = SettingsConfigDict(env_prefix="CONCIERGE_", extra="ignore")

    intercom_client_secret: SecretStr | None = None
    intercom_access_token: SecretStr | None = None
    intercom_api_url: str | None = None
    intercom_version: str = "2.14"
    bot_admin_id: str | None = None
    database_url: str = "sqlite:///concierge.db"
    intents_dir: Path = Path("intents")
    canvases_dir: Path = Path("canvases")
    model_dir: Path = Path(".concierge/model")
    nlu_features: Literal["tfidf", "tfidf+embeddings"] = Field(
        default="tfidf",
        description="Intent features; tfidf+embeddings needs pip install 'concierge[embeddings]'.",
    )
    public_url: str | None = Field(
        default=None, description="Base URL Intercom reaches this server on (for sheet URLs)."
    )
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: str = "INFO"
    max_body_bytes: int = 256 * 1024
    webhook_max_attempts: int = 6
    worker_poll_seconds: float = 0.2
    directory_sync_seconds: float = Field(
        default=300.0, gt=0, description="How often admins and teams are re-read from Intercom."
    )
    http_timeout_seconds: float = 10.0
    http_max_retries: int = 4
    max_rate_limit_wait_seconds: float = 60.0

    @model_validator(mode="after")
    def _require_secret_outside_local_mode(self) -> Settings:
        if not self.local_mode and self.intercom_client_secret is None:
            raise SettingsError(
                "CONCIERGE_INTERCOM_CLIENT_SECRET is required when "
                "CONCIERGE_INTERCOM_ACCESS_TOKEN is set (production mode)"
            )
        return self

    @property
    def local_mode(self) -> bool:
        """True when no access token is configured: run against the embedded emulator."""
        return self.intercom_access_token is None

    @property
    def client_secret(self) -> str:
        """The app's client secret; in local mode a documented default when unset."""
        if self.intercom_client_secret is not None:
            return self.intercom_client_secret.get_secret_value()
        return LOCAL_CLIENT_SECRET

    @property
    def access_token(self) -> str:
        """The REST access token; the emulator accepts any token in local mode."""
        if self.intercom_access_token is not None:
            return self.intercom_access_token.get_secret_value()
        return "local-mode-token"

    @property
    def json_logs(self) -> bool:
        """JSON lines in production, a readable console in local mode (unless overridden)."""
        if self.log_format == "auto":
            return not self.local_mode
        return self.log_format == "json"


def load_settings() -> Settings:
    """Build settings from the environment, turning validation errors into one clear line."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:
        reasons = "; ".join(_describe(err) for err in exc.errors())
        raise SettingsError(reasons) from None


def _describe(err: object) -> str:
    if not isinstance(err, dict):
        return str(err)
    location = ".".join(str(part) for part in err.get("loc", ()))
    message = str(err.get("msg", "invalid"))
    message = message.removeprefix("Value error, ")
    if location:
        return f"CONCIERGE_{location.upper()}: {message}"
    return message
