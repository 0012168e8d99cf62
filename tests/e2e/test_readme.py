"""The README's quick start, executed: its run command starts a local-mode server, and its
"be a customer" commands get a greeting back."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

from tests.support.intercom import bot_replies, wait_for
from tests.support.server import ROOT, concierge_process, free_port

README = (ROOT / "README.md").read_text(encoding="utf-8")


def block(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\s*```\n(.*?)\n```\s*<!-- /{marker} -->", README, re.S)
    assert match, f"README.md has no {marker} block"
    return match.group(1).strip()


def customer_commands() -> list[str]:
    match = re.search(r"Then, in another terminal, be a customer:\s*```\n(.*?)\n```", README, re.S)
    assert match, "README.md lost its 'be a customer' example"
    joined = match.group(1).replace("\\\n", " ")
    return [line.split("#")[0].strip() for line in joined.splitlines() if line.strip()]


def test_readme_commands_are_the_documented_pair() -> None:
    assert block("run-command").endswith("concierge serve")
    assert "pip install -e '.[test,lint]'" in block("test-command")
    assert block("test-command").endswith("pytest")


def test_quick_start_greets_the_customer(tmp_path: Path) -> None:
    port = free_port()
    env = {"CONCIERGE_DATABASE_URL": f"sqlite:///{tmp_path / 'quickstart.db'}"}
    serve = [*shlex.split(block("run-command").split("&&")[-1]), "--port", str(port)]
    assert serve[:2] == ["concierge", "serve"]
    base = f"http://127.0.0.1:{port}"
    with concierge_process(serve[1:], env, base + "/healthz", tmp_path / "server.log"):
        outputs = [
            subprocess.run(  # noqa: S602 - the README's own shell commands, on loopback
                command.replace("localhost:8000", f"127.0.0.1:{port}"),
                shell=True,
                capture_output=True,
                text=True,
                timeout=30,
                check=True,
            ).stdout
            for command in customer_commands()
        ]
        conversation_id = json.loads(outputs[0])["conversation_id"]
        emulator = base + "/intercom-emulator"
        replies = wait_for(lambda: bot_replies(emulator, conversation_id), timeout=5)
    assert "Portlandia" in replies[0]["body"]
