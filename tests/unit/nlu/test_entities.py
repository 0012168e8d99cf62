"""Entity extraction: built-in types, playbook lookups and patterns, and overlaps.

Messages are the kind Portlandia Electric Supply (an electrical distributor) and a credit
union receive. Each table row is a message and every entity expected in it, in order.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from concierge.nlu.entities import EntityExtractor, EntityPattern, EntitySpec, LookupValue

TODAY = date(2027, 3, 10)  # a Wednesday

PORTLANDIA = EntitySpec(
    lookups={
        "product": (
            LookupValue("LED high-bay", ("high bay", "highbay", "LED highbay", "high-bays")),
            LookupValue("THHN wire", ("thhn", "building wire", "12 AWG THHN", "#12 wire")),
            LookupValue("breaker", ("circuit breaker", "20 amp breaker", "GFCI breaker")),
            LookupValue("panel", ("load center", "200 amp panel", "subpanel")),
            LookupValue("NM-B cable", ("romex", "12/2 romex")),
            LookupValue("EV charger", ("level 2 charger", "home charger")),
            LookupValue("conduit", ("EMT", "EMT conduit")),
        ),
        "branch": (
            LookupValue("Portland", ("PDX", "Portland branch")),
            LookupValue("Salem", ("Salem branch",)),
            LookupValue("Eugene", ("Eugene branch", "Springfield")),
            LookupValue("Vancouver WA", ("Vancouver", "Vancouver, WA", "the Couv")),
        ),
        "segment": (
            LookupValue("residential", ("home", "homeowner")),
            LookupValue("commercial", ("contractor", "warehouse")),
        ),
    },
    patterns=(
        EntityPattern("order_number", r"\bPES-?\d{6}\b"),
        EntityPattern("invoice_number", r"\bINV-?(?P<value>\d{5,8})\b"),
    ),
)

CREDIT_UNION = EntitySpec(
    lookups={
        "loan_type": (
            LookupValue("home", ("mortgage", "home loan", "HELOC")),
            LookupValue("auto", ("car loan", "car", "vehicle")),
            LookupValue("business", ("business loan", "SBA loan")),
        ),
        "segment": (
            LookupValue("member", ("existing member",)),
            LookupValue("business", ("business account",)),
        ),
    },
    patterns=(EntityPattern("member_number", r"\bM-?\d{7}\b"),),
)

Row = tuple[str, list[tuple[str, Any, str]]]


@pytest.fixture(scope="module")
def portlandia() -> EntityExtractor:
    return EntityExtractor(PORTLANDIA, today=lambda: TODAY)


@pytest.fixture(scope="module")
def credit_union() -> EntityExtractor:
    return EntityExtractor(CREDIT_UNION, today=lambda: TODAY)


def found(extractor: EntityExtractor, text: str) -> list[tuple[str, Any, str]]:
    entities = extractor.extract(text)
    for entity in entities:
        assert text[entity.start : entity.end] == entity.text
    return [(entity.type, entity.value, entity.text) for entity in entities]


def of_type(extractor: EntityExtractor, text: str, kind: str) -> list[tuple[Any, str]]:
    return [
        (value, span) for found_type, value, span in found(extractor, text) if found_type == kind
    ]


EMAILS: list[Row] = [
    (
        "Send the quote to Dana.Kim@Acme-Electric.com please.",
        [("email", "dana.kim@acme-electric.com", "Dana.Kim@Acme-Electric.com")],
    ),
    (
        "my email: j_smith+quotes@mail.co.uk",
        [("email", "j_smith+quotes@mail.co.uk", "j_smith+quotes@mail.co.uk")],
    ),
    ("reach me @ twitter, not email", []),
]

PHONES: list[Row] = [
    ("Call me at (503) 555-0100", [("phone", "+15035550100", "(503) 555-0100")]),
    ("cell 503-555-0100.", [("phone", "+15035550100", "503-555-0100")]),
    ("office 503.555.0100", [("phone", "+15035550100", "503.555.0100")]),
    ("I'm at +1 503 555 0100", [("phone", "+15035550100", "+1 503 555 0100")]),
    ("1-971-555-0199 ext. 12", [("phone", "+19715550199", "1-971-555-0199 ext. 12")]),
    ("text 5035550100", [("phone", "+15035550100", "5035550100")]),
]

POSTAL_CODES: list[Row] = [
    ("my zip is 97201", [("postal_code", "97201", "97201")]),
    ("ship to 97201-1234", [("postal_code", "97201-1234", "97201-1234")]),
    ("ship to V6B 1A1", [("postal_code", "V6B 1A1", "V6B 1A1")]),
    ("postal code v6b1a1", [("postal_code", "V6B 1A1", "v6b1a1")]),
]

MONEY: list[Row] = [
    (
        "I'd like to borrow $250k for a home",
        [("money", 250000.0, "$250k"), ("loan_type", "home", "home")],
    ),
    ("loan of 1.2M", [("money", 1200000.0, "1.2M")]),
    ("looking for about 250k", [("money", 250000.0, "250k")]),
    ("$1.2M line of credit", [("money", 1200000.0, "$1.2M")]),
    ("1.2 million", [("money", 1200000.0, "1.2 million")]),
    ("250 thousand", [("money", 250000.0, "250 thousand")]),
    (
        "a mortgage of $250,000",
        [("loan_type", "home", "mortgage"), ("money", 250000.0, "$250,000")],
    ),
    ("250,000 dollars", [("money", 250000.0, "250,000 dollars")]),
    ("USD 5,000", [("money", 5000.0, "USD 5,000")]),
    ("it was $99.50", [("money", 99.5, "$99.50")]),
    (
        "I want to borrow 35,000 for a car",
        [("money", 35000.0, "35,000"), ("loan_type", "auto", "car")],
    ),
    ("five thousand dollars", [("money", 5000.0, "five thousand dollars")]),
    ("about 5 grand", [("money", 5000.0, "5 grand")]),
    ("$1.15m", [("money", 1150000.0, "$1.15m")]),
]

QUANTITIES: list[Row] = [
    ("we need 5 boxes", [("quantity", 5, "5")]),
    ("a dozen please", [("quantity", 12, "a dozen")]),
    ("two hundred", [("quantity", 200, "two hundred")]),
    ("twenty-five units", [("quantity", 25, "twenty-five")]),
    ("2.5 tons", [("quantity", 2.5, "2.5")]),
    ("it's been 3 weeks", []),  # a duration, not a count
    ("is it 15% off?", []),
    ("call me at 10", []),  # a time
    ("we opened since 2019", []),  # a year
    ("I need one", []),  # a lone number word is too often not a number
    ("I want 5k feet of wire", [("quantity", 5000, "5k")]),
]


@pytest.mark.parametrize(("text", "expected"), EMAILS + PHONES + POSTAL_CODES + QUANTITIES)
def test_built_in_types(portlandia: EntityExtractor, text: str, expected: list[Any]) -> None:
    assert found(portlandia, text) == expected


@pytest.mark.parametrize(("text", "expected"), MONEY)
def test_money(credit_union: EntityExtractor, text: str, expected: list[Any]) -> None:
    assert found(credit_union, text) == expected


def test_money_value_is_a_float_with_the_written_currency(credit_union: EntityExtractor) -> None:
    dollars, loonies, unstated = credit_union.extract("$250,000 or C$300,000 or 1.2M")
    assert isinstance(dollars.value, float)
    assert dollars.attributes == {"currency": "USD"}
    assert loonies.attributes == {"currency": "CAD"}
    assert unstated.attributes == {}


def test_an_area_code_never_starts_with_one(portlandia: EntityExtractor) -> None:
    assert of_type(portlandia, "order 123-456-7890", "phone") == []


def test_phone_extension(portlandia: EntityExtractor) -> None:
    (phone,) = portlandia.extract("1-971-555-0199 ext. 12")
    assert phone.attributes == {"extension": "12"}


def test_postal_code_country(portlandia: EntityExtractor) -> None:
    zips = portlandia.extract("97201 or V6B 1A1")
    assert [entity.attributes["country"] for entity in zips] == ["US", "CA"]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("we need 300 LED high-bays for about $45k", 300, "LED high-bays"),
        ("5 boxes of THHN", 5, "boxes"),
        ("40 GFCI breakers", 40, "GFCI breakers"),
        ("need 3 200 amp panels", 3, "200 amp panels"),
        ("1000 ft of building wire", 1000, "ft"),
        ("order 5 more breakers", 5, "breakers"),
        ("I want 300 of the high bays", 300, "high bays"),
        ("we need ten wall packs", 10, "wall packs"),
        ("2 dozen outlets", 24, "outlets"),
        ("half a dozen switches", 6, "switches"),
        ("2 pallets delivered to Salem", 2, "pallets"),
    ],
)
def test_quantity_names_what_it_counts(
    portlandia: EntityExtractor, text: str, value: int, unit: str
) -> None:
    quantities = [entity for entity in portlandia.extract(text) if entity.type == "quantity"]
    assert [(q.value, q.attributes) for q in quantities] == [(value, {"unit": unit})]


def test_money_is_never_also_a_quantity(portlandia: EntityExtractor) -> None:
    assert found(portlandia, "we need 300 LED high-bays for about $45k") == [
        ("quantity", 300, "300"),
        ("product", "LED high-bay", "LED high-bays"),
        ("money", 45000.0, "$45k"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "budget is 45000 for 300 breakers",
            [("money", 45000.0, "45000"), ("quantity", 300, "300")],
        ),
        ("5k feet of wire, budget 5k", [("quantity", 5000, "5k"), ("money", 5000.0, "5k")]),
        ("$20 each for 12 panels", [("money", 20.0, "$20"), ("quantity", 12, "12")]),
    ],
)
def test_money_and_quantity_side_by_side(
    portlandia: EntityExtractor, text: str, expected: list[Any]
) -> None:
    assert [row for row in found(portlandia, text) if row[0] in ("money", "quantity")] == expected


LOOKUPS: list[Row] = [
    (
        "Do you have high-bays in stock at PDX?",
        [("product", "LED high-bay", "high-bays"), ("branch", "Portland", "PDX")],
    ),
    ("price on a highbay", [("product", "LED high-bay", "highbay")]),
    ("LED High Bay fixtures", [("product", "LED high-bay", "LED High Bay")]),
    ("led-highbays", [("product", "LED high-bay", "led-highbays")]),
    ("need THHN", [("product", "THHN wire", "THHN")]),
    ("12 AWG THHN wire", [("product", "THHN wire", "12 AWG THHN")]),
    ("some #12 wire", [("product", "THHN wire", "#12 wire")]),
    ("12/2 romex", [("product", "NM-B cable", "12/2 romex")]),
    ("circuit-breakers", [("product", "breaker", "circuit-breakers")]),
    (
        "load centers and subpanels",
        [("product", "panel", "load centers"), ("product", "panel", "subpanels")],
    ),
    ("is the Vancouver, WA branch open?", [("branch", "Vancouver WA", "Vancouver, WA")]),
    ("pick up at the Couv", [("branch", "Vancouver WA", "the Couv")]),
    ("Salem or Eugene", [("branch", "Salem", "Salem"), ("branch", "Eugene", "Eugene")]),
    (
        "a home charger for my home",
        [("product", "EV charger", "home charger"), ("segment", "residential", "home")],
    ),
    (
        "homeowners and contractors",
        [("segment", "residential", "homeowners"), ("segment", "commercial", "contractors")],
    ),
    ("we're at the Salem branch", [("branch", "Salem", "Salem branch")]),
]


@pytest.mark.parametrize(("text", "expected"), LOOKUPS)
def test_lookups(portlandia: EntityExtractor, text: str, expected: list[Any]) -> None:
    assert found(portlandia, text) == expected


def test_lookups_need_whole_tokens(portlandia: EntityExtractor) -> None:
    assert found(portlandia, "EMTs and PDXish and thhnx") == [("product", "conduit", "EMTs")]


PATTERNS: list[Row] = [
    ("where is order PES-123456?", [("order_number", "PES-123456", "PES-123456")]),
    ("order pes123456", [("order_number", "pes123456", "pes123456")]),
    ("invoice INV-88213", [("invoice_number", "88213", "INV-88213")]),  # the value group
]


@pytest.mark.parametrize(("text", "expected"), PATTERNS)
def test_patterns(portlandia: EntityExtractor, text: str, expected: list[Any]) -> None:
    assert found(portlandia, text) == expected


def test_a_case_sensitive_pattern() -> None:
    spec = EntitySpec(patterns=(EntityPattern("code", r"\bAB\d\b", case_sensitive=True),))
    extractor = EntityExtractor(spec)
    assert found(extractor, "AB1 ab2") == [("code", "AB1", "AB1")]


OVERLAPS: list[Row] = [
    # the longer span wins
    ("PES-123456", [("order_number", "PES-123456", "PES-123456")]),
    ("call 503-555-0100", [("phone", "+15035550100", "503-555-0100")]),
    ("due 3/15/2027", [("date", "2027-03-15", "3/15/2027")]),
    ("20 amp breakers", [("product", "breaker", "20 amp breakers")]),
    ("level 2 chargers", [("product", "EV charger", "level 2 chargers")]),
    ("in 2 weeks", [("date", "2027-03-24", "in 2 weeks")]),
    ("EMT conduit", [("product", "conduit", "EMT conduit")]),
    # the same span: the more specific type wins
    ("zip 97201", [("postal_code", "97201", "97201")]),
    ("1/2 inch EMT", [("product", "conduit", "EMT")]),  # a size, not January 2
]


@pytest.mark.parametrize(("text", "expected"), OVERLAPS)
def test_overlaps_are_resolved(portlandia: EntityExtractor, text: str, expected: list[Any]) -> None:
    assert found(portlandia, text) == expected


def test_a_tie_keeps_the_other_reading(credit_union: EntityExtractor) -> None:
    (entity,) = credit_union.extract("my business needs money")
    assert entity.type == "loan_type"
    assert entity.attributes == {"alternatives": [{"type": "segment", "value": "business"}]}


def test_postal_code_keeps_the_quantity_reading(portlandia: EntityExtractor) -> None:
    (entity,) = portlandia.extract("97201")
    assert entity.attributes["alternatives"] == [{"type": "quantity", "value": 97201}]


def test_entities_are_sorted_and_disjoint(portlandia: EntityExtractor) -> None:
    text = (
        "Hi, PES-123456: 300 LED high-bays, $45k, deliver to 97201 by next Friday, "
        "call (503) 555-0100 or dana@acme.com"
    )
    entities = portlandia.extract(text)
    assert [entity.type for entity in entities] == [
        "order_number",
        "quantity",
        "product",
        "money",
        "postal_code",
        "date",
        "phone",
        "email",
    ]
    assert all(a.end <= b.start for a, b in itertools.pairwise(entities))


def test_types_lists_built_ins_and_the_playbook(credit_union: EntityExtractor) -> None:
    assert credit_union.types == (
        "email",
        "phone",
        "money",
        "quantity",
        "postal_code",
        "date",
        "loan_type",
        "segment",
        "member_number",
    )


def test_empty_message(portlandia: EntityExtractor) -> None:
    assert portlandia.extract("") == []
