"""Play a conversation script through a local server and the emulator, and check it.

Each customer turn goes in through the emulator's ``_messages`` helper, exactly like a real
customer; the runner waits until every webhook is delivered, every event processed and
every action sent, then compares what the bot did with the script's expectations.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from concierge.scenarios.outcome import outcome_problems
from concierge.scenarios.script import Script, TurnExpectation, load_script
from concierge.scenarios.stack import Stack, local_stack

SETTLE_TIMEOUT = 20.0
AUTH = {"Authorization": "Bearer scenario", "Intercom-Version": "2.14"}


@dataclass
class TurnRecord:
    """What the customer said and what the bot answered."""

    customer: str
    replies: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)


@dataclass
class ScriptResult:
    """The outcome of one script: failures (empty when it passed) and the transcript."""

    path: Path
    name: str
    failures: list[str] = field(default_factory=list)
    transcript: list[TurnRecord] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when every expectation held."""
        return not self.failures


def _pending_work(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        events = connection.execute(
            "SELECT count(*) FROM webhook_events WHERE status = 'pending'"
        ).fetchone()[0]
        actions = connection.execute(
            "SELECT count(*) FROM outgoing_actions WHERE status = 'pending'"
        ).fetchone()[0]
    return int(events) + int(actions)


def _pending_deliveries(stack: Stack) -> int:
    deliveries = httpx.get(stack.emulator + "/_deliveries", timeout=10).json()
    return sum(1 for delivery in deliveries if delivery["state"] == "pending")


def settle(stack: Stack, timeout: float = SETTLE_TIMEOUT) -> None:
    """Wait until nothing is in flight anywhere (twice in a row, to catch echoes)."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        busy = _pending_deliveries(stack) + _pending_work(stack.database)
        quiet = quiet + 1 if busy == 0 else 0
        if quiet >= 3:
            return
        time.sleep(0.05)
    raise TimeoutError(f"the bot was still busy after {timeout} s")


def _conversation(stack: Stack, conversation_id: str) -> dict[str, Any]:
    url = f"{stack.emulator}/conversations/{conversation_id}"
    body: dict[str, Any] = httpx.get(url, headers=AUTH, timeout=10).json()
    return body


def _bot_parts_after(
    conversation: dict[str, Any], part_id: str, bot_id: str
) -> list[dict[str, Any]]:
    parts = conversation["conversation_parts"]["conversation_parts"]
    ids = [str(part["id"]) for part in parts]
    start = ids.index(part_id) + 1 if part_id in ids else 0
    return [
        part
        for part in parts[start:]
        if str((part.get("author") or {}).get("id")) == bot_id
        and part.get("part_type") in {"comment", "quick_reply"}
    ]


def _options(part: dict[str, Any]) -> list[str]:
    metadata = part.get("metadata") or {}
    return [str(option["text"]) for option in metadata.get("quick_reply_options") or []]


def _text(html: str | None) -> str:
    from concierge.intercom.webhooks import html_to_text

    return html_to_text(html)


def _play_turn(
    stack: Stack, script: Script, conversation_id: str | None, text: str
) -> tuple[str, str]:
    payload: dict[str, Any] = {"body": text}
    if conversation_id:
        payload["conversation_id"] = conversation_id
    elif script.contact is not None:
        payload["contact"] = script.contact.model_dump(exclude_none=True)
    response = httpx.post(stack.emulator + "/_messages", json=payload, timeout=10)
    response.raise_for_status()
    sent = response.json()
    settle(stack)
    return str(sent["conversation_id"]), str(sent["part_id"])


def _check_turn(index: int, expected: TurnExpectation, record: TurnRecord) -> list[str]:
    said = " ".join(record.replies + record.options).casefold()
    problems = []
    if expected.silent and record.replies:
        problems.append(f"turn {index}: expected silence, the bot said {record.replies!r}")
    if not expected.silent and not record.replies and (expected.contains or expected.options):
        problems.append(f"turn {index}: the bot did not reply")
    for phrase in expected.contains:
        if phrase.casefold() not in said:
            problems.append(f"turn {index}: expected {phrase!r} in {record.replies!r}")
    for phrase in expected.not_contains:
        if phrase.casefold() in said:
            problems.append(f"turn {index}: did not expect {phrase!r} in {record.replies!r}")
    for option in expected.options:
        if option.casefold() not in [o.casefold() for o in record.options]:
            problems.append(f"turn {index}: expected option {option!r} in {record.options!r}")
    return problems


def _bot_id(stack: Stack) -> str:
    state = httpx.get(stack.emulator + "/_state", timeout=10).json()
    return str(state["workspace"]["bot_admin_id"])


def play(script: Script, stack: Stack) -> tuple[str, list[TurnRecord], list[str]]:
    """Play every turn; returns the conversation id, the transcript and turn failures."""
    conversation_id: str | None = None
    transcript: list[TurnRecord] = []
    failures: list[str] = []
    bot_id = _bot_id(stack)
    for index, turn in enumerate(script.turns, start=1):
        conversation_id, part_id = _play_turn(stack, script, conversation_id, turn.customer)
        parts = _bot_parts_after(_conversation(stack, conversation_id), part_id, bot_id)
        record = TurnRecord(
            customer=turn.customer,
            replies=[_text(part.get("body")) for part in parts],
            options=[option for part in parts for option in _options(part)],
        )
        transcript.append(record)
        failures.extend(_check_turn(index, turn.bot, record))
    assert conversation_id is not None
    return conversation_id, transcript, failures


def run_script(path: Path, *, root: Path, work_dir: Path, model_root: Path) -> ScriptResult:
    """Load, play and check one script in a fresh local server."""
    script = load_script(path)
    intents_dir = (root / script.playbook).resolve()
    model_key = hashlib.sha256(str(intents_dir).encode()).hexdigest()[:12]
    clock = _fixed_clock(script.at)
    work_dir.mkdir(parents=True, exist_ok=True)
    result = ScriptResult(path=path, name=script.name)
    with local_stack(
        intents_dir=intents_dir,
        canvases_dir=(root / script.canvases).resolve(),
        work_dir=work_dir,
        model_dir=model_root / model_key,
        clock=clock,
    ) as stack:
        conversation_id, result.transcript, result.failures = play(script, stack)
        result.failures.extend(outcome_problems(script.expect, stack, conversation_id))
    return result


def _fixed_clock(at: datetime | None) -> Callable[[], datetime] | None:
    if at is None:
        return None
    return lambda: at
