"""The stock catalogue: matching what customers write, stock answers, their wording, CSV files.

The catalogue is a small slice of Portlandia Electric Supply's (an electrical distributor):
two LED high-bays, wire counted in spools, breakers the playbook lumps together.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from concierge.routing.catalogue import TIE_MARGIN, CatalogueFileError, StockItem
from concierge.routing.catalogue_csv import CsvCatalogue, read_stock_csv
from concierge.routing.catalogue_wording import answer_text

SYNONYMS = {
    "LED high-bay": ["high bay", "high bays", "highbay", "UFO high bay", "warehouse lights"],
    "breaker": ["circuit breaker", "20 amp breaker", "100A breaker", "GFCI breaker"],
    "THHN wire": ["THHN", "12 AWG THHN", "10 AWG THHN", "#12 wire", "#10 wire"],
    "wiring device": ["switch", "dimmer", "receptacle", "GFCI outlet"],
}
BRANCH_ALIASES = {
    "Portland": ["PDX", "Portland branch", "the Portland store"],
    "Vancouver WA": ["Vancouver", "the Couv"],
}
CSV = """\
sku,name,aliases,branch,on_hand,lead_time_days,unit
HB-150,LED High-Bay 150W,LED high-bay|UFO high bay 150W,Portland,240,5,each
HB-150,LED High-Bay 150W,,Salem,80,5,each
HB-150,LED High-Bay 150W,,Eugene,35,7,each
HB-150,LED High-Bay 150W,,Vancouver WA,0,6,each
HB-240,LED High-Bay 240W,LED high-bay|UFO high bay 240W,Portland,60,10,each
HB-240,LED High-Bay 240W,,Vancouver WA,25,10,each
THHN-12,"12 AWG THHN Copper Wire, 500 ft",THHN wire|12 AWG THHN,Portland,42,3,spool
THHN-12,"12 AWG THHN Copper Wire, 500 ft",,Salem,1,3,spool
THHN-10,"10 AWG THHN Copper Wire, 500 ft",THHN wire|10 AWG THHN,Portland,20,3,spool
QO120,Square D QO 20A 1-Pole Circuit Breaker,breaker|QO breaker,Portland,410,3,each
QO2100,Square D QO 100A 2-Pole Main Breaker,breaker|main breaker,Portland,14,7,each
GFCI-20,20A GFCI Receptacle,GFCI outlet|GFCI receptacle,Salem,210,3,each
XF-75,75 kVA Dry Type Transformer,transformer,Portland,0,21,each
XF-75,75 kVA Dry Type Transformer,,Eugene,0,,each
"""


@pytest.fixture(scope="module")
def csv_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("catalogue") / "catalogue.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def catalogue(csv_path: Path) -> CsvCatalogue:
    return CsvCatalogue.load(csv_path, synonyms=SYNONYMS, branch_aliases=BRANCH_ALIASES)


def top_sku(catalogue: CsvCatalogue, text: str) -> str:
    matches = catalogue.find(text)
    assert matches, f"nothing found for {text!r}"
    return matches[0].product.sku


# --- the issue's question ------------------------------------------------------------------


def test_the_issue_question_is_answered_with_quantities_and_lead_time(
    catalogue: CsvCatalogue,
) -> None:
    # "do you have 200 LED high-bays at the Portland branch?" after entity extraction
    answer = catalogue.answer("LED high-bay", 200, "Portland")

    assert answer is not None
    assert answer.product.sku == "HB-150"
    assert (answer.branch, answer.branch_on_hand, answer.enough) == ("Portland", 240, True)
    assert answer.lead_time_days == 5
    assert [(stock.branch, stock.on_hand) for stock in answer.branches] == [
        ("Portland", 240),
        ("Salem", 80),
        ("Eugene", 35),
        ("Vancouver WA", 0),
    ]
    assert answer_text(answer, "Portland branch") == (
        "Yes — Portland has 240 LED High-Bay 150W (SKU HB-150) on hand, enough for your 200. "
        "Salem has 80 and Eugene has 35. Lead time to restock: 5 business days. "
        "We also carry LED High-Bay 240W (SKU HB-240)."
    )


def test_the_customers_words_for_the_branch_are_understood(catalogue: CsvCatalogue) -> None:
    for said in ("PDX", "portland", "the Portland store", "Portlnd"):
        answer = catalogue.answer("LED high-bays", None, said)
        assert answer is not None
        assert answer.branch == "Portland", said
    vancouver = catalogue.answer("LED high-bay", None, "the Couv")
    assert vancouver is not None
    assert vancouver.branch == "Vancouver WA"


# --- matching ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "LED high-bay",
        "LED high-bays",
        "led HIGH BAYS",
        "high bay LED",
        "highbay",
        "hi-bay",
        "LED higbays",
        "warehouse lights",
        "UFO high bays",
    ],
)
def test_plurals_case_word_order_joined_words_typos_and_synonyms_find_high_bays(
    catalogue: CsvCatalogue, text: str
) -> None:
    found = [match.product.sku for match in catalogue.find(text)]
    assert found[:2] == ["HB-150", "HB-240"]


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("hb-150", "HB-150"),
        ("HB 240", "HB-240"),
        ("high bay 240W", "HB-240"),
        ("LED High-Bay 240 W", "HB-240"),
        ("100A breaker", "QO2100"),
        ("QO breakers", "QO120"),
        ("10 AWG THHN", "THHN-10"),
        ("#10 wire", "THHN-10"),
        ("GFCI outlets", "GFCI-20"),
        ("transformers", "XF-75"),
    ],
)
def test_the_most_specific_product_ranks_first(
    catalogue: CsvCatalogue, text: str, sku: str
) -> None:
    assert top_sku(catalogue, text) == sku


def test_a_product_named_exactly_outranks_one_the_playbook_only_lumps_with_it(
    catalogue: CsvCatalogue,
) -> None:
    # QO120 is found too, through the "breaker" lookup's synonym "100A breaker", and has far
    # more on hand, but the answer is about the breaker whose own name says 100A.
    scores = {match.product.sku: match.score for match in catalogue.find("100A breaker")}
    answer = catalogue.answer("100A breaker", 1, "Portland")

    assert scores["QO2100"] > scores["QO120"] + TIE_MARGIN
    assert answer is not None
    assert answer.product.sku == "QO2100"
    assert answer.alternatives == ()


@pytest.mark.parametrize("text", ["garden hose", "solar panels", "dimmers", "pipe", "", "  "])
def test_unknown_products_match_nothing(catalogue: CsvCatalogue, text: str) -> None:
    assert catalogue.find(text) == []
    assert catalogue.answer(text, 5, "Portland") is None


def test_an_unknown_product_gets_a_plain_apology() -> None:
    assert answer_text(None, "Portland", "garden hose") == (
        'Sorry — I couldn\'t find "garden hose" in our catalogue. '
        "A part number or the product's name helps me look again."
    )
    assert answer_text(None, None).startswith("Sorry — I couldn't find that product")


def test_a_synonym_links_only_through_the_lookups_canonical_name(
    catalogue: CsvCatalogue,
) -> None:
    # GFCI-20 is aliased "GFCI outlet", a synonym of "wiring device", not the lookup's name:
    # someone asking for a dimmer must not be offered a GFCI receptacle.
    assert "dimmer" not in catalogue.index.linked("GFCI-20")
    assert "warehouse lights" in catalogue.index.linked("HB-150")


def test_a_name_holding_a_lookups_canonical_name_gets_its_synonyms() -> None:
    items = [
        StockItem("A-1", "LED Highbay 100W", (), "Portland", 3, None),
        StockItem("B-2", "Eaton CH 30A Circuit Breaker", (), "Portland", 3, None),
    ]
    catalogue = CsvCatalogue(items, synonyms=SYNONYMS)

    assert top_sku(catalogue, "warehouse lights") == "A-1"
    assert top_sku(catalogue, "GFCI breakers") == "B-2"


# --- answers -------------------------------------------------------------------------------


def test_not_enough_at_the_branch_says_so_and_where_else_to_look(
    catalogue: CsvCatalogue,
) -> None:
    answer = catalogue.answer("LED high-bay", 300, "Portland")

    assert answer is not None
    assert answer.short
    assert answer_text(answer, "Portland") == (
        "Portland has only 240 LED High-Bay 150W (SKU HB-150) on hand, not enough for your "
        "300. Salem has 80 and Eugene has 35. Lead time to restock: 5 business days. "
        "We also carry LED High-Bay 240W (SKU HB-240)."
    )


def test_exactly_the_quantity_on_hand_is_enough(catalogue: CsvCatalogue) -> None:
    exactly = catalogue.answer("HB-150", 240, "Portland")
    one_more = catalogue.answer("HB-150", 241, "Portland")

    assert exactly is not None
    assert one_more is not None
    assert (exactly.enough, one_more.enough) == (True, False)


def test_equally_good_matches_are_settled_by_who_has_enough_at_the_branch(
    catalogue: CsvCatalogue,
) -> None:
    answer = catalogue.answer("LED high-bay", 20, "Vancouver")

    assert answer is not None
    assert answer.product.sku == "HB-240"  # the 150 W has none in Vancouver
    assert (answer.branch_on_hand, answer.enough) == (25, True)
    assert [match.product.sku for match in answer.alternatives] == ["HB-150"]


def test_a_branch_without_the_product_gets_a_no_and_the_other_branches(
    catalogue: CsvCatalogue,
) -> None:
    answer = catalogue.answer("100A breaker", 2, "Salem")

    assert answer is not None
    assert (answer.branch, answer.branch_on_hand, answer.enough) == ("Salem", 0, False)
    assert answer_text(answer, "Salem") == (
        "Sorry — Salem has no Square D QO 100A 2-Pole Main Breaker (SKU QO2100) on hand. "
        "Portland has 14. Lead time to restock: 7 business days."
    )


def test_a_branch_the_company_does_not_have_is_named_and_every_branch_listed(
    catalogue: CsvCatalogue,
) -> None:
    answer = catalogue.answer("high bay 150W", 50, "Seattle")

    assert answer is not None
    assert answer.branch is None
    assert answer_text(answer, "Seattle") == (
        "We don't have a branch called Seattle. We have enough for your 50: Portland has 240 "
        "LED High-Bay 150W (SKU HB-150), Salem has 80 and Eugene has 35. "
        "Lead time to restock: 5 business days."
    )


def test_without_a_branch_every_branch_with_stock_is_listed(catalogue: CsvCatalogue) -> None:
    answer = catalogue.answer("12 AWG THHN", None, None)

    assert answer is not None
    assert answer.enough
    assert answer_text(answer, None) == (
        "Yes — Portland has 42 spools of 12 AWG THHN Copper Wire, 500 ft (SKU THHN-12) and "
        "Salem has 1. Lead time to restock: 3 business days."
    )


def test_no_single_branch_with_enough_is_said_plainly(catalogue: CsvCatalogue) -> None:
    answer = catalogue.answer("HB-150", 250, None)

    assert answer is not None
    assert not answer.enough
    assert answer_text(answer, None).startswith(
        "No single branch has your 250: Portland has 240 LED High-Bay 150W (SKU HB-150), "
    )


def test_out_of_stock_everywhere_gives_the_lead_time(catalogue: CsvCatalogue) -> None:
    answer = catalogue.answer("transformer", 1, None)

    assert answer is not None
    assert answer.total_on_hand == 0
    assert answer_text(answer, None) == (
        "Sorry — 75 kVA Dry Type Transformer (SKU XF-75) is out of stock at every branch. "
        "Lead time to restock: 21 business days."
    )


def test_a_lead_time_of_one_day_is_singular_and_an_unknown_one_is_left_out() -> None:
    items = [
        StockItem("A-1", "Widget", (), "Portland", 3, 1),
        StockItem("B-2", "Gadget", (), "Portland", 3, None),
    ]
    catalogue = CsvCatalogue(items)

    assert answer_text(catalogue.answer("widget", 1, "Portland"), "Portland").endswith(
        "Lead time to restock: 1 business day."
    )
    assert "Lead time" not in answer_text(catalogue.answer("gadget", 1, "Portland"), "Portland")


def test_a_quantity_below_one_is_refused(catalogue: CsvCatalogue) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        catalogue.answer("LED high-bay", 0, "Portland")


def test_stock_and_branches_report_the_file(catalogue: CsvCatalogue) -> None:
    assert [(item.branch, item.on_hand) for item in catalogue.stock("HB-240")] == [
        ("Portland", 60),
        ("Vancouver WA", 25),
    ]
    assert catalogue.stock("NOPE") == []
    assert catalogue.branches() == ["Portland", "Salem", "Eugene", "Vancouver WA"]


# --- CSV files -----------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "stock.csv"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(CatalogueFileError) as caught:
        read_stock_csv(path)
    return [f"{problem.line}: {problem.message}" for problem in caught.value.problems]


def test_optional_columns_may_be_left_out_and_aliases_merge_over_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        SKU,Name,Branch,On_Hand,aliases
        HB-150,LED High-Bay 150W,Portland,240,LED high-bay
        HB-150,LED High-Bay 150W,Salem,80,UFO high bay|LED high-bay
        """,
    )
    items = read_stock_csv(path)

    assert items[0] == StockItem(
        "HB-150", "LED High-Bay 150W", ("LED high-bay",), "Portland", 240, None
    )
    assert CsvCatalogue(items).index.linked("HB-150") == [
        "LED High-Bay 150W",
        "LED high-bay",
        "UFO high bay",
    ]


def test_a_missing_column_is_named_with_the_file_and_header_line(tmp_path: Path) -> None:
    path = write(tmp_path, "sku,name,branch\nHB-150,LED High-Bay,Portland\n")

    with pytest.raises(CatalogueFileError) as caught:
        read_stock_csv(path)

    assert str(caught.value) == (
        f"{path}:1: missing column(s): on_hand (the header has: sku, name, branch)"
    )


def test_every_bad_row_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        sku,name,aliases,branch,on_hand,lead_time_days,unit
        HB-150,LED High-Bay 150W,,Portland,240,5,each
        HB-150,LED High-Bay 150W,,Salem,-3,5,each
        ,LED High-Bay 240W,,Portland,10,5,each
        HB-240,LED High-Bay 240W,,Portland,12.5,5,each
        HB-240,LED High-Bay 240W,,Salem,1,soon,each
        HB-150,LED High-Bay 150W,,portland,7,5,each
        HB-150,LED High-Bay 150 Watt,,Eugene,7,5,each
        HB-150,LED High-Bay 150W,,Boise,7,5,box
        HB-300,LED High-Bay 300W,,Portland,7
        HB-400,LED High-Bay 400W,,,7,5,each
        """,
    )

    assert problems(path) == [
        "3: on_hand cannot be negative (-3)",
        "4: sku is empty",
        "5: on_hand must be a whole number, not '12.5'",
        "6: lead_time_days must be a whole number, not 'soon'",
        "7: HB-150 at portland is listed twice (first on line 2)",
        "8: HB-150 is named 'LED High-Bay 150 Watt' here but 'LED High-Bay 150W' on line 2",
        "9: HB-150 is counted in 'box' here but 'each' on line 2",
        "10: expected 7 fields like the header, found 5",
        "11: branch is empty",
    ]


def test_an_empty_or_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "")) == ["None: the file is empty; it needs a header row"]

    with pytest.raises(CatalogueFileError, match=r"missing\.csv: cannot read"):
        CsvCatalogue.load(tmp_path / "missing.csv")
