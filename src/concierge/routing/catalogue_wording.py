"""A stock answer in plain words, as the bot says it in the chat.

Enough at the asked branch::

    Yes — Portland has 240 LED High-Bay 150W (SKU HB-150) on hand, enough for your 200.
    Salem has 80 and Eugene has 35. Lead time to restock: 5 business days.

Not enough, none at that branch, a branch the catalogue does not have, nothing anywhere,
no branch asked, and an unknown product each get their own wording. Counts in units other
than ``each`` read "42 spools of 12 AWG THHN ..."; other close matches are offered last
("We also carry LED High-Bay 240W (SKU HB-240).").
"""

from __future__ import annotations

from collections.abc import Sequence

from concierge.routing.catalogue import Product, StockAnswer

EACH_UNITS = {"", "each", "ea", "pc", "pcs", "piece", "pieces", "unit", "units"}


def product_words(product: Product) -> str:
    """The product as the customer sees it: "LED High-Bay 150W (SKU HB-150)"."""
    return f"{product.name} (SKU {product.sku})"


def named(answer: StockAnswer) -> str:
    """The answered product as the customer sees it."""
    return product_words(answer.product)


def plural_unit(unit: str, count: int) -> str:
    """``unit`` for ``count`` things: "spool", "spools", "boxes"."""
    if count == 1 or unit.endswith("s"):
        return unit
    return unit + ("es" if unit.endswith(("x", "z", "ch", "sh")) else "s")


def amount(answer: StockAnswer, count: int) -> str:
    """``count`` of the product: "240 LED High-Bay 150W (SKU HB-150)" or "42 spools of ..."."""
    unit = answer.product.unit
    if unit.casefold() in EACH_UNITS:
        return f"{count:,} {named(answer)}"
    return f"{count:,} {plural_unit(unit, count)} of {named(answer)}"


def join_words(parts: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def others_sentence(answer: StockAnswer, besides: str) -> str:
    """Where else the product is on the shelf: "Salem has 80 and Eugene has 35."."""
    others = [
        f"{stock.branch} has {stock.on_hand:,}"
        for stock in answer.branches
        if stock.branch != besides and stock.on_hand > 0
    ]
    return join_words(others) + "." if others else "No other branch has any on hand."


def lead_time_sentence(answer: StockAnswer) -> str:
    """ "Lead time to restock: 5 business days." (empty when the lead time is unknown)."""
    days = answer.lead_time_days
    if days is None:
        return ""
    return f"Lead time to restock: {days} business day{'' if days == 1 else 's'}."


def alternatives_sentence(answer: StockAnswer) -> str:
    """The other equally close matches, if any."""
    others = [product_words(match.product) for match in answer.alternatives]
    return f"We also carry {join_words(others)}." if others else ""


def _at_branch(answer: StockAnswer, branch: str, on_hand: int) -> str:
    quantity = answer.quantity
    if on_hand == 0:
        return f"Sorry — {branch} has no {named(answer)} on hand."
    if answer.enough:
        enough = f", enough for your {quantity:,}" if quantity else ""
        return f"Yes — {branch} has {amount(answer, on_hand)} on hand{enough}."
    return f"{branch} has only {amount(answer, on_hand)} on hand, not enough for your {quantity:,}."


def listing(answer: StockAnswer) -> str:
    """Every branch with stock: "Portland has 240 LED ... (SKU HB-150), Salem has 80"."""
    stocked = [stock for stock in answer.branches if stock.on_hand > 0]
    counts = [
        amount(answer, stock.on_hand) if index == 0 else f"{stock.on_hand:,}"
        for index, stock in enumerate(stocked)
    ]
    return join_words(
        [f"{stock.branch} has {count}" for stock, count in zip(stocked, counts, strict=True)]
    )


def _anywhere(answer: StockAnswer, opening: str = "Yes — ") -> str:
    if answer.total_on_hand == 0:
        return f"Sorry — {named(answer)} is out of stock at every branch."
    if not answer.enough:
        return f"No single branch has your {answer.quantity:,}: {listing(answer)}."
    enough = f"we have enough for your {answer.quantity:,}: " if answer.quantity else ""
    sentence = f"{enough}{listing(answer)}."
    return opening + sentence if opening else sentence[0].upper() + sentence[1:]


def not_found_text(product_text: str | None) -> str:
    """The reply when no product matches."""
    asked = f'"{product_text}"' if product_text else "that product"
    return (
        f"Sorry — I couldn't find {asked} in our catalogue. "
        "A part number or the product's name helps me look again."
    )


def answer_text(
    answer: StockAnswer | None, asked_branch: str | None, product_text: str | None = None
) -> str:
    """The plain-words reply to a stock question (see the module docstring).

    ``asked_branch`` is the branch as the customer wrote it (``None`` when they named none);
    ``product_text`` is what they asked for, used only when ``answer`` is ``None``.
    """
    if answer is None:
        return not_found_text(product_text)
    if answer.branch is not None and answer.branch_on_hand is not None:
        sentences = [
            _at_branch(answer, answer.branch, answer.branch_on_hand),
            others_sentence(answer, answer.branch),
        ]
    elif asked_branch:
        sentences = [f"We don't have a branch called {asked_branch}.", _anywhere(answer, "")]
    else:
        sentences = [_anywhere(answer)]
    sentences += [lead_time_sentence(answer), alternatives_sentence(answer)]
    return " ".join(sentence for sentence in sentences if sentence)
