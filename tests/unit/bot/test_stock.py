"""Stock questions answered from the Portlandia catalogue: in the chat (no hand-off when there
is an answer, buttons when there is none) and on the Messenger stock card."""

from __future__ import annotations

import tempfile
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from concierge import bot
from concierge.bot.stock import canvas_lookups
from concierge.canvas.templates import CanvasLibrary
from concierge.domain.actions import Assign, Reply, Tag, Turn
from concierge.domain.conversation import (
    AuthorKind,
    Contact,
    ConversationEvent,
    ConversationState,
    Message,
)
from concierge.playbook.brain import Brain, load_brain
from concierge.routing.catalogue import CatalogueError, ProductMatch, StockAnswer, StockItem

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # Tuesday 10:00 Pacific: every team is open
STATE_FIELDS = {field.name for field in fields(ConversationState)}


@pytest.fixture(scope="module")
def brain() -> Brain:
    models = Path(tempfile.gettempdir()) / "concierge-test-models" / "portlandia"
    return load_brain(ROOT / "intents", models)


class Chat:
    """One conversation with the bot: each turn sees what the previous ones remembered."""

    def __init__(self, brain: Brain) -> None:
        self.brain = brain
        self.state = ConversationState("c1", greeted=True)

    def say(self, text: str) -> Turn:
        number = len(self.state.transcript)
        message = Message("c1", f"p{number}", AuthorKind.CUSTOMER, "u1", text, number)
        event = ConversationEvent(
            topic="conversation.user.replied",
            conversation_id="c1",
            contact=Contact(id="u1"),
            messages=(message,),
        )
        turn = bot.handle(event, self.state, self.brain, NOW)
        kept = {name: value for name, value in turn.memory.items() if name in STATE_FIELDS}
        self.state = replace(
            self.state,
            **kept,
            status=turn.status or self.state.status,
            transcript=(*self.state.transcript, message),
        )
        return turn


def replies(turn: Turn) -> list[Reply]:
    return [a for a in turn.actions if isinstance(a, Reply) and a.message_type != "note"]


def handed_off(turn: Turn) -> bool:
    return turn.status == "human" or any(isinstance(a, Assign) for a in turn.actions)


def test_the_issue_question_is_answered_with_quantities_and_lead_time(brain: Brain) -> None:
    turn = Chat(brain).say("do you have 200 LED high-bays in stock at the Portland branch?")
    [reply] = replies(turn)
    assert reply.body.startswith(
        "Yes — Portland has 240 LED High-Bay 150W (SKU HB-150) on hand, enough for your 200. "
        "Salem has 80 and Eugene has 35. Lead time to restock: 5 business days."
    )
    assert reply.options == ()
    assert Tag("stock-check") in turn.actions
    assert not handed_off(turn)
    assert turn.memory["flow_state"] is None
    assert turn.decision is not None
    assert turn.decision["stock"]["sku"] == "HB-150"


def test_no_quantity_is_needed_for_an_answer(brain: Brain) -> None:
    turn = Chat(brain).say("do you have LED high-bays in stock in Portland?")
    [reply] = replies(turn)
    assert reply.body.startswith("Yes — Portland has 240 LED High-Bay 150W (SKU HB-150) on hand.")
    assert "Lead time to restock: 5 business days." in reply.body
    assert not handed_off(turn)


def test_the_customers_own_words_pick_the_product_a_turn_later(brain: Brain) -> None:
    chat = Chat(brain)
    asked = chat.say("do you have 30 spools of #10 wire?")
    assert "Which branch" in replies(asked)[0].body
    turn = chat.say("Salem")
    [reply] = replies(turn)
    # "#10 wire" is 10 AWG; the lookup's name "THHN wire" would fit 12 AWG as well
    assert reply.body.startswith(
        "Salem has only 6 spools of 10 AWG THHN Copper Wire, 500 ft (SKU THHN-10-500) on hand, "
        "not enough for your 30."
    )
    assert reply.options == ("Ask the Catalog team", "Check another product")
    assert not handed_off(turn)


def test_the_team_button_hands_off_to_the_catalog_team(brain: Brain) -> None:
    chat = Chat(brain)
    chat.say("does salem have 30 spools of #10 wire on hand")
    turn = chat.say("Ask the Catalog team")
    assert turn.status == "human"
    assert turn.memory["route"]["team"] == "catalog"


def test_an_unknown_product_is_said_plainly_and_another_can_be_checked(brain: Brain) -> None:
    chat = Chat(brain)
    chat.say("do you have flux capacitors at Portland?")
    turn = chat.say("flux capacitor")
    [reply] = replies(turn)
    assert reply.body.startswith('Sorry — I couldn\'t find "flux capacitor" in our catalogue.')
    assert reply.options == ("Ask the Catalog team", "Check another product")
    assert not handed_off(turn)
    again = chat.say("Check another product")
    assert replies(again)[0].body == "Which product should I look for? A part number helps."
    answered = chat.say("QO120")
    assert "Which branch" in replies(answered)[0].body
    assert replies(chat.say("Eugene"))[0].body.startswith("Yes — Eugene has 95 Square D QO 20A")


class UnreachableCatalogue:
    """A catalogue whose stock system is down."""

    def find(self, product_text: str) -> list[ProductMatch]:
        raise CatalogueError("NetSuite answered 503")

    def stock(self, sku: str) -> list[StockItem]:
        raise CatalogueError("NetSuite answered 503")

    def branches(self) -> list[str]:
        raise CatalogueError("NetSuite answered 503")

    def answer(
        self, product_text: str, quantity: int | None = None, branch: str | None = None
    ) -> StockAnswer | None:
        raise CatalogueError("NetSuite answered 503")


def test_when_the_stock_system_is_down_a_person_checks_the_shelf(brain: Brain) -> None:
    down = replace(brain, catalogue=UnreachableCatalogue())
    turn = Chat(down).say("do you have LED high-bays in stock in Portland?")
    assert replies(turn)[0].body.startswith("I can't reach our stock system right now")
    assert turn.status == "human"
    assert turn.memory["route"]["team"] == "catalog"
    assert Tag("stock-check") in turn.actions


def search(brain: Brain, values: dict[str, Any]) -> list[dict[str, Any]]:
    library = CanvasLibrary.load(ROOT / "canvases")
    form = library.messenger_submit("check_stock", {}, {"screen": "messenger_home"}, {})
    done = library.messenger_submit(
        "check", values, form.canvas.stored_data, {}, canvas_lookups(brain)
    )
    assert done.completed
    shown: list[dict[str, Any]] = done.to_wire()["canvas"]["content"]["components"]
    return shown


def test_the_stock_card_lists_each_branch_with_its_lead_time(brain: Brain) -> None:
    shown = search(brain, {"product": "LED high-bays", "branch": "portland", "quantity": "200"})
    assert shown[0]["text"] == "LED High-Bay 150W (SKU HB-150)"
    assert shown[1]["text"].startswith("Yes — Portland has 240 LED High-Bay 150W")
    table = next(c for c in shown if c["type"] == "data-table")
    assert [(row["field"], row["value"]) for row in table["items"]] == [
        ("Portland", "240 on hand · 5-day lead time"),
        ("Salem", "80 on hand · 5-day lead time"),
        ("Eugene", "35 on hand · 7-day lead time"),
        ("Vancouver WA", "0 on hand · 6-day lead time"),
    ]


def test_the_stock_card_counts_in_the_products_unit(brain: Brain) -> None:
    shown = search(brain, {"product": "#10 wire", "branch": "vancouver_wa", "quantity": ""})
    assert shown[1]["text"].startswith("Sorry — Vancouver WA has no 10 AWG THHN Copper Wire")
    table = next(c for c in shown if c["type"] == "data-table")
    assert table["items"][0] == {
        "type": "field-value",
        "field": "Portland",
        "value": "20 spools on hand · 3-day lead time",
    }


def test_the_stock_card_says_when_nothing_matches(brain: Brain) -> None:
    shown = search(brain, {"product": "flux capacitor", "branch": "salem", "quantity": ""})
    assert shown[0]["text"] == "No match in our catalogue"
    assert shown[1]["text"].startswith('Sorry — I couldn\'t find "flux capacitor"')
    assert not [c for c in shown if c["type"] == "data-table"]
    assert "Talk to a person" in [c.get("label") for c in shown]
