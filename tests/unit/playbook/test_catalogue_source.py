"""The stock catalogue a playbook declares: found with the playbook's own words, and every
problem (a missing or broken file, a flow that needs one) reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from concierge.nlu.entity_spec import load_entities
from concierge.playbook.bot_settings import PlaybookError, load_playbook
from concierge.playbook.brain import load_brain
from concierge.playbook.catalogue_source import load_catalogue
from concierge.playbook.validation import validate_playbook
from tests.unit.playbook.sample import (
    ENTITIES,
    FLOWS,
    INTENTS,
    PLAYBOOK,
    intents_yaml,
    line_of,
    write_playbook,
)

WITH_CATALOGUE = PLAYBOOK + "catalogue:\n  csv: stock.csv\n"
BRANCHES = ENTITIES + "  branch:\n    - name: Portland\n      synonyms: [PDX]\n"
STOCK_CSV = """\
sku,name,aliases,branch,on_hand,lead_time_days
HOM-200,Homeline 200A Load Center,panel,Portland,22,5
HOM-200,Homeline 200A Load Center,,Salem,8,5
"""
STOCK_FLOW = FLOWS + (
    "  stock:\n"
    "    slots:\n"
    "      - name: product\n"
    "        type: text\n"
    "        question: Which product?\n"
    "        why: To look it up.\n"
    "        entity: product\n"
    "    on_complete:\n"
    "      answer: stock\n"
)
STOCK_INTENT = {
    "name": "stock_check",
    "description": "Stock at a branch",
    "flow": "stock",
    "examples": [
        "do you have panels in stock",
        "is the load center on the shelf",
        "stock check please",
        "any breakers at the Salem branch",
        "do you carry 200 amp panels",
        "how many panels does Portland have",
        "availability of load centers",
        "check stock on panels",
        "are panels in stock anywhere",
        "can I pick up a panel today",
    ],
}


def playbook(directory: Path, csv: str = STOCK_CSV, **files: str) -> Path:
    write_playbook(directory, **{"playbook": WITH_CATALOGUE, "entities": BRANCHES, **files})
    (directory / "stock.csv").write_text(csv, encoding="utf-8")
    return directory


def test_the_catalogue_finds_products_and_branches_by_the_playbooks_words(
    tmp_path: Path,
) -> None:
    directory = playbook(tmp_path)
    catalogue = load_catalogue(load_playbook(directory), load_entities(directory))
    assert catalogue is not None
    answer = catalogue.answer("panels", 10, "PDX")  # a synonym of the lookup, and of the branch
    assert answer is not None
    assert (answer.product.sku, answer.branch, answer.branch_on_hand) == ("HOM-200", "Portland", 22)


def test_a_playbook_without_a_catalogue_has_none(tmp_path: Path) -> None:
    directory = write_playbook(tmp_path)
    assert load_catalogue(load_playbook(directory), load_entities(directory)) is None


def test_a_missing_catalogue_file_names_the_playbook_line(tmp_path: Path) -> None:
    directory = playbook(tmp_path)
    (directory / "stock.csv").unlink()
    report = validate_playbook(directory)
    assert report.errors == [
        f"{directory / 'playbook.yaml'}:7: the catalogue file {directory / 'stock.csv'} "
        "does not exist"
    ]


def test_a_catalogue_needs_a_csv_file(tmp_path: Path) -> None:
    directory = playbook(tmp_path, playbook=PLAYBOOK + "catalogue: stock.csv\n")
    with pytest.raises(PlaybookError, match=r"playbook\.yaml:6: 'catalogue' must name"):
        load_playbook(directory)


def test_every_bad_row_of_the_catalogue_is_reported_with_its_line(tmp_path: Path) -> None:
    broken = STOCK_CSV.replace(",22,", ",lots,") + "HOM-200,Homeline 200A Load Center,,Salem,3,\n"
    directory = playbook(tmp_path, csv=broken)
    report = validate_playbook(directory)
    csv = directory / "stock.csv"
    assert report.errors == [
        f"{csv}:2: on_hand must be a whole number, not 'lots'",
        f"{csv}:4: HOM-200 at Salem is listed twice (first on line 3)",
    ]


def test_a_flow_that_answers_from_stock_needs_a_declared_catalogue(tmp_path: Path) -> None:
    directory = playbook(tmp_path, playbook=PLAYBOOK, flows=STOCK_FLOW)
    report = validate_playbook(directory)
    flows = directory / "flows.yaml"
    assert report.errors == [
        f"{flows}:{line_of(flows, '  stock:')}: flow 'stock' answers from the stock catalogue "
        "(on_complete.answer: stock), but playbook.yaml declares none; add catalogue: "
        "{csv: <file>}"
    ]


def test_a_broken_catalogue_stops_the_bot_with_the_line_before_any_training(
    tmp_path: Path,
) -> None:
    directory = playbook(tmp_path, csv=STOCK_CSV.replace(",5\n", ",soon\n", 1), flows=STOCK_FLOW)
    models = tmp_path / "models"
    with pytest.raises(ValueError, match=r"stock\.csv:2: lead_time_days must be a whole number"):
        load_brain(directory, models)
    assert not models.exists()


def test_the_slots_a_stock_answer_reads_are_not_unused(tmp_path: Path) -> None:
    directory = playbook(tmp_path, flows=STOCK_FLOW, intents=intents_yaml([*INTENTS, STOCK_INTENT]))
    report = validate_playbook(directory)
    assert report.errors == []
    assert report.warnings == []


def test_a_messenger_button_cannot_run_an_answering_flow_as_cards(tmp_path: Path) -> None:
    buttons = WITH_CATALOGUE.replace("  get_quote: quote\n", "  get_quote: quote\n  stock: stock\n")
    directory = playbook(tmp_path, playbook=buttons, flows=STOCK_FLOW)
    report = validate_playbook(directory)
    assert report.errors == [
        f"{directory / 'playbook.yaml'}:6: messenger_flows: button 'stock' runs flow 'stock' as "
        "cards, but that flow answers from the stock catalogue, which only the chat does; send "
        "the button to a canvas instead (e.g. canvases/stock_check.yaml)"
    ]
