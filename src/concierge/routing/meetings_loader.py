"""Loading ``meetings.yaml``: the meeting types customers can book, and their hosts' calendars.

The file is optional (no file: no meetings). See ``meetings.schema.json`` for every field::

    organizer_email: meetings@portlandia-electric.example   # the invitations' ORGANIZER
    calendars:                          # where each host's busy times come from, by admin id
      "9000101": {ics: calendars/maya-chen.ics}            # a file (relative to this file)
      "9000102": {ics: https://calendar.example.com/luis.ics}   # or an http(s)/webcal URL
      "9000105": {graph: dana.whitfield@portlandia-electric.example}   # Microsoft 365
    meetings:
      - name: quote_review
        title: Quote review
        team: sales                     # a routing team; its agents host the meeting
        hosts: ["9000101", "9000102"]   # optional: default every agent of the team
        minutes: 30
        buffer_before: 5                # optional, minutes (default 0)
        buffer_after: 10                # optional, minutes (default 0)
        minimum_notice: 4h              # optional: minutes or "4h", "1d", "1h30m" (default 0)
        horizon_days: 14                # optional (default 14)
        step_minutes: 30                # optional (default 30)

Hosts work the working hours and timezone routing.yaml gives them as agents. A host without a
calendar is busy only with the meetings booked here. Any problem raises
:class:`MeetingsFileError` listing every problem as ``file:line: message``; with the routing
table at hand (:func:`load_meetings` ``routing=``) the teams and hosts are checked against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from concierge.routing.calendars import CalendarError, parse_feed
from concierge.routing.errors import RoutingFileError, RoutingProblem
from concierge.routing.schema import plain
from concierge.routing.slots import MeetingType, SlotsError
from concierge.routing.table import Agent, RoutingTable, Team
from concierge.schema_check import schema_findings, validator_for
from concierge.yaml_source import JsonPath, YamlDocument, YamlSyntaxError, read_yaml

MEETINGS_FILE = "meetings.yaml"
SCHEMA_FILE = "meetings.schema.json"
_URL_SCHEMES = ("http://", "https://", "webcal://")
_DURATION_PART = re.compile(r"(\d+)\s*([dhm])")
_UNIT_MINUTES = {"d": 24 * 60, "h": 60, "m": 1}


class MeetingsFileError(RoutingFileError):
    """A meetings file is invalid; ``problems`` lists each with file and line."""


@dataclass(frozen=True)
class HostCalendar:
    """Where one host's busy times come from: an iCalendar feed (``ics``, a file path or a
    URL) or a Microsoft 365 mailbox (``graph``, the address Graph's getSchedule asks for)."""

    host: str
    ics: Path | str | None = None
    graph: str | None = None

    def describe(self) -> str:
        """``ics: calendars/maya.ics`` or ``graph: dana@example.com``, for messages."""
        return f"graph: {self.graph}" if self.graph else f"ics: {self.ics}"


@dataclass(frozen=True)
class MeetingPlan:
    """A bookable meeting type: the slot rules, the words, and who may host it.

    ``hosts`` are admin ids as listed; empty means every agent of the team.
    """

    meeting: MeetingType
    title: str
    description: str = ""
    hosts: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The meeting type's name (``quote_review``)."""
        return self.meeting.name

    @property
    def team(self) -> str:
        """The routing team whose agents host it."""
        return self.meeting.team

    def host_agents(self, team: Team) -> tuple[Agent, ...]:
        """The agents of ``team`` who host this meeting, in the order listed (hosts that are
        not agents of the team are left out; validation reports them)."""
        if not self.hosts:
            return team.agents
        found = (team.agent(admin_id) for admin_id in self.hosts)
        return tuple(agent for agent in found if agent is not None)


@dataclass(frozen=True)
class MeetingsConfig:
    """Every meeting type of a playbook, by name, and the hosts' calendars by admin id."""

    path: Path
    organizer_email: str = ""
    meetings: dict[str, MeetingPlan] = field(default_factory=dict)
    calendars: dict[str, HostCalendar] = field(default_factory=dict)

    def plan(self, name: str) -> MeetingPlan:
        """The meeting type called ``name``; :class:`KeyError` naming the known ones."""
        if name not in self.meetings:
            known = ", ".join(sorted(self.meetings)) or "none"
            raise KeyError(f"unknown meeting type {name!r} (known: {known})")
        return self.meetings[name]


@dataclass
class _Reader:
    doc: YamlDocument
    path: Path
    problems: list[RoutingProblem] = field(default_factory=list)

    def report(self, where: JsonPath, message: str) -> None:
        self.problems.append(RoutingProblem(self.path, self.doc.line_of(where), message))

    def fail(self) -> None:
        if self.problems:
            raise MeetingsFileError(self.problems)


def parse_notice(value: int | str) -> timedelta:
    """Minutes (``90``) or a duration of days, hours and minutes (``"4h"``, ``"1h30m"``)."""
    if isinstance(value, int):
        return timedelta(minutes=value)
    text = value.replace(" ", "").lower()
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(number + unit for number, unit in parts) != text:
        raise ValueError(f'{value!r} is not a duration like "4h", "1d" or "1h30m"')
    return timedelta(minutes=sum(int(number) * _UNIT_MINUTES[unit] for number, unit in parts))


def _notice(reader: _Reader, where: JsonPath, value: int | str) -> timedelta:
    try:
        return parse_notice(value)
    except ValueError as exc:
        reader.report(where, str(exc))
        return timedelta(0)


def _meeting(reader: _Reader, index: int, data: dict[str, Any]) -> MeetingPlan | None:
    where: JsonPath = ("meetings", index)
    try:
        meeting = MeetingType(
            name=data["name"],
            minutes=data["minutes"],
            team=data["team"],
            buffer_before=timedelta(minutes=data.get("buffer_before", 0)),
            buffer_after=timedelta(minutes=data.get("buffer_after", 0)),
            minimum_notice=_notice(
                reader, (*where, "minimum_notice"), data.get("minimum_notice", 0)
            ),
            horizon_days=data.get("horizon_days", 14),
            step_minutes=data.get("step_minutes", 30),
        )
    except SlotsError as exc:
        reader.report((*where, "name"), str(exc))
        return None
    if meeting.minimum_notice + meeting.duration > timedelta(days=meeting.horizon_days):
        reader.report(
            (*where, "horizon_days"),
            f"meeting {meeting.name!r}: the minimum notice and the meeting do not fit in "
            f"{meeting.horizon_days} days, so nothing could ever be booked",
        )
    hosts = tuple(data.get("hosts", ()))
    for position, host in enumerate(hosts):
        if host in hosts[:position]:
            reader.report((*where, "hosts", position), f"host {host} is listed twice")
    return MeetingPlan(meeting, data["title"], data.get("description", ""), hosts)


def _meetings(reader: _Reader, items: list[dict[str, Any]]) -> dict[str, MeetingPlan]:
    plans: dict[str, MeetingPlan] = {}
    first: dict[str, int] = {}
    for index, data in enumerate(items):
        name = data["name"]
        if name in first:
            line = reader.doc.line_of(("meetings", first[name], "name"))
            reader.report(
                ("meetings", index, "name"), f"meeting {name!r} is already defined (line {line})"
            )
            continue
        first[name] = index
        plan = _meeting(reader, index, data)
        if plan is not None:
            plans[name] = plan
    return plans


def _calendar(reader: _Reader, host: str, data: dict[str, str]) -> HostCalendar:
    if "graph" in data:
        return HostCalendar(host, graph=data["graph"])
    location = data["ics"]
    if location.lower().startswith(_URL_SCHEMES):
        return HostCalendar(host, ics=location)
    path = (reader.path.parent / location).resolve()
    problem = _feed_problem(path, f"the calendar of {host} ({location})")
    if problem:
        reader.report(("calendars", host, "ics"), problem)
    return HostCalendar(host, ics=path)


def _feed_problem(path: Path, what: str) -> str | None:
    """Why the iCalendar file at ``path`` cannot serve as a calendar, or ``None``."""
    try:
        parse_feed(path.read_bytes(), what)
    except OSError as exc:
        return f"{what} cannot be read: {exc.strerror or exc}"
    except CalendarError as exc:
        return str(exc)
    return None


def _check_shape(reader: _Reader, data: Any) -> None:
    if not isinstance(data, dict):
        reader.report((), "expected a mapping with organizer_email, calendars and meetings")
        reader.fail()
    validator = validator_for("concierge.routing", SCHEMA_FILE)
    reader.problems += [
        RoutingProblem(reader.path, line, message)
        for line, message in schema_findings(validator, reader.doc, data)
    ]
    calendars = data.get("calendars")
    for host in calendars if isinstance(calendars, dict) else ():
        if not isinstance(host, str):
            reader.report(("calendars", str(host)), f'admin id {host} must be quoted: "{host}"')
    reader.fail()


def _read(path: Path) -> YamlDocument:
    try:
        return read_yaml(path)
    except YamlSyntaxError as exc:
        raise MeetingsFileError([RoutingProblem(path, exc.line, str(exc))]) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise MeetingsFileError([RoutingProblem(path, None, f"cannot read: {exc}")]) from None


def build_meetings(
    doc: YamlDocument, path: Path, routing: RoutingTable | None = None
) -> MeetingsConfig:
    """A checked MeetingsConfig from a parsed meetings file; raises MeetingsFileError.

    With ``routing``, each meeting's team must exist and its hosts be agents of that team.
    """
    reader = _Reader(doc, path)
    data = plain(doc.data)
    _check_shape(reader, data)
    config = MeetingsConfig(
        path=path,
        organizer_email=data["organizer_email"],
        meetings=_meetings(reader, data["meetings"]),
        calendars={
            host: _calendar(reader, host, calendar)
            for host, calendar in (data.get("calendars") or {}).items()
        },
    )
    if routing is not None:
        reader.problems += list(cross_check(config, routing, doc))
    reader.fail()
    return config


def cross_check(
    config: MeetingsConfig, routing: RoutingTable, doc: YamlDocument
) -> Iterator[RoutingProblem]:
    """Problems against routing.yaml: unknown teams, hosts who are no agents of the meeting's
    team, teams without agents, and calendars of admins who host nothing."""
    hosting: set[str] = set()
    for plan in config.meetings.values():
        index = _index_of(doc, plan.name)
        team = routing.teams.get(plan.team)
        if team is None:
            known = ", ".join(sorted(routing.teams))
            message = f"meeting {plan.name!r}: unknown team {plan.team!r} (known: {known})"
            yield RoutingProblem(config.path, doc.line_of(("meetings", index, "team")), message)
            continue
        for position, host in enumerate(plan.hosts):
            if team.agent(host) is None:
                message = (
                    f"meeting {plan.name!r}: host {host} is not an agent of team "
                    f"{plan.team!r} in routing.yaml"
                )
                yield RoutingProblem(
                    config.path, doc.line_of(("meetings", index, "hosts", position)), message
                )
        agents = plan.host_agents(team)
        if not agents and not plan.hosts:
            message = f"meeting {plan.name!r}: team {plan.team!r} has no agents to host it"
            yield RoutingProblem(config.path, doc.line_of(("meetings", index, "team")), message)
        hosting.update(agent.admin_id for agent in agents)
    for host in config.calendars:
        if host not in hosting:
            message = f"calendar of {host}, who hosts none of the meetings (a mistyped admin id?)"
            yield RoutingProblem(config.path, doc.line_of(("calendars", host)), message)


def _index_of(doc: YamlDocument, name: str) -> int | str:
    """The position of meeting ``name`` in the file's list (its first definition)."""
    items = doc.data.get("meetings") if isinstance(doc.data, dict) else None
    for index, item in enumerate(items or []):
        if isinstance(item, dict) and item.get("name") == name:
            return index
    return name


def load_meetings(path: Path, routing: RoutingTable | None = None) -> MeetingsConfig:
    """Read and check a meetings file (no file: no meetings); raises MeetingsFileError
    naming file and line. With ``routing``, teams and hosts are checked against it."""
    if not path.exists():
        return MeetingsConfig(path=path)
    return build_meetings(_read(path), path, routing)
