"""The Dockerfile and fly.toml agree with each other and with the app."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _fly() -> dict[str, Any]:
    with (ROOT / "fly.toml").open("rb") as handle:
        return tomllib.load(handle)


def _dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def test_fly_checks_health_on_the_port_the_image_serves() -> None:
    service = _fly()["http_service"]
    dockerfile = _dockerfile()
    port = service["internal_port"]
    assert [check["path"] for check in service["checks"]] == ["/healthz"]
    assert re.search(rf"^EXPOSE {port}$", dockerfile, re.MULTILINE)
    cmd = json.loads(re.findall(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)[-1])
    assert cmd[:2] == ["concierge", "serve"]
    assert cmd[cmd.index("--port") + 1] == str(port)
    assert f"127.0.0.1:{port}/healthz" in dockerfile


def test_fly_mounts_data_and_migrates_on_release() -> None:
    fly = _fly()
    assert fly["mounts"]["destination"] == "/data"
    assert fly["deploy"]["release_command"] == "concierge db upgrade"
    assert not any("SECRET" in name or "TOKEN" in name for name in fly["env"])


def test_dockerfile_is_multi_stage_non_root_with_a_healthcheck() -> None:
    dockerfile = _dockerfile()
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) >= 2
    assert re.search(r"^HEALTHCHECK ", dockerfile, re.MULTILINE)
    users = re.findall(r"^USER (\S+)$", dockerfile, re.MULTILINE)
    assert users
    assert users[-1] not in {"root", "0"}
