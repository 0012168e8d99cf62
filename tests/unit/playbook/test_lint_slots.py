"""Slots a flow asks that nothing reads, and slots rules read that no flow asks."""

from __future__ import annotations

from pathlib import Path

import pytest

from concierge.playbook.validation import validate_playbook
from tests.unit.playbook.sample import FLOWS, ROUTING, SCORING, line_of, replaced, write_playbook

NO_HANDOFF = replaced(FLOWS, "      handoff: true\n", "")


def warnings(directory: Path, **files: str) -> list[str]:
    return validate_playbook(write_playbook(directory, **files)).warnings


def test_a_slot_nothing_reads_in_a_flow_without_handoff_is_a_warning(tmp_path: Path) -> None:
    scoring = replaced(SCORING, "{slot: segment, equals: business}", "{intent: quote_request}")
    found = warnings(tmp_path, flows=NO_HANDOFF, scoring=scoring)
    line = line_of(tmp_path / "flows.yaml", "name: segment")
    assert found == [
        f"{tmp_path / 'flows.yaml'}:{line}: flow 'quote' asks 'segment' but nothing uses the "
        "answer: no scoring or routing rule, condition or reply reads it, and the flow does not "
        "hand off (so no team sees it); use it or stop asking"
    ]


@pytest.mark.parametrize(
    "read_by",
    [
        {"scoring": SCORING},  # {slot: segment, ...}
        {"routing": replaced(ROUTING, "{intent: quote_request}", "{slot: segment, equals: home}")},
        {
            "flows": replaced(
                NO_HANDOFF, "Thanks, we'll email {email}.", "A {segment} quote for {email}."
            )
        },
        {
            "flows": replaced(
                NO_HANDOFF,
                "why: We send",
                "when: {slot: segment, present: true}\n        why: We send",
            )
        },
        {
            "routing": replaced(
                ROUTING, "{intent: quote_request}", "{contact: concierge_segment, equals: home}"
            )
        },
    ],
)
def test_a_slot_read_anywhere_is_used(tmp_path: Path, read_by: dict[str, str]) -> None:
    files = {
        "flows": NO_HANDOFF,
        "scoring": replaced(SCORING, "{slot: segment, equals: business}", "{intent: greeting}"),
        **read_by,
    }
    assert not any("nothing uses the answer" in text for text in warnings(tmp_path, **files))


def test_every_answer_of_a_flow_that_hands_off_is_used(tmp_path: Path) -> None:
    scoring = replaced(SCORING, "{slot: segment, equals: business}", "{intent: quote_request}")
    assert warnings(tmp_path, scoring=scoring) == []


def test_a_rule_reading_a_slot_no_flow_asks_is_a_warning(tmp_path: Path) -> None:
    scoring = replaced(SCORING, "{slot: segment, equals: business}", "{slot: budget, at_least: 10}")
    found = warnings(tmp_path, scoring=scoring)
    line = line_of(tmp_path / "scoring.yaml", "budget")
    assert found == [
        f"{tmp_path / 'scoring.yaml'}:{line}: rule 'business' reads slot 'budget', which is "
        "always empty: no flow asks it"
    ]


def test_routing_may_read_the_score_but_scoring_may_not(tmp_path: Path) -> None:
    scoring = replaced(
        SCORING, "{slot: segment, equals: business}", "{slot: score_total, at_least: 1}"
    )
    (found,) = warnings(tmp_path, scoring=scoring)
    assert "'score_total', which is always empty: the score is only offered to routing" in found
    routing = replaced(ROUTING, "{intent: quote_request}", "{slot: score_fit, at_least: 10}")
    assert warnings(tmp_path, routing=routing) == []
