"""Routing files: every problem is reported with file:line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from concierge.routing import RoutingFileError, load_routing

ROOT = Path(__file__).resolve().parents[3]

TEAMS = """\
timezone: America/Los_Angeles
teams:
  sales:
    name: Sales
    intercom_team_id: "5000001"
    office_hours:
      weekly: {mon: "08:00-17:00", tue: "08:00-17:00"}
      holidays: [2026-12-25]
  loans:
    name: Loan officers
"""  # rules start on line 11


def write(tmp_path: Path, rules: str, tail: str = "default: {team: sales, sla: medium}\n") -> Path:
    path = tmp_path / "routing.yaml"
    path.write_text(TEAMS + textwrap.dedent(rules) + tail, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(RoutingFileError) as caught:
        load_routing(path)
    return [str(problem) for problem in caught.value.problems]


def test_good_file_loads(tmp_path: Path) -> None:
    table = load_routing(
        write(tmp_path, "rules:\n  - {name: loans, when: {intent: loan}, team: loans}\n")
    )
    assert table.rules[0].sla == "medium"  # the default's tier
    assert table.teams["sales"].office_hours is not None
    assert table.teams["loans"].office_hours is None


def test_unknown_team_in_a_rule(tmp_path: Path) -> None:
    path = write(tmp_path, "rules:\n  - name: a\n    when: {intent: x}\n    team: marketing\n")
    (problem,) = problems(path)
    assert problem == (
        f"{path}:14: rule 'a' names team 'marketing', which is not defined (loans, sales)"
    )


def test_unknown_team_in_the_default(tmp_path: Path) -> None:
    path = write(tmp_path, "", tail="default:\n  team: support\n  sla: low\n")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:12: the default names team 'support'")


def test_missing_default(tmp_path: Path) -> None:
    path = write(tmp_path, "rules: []\n", tail="")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:1: a default is required")


def test_rule_after_an_unconditional_rule_is_unreachable(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        rules:
          - {name: everything, team: sales}
          - {name: loans, when: {intent: loan}, team: loans}
        """,
    )
    (problem,) = problems(path)
    assert problem == (
        f"{path}:13: rule 'loans' can never match: rule 'everything' (line 12) "
        "has no condition and matches everything"
    )


def test_identical_condition_is_unreachable(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        rules:
          - {name: first, when: {intent: loan}, team: loans}
          - {name: second, when: {intent: loan}, team: sales}
        """,
    )
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:13: rule 'second' can never match: rule 'first' (line 12)")
    assert "same condition" in problem


def test_general_rule_before_specific_rule_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        rules:
          - name: loan_application
            when: {intent: loan_application}
            team: loans
          - name: large_loan
            when: {all: [{intent: loan_application}, {slot: loan_amount, greater_than: 100000}]}
            team: sales
        """,
    )
    (problem,) = problems(path)
    assert problem == (
        f"{path}:15: rule 'large_loan' can never match: rule 'loan_application' (line 12) "
        "matches whenever it does; put it first"
    )


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ('"17:00-08:00"', "mon: '17:00-08:00' closes before it opens"),
        ('"8am-5pm"', "mon: '8am-5pm' is not a range like"),
        ('["08:00-12:00", "11:00-14:00"]', "mon: the ranges overlap around 11:00"),
    ],
)
def test_bad_weekly_hours(tmp_path: Path, hours: str, message: str) -> None:
    path = tmp_path / "routing.yaml"
    text = TEAMS.replace('{mon: "08:00-17:00"', "{mon: " + hours)
    path.write_text(text + "default: {team: sales, sla: low}\n", encoding="utf-8")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:7: {message}")


def test_closed_every_day(tmp_path: Path) -> None:
    path = tmp_path / "routing.yaml"
    text = TEAMS.replace('{mon: "08:00-17:00", tue: "08:00-17:00"}', "{mon: closed}")
    path.write_text(text + "default: {team: sales, sla: low}\n", encoding="utf-8")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:7: closed every day")


def test_unknown_timezones(tmp_path: Path) -> None:
    path = tmp_path / "routing.yaml"
    text = TEAMS.replace("timezone: America/Los_Angeles", "timezone: Pacific Time").replace(
        "    office_hours:\n", "    office_hours:\n      timezone: America/Portland\n"
    )
    path.write_text(text + "default: {team: sales, sla: low}\n", encoding="utf-8")
    assert problems(path) == [
        f"{path}:1: unknown timezone 'Pacific Time' (use an IANA name like America/Chicago)",
        f"{path}:7: unknown timezone 'America/Portland' (use an IANA name like America/Chicago)",
    ]


def test_bad_holiday(tmp_path: Path) -> None:
    path = tmp_path / "routing.yaml"
    text = TEAMS.replace("[2026-12-25]", "[2026-12-25, 2026-13-01]")
    path.write_text(text + "default: {team: sales, sla: low}\n", encoding="utf-8")
    (problem,) = problems(path)
    assert problem == (
        f"{path}:8: not a valid date (month must be in 1..12); write dates as 2026-12-25"
    )


def test_quoted_bad_holiday(tmp_path: Path) -> None:
    path = tmp_path / "routing.yaml"
    text = TEAMS.replace("[2026-12-25]", '[2026-12-25, "Christmas"]')
    path.write_text(text + "default: {team: sales, sla: low}\n", encoding="utf-8")
    (problem,) = problems(path)
    assert problem == f"{path}:8: holiday 'Christmas' is not a date like 2026-12-25"


def test_unquoted_team_id_is_a_schema_error(tmp_path: Path) -> None:
    path = tmp_path / "routing.yaml"
    path.write_text(TEAMS.replace('"5000001"', "5000001") + "default: {team: sales, sla: low}\n")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:5: teams.sales.intercom_team_id: 5000001 is not of type")


def test_bad_sla_tier(tmp_path: Path) -> None:
    path = write(tmp_path, "", tail="default: {team: sales, sla: urgent}\n")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:11: default.sla: 'urgent' is not one of")


def test_bad_condition(tmp_path: Path) -> None:
    path = write(
        tmp_path, "rules:\n  - name: a\n    when: {slot: amount, over: 5}\n    team: loans\n"
    )
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:13: rule 'a': 'slot: amount' needs exactly one operator")


def test_duplicate_and_reserved_rule_names(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        rules:
          - {name: a, when: {intent: x}, team: loans}
          - {name: a, when: {intent: y}, team: loans}
          - {name: default, when: {intent: z}, team: loans}
        """,
    )
    assert problems(path) == [
        f"{path}:13: rule name 'a' is already used (line 12)",
        f"{path}:14: 'default' is reserved for the default; rename this rule",
    ]


def test_yaml_syntax_error(tmp_path: Path) -> None:
    path = write(tmp_path, "rules: [\n", tail="")
    (problem,) = problems(path)
    assert problem.startswith(f"{path}:")
    assert "not valid YAML" in problem


def test_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "routing.yaml"
    path.write_text("- just a list\n", encoding="utf-8")
    assert problems(path) == [
        f"{path}:1: expected a mapping with timezone, teams, rules and default"
    ]


def test_event_window_must_be_a_number(tmp_path: Path) -> None:
    rules = "rules:\n  - {name: a, when: {event: visited, within_days: week}, team: loans}\n"
    (problem,) = problems(write(tmp_path, rules))
    assert problem.endswith(":12: rule 'a': within_days must be a number of days, got 'week'")


AGENTS = """\
timezone: America/Los_Angeles
teams:
  sales:
    name: Sales
    office_hours:
      weekly: {mon: "08:00-17:00", tue: "08:00-17:00"}
    expected_reply: {measure: median_first_response, days: 14, fallback: within a few hours}
    agents:
      - admin_id: "9000101"
        name: Maya Chen
        weight: 2
      - admin_id: "9000102"
        name: Luis Ortega
        timezone: America/Denver
        working_hours:
          weekly: {mon: "07:30-16:00"}
          holidays: ["2026-07-03"]
        max_open_conversations: 5
  catalog:
    name: Catalog
    agents:
      - {admin_id: "9000102", name: Luis Ortega, timezone: America/Denver, working_hours: {weekly: {mon: "07:30-16:00"}, holidays: ["2026-07-03"]}, max_open_conversations: 5}
default: {team: sales, sla: medium}
"""  # noqa: E501 - the flow mapping on line 22 is deliberate


def write_agents(tmp_path: Path, text: str = AGENTS) -> Path:
    path = tmp_path / "routing.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_agents_and_a_measured_reply_load(tmp_path: Path) -> None:
    table = load_routing(write_agents(tmp_path))
    sales = table.teams["sales"]
    maya, luis = sales.agents
    assert (maya.admin_id, maya.weight, maya.max_open) == ("9000101", 2, None)
    assert maya.working_hours == sales.office_hours  # no hours of her own: the team's
    assert maya.zone.key == "America/Los_Angeles"
    assert (luis.zone.key, luis.max_open, luis.weight) == ("America/Denver", 5, 1)
    assert luis.working_hours is not None
    assert luis.working_hours.zone.key == "America/Denver"
    assert sales.measured_reply is not None
    assert (sales.measured_reply.days, sales.measured_reply.minimum_samples) == (14, 5)
    assert sales.expected_reply == "within a few hours"  # told until there is enough data
    assert table.teams["catalog"].agent("9000102") == luis


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "timezone: America/Denver\n        working",
            "timezone: Mountain\n        working",
            ":14: unknown timezone 'Mountain' (use an IANA name like America/Chicago)",
        ),
        (
            '{mon: "07:30-16:00"}\n',
            '{mon: "16:00-07:30", tue: "08:00-12:00"}\n',
            ":16: mon: '16:00-07:30' closes before it opens; hours cannot run past midnight, "
            "so split them across two days",
        ),
        (
            '{mon: "07:30-16:00"}\n',
            "{mon: closed}\n",
            ":16: closed every day; leave working_hours out to follow the team's office hours",
        ),
        (
            '["2026-07-03"]\n        max',
            '["July 3rd"]\n        max',
            ":17: holiday 'July 3rd' is not a date like 2026-12-25",
        ),
        (
            "        weight: 2\n",
            "        weight: 0\n",
            ":11: teams.sales.agents.0.weight: 0 is less than the minimum of 1",
        ),
        (
            'admin_id: "9000101"',
            "admin_id: 9000101",
            ":9: teams.sales.agents.0.admin_id: 9000101 is not of type 'string'",
        ),
        (
            "days: 14, fallback: within a few hours}",
            "days: 14}",
            ":7: teams.sales.expected_reply: 'fallback' is a required property",
        ),
    ],
)
def test_agent_problems_name_the_line(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert AGENTS.count(old) == 1
    path = write_agents(tmp_path, AGENTS.replace(old, new))
    assert problems(path) == [f"{path}{expected}"]


def test_an_agent_listed_twice_in_a_team(tmp_path: Path) -> None:
    text = AGENTS.replace(
        'admin_id: "9000102"\n        name: Luis', 'admin_id: "9000101"\n        name: Luis'
    )
    path = write_agents(tmp_path, text)
    assert f"{path}:12: agent 9000101 (Luis Ortega) is already listed (line 9)" in problems(path)


def test_one_person_has_one_schedule_across_teams(tmp_path: Path) -> None:
    text = AGENTS.replace("max_open_conversations: 5}", "max_open_conversations: 9}")
    path = write_agents(tmp_path, text)
    assert problems(path) == [
        f"{path}:22: agent 9000102 (Luis Ortega) has another timezone, working hours or cap "
        "in team 'sales' (line 12); one person has one schedule"
    ]


@pytest.mark.parametrize(
    "path", [ROOT / "intents" / "routing.yaml", ROOT / "examples/credit-union/intents/routing.yaml"]
)
def test_the_shipped_playbooks_give_every_team_agents(path: Path) -> None:
    table = load_routing(path)
    assert all(team.agents for team in table.teams.values())
    assert any(team.measured_reply for team in table.teams.values())
