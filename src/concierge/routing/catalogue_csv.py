"""A stock catalogue kept in a CSV file: one row per product per branch.

::

    sku,name,aliases,branch,on_hand,lead_time_days,unit
    HB-150,LED High-Bay 150W,LED high-bay|UFO high bay 150W,Portland,240,5,each
    HB-150,LED High-Bay 150W,,Salem,80,5,each

``sku``, ``name``, ``branch`` and ``on_hand`` are required columns; ``aliases``
(``|``-separated, merged over a product's rows), ``lead_time_days`` (empty when unknown)
and ``unit`` (``each`` when empty) may be left out. Other columns are ignored. Loading
reports every problem at once, each with the file and line: a missing column, an empty
SKU, name or branch, a quantity or lead time that is not a whole number of zero or more,
a product named or counted in different units on different rows, and a product listed
twice for one branch.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from concierge.routing.catalogue import (
    DEFAULT_UNIT,
    BranchNames,
    CatalogueFileError,
    Product,
    ProductMatch,
    StockAnswer,
    StockItem,
    answer_from,
)
from concierge.routing.catalogue_match import ProductIndex
from concierge.routing.errors import RoutingProblem

REQUIRED_COLUMNS = ("sku", "name", "branch", "on_hand")
OPTIONAL_COLUMNS = ("aliases", "lead_time_days", "unit")
ALIAS_SEPARATOR = "|"


class RowError(ValueError):
    """One thing wrong with one row."""


def whole_number(value: str, column: str) -> int:
    """``value`` as a whole number of zero or more; raises :class:`RowError` otherwise."""
    try:
        number = int(value.strip())
    except ValueError:
        raise RowError(f"{column} must be a whole number, not {value.strip()!r}") from None
    if number < 0:
        raise RowError(f"{column} cannot be negative ({number})")
    return number


def _required(row: Mapping[str, str], column: str) -> str:
    value = row[column].strip()
    if not value:
        raise RowError(f"{column} is empty")
    return value


def parse_row(row: Mapping[str, str]) -> StockItem:
    """A :class:`StockItem` from one CSV row; raises :class:`RowError` naming the column."""
    aliases = (row.get("aliases") or "").split(ALIAS_SEPARATOR)
    lead_time = (row.get("lead_time_days") or "").strip()
    return StockItem(
        sku=_required(row, "sku"),
        name=_required(row, "name"),
        aliases=tuple(alias.strip() for alias in aliases if alias.strip()),
        branch=_required(row, "branch"),
        on_hand=whole_number(row["on_hand"], "on_hand"),
        lead_time_days=whole_number(lead_time, "lead_time_days") if lead_time else None,
        unit=(row.get("unit") or "").strip() or DEFAULT_UNIT,
    )


def _header_problem(path: Path, header: Sequence[str] | None) -> RoutingProblem | None:
    if header is None:
        return RoutingProblem(path, None, "the file is empty; it needs a header row")
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if not missing:
        return None
    return RoutingProblem(
        path, 1, f"missing column(s): {', '.join(missing)} (the header has: {', '.join(header)})"
    )


def _consistency_problem(item: StockItem, first: StockItem, first_line: int) -> str | None:
    if item.name != first.name:
        return f"{item.sku} is named {item.name!r} here but {first.name!r} on line {first_line}"
    if item.unit != first.unit:
        return (
            f"{item.sku} is counted in {item.unit!r} here but {first.unit!r} on line {first_line}"
        )
    return None


def _rows(path: Path) -> tuple[list[tuple[int, StockItem]], list[RoutingProblem]]:
    problems: list[RoutingProblem] = []
    items: list[tuple[int, StockItem]] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        raw_header = next(reader, None)
        header = None if raw_header is None else [cell.strip().casefold() for cell in raw_header]
        problem = _header_problem(path, header)
        if header is None or problem is not None:
            return [], [problem] if problem else []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                message = f"expected {len(header)} fields like the header, found {len(cells)}"
                problems.append(RoutingProblem(path, reader.line_num, message))
                continue
            try:
                items.append((reader.line_num, parse_row(dict(zip(header, cells, strict=True)))))
            except RowError as exc:
                problems.append(RoutingProblem(path, reader.line_num, str(exc)))
    return items, problems


def _checked(path: Path, rows: list[tuple[int, StockItem]]) -> list[RoutingProblem]:
    problems: list[RoutingProblem] = []
    first_rows: dict[str, tuple[int, StockItem]] = {}
    seen: dict[tuple[str, str], int] = {}
    for line, item in rows:
        key = (item.sku, item.branch.casefold())
        if key in seen:
            message = f"{item.sku} at {item.branch} is listed twice (first on line {seen[key]})"
            problems.append(RoutingProblem(path, line, message))
            continue
        seen[key] = line
        first_line, first = first_rows.setdefault(item.sku, (line, item))
        problem = None if first is item else _consistency_problem(item, first, first_line)
        if problem is not None:
            problems.append(RoutingProblem(path, line, problem))
    return problems


def read_stock_csv(path: Path) -> list[StockItem]:
    """Every row of a stock CSV; raises :class:`CatalogueFileError` naming file and line."""
    try:
        rows, problems = _rows(path)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CatalogueFileError([RoutingProblem(path, None, f"cannot read: {exc}")]) from None
    problems += _checked(path, rows)
    if problems:
        raise CatalogueFileError(sorted(problems, key=lambda problem: problem.line or 0))
    return [item for _, item in rows]


def products_of(items: Iterable[StockItem]) -> list[Product]:
    """One :class:`Product` per SKU, in first-seen order, with every row's aliases merged."""
    found: dict[str, tuple[StockItem, list[str]]] = {}
    for item in items:
        _, aliases = found.setdefault(item.sku, (item, []))
        aliases.extend(alias for alias in item.aliases if alias not in aliases)
    return [
        Product(first.sku, first.name, tuple(aliases), first.unit)
        for first, aliases in found.values()
    ]


class CsvCatalogue:
    """A :class:`~concierge.routing.catalogue.Catalogue` over stock rows held in memory.

    ``synonyms`` maps each canonical product name of the playbook's ``product`` lookup to
    its synonyms; ``branch_aliases`` maps a branch's catalogue name to what customers call
    it (the playbook's ``branch`` lookup fits as it is).
    """

    def __init__(
        self,
        items: Iterable[StockItem],
        *,
        synonyms: Mapping[str, Sequence[str]] | None = None,
        branch_aliases: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        rows = list(items)
        self._by_sku: dict[str, list[StockItem]] = {}
        for item in rows:
            self._by_sku.setdefault(item.sku, []).append(item)
        self._index = ProductIndex(products_of(rows), synonyms)
        self._branches = BranchNames((item.branch for item in rows), branch_aliases)

    @classmethod
    def load(
        cls,
        path: Path,
        *,
        synonyms: Mapping[str, Sequence[str]] | None = None,
        branch_aliases: Mapping[str, Sequence[str]] | None = None,
    ) -> CsvCatalogue:
        """The catalogue in the CSV file at ``path`` (see the module docstring)."""
        return cls(read_stock_csv(path), synonyms=synonyms, branch_aliases=branch_aliases)

    @property
    def index(self) -> ProductIndex:
        """The product matcher (to see which phrases find a product)."""
        return self._index

    def find(self, product_text: str) -> list[ProductMatch]:
        """Products matching ``product_text``, best first."""
        return self._index.find(product_text)

    def stock(self, sku: str) -> list[StockItem]:
        """The product's rows, one per branch that carries it."""
        return list(self._by_sku.get(sku, ()))

    def branches(self) -> list[str]:
        """Every branch named in the file or the branch aliases."""
        return self._branches.names

    def answer(
        self, product_text: str, quantity: int | None = None, branch: str | None = None
    ) -> StockAnswer | None:
        """The stock answer for the best match, or ``None`` when no product matches."""
        return answer_from(self, self._branches, product_text, quantity, branch)
