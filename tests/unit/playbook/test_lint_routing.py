"""Routing rules that can never take effect, judged with how the bot hands off."""

from __future__ import annotations

from pathlib import Path

import pytest

from concierge.bot.dialogue import HUMAN_INTENTS
from concierge.playbook.lint_routing import PERSON_INTENTS
from concierge.playbook.validation import Report, validate_playbook
from tests.unit.playbook.sample import (
    INTENTS,
    ROUTING,
    SCORING,
    intents_yaml,
    line_of,
    write_playbook,
)

TEAMS = "timezone: UTC\nteams:\n  sales: {name: Sales}\n  support: {name: Support}\n"
DEFAULT = "default: {team: support, sla: medium}\n"


def routed(directory: Path, *rules: str, **files: str) -> Report:
    """Validate the sample playbook with these routing rules (YAML flow mappings)."""
    text = TEAMS + "rules:\n" + "".join(f"  - {rule}\n" for rule in rules) + DEFAULT
    return validate_playbook(write_playbook(directory, routing=text, **files))


def test_person_intents_are_the_ones_the_bot_hands_off_for() -> None:
    assert set(HUMAN_INTENTS) == set(PERSON_INTENTS)


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("{intent: [quote_request, greeting]}", "{intent: quote_request}"),
        ("{slot: segment, in: [home, business]}", "{slot: segment, equals: Business}"),
        ("{slot: segment, present: true}", "{slot: segment, equals: home}"),
        ("{slot: amount, at_least: 100}", "{slot: amount, greater_than: 500}"),
        ("{slot: amount, at_most: 100}", "{slot: amount, less_than: 100}"),
        ("{any: [{intent: greeting}, {slot: email, present: true}]}", "{intent: greeting}"),
        (
            "{intent: quote_request}",
            "{any: [{intent: quote_request}, "
            "{all: [{intent: quote_request}, {slot: x, in: [1]}]}]}",
        ),
    ],
)
def test_a_rule_an_earlier_rule_always_catches_is_an_error_naming_it(
    tmp_path: Path, earlier: str, later: str
) -> None:
    report = routed(
        tmp_path,
        f"{{name: broad, when: {earlier}, team: sales}}",
        f"{{name: narrow, when: {later}, team: support}}",
    )
    broad = line_of(tmp_path / "routing.yaml", "name: broad")
    narrow = line_of(tmp_path / "routing.yaml", "name: narrow")
    assert report.errors == [
        f"{tmp_path / 'routing.yaml'}:{narrow}: rule 'narrow' can never match: rule 'broad' "
        f"(line {broad}) matches whenever it does and comes first; put the narrower rule above it"
    ]


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("{intent: quote_request}", "{intent: [quote_request, greeting]}"),
        ("{slot: amount, at_least: 500}", "{slot: amount, at_least: 100}"),
        ("{slot: amount, greater_than: 100}", "{slot: amount, at_least: 100}"),
        ("{slot: segment, present: true}", "{slot: segment, not_equals: home}"),
        ("{all: [{intent: greeting}, {slot: email, present: true}]}", "{intent: greeting}"),
    ],
)
def test_a_rule_that_can_still_match_is_not_reported(
    tmp_path: Path, earlier: str, later: str
) -> None:
    report = routed(
        tmp_path,
        f"{{name: first, when: {earlier}, team: sales}}",
        f"{{name: second, when: {later}, team: support}}",
    )
    assert report.errors == []


def test_a_rule_needing_the_talk_to_a_person_intent_can_never_match(tmp_path: Path) -> None:
    report = routed(tmp_path, "{name: people, when: {intent: talk_to_human}, team: sales}")
    (found,) = report.errors
    assert "rule 'people' can never match: asking for a person hands off with the intent" in found


def test_a_person_intent_among_others_is_a_warning(tmp_path: Path) -> None:
    report = routed(
        tmp_path, "{name: quotes, when: {intent: [quote_request, talk_to_human]}, team: sales}"
    )
    assert report.errors == []
    (found,) = report.warnings
    line = line_of(tmp_path / "routing.yaml", "name: quotes")
    assert found.startswith(f"{tmp_path / 'routing.yaml'}:{line}: rule 'quotes': its test for")
    assert "routing never sees 'talk_to_human'" in found


def test_a_scoring_rule_on_the_person_intent_is_a_warning(tmp_path: Path) -> None:
    scoring = SCORING.replace("{slot: segment, equals: business}", "{intent: talk_to_human}")
    (found,) = validate_playbook(write_playbook(tmp_path, scoring=scoring)).warnings
    assert "rule 'business': scoring never sees intent 'talk_to_human'" in found


def test_a_rule_for_an_intent_that_hands_off_to_another_team_is_a_warning(tmp_path: Path) -> None:
    examples = [f"question {number} about my invoice" for number in range(10)]
    billing = {"name": "billing", "description": "Bills", "handoff": "support"}
    intents = intents_yaml([*INTENTS, {**billing, "examples": examples}])
    rule = "{name: bills, when: {intent: billing}, team: sales}"
    report = routed(tmp_path, rule, intents=intents)
    (found,) = report.warnings
    assert "rule 'bills' sends to team 'sales', but its intents hand off straight to their" in found
    assert "('billing' to 'support')" in found


def test_a_rule_for_an_intent_that_only_replies_is_reachable(tmp_path: Path) -> None:
    report = routed(tmp_path, "{name: hello, when: {intent: greeting}, team: sales}")
    assert report.findings == []


def test_the_shipped_routing_rules_are_all_reachable(tmp_path: Path) -> None:
    report = validate_playbook(write_playbook(tmp_path, routing=ROUTING))
    assert report.findings == []
