"""``concierge intents validate`` checks the optional meetings.yaml, against routing.yaml too."""

from __future__ import annotations

from pathlib import Path

from concierge.playbook.validation import validate_playbook
from tests.unit.playbook.sample import ROUTING, line_of, replaced, write_playbook

AGENTS = """\
  sales:
    name: Sales
    agents:
      - {admin_id: "101", name: Maya Chen}
"""
MEETINGS = """\
organizer_email: meetings@example.com
meetings:
  - {name: quote_review, title: Quote review, team: sales, minutes: 30, hosts: ["101"]}
"""


def playbook_with_meetings(directory: Path, meetings: str) -> Path:
    routing = replaced(ROUTING, "  sales: {name: Sales}\n", AGENTS)
    write_playbook(directory, routing=routing, meetings=meetings)
    return directory


def test_a_playbook_without_meetings_is_clean(tmp_path: Path) -> None:
    assert validate_playbook(write_playbook(tmp_path)).findings == []


def test_good_meetings_are_clean(tmp_path: Path) -> None:
    assert validate_playbook(playbook_with_meetings(tmp_path, MEETINGS)).findings == []


def test_a_host_who_is_no_agent_of_the_team_is_an_error_at_its_line(tmp_path: Path) -> None:
    playbook_with_meetings(tmp_path, replaced(MEETINGS, '["101"]', '["999"]'))
    path = tmp_path / "meetings.yaml"
    assert validate_playbook(tmp_path).errors == [
        f"{path}:{line_of(path, '999')}: meeting 'quote_review': host 999 is not an agent of "
        "team 'sales' in routing.yaml"
    ]


def test_schema_problems_in_meetings_are_errors(tmp_path: Path) -> None:
    playbook_with_meetings(tmp_path, replaced(MEETINGS, "minutes: 30", "minutes: 2"))
    (problem,) = validate_playbook(tmp_path).errors
    assert problem.startswith(f"{tmp_path / 'meetings.yaml'}:3: meetings.0.minutes: 2 is less")


def test_a_broken_routing_file_skips_the_cross_check_but_not_the_meetings(
    tmp_path: Path,
) -> None:
    playbook_with_meetings(tmp_path, replaced(MEETINGS, '["101"]', '["999"]'))
    (tmp_path / "routing.yaml").write_text("timezone: UTC\nteams: {}\n", encoding="utf-8")
    errors = validate_playbook(tmp_path).errors
    assert not any("meetings.yaml" in error for error in errors)
    assert any("routing.yaml" in error for error in errors)
