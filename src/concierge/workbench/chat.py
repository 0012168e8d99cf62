"""A conversation with the real bot from a terminal, through a local stack and its emulator.

Every line the person types is a customer message sent through the emulator, exactly like a
Messenger user: the bot's whole pipeline runs (understanding, flows, scoring, hand-off) and its
replies and buttons come back from the emulator. Typing a button's number picks it (its text
is sent, as Intercom does). With ``debug`` on, each turn is followed by what the bot recorded
about it: the intent ranking or why it abstained, the entities, the flow's progress, the score
with the rules that fired, and the route with the rule that decided it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from concierge.scenarios.customer import BotError, Customer, TurnRecord
from concierge.scenarios.stack import Stack

HELP = """\
Type what a customer would type; the bot answers as it would in Intercom.
  [bold]1[/], [bold]2[/] …   pick the numbered button of the last question
  [bold]/new[/]       start a new conversation (as the same contact)
  [bold]/debug[/]     show or hide why the bot answered as it did
  [bold]/help[/]      this help
  [bold]/quit[/]      leave (so does Ctrl-D)"""
PROMPT = "[bold cyan]you >[/] "
QUIT = frozenset({"/quit", "/exit", "/q"})
TOP_INTENTS = 5
BAR_WIDTH = 20

Reader = Callable[[], str]


def line_reader(lines: Iterable[str]) -> Reader:
    """A reader over a fixed list of lines (EOFError after the last), for tests and pipes."""
    remaining: Iterator[str] = iter(lines)

    def read() -> str:
        try:
            return next(remaining)
        except StopIteration:
            raise EOFError from None

    return read


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _ranking(details: dict[str, Any]) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    chosen = details.get("intent")
    for intent, confidence in (details.get("ranking") or [])[:TOP_INTENTS]:
        style = "bold green" if intent == chosen else ""
        bar = "█" * round(float(confidence) * BAR_WIDTH)
        grid.add_row(Text(intent, style=style), f"{float(confidence):.2f}", Text(bar, style="cyan"))
    if chosen is None:
        reason = details.get("abstain_reason") or "no intent was confident enough"
        grid.add_row(Text(f"abstained: {reason}", style="yellow"))
    return grid


def _entities(details: dict[str, Any]) -> Text:
    found = details.get("entities") or []
    if not found:
        return Text("none", style="dim")
    return Text("   ".join(f"{kind}={_number(value)} ({said!r})" for kind, value, said in found))


def _flow(details: dict[str, Any]) -> Text:
    flow = details.get("flow")
    if not flow:
        return Text("none running", style="dim")
    text = Text(f"{flow['flow']}: {flow['status']}")
    if flow.get("pending"):
        text.append(f", asking for {flow['pending']}")
    if details.get("step"):
        text.append(f" (step: {details['step']})", style="dim")
    answers = flow.get("answers") or {}
    filled = ", ".join(f"{name}={_number(value)}" for name, value in answers.items())
    text.append(f"\nfilled: {filled or 'nothing yet'}")
    if flow.get("skipped"):
        text.append(f"; skipped: {', '.join(flow['skipped'])}")
    return text


def _score(details: dict[str, Any]) -> Text:
    score = details.get("score")
    if not score:
        return Text("not scored", style="dim")
    text = Text(
        f"{_number(score['total'])} ({score['label']}): "
        f"fit {_number(score['fit'])}, engagement {_number(score['engagement'])}"
    )
    for rule in score.get("fired") or []:
        points = float(rule["points"])
        text.append(f"\n{points:+g} {rule['dimension']} ", style="green" if points >= 0 else "red")
        text.append(f"{rule['rule']}", style="bold")
        text.append(f": {rule['reason']}", style="dim")
    return text


def _route(details: dict[str, Any]) -> Text:
    route = details.get("route")
    if not route:
        return Text("no hand-off this turn", style="dim")
    extra = route.get("details") or {}
    text = Text(f"{extra.get('team_name') or route['team']}", style="bold")
    text.append(f" by rule {route['rule']} (SLA {route['sla_tier']}, ")
    text.append("open now)" if route.get("open_now") else "closed now)")
    if extra.get("reason"):
        text.append(f"\nmatched: {extra['reason']}", style="dim")
    if details.get("handoff"):
        text.append(f"\nhand-off because {details['handoff']}", style="dim")
    return text


def debug_view(details: dict[str, Any]) -> RenderableType:
    """What the bot recorded about one turn, as a labelled grid."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold magenta", no_wrap=True)
    grid.add_column()
    grid.add_row("intents", _ranking(details))
    grid.add_row("entities", _entities(details))
    grid.add_row("flow", _flow(details))
    grid.add_row("score", _score(details))
    grid.add_row("route", _route(details))
    return Panel(grid, title="why", title_align="left", border_style="dim")


@dataclass
class ChatSession:
    """One person chatting with the bot on a local stack: the commands and the printing."""

    stack: Stack
    console: Console
    debug: bool = False
    contact: dict[str, Any] | None = None
    options: list[str] = field(default_factory=list)
    handed_off: bool = False
    customer: Customer = field(init=False)

    def __post_init__(self) -> None:
        self.customer = Customer(self.stack, self.contact)

    def handle(self, line: str) -> bool:
        """Act on one typed line; False when the person wants to leave."""
        text = line.strip()
        if not text:
            return True
        if text.casefold() in QUIT:
            return False
        if text.startswith("/"):
            self._command(text.casefold())
            return True
        self._say(self._picked(text))
        return True

    def _command(self, command: str) -> None:
        if command == "/new":
            self.customer.new_conversation()
            self.options, self.handed_off = [], False
            self.console.print("[dim]── a new conversation ──[/]")
        elif command == "/help":
            self.console.print(HELP, highlight=False)
        elif command == "/debug":
            self.debug = not self.debug
            self.console.print(f"[dim]debug {'on' if self.debug else 'off'}[/]")
        else:
            self.console.print(f"[yellow]unknown command {escape(command)}[/] (try /help)")

    def _picked(self, text: str) -> str:
        if text.isdigit() and 1 <= int(text) <= len(self.options):
            choice = self.options[int(text) - 1]
            self.console.print(f"[dim]picked “{escape(choice)}”[/]")
            return choice
        return text

    def _say(self, text: str) -> None:
        try:
            with self.console.status("[dim]the bot is thinking…[/]"):
                record = self.customer.say(text)
        except (TimeoutError, BotError, httpx.HTTPError) as exc:
            self.console.print(f"[red]{escape(str(exc))}[/]")
            return
        self._show(record)

    def _show(self, record: TurnRecord) -> None:
        for reply in record.replies:
            self.console.print(Text("bot > ", style="bold green") + Text(reply))
        self.options = record.options
        for number, option in enumerate(record.options, start=1):
            self.console.print(f"      [bold]{number}[/]) {escape(option)}", highlight=False)
        if record.handed_off and not self.handed_off:
            team = record.team_name or record.team or "a person"
            self.console.print(
                f"[bold yellow]→ handed to {escape(team)}[/]"
                f" [yellow](rule {escape(record.rule or 'none')})[/]",
                highlight=False,
            )
        elif not record.replies:
            self.console.print(self._silence(record))
        self.handed_off = record.handed_off
        if self.debug:
            for decision in record.decisions:
                self.console.print(debug_view(decision.details))

    def _silence(self, record: TurnRecord) -> str:
        if record.handed_off:
            return "[dim](no reply: a person owns this conversation now; /new starts over)[/]"
        return "[dim](no reply)[/]"


def run_chat(
    stack: Stack,
    read: Reader,
    console: Console,
    *,
    debug: bool = False,
    contact: dict[str, Any] | None = None,
) -> None:
    """Chat until ``/quit`` or the end of input; ``read`` returns one typed line per call."""
    session = ChatSession(stack, console, debug=debug, contact=contact)
    console.print(
        Group(
            Text("Chatting with the bot (local mode: the Intercom emulator, no real customers)."),
            Text("Type a message, a button's number, or /help.", style="dim"),
        )
    )
    while True:
        try:
            line = read()
        except (EOFError, KeyboardInterrupt):
            console.print()
            break
        if not session.handle(line):
            break
    console.print("[dim]bye[/]")
