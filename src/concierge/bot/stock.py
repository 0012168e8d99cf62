"""Stock questions answered from the playbook's catalogue, in the chat and on the Messenger card.

In the chat, a flow with ``on_complete: {answer: stock}`` ends with the catalogue's answer in
plain words (quantities by branch, lead time), the flow's tags, and no hand-off. When no
product matches, or the asked branch has too few, the customer gets two buttons: ask the team
a hand-off would reach (a person can order in, transfer stock or find a substitute), or check
another product. Clicking is enough; nothing is handed off behind their back. When the
catalogue cannot be read, a person is the only one who can still answer, so the conversation
is handed off.

The product is looked up by the customer's own words first ("#10 wire" names one product;
the lookup's name "THHN wire" names two), then by the lookup's name.

On the Messenger card, :func:`canvas_lookups` gives the canvas library the ``stock`` lookup:
the stock search form's answers in, the results card's values out (see :func:`stock_results`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import structlog

from concierge.bot.dialogue import HUMAN_INTENTS, TurnContext, hand_off
from concierge.canvas.templates import Lookup
from concierge.domain.actions import Action, Reply, Tag
from concierge.domain.conversation import AuthorKind
from concierge.domain.understanding import Entity
from concierge.flows import Complete
from concierge.playbook.brain import Brain
from concierge.playbook.catalogue_source import PRODUCT_LOOKUP
from concierge.routing.catalogue import Catalogue, CatalogueError, StockAnswer
from concierge.routing.catalogue_wording import (
    EACH_UNITS,
    answer_text,
    plural_unit,
    product_words,
)

log = structlog.get_logger(component="stock")

STOCK_LOOKUP = "stock"
ANOTHER_PRODUCT = "Check another product"
UNREADABLE = (
    "I can't reach our stock system right now, so I'm passing this to the team to check "
    "the shelf for you."
)
NO_CATALOGUE = "I can't check stock from here, so I'm passing this to the team."
CARD_UNREADABLE = "We can't reach our stock system right now. Please try again in a minute."
CARD_NO_CATALOGUE = "We can't check stock from here yet. Ask us in the chat and we'll look."
CARD_NOT_FOUND_TITLE = "No match in our catalogue"

Outcome = tuple[list[Action], str | None]


@dataclass(frozen=True)
class StockQuestion:
    """What the customer asked: the product in their words, and the lookup's name for it."""

    product: str
    canonical: str | None = None
    branch: str | None = None
    quantity: int | None = None


def whole_quantity(value: Any) -> int | None:
    """A quantity of one or more as a whole number, else ``None`` (not asked, or unusable)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        return None
    return int(number) if number >= 1 and number == int(number) else None


def ask_catalogue(catalogue: Catalogue, question: StockQuestion) -> StockAnswer | None:
    """The answer for the customer's words, else for the lookup's name (``None``: no match).

    Raises :class:`~concierge.routing.catalogue.CatalogueError` when the catalogue cannot be
    read.
    """
    answer = catalogue.answer(question.product, question.quantity, question.branch)
    canonical = question.canonical
    if answer is None and canonical and canonical.casefold() != question.product.casefold():
        answer = catalogue.answer(canonical, question.quantity, question.branch)
    return answer


def _words_for(entities: Iterable[Entity], value: str) -> str | None:
    return next(
        (e.text for e in entities if e.type == PRODUCT_LOOKUP and str(e.value) == value), None
    )


def customer_words(context: TurnContext, value: str) -> str:
    """What the customer wrote for the product answer ``value`` (newest message first)."""
    found = _words_for(context.entities, value)
    earlier = [m for m in context.state.transcript if m.author == AuthorKind.CUSTOMER]
    for message in reversed(earlier):
        if found is not None:
            break
        found = _words_for(context.brain.entities.extract(message.text), value)
    return found or value


def _chat_question(context: TurnContext, answers: Mapping[str, Any]) -> StockQuestion:
    canonical = str(answers.get("product") or "")
    branch = answers.get("branch")
    return StockQuestion(
        product=customer_words(context, canonical),
        canonical=canonical,
        branch=str(branch) if branch else None,
        quantity=whole_quantity(answers.get("quantity")),
    )


def _team_button(context: TurnContext) -> str:
    """ "Ask the Catalog team": the team a hand-off would reach now."""
    facts = context.facts()
    routing = context.brain.routing
    team = routing.teams.get(routing.match(facts, context.brain.scoring.score(facts)).team)
    if team is None:
        return "Ask our team"
    return f"Ask the {team.name}" + ("" if team.name.casefold().endswith("team") else " team")


def _offers(context: TurnContext, step: Complete) -> dict[str, str]:
    """Button label → the intent it stands for: the team, and another product."""
    offers = {_team_button(context): HUMAN_INTENTS[0]}
    intent = context.brain.intents.get(step.state.intent or "")
    if intent is not None and intent.flow == step.state.flow:
        offers[ANOTHER_PRODUCT] = intent.name
    return offers


def _reply(context: TurnContext, step: Complete, text: str, answer: StockAnswer | None) -> Reply:
    if answer is not None and answer.enough:
        return Reply(text)
    offers = _offers(context, step)
    context.memory["offered"] = offers
    return Reply(text, "quick_reply", tuple(offers))


def _decision(answer: StockAnswer | None) -> dict[str, Any]:
    if answer is None:
        return {"found": False}
    return {
        "found": True,
        "sku": answer.product.sku,
        "branch": answer.branch,
        "on_hand": answer.branch_on_hand,
        "enough": answer.enough,
        "lead_time_days": answer.lead_time_days,
    }


def answer_in_chat(context: TurnContext, step: Complete, before: list[Action]) -> Outcome:
    """The stock flow is complete: answer from the catalogue (see the module docstring)."""
    tags = step.on_complete.tags
    catalogue = context.brain.catalogue
    if catalogue is None:
        said = [*before, Reply(NO_CATALOGUE)]
        return hand_off(context, "no stock catalogue to answer from", before=said, tags=tags)
    question = _chat_question(context, step.answers)
    try:
        answer = ask_catalogue(catalogue, question)
    except CatalogueError as exc:
        log.warning("stock catalogue could not be read", error=str(exc))
        said = [*before, Reply(UNREADABLE)]
        return hand_off(context, "the stock catalogue could not be read", before=said, tags=tags)
    context.decision["stock"] = _decision(answer)
    text = answer_text(answer, question.branch, question.product)
    return [*before, _reply(context, step, text, answer), *(Tag(tag) for tag in tags)], None


def lookup_name(brain: Brain, text: str) -> str | None:
    """The product lookup's name for ``text`` ("LED high-bays" → "LED high-bay"), if any."""
    found = (e.value for e in brain.entities.extract(text) if e.type == PRODUCT_LOOKUP)
    value = next(found, None)
    return None if value is None else str(value)


def stock_row(answer: StockAnswer, on_hand: int, lead_time_days: int | None) -> str:
    """One branch on the results card: "240 on hand · 5-day lead time"."""
    unit = answer.product.unit
    counted = "" if unit.casefold() in EACH_UNITS else f" {plural_unit(unit, on_hand)}"
    lead = "" if lead_time_days is None else f" · {lead_time_days}-day lead time"
    return f"{on_hand:,}{counted} on hand{lead}"


def results(answer: StockAnswer | None, question: StockQuestion) -> dict[str, Any]:
    """What the results card shows (the ``lookup`` values of the ``stock`` lookup)."""
    summary = answer_text(answer, question.branch, question.product)
    if answer is None:
        return {"title": CARD_NOT_FOUND_TITLE, "summary": summary, "found": False}
    branches = [
        {
            "branch": stock.branch,
            "on_hand": stock.on_hand,
            "stock": stock_row(answer, stock.on_hand, stock.lead_time_days),
        }
        for stock in answer.branches
    ]
    days = answer.lead_time_days
    return {
        "title": product_words(answer.product),
        "summary": summary,
        "found": True,
        "enough": answer.enough,
        "branches": branches,
        "lead_time": "" if days is None else f"{days} business day{'' if days == 1 else 's'}",
    }


def stock_results(brain: Brain, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The ``stock`` card lookup: the search form's answers (as a person reads them) in.

    Out: ``title`` (the product, or that nothing matched), ``summary`` (the chat's answer),
    ``found``, ``enough``, ``branches`` (each ``branch``, ``on_hand`` and ``stock``, e.g.
    "240 on hand · 5-day lead time", most on hand first) and ``lead_time``.
    """
    product = str(answers.get("product") or "").strip()
    branch = str(answers.get("branch") or "").strip() or None
    if brain.catalogue is None:
        return {"title": "Stock check", "summary": CARD_NO_CATALOGUE, "found": False}
    question = StockQuestion(
        product, lookup_name(brain, product), branch, whole_quantity(answers.get("quantity"))
    )
    try:
        answer = ask_catalogue(brain.catalogue, question) if product else None
    except CatalogueError as exc:
        log.warning("stock catalogue could not be read", error=str(exc))
        return {"title": "Stock check", "summary": CARD_UNREADABLE, "found": False}
    return results(answer, question)


def canvas_lookups(brain: Brain) -> dict[str, Lookup]:
    """The lookups canvas templates may name (``lookup: stock``), bound to ``brain``."""
    return {STOCK_LOOKUP: partial(stock_results, brain)}
