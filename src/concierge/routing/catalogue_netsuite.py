"""A stock catalogue read from NetSuite through SuiteQL, NetSuite's SQL, over REST.

Every query is ``POST {base}/services/rest/query/v1/suiteql?limit=..&offset=..`` with the
body ``{"q": "SELECT ..."}`` and the header ``Prefer: transient``. NetSuite answers a page
at a time::

    {"links": [{"rel": "next", "href": ".../suiteql?limit=1000&offset=1000"}, ...],
     "count": 1000, "hasMore": true, "offset": 0, "totalResults": 2400,
     "items": [{"links": [], "sku": "HB-150", "on_hand": "240", ...}, ...]}

and the adapter follows the ``next`` link (or ``offset + count``) while ``hasMore`` is true.
Values may come as strings and empty columns are left out of an item, as NetSuite does.
Errors come back as ``{"status": 400, "o:errorDetails": [{"detail": ..., "o:errorCode":
...}]}``; they, unreachable hosts and answers of the wrong shape raise
:class:`NetSuiteError` with the status and NetSuite's own words.

Product names and aliases are read once (:meth:`NetSuiteCatalogue.refresh` reads them
again); stock is read live for each question from the ``item``,
``inventoryitemlocations`` and ``location`` tables. The queries are
:class:`SuiteQlQueries` and can be replaced for accounts that keep aliases or lead times in
custom fields, as long as they select the same column names (``aliases`` is
``|``-separated and optional). Authentication belongs to the injected ``httpx.Client``
(token-based OAuth 1.0 or an OAuth 2.0 bearer token, set up by the caller).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from concierge.routing.catalogue import (
    DEFAULT_UNIT,
    BranchNames,
    CatalogueError,
    Product,
    ProductMatch,
    StockAnswer,
    StockItem,
    answer_from,
)
from concierge.routing.catalogue_match import ProductIndex

SUITEQL_PATH = "/services/rest/query/v1/suiteql"
PAGE_SIZE = 1000  # NetSuite's largest page
MAX_PAGES = 1000  # NetSuite serves at most 100,000 rows a query
ALIAS_SEPARATOR = "|"
SKU_PLACEHOLDER = "{sku}"

PRODUCTS_SQL = """\
SELECT item.itemid AS sku, item.displayname AS name, BUILTIN.DF(item.stockunit) AS unit
FROM item
WHERE item.itemtype = 'InvtPart' AND item.isinactive = 'F'
ORDER BY item.itemid"""

STOCK_SQL = """\
SELECT item.itemid AS sku, item.displayname AS name, BUILTIN.DF(item.stockunit) AS unit,
  location.name AS branch, iil.quantityonhand AS on_hand, iil.leadtime AS lead_time_days
FROM item
INNER JOIN inventoryitemlocations iil ON iil.item = item.id
INNER JOIN location ON location.id = iil.location
WHERE item.itemid = {sku} AND location.isinactive = 'F'
ORDER BY location.name"""

BRANCHES_SQL = """\
SELECT location.name AS name
FROM location
WHERE location.isinactive = 'F'
ORDER BY location.name"""


class NetSuiteError(CatalogueError):
    """NetSuite could not be reached, refused a query, or answered something unexpected."""


@dataclass(frozen=True)
class SuiteQlQueries:
    """The SuiteQL the adapter runs (see the module docstring).

    ``products`` selects ``sku``, ``name`` and optionally ``unit`` and ``aliases``;
    ``stock`` selects those plus ``branch``, ``on_hand`` and ``lead_time_days`` for the SKU
    put where ``{sku}`` stands (as a quoted literal); ``branches`` selects ``name``.
    """

    products: str = PRODUCTS_SQL
    stock: str = STOCK_SQL
    branches: str = BRANCHES_SQL


def sql_literal(text: str) -> str:
    """``text`` as a SuiteQL string literal, quotes doubled."""
    return "'" + text.replace("'", "''") + "'"


def _error_details(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200] or response.reason_phrase
    details = body.get("o:errorDetails") if isinstance(body, dict) else None
    if isinstance(details, list) and details:
        return "; ".join(
            f"{item.get('detail', '')} ({item.get('o:errorCode', 'no code')})"
            for item in details
            if isinstance(item, dict)
        )
    if isinstance(body, dict) and body.get("title"):
        return str(body["title"])
    return response.reason_phrase


def _page(client: httpx.Client, url: httpx.URL, query: str) -> dict[str, Any]:
    """One page of a SuiteQL query's results."""
    where = url.copy_with(query=None)
    try:
        response = client.post(url, json={"q": query}, headers={"Prefer": "transient"})
    except httpx.HTTPError as exc:
        raise NetSuiteError(f"cannot reach NetSuite at {where}: {exc}") from None
    if response.is_error:
        raise NetSuiteError(
            f"NetSuite answered {response.status_code} {response.reason_phrase} "
            f"to a SuiteQL query at {where}: {_error_details(response)}"
        )
    try:
        body = response.json()
    except ValueError:
        raise NetSuiteError(f"NetSuite's answer from {where} is not JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise NetSuiteError(f"NetSuite's answer from {where} has no list of items")
    return body


def _next_url(body: Mapping[str, Any], url: httpx.URL) -> httpx.URL:
    """The ``next`` link when it points at the same host, else the page after this one."""
    for link in body.get("links") or []:
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            following = url.join(str(link["href"]))
            if following.host == url.host:
                return following
    offset = int(body.get("offset") or 0) + int(body.get("count") or len(body["items"]))
    return url.copy_merge_params({"offset": offset})


def suiteql_rows(
    client: httpx.Client, base_url: str, query: str, page_size: int = PAGE_SIZE
) -> list[dict[str, Any]]:
    """Every row a SuiteQL query returns, page after page (``links`` dropped)."""
    url = httpx.URL(base_url.rstrip("/") + SUITEQL_PATH, params={"limit": page_size, "offset": 0})
    rows: list[dict[str, Any]] = []
    asked: set[str] = set()
    while True:
        asked.add(str(url))
        body = _page(client, url, query)
        rows.extend(
            {key: value for key, value in item.items() if key != "links"}
            for item in body["items"]
            if isinstance(item, dict)
        )
        if not body.get("hasMore"):
            return rows
        url = _next_url(body, url)
        if str(url) in asked or len(asked) >= MAX_PAGES:
            raise NetSuiteError(f"NetSuite keeps saying it has more rows after {len(rows)}")


def _text(row: Mapping[str, Any], column: str, where: str) -> str:
    value = str(row.get(column) or "").strip()
    if not value:
        raise NetSuiteError(f"{where} has no {column!r}; the query must select it")
    return value


def _count(value: Any, column: str, where: str) -> int | None:
    """A whole count from a SuiteQL value (strings included); fractions round down."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise NetSuiteError(f"{where} has {column} {value!r}, which is not a number") from None
    return max(0, int(number))


def _aliases(row: Mapping[str, Any]) -> tuple[str, ...]:
    parts = str(row.get("aliases") or "").split(ALIAS_SEPARATOR)
    return tuple(part.strip() for part in parts if part.strip())


def product_of(row: Mapping[str, Any], where: str) -> Product:
    """A :class:`Product` from a row of the products query."""
    sku = _text(row, "sku", where)
    name = str(row.get("name") or "").strip() or sku
    unit = str(row.get("unit") or "").strip() or DEFAULT_UNIT
    return Product(sku, name, _aliases(row), unit)


def stock_item_of(row: Mapping[str, Any], where: str) -> StockItem:
    """A :class:`StockItem` from a row of the stock query."""
    product = product_of(row, where)
    return StockItem(
        sku=product.sku,
        name=product.name,
        aliases=product.aliases,
        branch=_text(row, "branch", where),
        on_hand=_count(row.get("on_hand"), "on_hand", where) or 0,
        lead_time_days=_count(row.get("lead_time_days"), "lead_time_days", where),
        unit=product.unit,
    )


class NetSuiteCatalogue:
    """A :class:`~concierge.routing.catalogue.Catalogue` backed by NetSuite (module docstring).

    ``base_url`` is the account's REST host, e.g. ``https://123456.suitetalk.api.netsuite.com``;
    ``synonyms`` and ``branch_aliases`` are as for
    :class:`~concierge.routing.catalogue_csv.CsvCatalogue`.
    """

    def __init__(
        self,
        client: httpx.Client,
        base_url: str,
        *,
        synonyms: Mapping[str, Sequence[str]] | None = None,
        branch_aliases: Mapping[str, Sequence[str]] | None = None,
        queries: SuiteQlQueries | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self._client = client
        self._base_url = base_url
        self._synonyms = synonyms or {}
        self._branch_aliases = branch_aliases or {}
        self._queries = queries or SuiteQlQueries()
        self._page_size = page_size
        self._index: ProductIndex | None = None
        self._branches: BranchNames | None = None

    def _rows(self, query: str) -> list[dict[str, Any]]:
        return suiteql_rows(self._client, self._base_url, query, self._page_size)

    def refresh(self) -> None:
        """Forget the products and branches read so far; the next question reads them again."""
        self._index = None
        self._branches = None

    def _product_index(self) -> ProductIndex:
        if self._index is None:
            rows = self._rows(self._queries.products)
            products = [
                product_of(row, f"row {n} of the products query") for n, row in enumerate(rows, 1)
            ]
            self._index = ProductIndex(products, self._synonyms)
        return self._index

    def _branch_names(self) -> BranchNames:
        if self._branches is None:
            rows = self._rows(self._queries.branches)
            names = [
                _text(row, "name", f"row {n} of the branches query")
                for n, row in enumerate(rows, 1)
            ]
            self._branches = BranchNames(names, self._branch_aliases)
        return self._branches

    def find(self, product_text: str) -> list[ProductMatch]:
        """Products matching ``product_text``, best first."""
        return self._product_index().find(product_text)

    def stock(self, sku: str) -> list[StockItem]:
        """The product's stock at every active location that carries it, read live."""
        query = self._queries.stock.replace(SKU_PLACEHOLDER, sql_literal(sku))
        rows = self._rows(query)
        return [stock_item_of(row, f"row {n} of the stock query") for n, row in enumerate(rows, 1)]

    def branches(self) -> list[str]:
        """Every active NetSuite location, plus any branch named only in the aliases."""
        return self._branch_names().names

    def answer(
        self, product_text: str, quantity: int | None = None, branch: str | None = None
    ) -> StockAnswer | None:
        """The stock answer for the best match, or ``None`` when no product matches."""
        return answer_from(self, self._branch_names(), product_text, quantity, branch)
