"""Names of flows, teams, intents and entity types that are not defined are errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from concierge.playbook.validation import validate_playbook
from tests.unit.playbook.sample import (
    FLOWS,
    INTENTS,
    PLAYBOOK,
    ROUTING,
    SCORING,
    intents_yaml,
    line_of,
    replaced,
    write_playbook,
)


def errors(directory: Path) -> list[str]:
    return validate_playbook(directory).errors


def test_an_intent_starting_an_unknown_flow_is_an_error_at_its_flow_line(tmp_path: Path) -> None:
    intents = replaced(intents_yaml(), "flow: quote", "flow: quotes")
    write_playbook(tmp_path, intents=intents)
    line = line_of(tmp_path / "intents.yaml", "flow: quotes")
    assert errors(tmp_path) == [
        f"{tmp_path / 'intents.yaml'}:{line}: intent 'quote_request' starts unknown flow "
        "'quotes' (flows: quote)"
    ]


def test_an_intent_handing_off_to_an_unknown_team_is_an_error(tmp_path: Path) -> None:
    write_playbook(tmp_path, intents=replaced(intents_yaml(), "handoff: support", "handoff: ops"))
    (found,) = errors(tmp_path)
    assert "intent 'talk_to_human' hands off to unknown team 'ops' (teams: sales, support)" in found


def test_a_messenger_button_naming_an_unknown_flow_is_an_error(tmp_path: Path) -> None:
    write_playbook(tmp_path, playbook=replaced(PLAYBOOK, "get_quote: quote", "get_quote: quoting"))
    assert errors(tmp_path) == [
        f"{tmp_path / 'playbook.yaml'}:5: messenger_flows: button 'get_quote' starts unknown "
        "flow 'quoting' (flows: quote)"
    ]


def test_unknown_entity_types_of_intents_and_slots_are_errors(tmp_path: Path) -> None:
    intents = [{**INTENTS[0], "entities": ["product", "colour"]}, *INTENTS[1:]]
    flows = replaced(FLOWS, "type: email\n", "type: email\n        entity: mail\n")
    write_playbook(tmp_path, intents=intents_yaml(intents), flows=flows)
    found = errors(tmp_path)
    assert len(found) == 2  # by file: flows.yaml, then intents.yaml
    flows_line = line_of(tmp_path / "flows.yaml", "entity: mail")
    assert found[0].startswith(f"{tmp_path / 'flows.yaml'}:{flows_line}: flow 'quote', slot")
    assert "slot 'email': unknown entity type 'mail'" in found[0]
    assert "intent 'greeting' names unknown entity type 'colour'" in found[1]


def test_known_and_built_in_entity_types_are_fine(tmp_path: Path) -> None:
    intents = [{**INTENTS[0], "entities": ["product", "email", "date"]}, *INTENTS[1:]]
    write_playbook(tmp_path, intents=intents_yaml(intents))
    assert errors(tmp_path) == []


@pytest.mark.parametrize(
    ("file", "sample", "old", "new"),
    [
        ("routing", ROUTING, "{intent: quote_request}", "{intent: [quote_request, quotes]}"),
        ("scoring", SCORING, "{slot: segment, equals: business}", "{intent: quotes}"),
    ],
)
def test_rules_naming_unknown_intents_are_errors_at_their_condition(
    tmp_path: Path, file: str, sample: str, old: str, new: str
) -> None:
    write_playbook(tmp_path, **{file: replaced(sample, old, new)})
    line = line_of(tmp_path / f"{file}.yaml", new)
    (found,) = errors(tmp_path)
    assert found.startswith(f"{tmp_path / f'{file}.yaml'}:{line}: rule '")
    assert found.endswith("names unknown intent 'quotes'")


def test_a_flow_condition_naming_an_unknown_intent_is_an_error(tmp_path: Path) -> None:
    flows = replaced(
        FLOWS, "why: We send the quote there.", "why: x\n        when: {intent: quotes}"
    )
    write_playbook(tmp_path, flows=flows)
    (found,) = errors(tmp_path)
    assert "flow 'quote', slot 'email': `when` names unknown intent 'quotes'" in found
