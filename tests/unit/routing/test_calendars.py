"""Calendar adapters: busy blocks from iCalendar feeds and from Microsoft Graph getSchedule."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from concierge.routing.calendars import (
    BusyBlock,
    CalendarError,
    CalendarSource,
    GraphScheduleSource,
    ICalendarSource,
    ICalFeed,
    collect_busy,
    graph_client,
    graph_zone,
)

FIXTURES = Path(__file__).parent / "fixtures"
HOST_CALENDAR = FIXTURES / "host_calendar.ics"
PACIFIC = ZoneInfo("America/Los_Angeles")
BERLIN = ZoneInfo("Europe/Berlin")
FEED_URL = "https://calendar.example.com/ana.ics"


def utc(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def spans(blocks: list[BusyBlock]) -> list[tuple[datetime, datetime]]:
    return [(block.start, block.end) for block in blocks]


TWO_WEEKS = (utc(3, 2, 0), utc(3, 14, 0))


# --- BusyBlock ---------------------------------------------------------------------------


def test_busy_block_is_stored_in_utc() -> None:
    block = BusyBlock(
        datetime(2026, 3, 9, 9, tzinfo=PACIFIC), datetime(2026, 3, 9, 10, tzinfo=PACIFIC)
    )
    assert block.start == utc(3, 9, 16)  # 09:00 PDT
    assert block.start.tzinfo is UTC


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (datetime(2026, 3, 9, 9), utc(3, 9, 10), "has no timezone"),
        (utc(3, 9, 10), utc(3, 9, 9), "before it starts"),
        (utc(3, 9, 10), utc(3, 9, 10), "before it starts"),
    ],
)
def test_busy_block_refuses_nonsense(start: datetime, end: datetime, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BusyBlock(start, end)


# --- iCalendar feeds ---------------------------------------------------------------------


def ana_source(zone: ZoneInfo = PACIFIC, **options: Any) -> ICalendarSource:
    return ICalendarSource({"ana": ICalFeed(HOST_CALENDAR, zone)}, **options)


def test_feed_file_gives_the_busy_blocks_a_person_would_see() -> None:
    source: CalendarSource = ana_source()
    assert spans(source.busy("ana", *TWO_WEEKS)) == [
        # Mon 2 Mar stand-up, 09:00 PST
        (utc(3, 2, 17), utc(3, 2, 17, 30)),
        # Tue 3 Mar call at 16:00 London (GMT); the cancelled vendor call and the
        # transparent focus time that day do not count
        (utc(3, 3, 16), utc(3, 3, 17)),
        # Wed 4 Mar stand-up is an EXDATE; Thu 5 Mar all day, Pacific midnight to midnight
        (utc(3, 5, 8), utc(3, 6, 8)),
        # Fri 6 Mar floating lunch, noon Pacific (PST)
        (utc(3, 6, 20), utc(3, 6, 21)),
        # Mon 9 Mar stand-up moved to 10:00 PDT (after the DST change); Wed 11 Mar cancelled
        (utc(3, 9, 17), utc(3, 9, 17, 30)),
    ]


def test_weekly_event_keeps_its_local_time_across_dst() -> None:
    blocks = ana_source().busy("ana", utc(3, 16, 0), utc(3, 19, 0))
    # 09:00 Pacific is 16:00 UTC once daylight time has begun
    assert spans(blocks) == [
        (utc(3, 16, 16), utc(3, 16, 16, 30)),
        (utc(3, 18, 16), utc(3, 18, 16, 30)),
    ]


def test_floating_and_all_day_events_follow_the_hosts_timezone() -> None:
    blocks = ana_source(BERLIN).busy("ana", utc(3, 5, 0), utc(3, 7, 0))
    assert spans(blocks) == [
        (utc(3, 4, 23), utc(3, 5, 23)),  # Thursday, Berlin midnight to midnight (CET)
        (utc(3, 6, 11), utc(3, 6, 12)),  # noon in Berlin
    ]


def test_only_blocks_overlapping_the_window_are_returned() -> None:
    blocks = ana_source().busy("ana", utc(3, 3, 16, 30), utc(3, 5, 9))
    assert spans(blocks) == [(utc(3, 3, 16), utc(3, 3, 17)), (utc(3, 5, 8), utc(3, 6, 8))]


def test_feed_from_a_windows_zone_with_vtimezone_as_outlook_writes_it(tmp_path: Path) -> None:
    outlook = tmp_path / "outlook.ics"
    outlook.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:Microsoft Exchange Server 2010\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:Pacific Standard Time\r\n"
        "BEGIN:STANDARD\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:-0700\r\n"
        "TZOFFSETTO:-0800\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11\r\n"
        "END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:-0800\r\n"
        "TZOFFSETTO:-0700\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3\r\n"
        "END:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
        "BEGIN:VEVENT\r\nUID:review\r\nDTSTAMP:20260201T000000Z\r\n"
        "DTSTART;TZID=Pacific Standard Time:20260310T140000\r\n"
        "DTEND;TZID=Pacific Standard Time:20260310T150000\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    source = ICalendarSource({"ana": ICalFeed(outlook, PACIFIC)})
    assert spans(source.busy("ana", utc(3, 10, 0), utc(3, 11, 0))) == [
        (utc(3, 10, 21), utc(3, 10, 22))  # 14:00 PDT
    ]


class FeedServer:
    """A mock HTTP server for feeds: counts requests, answers with ``reply``."""

    def __init__(self, reply: Callable[[httpx.Request], httpx.Response]) -> None:
        self.requests: list[httpx.Request] = []
        self._reply = reply

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self._reply(request)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


def serve_fixture(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=HOST_CALENDAR.read_bytes())


class FakeClock:
    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def test_feed_url_is_fetched_once_then_cached_until_the_ttl_passes() -> None:
    server, clock = FeedServer(serve_fixture), FakeClock()
    feed = ICalFeed(FEED_URL, PACIFIC)
    source = ICalendarSource(
        {"ana": feed}, client=server.client(), ttl=timedelta(minutes=5), clock=clock
    )
    first = source.busy("ana", *TWO_WEEKS)
    clock.seconds += 299
    assert source.busy("ana", *TWO_WEEKS) == first
    assert len(server.requests) == 1
    clock.seconds += 2
    source.busy("ana", *TWO_WEEKS)
    assert len(server.requests) == 2
    assert str(server.requests[0].url) == FEED_URL
    assert len(first) == 5


def test_webcal_urls_are_fetched_over_https() -> None:
    server = FeedServer(serve_fixture)
    feed = ICalFeed("webcal://calendar.example.com/ana.ics", PACIFIC)
    ICalendarSource({"ana": feed}, client=server.client()).busy("ana", *TWO_WEEKS)
    assert str(server.requests[0].url) == FEED_URL


def test_forget_drops_the_cached_feed() -> None:
    server = FeedServer(serve_fixture)
    source = ICalendarSource({"ana": ICalFeed(FEED_URL, PACIFIC)}, client=server.client())
    source.busy("ana", *TWO_WEEKS)
    source.forget("ana")
    source.busy("ana", *TWO_WEEKS)
    assert len(server.requests) == 2


def refuse_connection(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def not_found(request: httpx.Request) -> httpx.Response:
    return httpx.Response(404, text="no such calendar")


def login_page(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, text="<html><body>Please sign in</body></html>")


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (refuse_connection, "could not be reached: connection refused"),
        (not_found, "answered HTTP 404"),
        (login_page, "is not valid iCalendar: .*Please sign in"),
    ],
)
def test_unusable_feed_urls_give_a_clear_error(
    reply: Callable[[httpx.Request], httpx.Response], message: str
) -> None:
    source = ICalendarSource(
        {"ana": ICalFeed(FEED_URL, PACIFIC)}, client=FeedServer(reply).client()
    )
    with pytest.raises(CalendarError, match=f"calendar feed of ana \\({FEED_URL}\\) {message}"):
        source.busy("ana", *TWO_WEEKS)


def test_a_failed_fetch_is_not_cached_as_an_empty_calendar() -> None:
    replies = iter([refuse_connection, serve_fixture])
    server = FeedServer(lambda request: next(replies)(request))
    source = ICalendarSource({"ana": ICalFeed(FEED_URL, PACIFIC)}, client=server.client())
    with pytest.raises(CalendarError):
        source.busy("ana", *TWO_WEEKS)
    assert len(source.busy("ana", *TWO_WEEKS)) == 5


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nobody.ics"
    source = ICalendarSource({"ana": ICalFeed(missing, PACIFIC)})
    with pytest.raises(CalendarError, match=f"{missing}.*cannot be read: No such file"):
        source.busy("ana", *TWO_WEEKS)


def test_event_with_an_unreadable_date_names_the_event(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ics"
    broken.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:party-42\r\n"
        "DTSTART:next tuesday\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    source = ICalendarSource({"ana": ICalFeed(broken, PACIFIC)})
    with pytest.raises(CalendarError, match="not valid iCalendar: VEVENT party-42: DTSTART"):
        source.busy("ana", *TWO_WEEKS)


def test_a_lone_event_is_not_a_calendar(tmp_path: Path) -> None:
    lone = tmp_path / "lone.ics"
    lone.write_text("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260302T100000Z\r\nEND:VEVENT\r\n")
    source = ICalendarSource({"ana": ICalFeed(lone, PACIFIC)})
    with pytest.raises(CalendarError, match="holds no VCALENDAR"):
        source.busy("ana", *TWO_WEEKS)


def test_unknown_host_and_naive_window_are_refused() -> None:
    with pytest.raises(CalendarError, match="no calendar feed is configured for host 'bo'"):
        ana_source().busy("bo", *TWO_WEEKS)
    with pytest.raises(ValueError, match="has no timezone"):
        ana_source().busy("ana", datetime(2026, 3, 2), utc(3, 3, 0))


def test_collect_busy_keeps_readable_hosts_and_names_the_unreadable(tmp_path: Path) -> None:
    feeds = {"ana": ICalFeed(HOST_CALENDAR, PACIFIC), "bo": ICalFeed(tmp_path / "bo.ics", PACIFIC)}
    lookup = collect_busy(ICalendarSource(feeds), ["ana", "bo"], *TWO_WEEKS)
    assert len(lookup.busy["ana"]) == 5
    assert list(lookup.errors) == ["bo"]
    assert "bo.ics) cannot be read" in lookup.errors["bo"]


# --- Microsoft Graph getSchedule ---------------------------------------------------------

DOCUMENTED = json.loads((FIXTURES / "graph_getschedule.json").read_text())
ADELE, MEGAN = "adelev@contoso.onmicrosoft.com", "meganb@contoso.onmicrosoft.com"
# The documented example's window: 2019-03-15 09:00-18:00 Pacific (PDT, UTC-7)
DOC_WINDOW = (utc(3, 15, 16, year=2019), utc(3, 16, 1, year=2019))


class GraphServer:
    """Records getSchedule requests and answers each with the next prepared body."""

    def __init__(self, *bodies: Any, status: int = 200) -> None:
        self.requests: list[httpx.Request] = []
        self._bodies = list(bodies)
        self._status = status

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        body = self._bodies.pop(0) if len(self._bodies) > 1 else self._bodies[0]
        return httpx.Response(self._status, json=body)

    def client(self) -> httpx.Client:
        return graph_client(
            "token-123", "https://graph.example.com/v1.0", transport=httpx.MockTransport(self)
        )

    def sent(self, index: int = 0) -> Any:
        return json.loads(self.requests[index].content)


def test_graph_request_is_shaped_as_graph_documents_it() -> None:
    server = GraphServer(DOCUMENTED)
    GraphScheduleSource(server.client(), interval_minutes=15).schedules([ADELE, MEGAN], *DOC_WINDOW)
    request = server.requests[0]
    assert request.method == "POST"
    assert request.url == "https://graph.example.com/v1.0/me/calendar/getSchedule"
    assert request.headers["Authorization"] == "Bearer token-123"
    assert request.headers["Prefer"] == 'outlook.timezone="UTC"'
    assert server.sent() == {
        "schedules": [ADELE, MEGAN],
        "startTime": {"dateTime": "2019-03-15T16:00:00", "timeZone": "UTC"},
        "endTime": {"dateTime": "2019-03-16T01:00:00", "timeZone": "UTC"},
        "availabilityViewInterval": 15,
    }


def test_graph_users_path_when_a_mailbox_is_given() -> None:
    server = GraphServer(DOCUMENTED)
    GraphScheduleSource(server.client(), user="scheduler@contoso.com").busy(ADELE, *DOC_WINDOW)
    assert server.requests[0].url.path == "/v1.0/users/scheduler@contoso.com/calendar/getSchedule"


def test_graph_documented_response_becomes_busy_blocks_in_utc() -> None:
    lookup = GraphScheduleSource(GraphServer(DOCUMENTED).client()).schedules(
        [ADELE, MEGAN], *DOC_WINDOW
    )
    assert lookup.errors == {}
    # "Pacific Standard Time" is Windows' name for Pacific time, daylight time included
    assert spans(lookup.busy[ADELE]) == [(utc(3, 15, 19, year=2019), utc(3, 15, 21, year=2019))]
    assert spans(lookup.busy[MEGAN]) == [
        (utc(3, 15, 15, 30, year=2019), utc(3, 15, 16, 30, year=2019)),  # busy, overlaps 09:00
        (utc(3, 15, 19, year=2019), utc(3, 15, 20, year=2019)),  # tentative
        (utc(3, 15, 19, year=2019), utc(3, 15, 21, year=2019)),  # busy
        (utc(3, 15, 20, year=2019), utc(3, 15, 21, year=2019)),  # busy
        (utc(3, 15, 23, year=2019), utc(3, 16, 0, year=2019)),  # tentative
    ]


def item(status: str, start: str, end: str) -> dict[str, Any]:
    return {
        "status": status,
        "start": {"dateTime": f"{start}.0000000", "timeZone": "UTC"},
        "end": {"dateTime": f"{end}.0000000", "timeZone": "UTC"},
    }


def test_graph_free_and_working_elsewhere_do_not_count_as_busy() -> None:
    body = {
        "value": [
            {
                "scheduleId": ADELE,
                "availabilityView": "0300",
                "scheduleItems": [
                    item("free", "2019-03-15T16:00:00", "2019-03-15T17:00:00"),
                    item("oof", "2019-03-15T17:00:00", "2019-03-15T18:00:00"),
                    item("workingElsewhere", "2019-03-15T18:00:00", "2019-03-15T19:00:00"),
                ],
            }
        ]
    }
    blocks = GraphScheduleSource(GraphServer(body).client()).busy(ADELE, *DOC_WINDOW)
    assert spans(blocks) == [(utc(3, 15, 17, year=2019), utc(3, 15, 18, year=2019))]


# freeBusyError as documented (message, responseCode):
# https://learn.microsoft.com/en-us/graph/api/resources/freebusyerror
WITH_ERROR = {
    "@odata.context": DOCUMENTED["@odata.context"],
    "value": [
        DOCUMENTED["value"][0],
        {
            "scheduleId": "room9@contoso.onmicrosoft.com",
            "availabilityView": "",
            "error": {
                "message": "Unable to resolve the mailbox.",
                "responseCode": "ErrorMailRecipientNotFound",
            },
        },
    ],
}


def test_graph_error_entry_is_reported_per_schedule_not_read_as_free() -> None:
    source = GraphScheduleSource(GraphServer(WITH_ERROR).client())
    room = "room9@contoso.onmicrosoft.com"
    lookup = source.schedules([ADELE, room], *DOC_WINDOW)
    assert lookup.errors == {room: "ErrorMailRecipientNotFound: Unable to resolve the mailbox."}
    assert list(lookup.busy) == [ADELE]
    with pytest.raises(CalendarError, match=f"{room}: ErrorMailRecipientNotFound"):
        source.busy(room, *DOC_WINDOW)


def test_collect_busy_asks_graph_once_for_all_hosts() -> None:
    server = GraphServer(WITH_ERROR)
    room = "room9@contoso.onmicrosoft.com"
    lookup = collect_busy(GraphScheduleSource(server.client()), [ADELE, room], *DOC_WINDOW)
    assert (list(lookup.busy), list(lookup.errors), len(server.requests)) == ([ADELE], [room], 1)


def test_graph_host_missing_from_the_answer_is_an_error() -> None:
    lookup = GraphScheduleSource(GraphServer(DOCUMENTED).client()).schedules(
        [ADELE, "nobody@contoso.com"], *DOC_WINDOW
    )
    assert lookup.errors == {"nobody@contoso.com": "Graph returned no schedule for this address"}


def test_graph_addresses_map_host_keys_to_mailboxes() -> None:
    server = GraphServer(DOCUMENTED)
    source = GraphScheduleSource(server.client(), addresses={"adele": ADELE.upper()})
    assert len(source.busy("adele", *DOC_WINDOW)) == 1
    assert server.sent()["schedules"] == [ADELE.upper()]


def test_graph_request_failure_quotes_graphs_reason() -> None:
    body = {"error": {"code": "InvalidAuthenticationToken", "message": "Access token has expired."}}
    source = GraphScheduleSource(GraphServer(body, status=401).client())
    with pytest.raises(
        CalendarError, match="HTTP 401: InvalidAuthenticationToken: Access token has expired"
    ):
        source.busy(ADELE, *DOC_WINDOW)


def test_graph_unreachable_is_a_calendar_error() -> None:
    client = httpx.Client(
        base_url="https://graph.example.com/v1.0", transport=httpx.MockTransport(refuse_connection)
    )
    with pytest.raises(CalendarError, match="could not be reached: connection refused"):
        GraphScheduleSource(client).busy(ADELE, *DOC_WINDOW)


def test_graph_long_spans_and_many_hosts_are_split_into_allowed_requests() -> None:
    hosts = [f"agent{number}@contoso.com" for number in range(21)]
    body = {"value": [{"scheduleId": host, "scheduleItems": []} for host in hosts]}
    server = GraphServer(body)
    lookup = GraphScheduleSource(server.client()).schedules(hosts, utc(1, 1, 0), utc(3, 22, 0))
    assert len(server.requests) == 4  # 20 + 1 hosts, times 60 + 20 days
    assert [len(server.sent(index)["schedules"]) for index in range(4)] == [20, 20, 1, 1]
    assert server.sent(1)["startTime"]["dateTime"] == "2026-03-02T00:00:00"
    assert lookup.errors == {}
    assert lookup.busy == {host: [] for host in hosts}


def test_graph_host_failing_in_one_part_of_a_long_span_is_not_half_free() -> None:
    answered = {"value": [{"scheduleId": ADELE, "scheduleItems": []}]}
    failed = {
        "value": [{"scheduleId": ADELE, "error": {"responseCode": "ErrorProxyRequestNotAllowed"}}]
    }
    source = GraphScheduleSource(GraphServer(answered, failed).client())
    lookup = source.schedules([ADELE], utc(1, 1, 0), utc(3, 22, 0))
    assert lookup.errors == {ADELE: "ErrorProxyRequestNotAllowed"}
    assert lookup.busy == {}


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("UTC", "UTC"),
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("Europe/Paris", "Europe/Paris"),
    ],
)
def test_graph_zone_names(name: str, key: str) -> None:
    assert graph_zone(name).key.endswith(key)


def test_graph_unknown_zone_is_refused() -> None:
    with pytest.raises(CalendarError, match="unknown time zone 'Mars Standard Time'"):
        graph_zone("Mars Standard Time")
