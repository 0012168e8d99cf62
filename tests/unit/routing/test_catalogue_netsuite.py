"""The NetSuite catalogue against a fake SuiteQL REST service (httpx.MockTransport).

The fake answers as NetSuite documents it: ``POST /services/rest/query/v1/suiteql`` with
``limit``/``offset`` in the URL, pages of ``items`` with ``links``, ``count``, ``hasMore``,
``offset`` and ``totalResults``, values as strings, empty columns left out, and errors as
``o:errorDetails``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from concierge.routing.catalogue_netsuite import (
    SUITEQL_PATH,
    NetSuiteCatalogue,
    NetSuiteError,
    SuiteQlQueries,
    sql_literal,
    suiteql_rows,
)
from concierge.routing.catalogue_wording import answer_text

BASE = "https://123456.suitetalk.api.netsuite.com"
PRODUCTS: list[dict[str, Any]] = [
    {"sku": "BR120", "name": "Eaton BR 20A 1-Pole Circuit Breaker", "unit": "Each"},
    {"sku": "HB-150", "name": "LED High-Bay 150W", "unit": "Each"},
    {"sku": "HB-240", "name": "LED High-Bay 240W", "unit": "Each"},
    {"sku": "THHN-12", "name": "12 AWG THHN Copper Wire, 500 ft", "unit": "spool"},
    {"sku": "XF-75"},  # no display name: NetSuite leaves the column out
]
STOCK: dict[str, list[dict[str, Any]]] = {
    "HB-150": [
        {"branch": "Eugene", "on_hand": "35", "lead_time_days": "7"},
        {"branch": "Portland", "on_hand": "240.0", "lead_time_days": "5"},
        {"branch": "Salem", "on_hand": "80", "lead_time_days": "5"},
    ],
    "HB-240": [{"branch": "Portland", "on_hand": "60"}],
    "O'BRIEN-1": [{"branch": "Salem", "on_hand": "-2", "lead_time_days": 4}],
}
LOCATIONS = ["Eugene", "Portland", "Salem", "Vancouver WA"]
SYNONYMS = {"LED high-bay": ["high bay", "highbay", "warehouse lights"]}


class FakeNetSuite:
    """Answers the adapter's three queries from the tables above, a page at a time."""

    def __init__(self, page_size_cap: int = 1000) -> None:
        self.requests: list[httpx.Request] = []
        self.page_size_cap = page_size_cap

    def rows_for(self, query: str) -> list[dict[str, Any]]:
        if "inventoryitemlocations" in query:
            sku = re.search(r"item\.itemid = '((?:[^']|'')*)'", query)
            assert sku is not None, query
            wanted = sku.group(1).replace("''", "'")
            product = next((row for row in PRODUCTS if row["sku"] == wanted), {"sku": wanted})
            return [{**product, **row} for row in STOCK.get(wanted, [])]
        if query.lstrip().startswith("SELECT location.name"):
            return [{"name": name} for name in LOCATIONS]
        return list(PRODUCTS)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        assert request.method == "POST"
        assert request.url.path == SUITEQL_PATH
        assert request.headers["Prefer"] == "transient"
        rows = self.rows_for(json.loads(request.content)["q"])
        limit = min(int(request.url.params["limit"]), self.page_size_cap)
        offset = int(request.url.params["offset"])
        page = rows[offset : offset + limit]
        has_more = offset + limit < len(rows)
        links = [{"rel": "self", "href": str(request.url)}]
        if has_more:
            following = request.url.copy_merge_params({"offset": offset + limit})
            links.append({"rel": "next", "href": str(following)})
        return httpx.Response(
            200,
            json={
                "links": links,
                "count": len(page),
                "hasMore": has_more,
                "offset": offset,
                "totalResults": len(rows),
                "items": [{"links": [], **row} for row in page],
            },
        )


def make_catalogue(
    handler: Callable[[httpx.Request], httpx.Response], page_size: int = 1000
) -> NetSuiteCatalogue:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return NetSuiteCatalogue(
        client,
        BASE + "/",
        synonyms=SYNONYMS,
        branch_aliases={"Portland": ["PDX"]},
        page_size=page_size,
    )


def test_the_issue_question_is_answered_from_netsuite() -> None:
    fake = FakeNetSuite()
    catalogue = make_catalogue(fake)

    answer = catalogue.answer("LED high-bays", 200, "PDX")

    assert answer is not None
    assert answer_text(answer, "PDX") == (
        "Yes — Portland has 240 LED High-Bay 150W (SKU HB-150) on hand, enough for your 200. "
        "Salem has 80 and Eugene has 35. Lead time to restock: 5 business days. "
        "We also carry LED High-Bay 240W (SKU HB-240)."
    )


def test_products_and_branches_are_read_once_and_stock_live() -> None:
    fake = FakeNetSuite()
    catalogue = make_catalogue(fake)

    catalogue.answer("highbay", 1, "Portland")
    catalogue.answer("warehouse lights", 1, "Salem")
    queries = [json.loads(request.content)["q"] for request in fake.requests]

    assert sum("FROM item\nWHERE" in query for query in queries) == 1  # products
    assert sum(query.startswith("SELECT location.name") for query in queries) == 1
    assert sum("inventoryitemlocations" in query for query in queries) == 4  # 2 ties x 2

    catalogue.refresh()
    catalogue.find("high bay")
    assert len(fake.requests) == len(queries) + 1


def test_every_page_is_fetched_by_following_the_next_link() -> None:
    fake = FakeNetSuite()
    catalogue = make_catalogue(fake, page_size=2)

    found = [match.product.sku for match in catalogue.find("XF-75")]

    assert found == ["XF-75"]  # the fifth product, on the third page
    assert [request.url.params["offset"] for request in fake.requests] == ["0", "2", "4"]
    assert {request.url.params["limit"] for request in fake.requests} == {"2"}


def test_paging_falls_back_to_offset_and_count_without_a_next_link() -> None:
    fake = FakeNetSuite(page_size_cap=2)  # NetSuite serves smaller pages than asked

    def without_links(request: httpx.Request) -> httpx.Response:
        body = fake(request).json()
        body["links"] = []
        return httpx.Response(200, json=body)

    client = httpx.Client(transport=httpx.MockTransport(without_links))
    rows = suiteql_rows(client, BASE, "SELECT item.itemid AS sku FROM item", page_size=1000)

    assert [row["sku"] for row in rows] == [row["sku"] for row in PRODUCTS]
    assert all("links" not in row for row in rows)
    assert [request.url.params["offset"] for request in fake.requests] == ["0", "2", "4"]


def test_a_next_link_to_another_host_is_not_followed() -> None:
    fake = FakeNetSuite()
    hosts: list[str] = []

    def elsewhere(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        body = fake(request).json()
        for link in body["links"]:
            link["href"] = link["href"].replace(BASE, "https://attacker.example")
        return httpx.Response(200, json=body)

    client = httpx.Client(transport=httpx.MockTransport(elsewhere))
    rows = suiteql_rows(client, BASE, "SELECT 1", page_size=2)

    assert len(rows) == len(PRODUCTS)
    assert set(hosts) == {"123456.suitetalk.api.netsuite.com"}


def test_stock_reads_strings_missing_columns_and_quotes_the_sku() -> None:
    fake = FakeNetSuite()
    catalogue = make_catalogue(fake)

    portland = catalogue.stock("HB-240")
    odd = catalogue.stock("O'BRIEN-1")

    assert [(item.branch, item.on_hand, item.lead_time_days, item.unit) for item in portland] == [
        ("Portland", 60, None, "Each")
    ]
    assert (odd[0].name, odd[0].on_hand, odd[0].lead_time_days) == ("O'BRIEN-1", 0, 4)
    assert "item.itemid = 'O''BRIEN-1'" in json.loads(fake.requests[-1].content)["q"]
    assert catalogue.stock("NOPE") == []
    assert sql_literal("it's") == "'it''s'"


def test_branches_come_from_active_locations() -> None:
    catalogue = make_catalogue(FakeNetSuite())

    assert catalogue.branches() == LOCATIONS


def test_custom_queries_are_run_as_given() -> None:
    fake = FakeNetSuite()
    queries = SuiteQlQueries(
        products="SELECT item.itemid AS sku, item.custitem_aliases AS aliases FROM item"
    )
    client = httpx.Client(transport=httpx.MockTransport(fake))
    catalogue = NetSuiteCatalogue(client, BASE, queries=queries)

    catalogue.find("anything")

    assert json.loads(fake.requests[0].content)["q"] == queries.products


# --- errors --------------------------------------------------------------------------------


def netsuite_error(status: int, detail: str, code: str) -> httpx.Response:
    body = {
        "type": "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1",
        "title": "Bad Request",
        "status": status,
        "o:errorDetails": [{"detail": detail, "o:errorCode": code}],
    }
    return httpx.Response(status, json=body)


def test_a_refused_query_reports_the_status_and_netsuites_words() -> None:
    catalogue = make_catalogue(
        lambda request: netsuite_error(
            400,
            "Invalid search query. Detailed unprocessed description follows.",
            "INVALID_PARAMETER",
        )
    )

    with pytest.raises(NetSuiteError) as caught:
        catalogue.find("high bay")

    assert str(caught.value) == (
        f"NetSuite answered 400 Bad Request to a SuiteQL query at {BASE}{SUITEQL_PATH}: "
        "Invalid search query. Detailed unprocessed description follows. (INVALID_PARAMETER)"
    )


def test_a_login_failure_and_a_server_error_page_are_reported() -> None:
    login = make_catalogue(
        lambda request: netsuite_error(401, "Invalid login attempt.", "INVALID_LOGIN")
    )
    with pytest.raises(NetSuiteError, match=r"401 Unauthorized .*Invalid login attempt"):
        login.stock("HB-150")

    down = make_catalogue(lambda request: httpx.Response(503, text="<html>Maintenance</html>"))
    with pytest.raises(NetSuiteError, match=r"503 Service Unavailable .*Maintenance"):
        down.branches()


def test_an_unreachable_host_is_reported() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(NetSuiteError, match=r"cannot reach NetSuite at https://123456\..*refused"):
        make_catalogue(refuse).find("high bay")


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (httpx.Response(200, text="not json"), "is not JSON"),
        (httpx.Response(200, json={"count": 0}), "has no list of items"),
        (
            httpx.Response(200, json={"items": [{"name": "no sku"}], "hasMore": False}),
            "row 1 of the products query has no 'sku'",
        ),
    ],
)
def test_answers_of_the_wrong_shape_are_reported(response: httpx.Response, message: str) -> None:
    with pytest.raises(NetSuiteError, match=message):
        make_catalogue(lambda request: response).find("high bay")


def test_a_quantity_that_is_not_a_number_is_reported() -> None:
    def odd_stock(request: httpx.Request) -> httpx.Response:
        item = {"sku": "HB-150", "branch": "Portland", "on_hand": "lots"}
        return httpx.Response(200, json={"items": [item], "hasMore": False})

    with pytest.raises(NetSuiteError, match=r"row 1 of the stock query has on_hand 'lots'"):
        make_catalogue(odd_stock).stock("HB-150")


def test_a_service_that_never_stops_paging_is_cut_off() -> None:
    def forever(request: httpx.Request) -> httpx.Response:
        body = {"items": [], "count": 0, "hasMore": True, "offset": 0, "links": []}
        return httpx.Response(200, json=body)

    with pytest.raises(NetSuiteError, match="keeps saying it has more rows"):
        make_catalogue(forever).find("high bay")
