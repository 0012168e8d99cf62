"""Play a conversation script against a running local stack, and check it.

Each script is its own customer and conversation, so one stack plays every script of its
playbook; the stack's clock is set to the script's ``at`` while the script plays. A turn
diverges when the bot's answer misses an expectation of that turn; the ``expect`` block is
checked once every turn has been played.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from concierge.scenarios.customer import SETTLE_TIMEOUT, BotError, Customer, TurnRecord
from concierge.scenarios.outcome import outcome_problems
from concierge.scenarios.records import AUTH
from concierge.scenarios.script import Script, Setup, Turn, TurnExpectation
from concierge.scenarios.stack import Stack


@dataclass
class TurnFailure:
    """A turn where the bot did not do what the script expected."""

    number: int
    turn: Turn
    record: TurnRecord
    problems: list[str]


@dataclass
class ScriptResult:
    """The outcome of one script: where it diverged (nothing when it passed), the transcript."""

    path: Path
    name: str
    transcript: list[TurnRecord] = field(default_factory=list)
    turn_failures: list[TurnFailure] = field(default_factory=list)
    outcome_failures: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def passed(self) -> bool:
        """True when every expectation held."""
        return not (self.turn_failures or self.outcome_failures or self.error)

    @property
    def failures(self) -> list[str]:
        """Every problem as one line each: diverging turns, the final state, an error."""
        lines = [
            f"turn {failure.number}: {problem}"
            for failure in self.turn_failures
            for problem in failure.problems
        ]
        lines += [f"after the last turn: {problem}" for problem in self.outcome_failures]
        return [*lines, self.error] if self.error else lines


def check_turn(expected: TurnExpectation, record: TurnRecord) -> list[str]:
    """Every way the bot's answer to one turn misses that turn's expectations."""
    said = " ".join(record.replies + record.options).casefold()
    options = [option.casefold() for option in record.options]
    problems = []
    if expected.silent and record.replies:
        problems.append("expected silence, the bot replied")
    if not expected.silent and not record.replies and (expected.contains or expected.options):
        problems.append("the bot did not reply")
    problems += [
        f"expected {phrase!r} in the reply"
        for phrase in expected.contains
        if phrase.casefold() not in said
    ]
    problems += [
        f"did not expect {phrase!r} in the reply"
        for phrase in expected.not_contains
        if phrase.casefold() in said
    ]
    problems += [
        f"expected the button {option!r}"
        for option in expected.options
        if option.casefold() not in options
    ]
    return problems


def _play_turns(script: Script, customer: Customer, result: ScriptResult) -> None:
    for number, turn in enumerate(script.turns, start=1):
        try:
            record = customer.say(turn.customer)
        except (TimeoutError, BotError, httpx.HTTPError) as exc:
            result.error = f"turn {number}: {exc}"
            return
        result.transcript.append(record)
        problems = check_turn(turn.bot, record)
        if problems:
            result.turn_failures.append(TurnFailure(number, turn, record, problems))


def _away_in_directory(stack: Stack, admin_ids: list[str], away: bool) -> bool:
    marks = ",".join("?" for _ in admin_ids)
    with sqlite3.connect(stack.database) as connection:
        rows = connection.execute(
            f"SELECT admin_id, away FROM directory_admins WHERE admin_id IN ({marks})",  # noqa: S608
            admin_ids,
        ).fetchall()
    return len(rows) == len(admin_ids) and all(bool(flag) == away for _, flag in rows)


def _is_away(stack: Stack, admin_id: str) -> bool:
    response = stack.http.get(f"{stack.emulator}/admins/{admin_id}", headers=AUTH)
    response.raise_for_status()
    return bool(response.json().get("away_mode_enabled"))


def _set_away(stack: Stack, admin_ids: list[str], away: bool) -> None:
    """Set admins away (or back) in the emulator and wait until the server knows (through the
    ``admin.away_mode_updated`` webhook, as with Intercom)."""
    if not admin_ids:
        return
    body = {"away_mode_enabled": away, "away_mode_reassign": False}
    for admin_id in admin_ids:
        url = f"{stack.emulator}/admins/{admin_id}/away"
        stack.http.put(url, json=body, headers=AUTH).raise_for_status()
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while not _away_in_directory(stack, admin_ids, away):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the server did not learn that {admin_ids} are away={away}")
        time.sleep(0.05)


@contextlib.contextmanager
def _workspace(stack: Stack, setup: Setup) -> Iterator[None]:
    """The emulated workspace as ``setup`` says while the script plays, put back afterwards
    (the stack is shared with the playbook's other scripts)."""
    before = {admin_id: _is_away(stack, admin_id) for admin_id in setup.away}
    _set_away(stack, setup.away, True)
    try:
        yield
    finally:
        _set_away(stack, [admin for admin, away in before.items() if not away], False)


def play_script(script: Script, stack: Stack, path: Path) -> ScriptResult:
    """Play every turn of ``script`` as a new customer on ``stack`` and check the outcome."""
    result = ScriptResult(path=path, name=script.name)
    contact = script.contact.model_dump(exclude_none=True) if script.contact else None
    stack.clock.set(script.at)
    try:
        with _workspace(stack, script.setup):
            customer = Customer(stack, contact)
            _play_turns(script, customer, result)
            if result.error is None and customer.conversation_id is not None:
                result.outcome_failures = outcome_problems(
                    script.expect, stack, customer.conversation_id
                )
    except (TimeoutError, BotError, httpx.HTTPError) as exc:
        result.error = f"after the last turn: {exc}"
    finally:
        stack.clock.set(None)
    return result
