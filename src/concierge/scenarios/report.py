"""The conversation-script report: one line per script, and for a failure where it diverged.

A diverging turn is shown with what the customer said, what the script expected, and what
the bot actually did: its replies, its buttons, the routing (team and rule), the status, the
conversation's tags and the contact's attributes. The last line is ``N passed, M failed``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from concierge.scenarios.customer import TurnRecord
from concierge.scenarios.runner import ScriptResult, TurnFailure
from concierge.scenarios.script import TurnExpectation
from concierge.scenarios.suite import SuiteResult

INDENT = "    "


def _where(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def describe_expectation(expected: TurnExpectation) -> str:
    """The expectations of one turn in words."""
    parts = []
    if expected.silent:
        parts.append("silence")
    if expected.contains:
        parts.append("a reply containing " + ", ".join(map(repr, expected.contains)))
    if expected.not_contains:
        parts.append("a reply without " + ", ".join(map(repr, expected.not_contains)))
    if expected.options:
        parts.append("the buttons " + ", ".join(map(repr, expected.options)))
    return "; ".join(parts) or "anything"


def _attributes(attributes: dict[str, Any]) -> str:
    return ", ".join(f"{name}={value!r}" for name, value in sorted(attributes.items())) or "none"


def describe_state(record: TurnRecord) -> list[tuple[str, str]]:
    """What the bot did besides talking, as (label, text) pairs."""
    routed = f"{record.team} (rule {record.rule})" if record.team is not None else "not routed"
    return [
        ("routing", f"{routed}; conversation status {record.status or 'unknown'}"),
        ("tags", ", ".join(record.tags) or "none"),
        ("contact", _attributes(record.contact_attributes)),
    ]


def _print_turn(console: Console, failure: TurnFailure) -> None:
    record = failure.record
    console.print(f"  [bold]turn {failure.number} diverged[/]", highlight=False)
    rows = [
        ("customer", repr(failure.turn.customer)),
        ("expected", describe_expectation(failure.turn.bot)),
    ]
    rows += [("bot said", reply) for reply in record.replies] or [("bot said", "(nothing)")]
    if record.options:
        rows.append(("buttons", " | ".join(record.options)))
    rows += describe_state(record)
    for label, text in rows:
        console.print(f"{INDENT}{label:<9} {escape(text)}", highlight=False)
    for problem in failure.problems:
        console.print(f"{INDENT}[red]✗[/] {escape(problem)}", highlight=False)


def _print_outcome(console: Console, result: ScriptResult) -> None:
    console.print("  [bold]after the last turn[/] (expect:)", highlight=False)
    if result.transcript:
        for label, text in describe_state(result.transcript[-1]):
            console.print(f"{INDENT}{label:<9} {escape(text)}", highlight=False)
    for problem in result.outcome_failures:
        console.print(f"{INDENT}[red]✗[/] {escape(problem)}", highlight=False)


def print_result(console: Console, result: ScriptResult) -> None:
    """One line for a passing script; for a failing one, each diverging turn in detail."""
    where = escape(_where(result.path))
    if result.passed:
        console.print(f"[green]PASS[/] {where}  {escape(result.name)}", highlight=False)
        return
    console.print(f"[bold red]FAIL[/] {where}  {escape(result.name)}", highlight=False)
    for failure in result.turn_failures:
        _print_turn(console, failure)
    if result.outcome_failures:
        _print_outcome(console, result)
    if result.error:
        console.print(f"  [red]error:[/] {escape(result.error)}", highlight=False)


def summary_line(suite: SuiteResult) -> str:
    """``N passed, M failed``."""
    return f"{suite.passed} passed, {suite.failed} failed"


def print_summary(console: Console, suite: SuiteResult) -> None:
    """The closing ``N passed, M failed`` line, alone on its line."""
    colour = "green" if suite.failed == 0 else "red"
    console.print(f"[bold {colour}]{summary_line(suite)}[/]", highlight=False)
