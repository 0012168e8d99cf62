"""Loading ``routing.yaml``: read, check against the schema and the semantic rules, build.

The file (see ``routing.schema.json`` for every field)::

    timezone: America/Los_Angeles
    teams:
      sales:
        name: Sales
        intercom_team_id: "5000001"         # quoted: Intercom ids are strings
        office_hours:                       # optional: without it the team is always open
          timezone: America/Los_Angeles     # optional: defaults to the file's timezone
          weekly: {mon: "08:00-17:00", ..., sat: closed}   # a day left out is closed
          holidays: ["2026-12-25"]
        expected_reply: "within 2 hours"    # optional: told to the customer while open, or
        # expected_reply: {measure: median_first_response, days: 7, minimum_samples: 5,
        #                  fallback: "within 2 hours"}   # measured from our own records
        agents:                             # optional: who round robin assigns to
          - admin_id: "9000101"             # the Intercom admin id, quoted
            name: Maya Chen
            timezone: America/Denver        # optional: defaults to the team's
            working_hours:                  # optional: defaults to the team's office hours
              weekly: {mon: "07:30-16:00", ...}
              holidays: ["2026-08-14"]      # days off
            max_open_conversations: 8       # optional: no cap when left out
            weight: 2                       # optional, default 1
    rules:                                  # ordered: the first that matches wins
      - name: hot_commercial_lead
        when: {all: [{intent: quote_request}, {slot: segment, equals: commercial}]}
        team: sales
        priority: true                      # optional, default false
        sla: high                           # optional, default: the default's sla
        tags: [hot-lead]                    # optional
        fallback_teams: [support]           # optional: tried by the next_team step
        when_nobody_available: [next_team, offer_meeting, capture_contact, queue]
    default: {team: support, sla: medium}   # required
    when_nobody_available: [queue]          # optional: for rules without their own

Any problem raises :class:`RoutingFileError` listing every problem as ``file:line: message``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from concierge.conditions import Condition, ConditionError, parse_condition
from concierge.domain.decisions import SlaTier
from concierge.routing.checks import duplicate_names, unknown_teams, unreachable_rules
from concierge.routing.errors import RoutingFileError, RoutingProblem
from concierge.routing.hours import WEEKDAYS, HoursError, Interval, OfficeHours, parse_day
from concierge.routing.schema import plain, schema_problems
from concierge.routing.table import (
    DEFAULT_LADDER,
    DEFAULT_RULE,
    NEXT_TEAM,
    QUEUE,
    Agent,
    MeasuredReply,
    RoutingRule,
    RoutingTable,
    Team,
)
from concierge.yaml_source import JsonPath, YamlDocument, YamlSyntaxError, read_yaml

MISSING_DEFAULT = (
    "a default is required so every conversation goes somewhere, "
    "e.g. default: {team: support, sla: medium}"
)


@dataclass
class _Reader:
    """The parsed file and the problems found so far while building from it."""

    doc: YamlDocument
    path: Path
    problems: list[RoutingProblem] = field(default_factory=list)
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))

    def report(self, where: JsonPath, message: str) -> None:
        """Note a problem at the line of the value at ``where``."""
        self.problems.append(RoutingProblem(self.path, self.doc.line_of(where), message))

    def fail(self) -> None:
        """Raise RoutingFileError with every problem noted so far, if there is any."""
        if self.problems:
            raise RoutingFileError(self.problems)


def _zone(reader: _Reader, name: str, where: JsonPath) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        reader.report(where, f"unknown timezone {name!r} (use an IANA name like America/Chicago)")
        return ZoneInfo("UTC")


def _weekly(
    reader: _Reader, data: dict[str, Any], where: JsonPath, hint: str
) -> tuple[tuple[Interval, ...], ...]:
    days: list[tuple[Interval, ...]] = []
    for day in WEEKDAYS:
        try:
            days.append(parse_day(data.get(day, "closed")))
        except HoursError as exc:
            reader.report((*where, day), f"{day}: {exc}")
            days.append(())
    if not any(days):
        reader.report(where, f"closed every day; {hint}")
    return tuple(days)


def _holidays(reader: _Reader, items: list[str], where: JsonPath) -> frozenset[date]:
    found = set()
    for index, text in enumerate(items):
        try:
            found.add(date.fromisoformat(text))
        except ValueError:
            reader.report((*where, index), f"holiday {text!r} is not a date like 2026-12-25")
    return frozenset(found)


def _office_hours(
    reader: _Reader, data: dict[str, Any], where: JsonPath, zone: ZoneInfo
) -> OfficeHours:
    if "timezone" in data:
        zone = _zone(reader, data["timezone"], (*where, "timezone"))
    hint = "leave office_hours out for an always-open team"
    weekly = _weekly(reader, data["weekly"], (*where, "weekly"), hint)
    holidays = _holidays(reader, data.get("holidays", []), (*where, "holidays"))
    return OfficeHours(zone, weekly, holidays)


def _agent(
    reader: _Reader, data: dict[str, Any], where: JsonPath, team_hours: OfficeHours | None
) -> Agent:
    """One agent; without working hours of their own they follow the team's office hours."""
    zone = team_hours.zone if team_hours else reader.zone
    if "timezone" in data:
        zone = _zone(reader, data["timezone"], (*where, "timezone"))
    hours = team_hours
    if "working_hours" in data:
        own = data["working_hours"]
        hint = "leave working_hours out to follow the team's office hours"
        weekly = _weekly(reader, own["weekly"], (*where, "working_hours", "weekly"), hint)
        days_off = _holidays(reader, own.get("holidays", []), (*where, "working_hours", "holidays"))
        hours = OfficeHours(zone, weekly, days_off)
    return Agent(
        admin_id=data["admin_id"],
        name=data["name"],
        zone=zone,
        working_hours=hours,
        max_open=data.get("max_open_conversations"),
        weight=data.get("weight", 1),
    )


def _agents(
    reader: _Reader, items: list[dict[str, Any]], where: JsonPath, hours: OfficeHours | None
) -> tuple[Agent, ...]:
    """The team's agents; an admin listed twice is a problem at the second listing."""
    agents: list[Agent] = []
    seen: dict[str, int] = {}
    for index, data in enumerate(items):
        agent = _agent(reader, data, (*where, index), hours)
        if agent.admin_id in seen:
            first = reader.doc.line_of((*where, seen[agent.admin_id], "admin_id"))
            message = f"agent {agent.admin_id} ({agent.name}) is already listed (line {first})"
            reader.report((*where, index, "admin_id"), message)
            continue
        seen[agent.admin_id] = index
        agents.append(agent)
    return tuple(agents)


def _expected_reply(data: str | dict[str, Any] | None) -> tuple[str | None, MeasuredReply | None]:
    """The fixed words, or the fallback words and how to measure."""
    if not isinstance(data, dict):
        return data, None
    measured = MeasuredReply(
        fallback=data["fallback"],
        days=data.get("days", 7),
        minimum_samples=data.get("minimum_samples", 5),
    )
    return measured.fallback, measured


def _team(reader: _Reader, key: str, data: dict[str, Any], zone: ZoneInfo) -> Team:
    hours = data.get("office_hours")
    office_hours = (
        None
        if hours is None
        else _office_hours(reader, hours, ("teams", key, "office_hours"), zone)
    )
    expected_reply, measured_reply = _expected_reply(data.get("expected_reply"))
    return Team(
        key=key,
        name=data["name"],
        zone=office_hours.zone if office_hours else zone,
        intercom_team_id=data.get("intercom_team_id"),
        office_hours=office_hours,
        expected_reply=expected_reply,
        agents=_agents(reader, data.get("agents", []), ("teams", key, "agents"), office_hours),
        measured_reply=measured_reply,
    )


def _check_agents_agree(reader: _Reader, teams: dict[str, Team]) -> None:
    """An agent on several teams is one person: the same timezone, hours and cap everywhere."""
    first: dict[str, tuple[str, int, Agent]] = {}
    for key, team in teams.items():
        for index, agent in enumerate(team.agents):
            if agent.admin_id not in first:
                first[agent.admin_id] = (key, index, agent)
                continue
            other_key, other_index, other = first[agent.admin_id]
            same = (agent.zone, agent.working_hours, agent.max_open)
            if same != (other.zone, other.working_hours, other.max_open):
                line = reader.doc.line_of(("teams", other_key, "agents", other_index, "admin_id"))
                reader.report(
                    ("teams", key, "agents", index, "admin_id"),
                    f"agent {agent.admin_id} ({agent.name}) has another timezone, working hours "
                    f"or cap in team {other_key!r} (line {line}); one person has one schedule",
                )


def _condition(reader: _Reader, data: Any, where: JsonPath, name: str) -> Condition | None:
    if data is None:
        return None
    try:
        condition = parse_condition(data)
        _check_windows(condition)
    except ConditionError as exc:
        reader.report(where, f"rule {name!r}: {exc}")
        return None
    return condition


def _check_windows(condition: Condition) -> None:
    """Event windows must be numbers of days (the conditions module reads them late)."""
    if condition.kind == "event" and not isinstance(condition.expected, int | float):
        raise ConditionError(f"within_days must be a number of days, got {condition.expected!r}")
    for child in condition.children:
        _check_windows(child)


def _rule(
    reader: _Reader, index: int, data: dict[str, Any], sla: SlaTier, ladder: tuple[str, ...]
) -> RoutingRule:
    where = ("rules", index, "when")
    return RoutingRule(
        name=data["name"],
        team=data["team"],
        sla=data.get("sla", sla),
        condition=_condition(reader, data.get("when"), where, data["name"]),
        priority=bool(data.get("priority", False)),
        tags=tuple(data.get("tags", ())),
        fallback_teams=tuple(data.get("fallback_teams", ())),
        when_nobody_available=tuple(data.get("when_nobody_available", ladder)),
    )


def _default(data: dict[str, Any], ladder: tuple[str, ...]) -> RoutingRule:
    return RoutingRule(
        name=DEFAULT_RULE,
        team=data["team"],
        sla=data["sla"],
        priority=bool(data.get("priority", False)),
        tags=tuple(data.get("tags", ())),
        fallback_teams=tuple(data.get("fallback_teams", ())),
        when_nobody_available=tuple(data.get("when_nobody_available", ladder)),
    )


def _ladder_problems(
    rule: RoutingRule, where: JsonPath, ladder_at: JsonPath, teams: dict[str, Team]
) -> list[tuple[JsonPath, str]]:
    """A ladder that cannot work as written: unknown fallback teams, a rule falling back to
    its own team, next_team without fallback teams, steps after queue (queue always lands).
    ``ladder_at`` is where the rule's ladder is written (its own, or the file's default)."""
    found: list[tuple[JsonPath, str]] = []
    for index, team in enumerate(rule.fallback_teams):
        at = (*where, "fallback_teams", index)
        if team not in teams:
            found.append((at, f"unknown team {team!r} (known: {', '.join(sorted(teams))})"))
        elif team == rule.team:
            found.append((at, f"rule {rule.name!r} falls back to its own team {team!r}"))
    steps = rule.when_nobody_available
    if NEXT_TEAM in steps and not rule.fallback_teams:
        found.append((where, f"rule {rule.name!r}: next_team needs fallback_teams, e.g. [support]"))
    if QUEUE in steps and steps.index(QUEUE) < len(steps) - 1:
        after = ", ".join(steps[steps.index(QUEUE) + 1 :])
        message = f"queue always lands, so {after} after it never runs; put queue last"
        found.append((ladder_at, message))
    return found


def _check_ladders(reader: _Reader, table: RoutingTable, data: dict[str, Any]) -> None:
    """Every rule's ladder; a problem of the file's default ladder is reported once."""
    file_ladder: JsonPath = ("when_nobody_available",)
    located: list[tuple[RoutingRule, JsonPath, Any]] = [
        (rule, ("rules", index), data["rules"][index]) for index, rule in enumerate(table.rules)
    ]
    located.append((table.default, ("default",), data["default"]))
    reported: set[tuple[JsonPath, str]] = set()
    for rule, where, raw in located:
        own: JsonPath = (*where, "when_nobody_available")
        ladder_at = own if "when_nobody_available" in raw else file_ladder
        for problem in _ladder_problems(rule, where, ladder_at, table.teams):
            if problem not in reported:
                reported.add(problem)
                reader.report(*problem)


def _check_rules(reader: _Reader, table: RoutingTable) -> None:
    line_of = reader.doc.line_of
    located = duplicate_names(table.rules, line_of)
    located += unknown_teams(table.rules, table.default.team, table.teams, line_of)
    located += unreachable_rules(table.rules, line_of)
    reader.problems += [RoutingProblem(reader.path, line, message) for line, message in located]


def _check_shape(reader: _Reader, data: Any) -> None:
    if not isinstance(data, dict):
        reader.report((), "expected a mapping with timezone, teams, rules and default")
    elif "default" not in data:
        reader.report((), MISSING_DEFAULT)
    else:
        reader.problems += schema_problems(reader.doc, reader.path, data)
    reader.fail()


def build_table(doc: YamlDocument, path: Path) -> RoutingTable:
    """A checked RoutingTable from a parsed routing file; raises RoutingFileError."""
    reader = _Reader(doc, path)
    data = plain(doc.data)
    _check_shape(reader, data)
    zone = reader.zone = _zone(reader, data["timezone"], ("timezone",))
    teams = {key: _team(reader, key, team, zone) for key, team in data["teams"].items()}
    if not reader.problems:  # a broken agent would also look like a second schedule
        _check_agents_agree(reader, teams)
    ladder = tuple(data.get("when_nobody_available", DEFAULT_LADDER))
    default = _default(data["default"], ladder)
    rules = tuple(
        _rule(reader, i, rule, default.sla, ladder)
        for i, rule in enumerate(data.get("rules") or [])
    )
    reader.fail()
    table = RoutingTable(zone=zone, teams=teams, rules=rules, default=default)
    _check_rules(reader, table)
    _check_ladders(reader, table, data)
    reader.fail()
    return table


def _bad_date_line(text: str) -> int | None:
    """The line of the first unquoted date YAML cannot construct (``2026-13-01``)."""
    loader = yaml.SafeLoader("")
    pending = [yaml.compose(text, Loader=yaml.SafeLoader)]
    while pending:
        node = pending.pop(0)
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":timestamp"):
            try:
                loader.construct_yaml_timestamp(node)
            except ValueError:
                return int(node.start_mark.line) + 1
        elif isinstance(node, yaml.SequenceNode):
            pending += node.value
        elif isinstance(node, yaml.MappingNode):
            pending += [value for _, value in node.value]
    return None


def _read(path: Path) -> YamlDocument:
    try:
        return read_yaml(path)
    except YamlSyntaxError as exc:
        raise RoutingFileError([RoutingProblem(path, exc.line, str(exc))]) from None
    except ValueError as exc:  # PyYAML raises it for impossible dates such as 2026-13-01
        line = _bad_date_line(path.read_text(encoding="utf-8"))
        message = f"not a valid date ({exc}); write dates as 2026-12-25"
        raise RoutingFileError([RoutingProblem(path, line, message)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RoutingFileError([RoutingProblem(path, None, f"cannot read: {exc}")]) from None


def load_routing(path: Path) -> RoutingTable:
    """Read and check a routing file; raises RoutingFileError naming file and line."""
    return build_table(_read(path), path)
