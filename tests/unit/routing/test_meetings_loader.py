"""Meetings files: meeting types, hosts and calendars, every problem reported as file:line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from concierge.routing import RoutingTable, load_routing
from concierge.routing.meetings_loader import (
    MeetingsConfig,
    MeetingsFileError,
    load_meetings,
    parse_notice,
)

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).parent / "fixtures"

ROUTING = """\
timezone: America/Los_Angeles
teams:
  sales:
    name: Sales
    agents:
      - {admin_id: "101", name: Maya Chen}
      - {admin_id: "102", name: Luis Ortega, timezone: America/Denver}
  support:
    name: Support
default: {team: sales, sla: medium}
"""

GOOD = """\
organizer_email: meetings@example.com
calendars:
  "101": {ics: calendars/maya.ics}
  "102": {graph: luis@example.com}
meetings:
  - name: quote_review
    title: Quote review
    team: sales
    minutes: 30
    buffer_before: 5
    buffer_after: 10
    minimum_notice: 4h
    horizon_days: 10
    step_minutes: 15
  - name: intro_call
    title: Intro call
    team: sales
    hosts: ["102"]
    minutes: 20
"""


@pytest.fixture
def routing(tmp_path: Path) -> RoutingTable:
    path = tmp_path / "routing.yaml"
    path.write_text(ROUTING, encoding="utf-8")
    return load_routing(path)


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "calendars").mkdir(exist_ok=True)
    calendar = (FIXTURES / "host_calendar.ics").read_bytes()
    (tmp_path / "calendars" / "maya.ics").write_bytes(calendar)
    path = tmp_path / "meetings.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, routing: RoutingTable | None = None) -> list[str]:
    with pytest.raises(MeetingsFileError) as caught:
        load_meetings(path, routing)
    return [str(problem) for problem in caught.value.problems]


def test_a_good_file_loads_with_defaults_and_resolved_calendar_paths(
    tmp_path: Path, routing: RoutingTable
) -> None:
    config = load_meetings(write(tmp_path, GOOD), routing)
    review = config.plan("quote_review").meeting
    assert (review.minutes, review.team, review.step_minutes, review.horizon_days) == (
        30,
        "sales",
        15,
        10,
    )
    assert review.buffer_before == timedelta(minutes=5)
    assert review.buffer_after == timedelta(minutes=10)
    assert review.minimum_notice == timedelta(hours=4)
    intro = config.plan("intro_call")
    assert intro.title == "Intro call"
    assert (intro.meeting.minimum_notice, intro.meeting.horizon_days) == (timedelta(0), 14)
    assert config.organizer_email == "meetings@example.com"
    assert config.calendars["101"].ics == tmp_path / "calendars" / "maya.ics"
    assert config.calendars["102"].graph == "luis@example.com"


def test_hosts_default_to_every_agent_of_the_team(tmp_path: Path, routing: RoutingTable) -> None:
    config = load_meetings(write(tmp_path, GOOD), routing)
    team = routing.teams["sales"]
    assert [a.name for a in config.plan("quote_review").host_agents(team)] == [
        "Maya Chen",
        "Luis Ortega",
    ]
    assert [a.name for a in config.plan("intro_call").host_agents(team)] == ["Luis Ortega"]


def test_no_file_means_no_meetings(tmp_path: Path) -> None:
    config = load_meetings(tmp_path / "meetings.yaml")
    assert config == MeetingsConfig(path=tmp_path / "meetings.yaml")
    with pytest.raises(KeyError, match="unknown meeting type 'quote_review' \\(known: none\\)"):
        config.plan("quote_review")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [(90, 90), ("4h", 240), ("1d", 1440), ("1h30m", 90), ("2 h 15 m", 135), ("45m", 45)],
)
def test_minimum_notice_takes_minutes_or_a_duration(text: int | str, minutes: int) -> None:
    assert parse_notice(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["soon", "4x", "h", "4h later"])
def test_a_notice_that_is_no_duration_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_notice(text)


def test_schema_problems_point_at_their_lines(tmp_path: Path) -> None:
    text = GOOD.replace("    minutes: 30\n", "    minutes: thirty\n").replace(
        "    minimum_notice: 4h\n", "    minimum_notice: 4 hours\n"
    )
    path = write(tmp_path, text)
    found = problems(path)
    assert f"{path}:9: meetings.0.minutes: 'thirty' is not of type 'integer'" in found
    assert any(p.startswith(f"{path}:12: meetings.0.minimum_notice:") for p in found)


def test_an_unknown_key_is_reported_at_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("    step_minutes: 15\n", "    step: 15\n"))
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:14: ")
    assert "'step' was unexpected" in problem


def test_a_calendar_needs_exactly_one_source(tmp_path: Path) -> None:
    text = GOOD.replace("{graph: luis@example.com}", "{}")
    (problem,) = problems(write(tmp_path, text))
    assert ":4: calendars.102:" in problem


def test_unquoted_admin_ids_must_be_quoted(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('"101": {ics', "101: {ics"))
    assert problems(path) == [f'{path}:3: admin id 101 must be quoted: "101"']


def test_a_duplicate_meeting_name_names_the_first(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("name: intro_call", "name: quote_review"))
    assert problems(path) == [f"{path}:15: meeting 'quote_review' is already defined (line 6)"]


def test_a_meeting_that_cannot_fit_its_horizon_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("minimum_notice: 4h", "minimum_notice: 10d"))
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:13: meeting 'quote_review': the minimum notice")


def test_a_missing_calendar_file_is_reported_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("calendars/maya.ics", "calendars/nobody.ics"))
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:3: the calendar of 101 (calendars/nobody.ics) cannot be")


def test_a_calendar_file_that_is_not_icalendar_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    (tmp_path / "calendars" / "maya.ics").write_text("not a calendar", encoding="utf-8")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:3: the calendar of 101 (calendars/maya.ics) is not valid")


def test_calendar_urls_are_kept_as_urls(tmp_path: Path) -> None:
    text = GOOD.replace("calendars/maya.ics", "webcal://calendar.example.com/maya.ics")
    config = load_meetings(write(tmp_path, text))
    assert config.calendars["101"].ics == "webcal://calendar.example.com/maya.ics"


def test_a_listed_host_twice_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('hosts: ["102"]', 'hosts: ["102", "102"]'))
    assert problems(path) == [f"{path}:18: host 102 is listed twice"]


def test_against_routing_an_unknown_team_is_reported(tmp_path: Path, routing: RoutingTable) -> None:
    path = write(
        tmp_path, GOOD.replace("    team: sales\n    hosts:", "    team: marketing\n    hosts:")
    )
    assert problems(path, routing) == [
        f"{path}:17: meeting 'intro_call': unknown team 'marketing' (known: sales, support)"
    ]


def test_against_routing_a_host_must_be_an_agent_of_the_team(
    tmp_path: Path, routing: RoutingTable
) -> None:
    path = write(tmp_path, GOOD.replace('hosts: ["102"]', 'hosts: ["102", "999"]'))
    assert problems(path, routing) == [
        f"{path}:18: meeting 'intro_call': host 999 is not an agent of team 'sales' in routing.yaml"
    ]


def test_against_routing_a_team_without_agents_cannot_host(
    tmp_path: Path, routing: RoutingTable
) -> None:
    text = GOOD.replace("    team: sales\n    hosts:", "    team: support\n    hosts:").replace(
        '    hosts: ["102"]\n', ""
    )
    path = write(tmp_path, text)
    assert problems(path, routing) == [
        f"{path}:17: meeting 'intro_call': team 'support' has no agents to host it"
    ]


def test_against_routing_a_calendar_of_someone_hosting_nothing_is_reported(
    tmp_path: Path, routing: RoutingTable
) -> None:
    path = write(tmp_path, GOOD.replace('"102": {graph', '"103": {graph'))
    assert problems(path, routing) == [
        f"{path}:4: calendar of 103, who hosts none of the meetings (a mistyped admin id?)"
    ]


def test_without_routing_teams_and_hosts_are_not_checked(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("team: sales", "team: marketing"))
    assert set(load_meetings(path).meetings) == {"quote_review", "intro_call"}


@pytest.mark.parametrize("playbook", ["intents", "examples/credit-union/intents"])
def test_the_shipped_meetings_load_against_their_routing(playbook: str) -> None:
    directory = ROOT / playbook
    routing = load_routing(directory / "routing.yaml")
    config = load_meetings(directory / "meetings.yaml", routing)
    assert config.meetings
    for plan in config.meetings.values():
        assert plan.host_agents(routing.teams[plan.team])
    for calendar in config.calendars.values():
        assert calendar.ics is not None
        assert Path(calendar.ics).is_file()


def test_portlandia_offers_a_quote_review_and_a_powerlink_onboarding() -> None:
    routing = load_routing(ROOT / "intents" / "routing.yaml")
    config = load_meetings(ROOT / "intents" / "meetings.yaml", routing)
    review, onboarding = config.plan("quote_review"), config.plan("powerlink_onboarding")
    assert (review.title, review.team, review.meeting.minutes) == ("Quote review", "sales", 30)
    assert (onboarding.title, onboarding.team, onboarding.meeting.minutes) == (
        "PowerLink onboarding",
        "support",
        20,
    )
