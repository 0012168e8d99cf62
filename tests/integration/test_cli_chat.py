"""``concierge chat``: a terminal conversation with the real bot through a local stack."""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from rich.console import Console
from typer.testing import CliRunner

from concierge.cli import app
from concierge.scenarios.stack import Stack
from concierge.scenarios.suite import PlaybookDirs, playbook_stack
from concierge.workbench.chat import line_reader, run_chat

ROOT = Path(__file__).resolve().parents[2]
MODELS = Path(tempfile.gettempdir()) / "concierge-test-models" / "scripts"
PORTLANDIA = PlaybookDirs(ROOT / "intents", ROOT / "canvases")
OPEN_HOURS = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # Tue 10:00 America/Los_Angeles

runner = CliRunner()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    work_dir = tmp_path_factory.mktemp("chat")
    with playbook_stack(PORTLANDIA, work_dir=work_dir, model_root=MODELS, quiet=True) as running:
        # A Tuesday morning in Portland: Sales and Support are open, so a hand-off is routed
        # rather than sent down the nobody-available ladder, whatever day the tests run.
        running.clock.set(OPEN_HOURS)
        yield running


def chat(stack: Stack, lines: list[str], *, debug: bool = False, email: str | None = None) -> str:
    """Everything the person would see after typing ``lines``."""
    screen = io.StringIO()
    console = Console(file=screen, width=120, soft_wrap=True, color_system=None)
    contact = {"email": email} if email else None
    run_chat(stack, line_reader(lines), console, debug=debug, contact=contact)
    return screen.getvalue()


def test_buttons_are_numbered_and_a_number_picks_one(stack: Stack) -> None:
    shown = chat(stack, ["we need a quote for 300 LED high-bays", "2"])
    assert "bot > Thanks for reaching out to Portlandia Electric Supply!" in shown
    assert "1) Residential" in shown
    assert "2) Commercial" in shown
    assert "picked “Commercial”" in shown
    # Commercial projects are asked for the branch next; a residential one would not be
    after_pick = shown.split("picked “Commercial”", 1)[1]
    assert "branch" in after_pick.casefold()


def test_a_hand_off_names_the_team_and_rule_and_the_bot_then_stays_silent(stack: Stack) -> None:
    shown = chat(stack, ["can I talk to a person?", "hello?"])
    assert re.search(r"→ handed to \w+ \(rule \w+\)", shown), shown
    assert "a person owns this conversation now" in shown


def test_debug_shows_ranking_entities_flow_score_and_route(stack: Stack) -> None:
    shown = chat(
        stack,
        ["we need a quote for 300 LED high-bays", "Commercial", "can I talk to a person?"],
        debug=True,
    )
    first_turn = shown.split("why", 2)[1]
    assert re.search(r"quote_request\s+\d\.\d\d", first_turn), first_turn
    assert "quantity=300" in first_turn
    assert "commercial_quote: asking" in first_turn
    assert re.search(r"score\s+\d+ \(\w+\): fit \d+, engagement \d+", first_turn)
    assert re.search(r"\+\d+ (fit|engagement) \w+: ", first_turn), "fired rules with points"
    assert "no hand-off this turn" in first_turn
    last_turn = shown.rsplit("why", 1)[1]
    assert re.search(r"route\s+\w+ by rule \w+ \(SLA \w+", last_turn), last_turn
    assert "hand-off because the customer asked for a person" in last_turn


def test_abstention_is_explained_in_debug(stack: Stack) -> None:
    # the shipped ambiguous_did_you_mean script relies on this message sitting between two intents
    shown = chat(stack, ["the invoice and an order"], debug=True)
    assert "abstained: ambiguous" in shown
    assert "1) " in shown  # "did you mean" buttons


def test_new_starts_another_conversation_and_help_lists_commands(stack: Stack) -> None:
    shown = chat(stack, ["can I talk to a person?", "/new", "/help", "/nope", "where's my order?"])
    assert "── a new conversation ──" in shown
    assert "/quit" in shown
    assert "unknown command /nope" in shown
    after_new = shown.split("a new conversation", 1)[1]
    assert "order number" in after_new.casefold()  # answered again, not silenced by the hand-off


def test_as_email_writes_as_that_contact(stack: Stack) -> None:
    chat(stack, ["where's my order?"], email="kim@example.com")
    state = httpx.get(stack.emulator + "/_state", timeout=10).json()
    assert any(contact.get("email") == "kim@example.com" for contact in state["contacts"])


def test_quit_ends_before_the_remaining_lines(stack: Stack) -> None:
    shown = chat(stack, ["/quit", "where's my order?"])
    assert "bot >" not in shown
    assert shown.rstrip().endswith("bye")


def test_concierge_chat_command_talks_and_quits() -> None:
    result = runner.invoke(
        app,
        ["chat", "--intents-dir", str(ROOT / "intents"), "--model-dir", str(MODELS)],
        input="hi\n/quit\n",
    )
    assert result.exit_code == 0, result.output
    assert "Loading the playbook" in result.output  # says what the slow start is doing
    assert "trains" in result.output
    assert "bot > " in result.output
    assert "bye" in result.output


def test_concierge_chat_refuses_a_broken_playbook(tmp_path: Path) -> None:
    (tmp_path / "intents.yaml").write_text("intents: [\n", encoding="utf-8")
    result = runner.invoke(app, ["chat", "--intents-dir", str(tmp_path)], input="hi\n")
    assert result.exit_code == 2
    assert "cannot be loaded" in result.output
    assert str(tmp_path / "intents.yaml") in result.output
