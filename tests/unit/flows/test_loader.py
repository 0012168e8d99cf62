"""Loading flows files: the shipped playbooks load; every problem names file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from concierge.flows.errors import FlowFileError, UnknownFlowError
from concierge.flows.loader import load_flows
from concierge.flows.spec import FlowCatalog

ROOT = Path(__file__).resolve().parents[3]

VALID = """\
flows:
  quote:
    slots:
      - name: segment
        type: choice
        question: Which segment?
        choices: [residential, commercial]
      - name: budget
        type: money
        question: Budget?
        min: 0
        when: {slot: segment, equals: commercial}
"""


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "flows.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FlowFileError) as caught:
        load_flows(path)
    return [str(problem) for problem in caught.value.problems]


def _edit(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new)


@pytest.mark.parametrize("playbook", ["intents", "examples/credit-union/intents"])
def test_shipped_playbooks_load(playbook: str) -> None:
    catalog = load_flows(ROOT / playbook)
    assert catalog.names()
    assert all(flow.slots for flow in catalog.flows)


def test_a_valid_file_builds_specs(tmp_path: Path) -> None:
    path = tmp_path / "flows.yaml"
    path.write_text(VALID, encoding="utf-8")
    catalog = load_flows(tmp_path)
    flow = catalog.require("quote")
    budget = flow.slot("budget")
    assert budget is not None
    assert budget.when is not None
    assert budget.minimum == 0
    assert budget.maximum is None
    assert budget.why  # a default answer to "why?"
    assert flow.description == "Quote"
    assert [choice.value for choice in flow.slots[0].choices] == ["residential", "commercial"]


def test_unknown_flow_names_the_known_ones(catalog: FlowCatalog) -> None:
    with pytest.raises(UnknownFlowError, match="quote, loan"):
        catalog.require("nope")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FlowFileError, match="does not exist"):
        load_flows(tmp_path / "flows.yaml")


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "flows:\n  quote:\n    slots: [\n")
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'flows.yaml'}:4: not valid YAML")


def test_schema_unknown_field_points_at_the_key(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, _edit("        min: 0\n", "        min: 0\n        colour: red\n")
    )
    assert problems == [
        f"{tmp_path / 'flows.yaml'}:12: flow 'quote': slots[1]: unknown field 'colour' "
        "(known fields: name, type, question, why, label, entity, choices, min, max, "
        "required, when, hint)"
    ]


def test_schema_bad_type_and_bad_flow_name(tmp_path: Path) -> None:
    text = _edit("        type: money", "        type: currency").replace("  quote:", "  Quote:")
    problems = _problems(tmp_path, text)
    assert any(":2: flow 'Quote'" in p and "snake_case" in p for p in problems)
    assert any(":9: flow 'Quote': slots[1].type" in p for p in problems)


def test_unquoted_number_choice_asks_for_quotes(tmp_path: Path) -> None:
    problems = _problems(tmp_path, _edit("[residential, commercial]", "[residential, 300]"))
    assert len(problems) == 1
    assert ":7:" in problems[0]
    assert "quote it" in problems[0]


def test_duplicate_slot_names(tmp_path: Path) -> None:
    problems = _problems(tmp_path, _edit("- name: budget", "- name: segment"))
    assert any(":8: flow 'quote': slots[1].name: slot 'segment' is already" in p for p in problems)


def test_when_referencing_unknown_slot(tmp_path: Path) -> None:
    problems = _problems(tmp_path, _edit("{slot: segment,", "{slot: sector,"))
    assert problems == [
        f"{tmp_path / 'flows.yaml'}:12: flow 'quote': slots[1].when: the condition uses "
        "'sector', which is not a slot of this flow"
    ]


def test_when_referencing_a_later_slot(tmp_path: Path) -> None:
    text = _edit(
        "        choices: [residential, commercial]\n",
        "        choices: [residential, commercial]\n        when: {slot: budget, present: true}\n",
    )
    problems = _problems(tmp_path, text)
    assert problems == [
        f"{tmp_path / 'flows.yaml'}:8: flow 'quote': slots[0].when: the condition uses "
        "'budget', which is asked later (use earlier slots)"
    ]


def test_when_referencing_itself(tmp_path: Path) -> None:
    problems = _problems(tmp_path, _edit("{slot: segment, equals", "{slot: budget, equals"))
    assert len(problems) == 1
    assert "the slot it decides on" in problems[0]


def test_bad_condition(tmp_path: Path) -> None:
    problems = _problems(tmp_path, _edit("equals: commercial", "bigger: commercial"))
    assert len(problems) == 1
    assert ":12: flow 'quote': slots[1].when: bad condition:" in problems[0]


def test_event_conditions_are_rejected(tmp_path: Path) -> None:
    problems = _problems(tmp_path, _edit("{slot: segment, equals: commercial}", "{event: x}"))
    assert len(problems) == 1
    assert ":12:" in problems[0]
    assert "event conditions" in problems[0]


def test_choice_slot_without_choices(tmp_path: Path) -> None:
    problems = _problems(tmp_path, _edit("        choices: [residential, commercial]\n", ""))
    assert problems == [
        f"{tmp_path / 'flows.yaml'}:5: flow 'quote': slots[0].type: "
        "a choice slot needs `choices` (at least two)"
    ]


def test_choices_on_a_non_choice_slot_and_min_on_text(tmp_path: Path) -> None:
    text = _edit("        type: money", "        type: text\n        choices: [a, b]")
    problems = _problems(tmp_path, text)
    assert any(":10:" in p and "choices only apply to choice slots" in p for p in problems)
    assert any(":12:" in p and "min only applies" in p for p in problems)


def test_min_greater_than_max(tmp_path: Path) -> None:
    problems = _problems(tmp_path, _edit("        min: 0\n", "        min: 10\n        max: 5\n"))
    assert problems == [
        f"{tmp_path / 'flows.yaml'}:11: flow 'quote': slots[1].min: min 10 is greater than max 5"
    ]


def test_ambiguous_choices(tmp_path: Path) -> None:
    choices = "[residential, {value: commercial, synonyms: [Residential]}]"
    problems = _problems(tmp_path, _edit("[residential, commercial]", choices))
    assert len(problems) == 1
    assert "'residential' would also pick choices[0]" in problems[0]


def test_reply_placeholder_must_be_a_slot(tmp_path: Path) -> None:
    text = VALID + "    on_complete:\n      reply: Thanks {name}!\n"
    problems = _problems(tmp_path, text)
    assert problems == [
        f"{tmp_path / 'flows.yaml'}:14: flow 'quote': on_complete.reply: "
        "{name} is not a slot of this flow (budget, segment)"
    ]


def test_every_problem_is_reported(tmp_path: Path) -> None:
    text = _edit("        min: 0\n", "        min: 10\n        max: 5\n").replace(
        "{slot: segment,", "{slot: sector,"
    )
    problems = _problems(tmp_path, text)
    assert len(problems) == 2


STOCK = """\
flows:
  stock:
    slots:
      - name: product
        type: text
        question: Which product?
      - name: quantity
        type: number
        question: How many?
        required: false
    on_complete:
      answer: stock
      tags: [stock-check]
"""


def test_a_flow_can_answer_from_the_catalogue_instead_of_handing_off(tmp_path: Path) -> None:
    path = tmp_path / "flows.yaml"
    path.write_text(STOCK, encoding="utf-8")
    on_complete = load_flows(path).require("stock").on_complete
    assert on_complete.answer == "stock"
    assert on_complete.handoff is False
    assert on_complete.tags == ("stock-check",)
    assert on_complete.reads() == ("product", "branch", "quantity")


def test_an_answer_cannot_also_hand_off(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        STOCK.replace("      answer: stock\n", "      answer: stock\n      handoff: true\n"),
    )
    assert problems == [
        f"{tmp_path / 'flows.yaml'}:13: flow 'stock': on_complete.handoff: answer and handoff: "
        "true cannot be combined; a flow that answers offers a person itself when it finds no "
        "answer"
    ]


def test_a_stock_answer_needs_a_product_slot(tmp_path: Path) -> None:
    problems = _problems(tmp_path, STOCK.replace("name: product", "name: item"))
    assert problems == [
        f"{tmp_path / 'flows.yaml'}:12: flow 'stock': on_complete.answer: answer: stock reads "
        "the slots 'product', 'branch', 'quantity' by name; this flow has no 'product' slot"
    ]


def test_an_unknown_answer_source_is_a_schema_error(tmp_path: Path) -> None:
    problems = _problems(tmp_path, STOCK.replace("answer: stock", "answer: prices"))
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'flows.yaml'}:12: flow 'stock': on_complete.answer")
    assert "'prices' is not one of ['stock']" in problems[0]
