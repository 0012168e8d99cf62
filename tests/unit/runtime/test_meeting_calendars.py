"""Which calendar answers for which meeting host, and what the invitation of a booking says."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import icalendar

from concierge.routing import RoutingTable, load_routing
from concierge.routing.meetings_loader import HostCalendar, MeetingsConfig
from concierge.runtime.meetings import booking_ics, host_calendars, when_text
from concierge.store.booking_tables import CANCELLED, MeetingBooking

ROOT = Path(__file__).resolve().parents[3]
CALENDAR = ROOT / "tests" / "unit" / "routing" / "fixtures" / "host_calendar.ics"
ROUTING = """\
timezone: America/Los_Angeles
teams:
  sales:
    name: Sales
    agents:
      - {admin_id: "101", name: Ana}
      - {admin_id: "102", name: Ben}
      - {admin_id: "103", name: Cy}
      - {admin_id: "104", name: Di}
default: {team: sales, sla: medium}
"""
GRAPH_ANSWER = {
    "value": [
        {
            "scheduleId": "ben@example.com",
            "scheduleItems": [
                {
                    "status": "busy",
                    "start": {"dateTime": "2026-03-03T17:00:00.0000000", "timeZone": "UTC"},
                    "end": {"dateTime": "2026-03-03T18:00:00.0000000", "timeZone": "UTC"},
                }
            ],
        }
    ]
}
START, END = datetime(2026, 3, 3, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC)


def routing(tmp_path: Path) -> RoutingTable:
    path = tmp_path / "routing.yaml"
    path.write_text(ROUTING, encoding="utf-8")
    return load_routing(path)


def config(tmp_path: Path) -> MeetingsConfig:
    calendars = {
        "101": HostCalendar("101", ics=CALENDAR),
        "102": HostCalendar("102", graph="ben@example.com"),
    }
    return MeetingsConfig(tmp_path / "meetings.yaml", "m@example.com", {}, calendars)


def graph(asked: list[Any], status: int = 200) -> httpx.Client:
    def answer(request: httpx.Request) -> httpx.Response:
        asked.append((request.url.path, json.loads(request.content)["schedules"]))
        return httpx.Response(status, json=GRAPH_ANSWER if status == 200 else {})

    return httpx.Client(base_url="https://graph.test/v1.0", transport=httpx.MockTransport(answer))


def test_each_host_is_read_from_their_own_calendar(tmp_path: Path) -> None:
    asked: list[Any] = []
    calendars = host_calendars(config(tmp_path), routing(tmp_path), graph=graph(asked))
    lookup = calendars.lookup(["101", "102", "103"], START, END)
    assert lookup.errors == {}
    assert lookup.busy["101"]  # the iCalendar feed has events that Tuesday
    assert [(b.start.hour, b.end.hour) for b in lookup.busy["102"]] == [(17, 18)]
    assert lookup.busy["103"] == []  # no calendar: busy only with meetings booked here
    assert asked == [("/v1.0/me/calendar/getSchedule", ["ben@example.com"])]


def test_without_a_graph_token_a_graph_host_is_unreadable_not_free(tmp_path: Path) -> None:
    lookup = host_calendars(config(tmp_path), routing(tmp_path)).lookup(["101", "102"], START, END)
    assert "102" not in lookup.busy
    assert lookup.errors["102"] == (
        "the Microsoft 365 calendar of 102 (ben@example.com) cannot be read: "
        "no Microsoft Graph token is configured"
    )
    assert "101" in lookup.busy


def test_a_failed_graph_request_makes_its_hosts_unreadable(tmp_path: Path) -> None:
    client = graph([], status=503)
    lookup = host_calendars(config(tmp_path), routing(tmp_path), graph=client).lookup(
        ["101", "102"], START, END
    )
    assert "HTTP 503" in lookup.errors["102"]
    assert "101" in lookup.busy


def booking(**changes: Any) -> MeetingBooking:
    start = datetime(2026, 12, 1, 18, tzinfo=UTC).timestamp()
    values: dict[str, Any] = {
        "uid": "u" * 24,
        "meeting": "quote_review",
        "title": "Quote review",
        "team": "sales",
        "host_id": "101",
        "host_name": "Ana",
        "starts_at": start,
        "ends_at": start + 1800,
        "blocked_from": start,
        "blocked_until": start + 1800,
        "attendee_email": "pat@example.com",
        "organizer_email": "m@example.com",
        "created_at": start - 86_400,
        "updated_at": start - 3600,
    }
    return MeetingBooking(**{**values, **changes})


def test_the_invitation_of_a_booking_is_stable_and_its_cancellation_cancels_it() -> None:
    invitation = booking_ics(booking())
    assert invitation == booking_ics(booking())  # DTSTAMP is the last change, not "now"
    event = icalendar.Calendar.from_ical(invitation).events[0]
    assert (event["SEQUENCE"], str(event["DESCRIPTION"])) == (0, "Quote review with Ana.")
    cancelled = icalendar.Calendar.from_ical(booking_ics(booking(status=CANCELLED, sequence=2)))
    event = cancelled.events[0]
    assert (cancelled["METHOD"], event["SEQUENCE"], str(event["STATUS"])) == (
        "CANCEL",
        2,
        "CANCELLED",
    )


def test_meeting_times_are_written_in_the_hosts_zone() -> None:
    start = datetime(2026, 12, 1, 18, tzinfo=UTC)
    end = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)
    assert (
        when_text(start, end, ZoneInfo("America/Los_Angeles")) == "Tue 1 Dec 10:00\u201310:30 PST"
    )
    assert when_text(start, end, ZoneInfo("America/Denver")) == "Tue 1 Dec 11:00\u201311:30 MST"
