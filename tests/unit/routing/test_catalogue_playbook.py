"""The Portlandia playbook's sample catalogue (intents/catalogue.csv) with its entities.

A customer's message goes through the playbook's real entity extractor, and the product,
quantity and branch it finds are answered from the catalogue, as the bot will do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import pytest

from concierge.domain.understanding import Entity
from concierge.nlu.entities import EntityExtractor
from concierge.nlu.entity_spec import EntitySpec, load_entities
from concierge.routing.catalogue_csv import CsvCatalogue, read_stock_csv
from concierge.routing.catalogue_wording import answer_text

PLAYBOOK = Path(__file__).parents[3] / "intents"


def lookup(spec: EntitySpec, kind: str) -> Mapping[str, Sequence[str]]:
    return {value.name: value.synonyms for value in spec.lookups[kind]}


@pytest.fixture(scope="module")
def spec() -> EntitySpec:
    return load_entities(PLAYBOOK)


@pytest.fixture(scope="module")
def catalogue(spec: EntitySpec) -> CsvCatalogue:
    return CsvCatalogue.load(
        PLAYBOOK / "catalogue.csv",
        synonyms=lookup(spec, "product"),
        branch_aliases=lookup(spec, "branch"),
    )


@pytest.fixture(scope="module")
def extractor(spec: EntitySpec) -> EntityExtractor:
    return EntityExtractor(spec, today=lambda: date(2027, 3, 10))


def ask(extractor: EntityExtractor, catalogue: CsvCatalogue, message: str) -> str:
    """The reply to ``message``: the customer's own words for the product, then its value."""
    found: dict[str, Entity] = {}
    for entity in extractor.extract(message):
        found.setdefault(entity.type, entity)
    product, branch = found["product"], found.get("branch")
    quantity = found["quantity"].value if "quantity" in found else None
    branch_name = branch.value if branch else None
    answer = catalogue.answer(product.text, quantity, branch_name) or catalogue.answer(
        product.value, quantity, branch_name
    )
    return answer_text(answer, branch_name, product.text)


def test_the_issue_message_is_answered_from_the_sample_catalogue(
    extractor: EntityExtractor, catalogue: CsvCatalogue
) -> None:
    reply = ask(extractor, catalogue, "do you have 200 LED high-bays at the Portland branch?")

    assert reply.startswith(
        "Yes — Portland has 240 LED High-Bay 150W (SKU HB-150) on hand, enough for your 200. "
    )
    assert "Lead time to restock: 5 business days." in reply


@pytest.mark.parametrize(
    ("message", "start"),
    [
        ("do you have LED high-bays in stock in Portland?", "Yes — Portland has 240 LED High"),
        ("does salem have 30 spools of #10 wire on hand", "Salem has only 6 spools of 10 AWG"),
        ("can I pick up 10 EV chargers in Vancouver today", "Vancouver WA has only 7 Level 2"),
        ("is the Eaton BR120 in stock", "Yes — Portland has 260 Eaton BR 20A"),
        ("any 200 amp panels on the shelf in Eugene?", "Yes — Eugene has 6 Square D Homeline"),
    ],
)
def test_playbook_stock_questions_are_answered(
    extractor: EntityExtractor, catalogue: CsvCatalogue, message: str, start: str
) -> None:
    assert ask(extractor, catalogue, message).startswith(start)


def test_every_sample_product_is_found_by_what_the_playbook_extracts(
    spec: EntitySpec, catalogue: CsvCatalogue
) -> None:
    phrases = [phrase for value in spec.lookups["product"] for phrase in value.phrases]
    found = {match.product.sku for phrase in phrases for match in catalogue.find(phrase)}

    assert found == {item.sku for item in read_stock_csv(PLAYBOOK / "catalogue.csv")}


def test_the_sample_branches_are_the_playbooks_branches(
    spec: EntitySpec, catalogue: CsvCatalogue
) -> None:
    assert set(catalogue.branches()) == {value.name for value in spec.lookups["branch"]}
