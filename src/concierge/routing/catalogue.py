"""The stock catalogue: what a branch has on the shelf, and the answer to "is it in stock?".

A :class:`Catalogue` finds products from what a customer wrote (:meth:`Catalogue.find`),
reports stock per branch (:meth:`Catalogue.stock`) and answers a stock question
(:meth:`Catalogue.answer`). Two adapters implement it: a CSV file
(:mod:`concierge.routing.catalogue_csv`) and NetSuite's SuiteQL REST service
(:mod:`concierge.routing.catalogue_netsuite`). Both answer through :func:`answer_from`, so
the same question gets the same kind of answer whichever system holds the stock;
:func:`concierge.routing.catalogue_wording.answer_text` puts it in plain words.

When several products match equally well ("LED high-bay" names both the 150 W and the
240 W fixture), the answer is about the one that can best serve the customer: enough at
the asked branch first, then most at that branch, then most overall. The others are kept
in :attr:`StockAnswer.alternatives`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from rapidfuzz import fuzz, process

from concierge.routing.errors import RoutingError, RoutingProblem

TIE_MARGIN = 2.0  # matches this close to the best (0-100 scale) count as equally good
MAX_TIES = 5  # at most this many equally good matches have their stock compared
MAX_ALTERNATIVES = 3
BRANCH_CUTOFF = 85.0  # how close a misspelt branch name must be to count (0-100)
DEFAULT_UNIT = "each"


class CatalogueError(RoutingError):
    """Root of everything the stock catalogue raises."""


class CatalogueFileError(CatalogueError):
    """A catalogue file is invalid; ``problems`` lists each with file and row line."""

    def __init__(self, problems: list[RoutingProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class StockItem:
    """One product at one branch: how many are on the shelf and how long a restock takes."""

    sku: str
    name: str
    aliases: tuple[str, ...]
    branch: str
    on_hand: int
    lead_time_days: int | None
    unit: str = DEFAULT_UNIT


@dataclass(frozen=True)
class Product:
    """A product the catalogue knows, whatever branch holds it."""

    sku: str
    name: str
    aliases: tuple[str, ...] = ()
    unit: str = DEFAULT_UNIT


@dataclass(frozen=True)
class ProductMatch:
    """A product found for what the customer wrote; ``score`` runs 0-100 (100 is exact)."""

    product: Product
    score: float
    matched: str
    """The name, alias, synonym or SKU that matched best."""


@dataclass(frozen=True)
class BranchStock:
    """One branch's stock of the answered product."""

    branch: str
    on_hand: int
    lead_time_days: int | None


@dataclass(frozen=True)
class StockAnswer:
    """The answer to "do you have N of this at that branch?".

    ``branches`` lists every branch that carries the product, most on hand first.
    ``branch`` is the asked branch's catalogue name (``None`` when none was asked or the
    catalogue has no such branch) and ``branch_on_hand`` its quantity (0 when it does not
    carry the product). ``enough`` says whether the asked branch, or without one any single
    branch, has at least ``quantity`` (at least one when no quantity was asked).
    ``lead_time_days`` is the asked branch's restock time, else the shortest one known.
    """

    match: ProductMatch
    branches: tuple[BranchStock, ...]
    quantity: int | None
    branch: str | None
    branch_on_hand: int | None
    enough: bool
    lead_time_days: int | None
    alternatives: tuple[ProductMatch, ...] = ()

    @property
    def product(self) -> Product:
        """The product this answer is about."""
        return self.match.product

    @property
    def total_on_hand(self) -> int:
        """Units on hand across every branch."""
        return sum(stock.on_hand for stock in self.branches)

    @property
    def short(self) -> bool:
        """True when there is not enough where the customer asked."""
        return not self.enough


class Catalogue(Protocol):
    """Where stock questions are answered; see the module docstring."""

    def find(self, product_text: str) -> list[ProductMatch]:
        """Products matching ``product_text``, best first (empty when none is close)."""
        ...

    def stock(self, sku: str) -> list[StockItem]:
        """The product's stock at every branch that carries it (empty for an unknown SKU)."""
        ...

    def branches(self) -> list[str]:
        """Every branch the catalogue knows, by its catalogue name."""
        ...

    def answer(
        self, product_text: str, quantity: int | None = None, branch: str | None = None
    ) -> StockAnswer | None:
        """The stock answer for the best match, or ``None`` when no product matches."""
        ...


def branch_key(text: str) -> str:
    """How branch names are compared: case-folded, punctuation and spacing ignored."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


class BranchNames:
    """Resolves what a customer calls a branch ("PDX", "portland") to its catalogue name."""

    def __init__(
        self, names: Iterable[str], aliases: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self._names: dict[str, str] = {}
        for name in [*names, *(aliases or {})]:
            self._names.setdefault(branch_key(name), name)
        for name, variants in (aliases or {}).items():
            for variant in variants:
                self._names.setdefault(branch_key(variant), name)

    @property
    def names(self) -> list[str]:
        """The catalogue names, each once, in the order given."""
        return list(dict.fromkeys(self._names.values()))

    def resolve(self, text: str) -> str | None:
        """The catalogue name for ``text``; tolerates case and small typos, else ``None``."""
        key = branch_key(text)
        if key in self._names:
            return self._names[key]
        best = process.extractOne(key, list(self._names), scorer=fuzz.ratio)
        if best is None or best[1] < BRANCH_CUTOFF:
            return None
        return self._names[best[0]]


def _branch_stock(items: Sequence[StockItem]) -> tuple[BranchStock, ...]:
    stocks = (BranchStock(item.branch, item.on_hand, item.lead_time_days) for item in items)
    return tuple(sorted(stocks, key=lambda stock: (-stock.on_hand, stock.branch)))


def _lead_time(stocks: Sequence[BranchStock], branch: str | None) -> int | None:
    for stock in stocks:
        if stock.branch == branch and stock.lead_time_days is not None:
            return stock.lead_time_days
    known = [stock.lead_time_days for stock in stocks if stock.lead_time_days is not None]
    return min(known, default=None)


def compose_answer(
    match: ProductMatch, items: Sequence[StockItem], quantity: int | None, branch: str | None
) -> StockAnswer:
    """The answer about one product, given its stock rows and the resolved asked branch."""
    stocks = _branch_stock(items)
    needed = quantity or 1
    branch_on_hand: int | None = None
    if branch is not None:
        branch_on_hand = sum(stock.on_hand for stock in stocks if stock.branch == branch)
        enough = branch_on_hand >= needed
    else:
        enough = any(stock.on_hand >= needed for stock in stocks)
    return StockAnswer(
        match=match,
        branches=stocks,
        quantity=quantity,
        branch=branch,
        branch_on_hand=branch_on_hand,
        enough=enough,
        lead_time_days=_lead_time(stocks, branch),
    )


def _preference(answer: StockAnswer) -> tuple[bool, int, int]:
    return answer.enough, answer.branch_on_hand or 0, answer.total_on_hand


def answer_from(
    catalogue: Catalogue,
    branch_names: BranchNames,
    product_text: str,
    quantity: int | None = None,
    branch: str | None = None,
) -> StockAnswer | None:
    """Answer a stock question from any catalogue (see the module docstring for ties).

    ``quantity`` must be at least 1 when given; ``branch`` is what the customer called the
    branch, resolved through ``branch_names``.
    """
    if quantity is not None and quantity < 1:
        raise ValueError(f"the quantity asked for must be at least 1, not {quantity}")
    matches = catalogue.find(product_text)
    if not matches:
        return None
    resolved = branch_names.resolve(branch) if branch else None
    best_score = matches[0].score
    ties = [match for match in matches if match.score >= best_score - TIE_MARGIN][:MAX_TIES]
    answers = [
        compose_answer(match, catalogue.stock(match.product.sku), quantity, resolved)
        for match in ties
    ]
    chosen = max(answers, key=_preference)
    others = tuple(answer.match for answer in answers if answer is not chosen)
    return replace(chosen, alternatives=others[:MAX_ALTERNATIVES])
