"""The "nobody available" ladder in routing files: loaded per rule, inherited from the file,
and every mistake reported with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from concierge.routing import RoutingFileError, load_routing

HEAD = """\
timezone: America/Los_Angeles
teams:
  sales: {name: Sales}
  support: {name: Support}
"""  # line 5 onwards: what each test adds


def load(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "routing.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(RoutingFileError) as caught:
        load_routing(path)
    return [str(problem) for problem in caught.value.problems]


def test_rules_without_a_ladder_use_the_files_then_the_queue(tmp_path: Path) -> None:
    table = load_routing(
        load(
            tmp_path, "rules:\n  - {name: a, team: sales}\ndefault: {team: support, sla: medium}\n"
        )
    )
    assert table.rules[0].when_nobody_available == ("queue",)
    table = load_routing(
        load(
            tmp_path,
            "when_nobody_available: [capture_contact, queue]\n"
            "rules:\n  - {name: a, team: sales}\n"
            "default: {team: support, sla: medium}\n",
        )
    )
    assert table.rules[0].when_nobody_available == ("capture_contact", "queue")
    assert table.default.when_nobody_available == ("capture_contact", "queue")


def test_a_rules_own_ladder_and_fallback_teams(tmp_path: Path) -> None:
    table = load_routing(
        load(
            tmp_path,
            (
                "rules:\n"
                "  - name: a\n"
                "    team: sales\n"
                "    fallback_teams: [support]\n"
                "    when_nobody_available: [next_team, offer_meeting, queue]\n"
                "default: {team: support, sla: medium}\n"
            ),
        )
    )
    assert table.rules[0].fallback_teams == ("support",)
    assert table.rules[0].when_nobody_available == ("next_team", "offer_meeting", "queue")


def test_mistakes_are_reported_at_their_lines(tmp_path: Path) -> None:
    found = problems(
        load(
            tmp_path,
            (
                "rules:\n"
                "  - name: a\n"  # line 6
                "    team: sales\n"
                "    fallback_teams: [billing, sales]\n"  # line 8
                "    when_nobody_available: [queue, offer_meeting]\n"  # line 9
                "  - name: b\n"  # line 10
                "    team: sales\n"
                "    when_nobody_available: [next_team]\n"
                "default: {team: support, sla: medium}\n"
            ),
        )
    )
    path = tmp_path / "routing.yaml"
    assert f"{path}:8: unknown team 'billing' (known: sales, support)" in found
    assert f"{path}:8: rule 'a' falls back to its own team 'sales'" in found
    assert any(p.startswith(f"{path}:9: queue always lands, so offer_meeting") for p in found)
    assert any(p.startswith(f"{path}:10: rule 'b': next_team needs fallback_teams") for p in found)


def test_an_unknown_step_is_a_schema_error_with_its_line(tmp_path: Path) -> None:
    found = problems(
        load(
            tmp_path,
            (
                "rules:\n"
                "  - name: a\n"
                "    team: sales\n"
                "    when_nobody_available: [call_the_boss]\n"  # line 8
                "default: {team: support, sla: medium}\n"
            ),
        )
    )
    assert any(p.startswith(f"{tmp_path / 'routing.yaml'}:8:") for p in found)
