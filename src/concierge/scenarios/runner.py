"""Play a conversation script against a running local stack, and check it.

Each script is its own customer and conversation, so one stack plays every script of its
playbook; the stack's clock is set to the script's ``at`` while the script plays. A turn
diverges when the bot's answer misses an expectation of that turn; the ``expect`` block is
checked once every turn has been played.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx

from concierge.scenarios.customer import BotError, Customer, TurnRecord
from concierge.scenarios.outcome import outcome_problems
from concierge.scenarios.script import Script, Turn, TurnExpectation
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


def play_script(script: Script, stack: Stack, path: Path) -> ScriptResult:
    """Play every turn of ``script`` as a new customer on ``stack`` and check the outcome."""
    result = ScriptResult(path=path, name=script.name)
    contact = script.contact.model_dump(exclude_none=True) if script.contact else None
    stack.clock.set(script.at)
    try:
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
