"""When a meeting host is busy: busy blocks from calendar adapters behind one interface.

A :class:`CalendarSource` answers one question, ``busy(host, start, end)``: the blocks of
time, in UTC, during which ``host`` cannot take a meeting. Two adapters answer it:

* :class:`ICalendarSource` reads an iCalendar feed per host, from a file or an ``http(s)``
  (or ``webcal``) URL, parses it with :mod:`icalendar` and expands recurring events with
  :mod:`recurring_ical_events` (so RRULE, RDATE, EXDATE and moved or cancelled instances are
  honoured). Events marked ``TRANSP:TRANSPARENT`` or ``STATUS:CANCELLED`` do not make the host
  busy; all-day events block the whole local day; floating times (no timezone) and all-day
  dates are read in the host's own timezone. Parsed feeds are cached for a short time.
* :class:`GraphScheduleSource` asks Microsoft 365 through Microsoft Graph's
  ``calendar/getSchedule`` action, using an :class:`httpx.Client` the caller builds with the
  base URL and bearer token (see :func:`graph_client`).

A host whose calendar cannot be read is reported with a :class:`CalendarError` naming the
host and the feed, never answered with "no busy blocks": an unreadable calendar must not look
like a free afternoon.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
import icalendar
import recurring_ical_events  # type: ignore[import-untyped]
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from concierge.routing.errors import RoutingError

DEFAULT_TTL = timedelta(minutes=5)
DEFAULT_TIMEOUT = 10.0
GRAPH_URL = "https://graph.microsoft.com/v1.0"
GRAPH_MAX_SCHEDULES = 20  # getSchedule looks up at most 20 entities per request
GRAPH_MAX_SPAN = timedelta(days=60)  # the period asked for must be shorter than 62 days
GRAPH_FREE_STATUSES = frozenset({"free", "workingelsewhere"})
_URL_SCHEMES = ("http://", "https://", "webcal://")
_ERROR_TEXT_LIMIT = 200


class CalendarError(RoutingError):
    """A host's calendar could not be read or understood; the message names host and feed."""


def _utc(moment: datetime, what: str) -> datetime:
    """``moment`` in UTC; naive datetimes are refused because their instant is unknown."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} {moment.isoformat()} has no timezone")
    return moment.astimezone(UTC)


@dataclass(frozen=True, order=True)
class BusyBlock:
    """A stretch of time, ``start`` (inclusive) to ``end`` (exclusive), when a host is busy.

    Both ends must be timezone-aware; they are stored in UTC.
    """

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        start, end = _utc(self.start, "busy start"), _utc(self.end, "busy end")
        if end <= start:
            raise ValueError(f"busy block ends ({end:%Y-%m-%d %H:%M}Z) before it starts")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """True when this block shares time with ``start``-``end`` (merely touching is not
        sharing: a meeting may start the minute a busy block ends)."""
        return self.start < end and start < self.end


class CalendarSource(Protocol):
    """Where busy times come from."""

    def busy(self, host: str, start: datetime, end: datetime) -> list[BusyBlock]:
        """Blocks overlapping ``start``-``end`` when ``host`` is busy, sorted by start.

        Raises :class:`CalendarError` when the host's calendar cannot be read.
        """
        ...


def collect_busy(
    source: CalendarSource, hosts: Iterable[str], start: datetime, end: datetime
) -> ScheduleLookup:
    """Busy blocks of each host from ``source``, and the hosts whose calendar could not be
    read (with the reason); Graph is asked for all hosts in one lookup. Leave the hosts in
    ``errors`` out of slot generation: their free time is unknown."""
    if isinstance(source, GraphScheduleSource):
        return source.schedules(list(hosts), start, end)
    lookup = ScheduleLookup()
    for host in hosts:
        try:
            lookup.busy[host] = source.busy(host, start, end)
        except CalendarError as error:
            lookup.errors[host] = str(error)
    return lookup


@dataclass(frozen=True)
class ScheduleLookup:
    """Busy blocks per host, and the hosts whose calendar could not be read (with the
    reason). A host in ``errors`` is unknown, not free."""

    busy: dict[str, list[BusyBlock]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


# --- iCalendar feeds ---------------------------------------------------------------------


@dataclass(frozen=True)
class ICalFeed:
    """One host's feed: a file path or URL, and the host's timezone.

    ``zone`` gives meaning to floating times (no TZID) and to all-day dates in the feed.
    """

    location: str | Path
    zone: ZoneInfo

    @property
    def is_url(self) -> bool:
        """True when the feed is fetched over HTTP rather than read from a file."""
        return isinstance(self.location, str) and self.location.lower().startswith(_URL_SCHEMES)

    @property
    def url(self) -> str:
        """The URL to fetch (``webcal://`` is HTTPS, as calendar apps read it)."""
        text = str(self.location)
        if text.lower().startswith("webcal://"):
            return "https://" + text[len("webcal://") :]
        return text


@dataclass
class _Cached:
    calendar: icalendar.Calendar
    fetched_at: float


class ICalendarSource:
    """Busy blocks from one iCalendar feed per host, cached for ``ttl``.

    ``client`` is used for URLs when given (tests pass one with a mock transport); otherwise
    each fetch opens a short-lived client with ``timeout`` seconds. ``clock`` returns seconds
    and is only there so tests can move time.
    """

    def __init__(
        self,
        feeds: Mapping[str, ICalFeed],
        *,
        client: httpx.Client | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        ttl: timedelta = DEFAULT_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._feeds = dict(feeds)
        self._client = client
        self._timeout = timeout
        self._ttl = ttl.total_seconds()
        self._clock = clock
        self._cache: dict[str, _Cached] = {}

    def busy(self, host: str, start: datetime, end: datetime) -> list[BusyBlock]:
        """Opaque, not-cancelled event occurrences of ``host`` overlapping ``start``-``end``."""
        start, end = _utc(start, "start"), _utc(end, "end")
        feed = self._feed(host)
        calendar = self._calendar(host, feed)
        try:
            blocks = list(_feed_blocks(calendar, feed.zone, start, end))
        except ValueError as error:  # icalendar and recurring_ical_events raise ValueErrors
            where = _describe(host, feed)
            raise CalendarError(f"{where} has an event that cannot be read: {error}") from None
        return sorted(block for block in blocks if block.overlaps(start, end))

    def forget(self, host: str | None = None) -> None:
        """Drop the cached feed of ``host`` (or of everyone), so the next call reads it anew."""
        if host is None:
            self._cache.clear()
        else:
            self._cache.pop(host, None)

    def _feed(self, host: str) -> ICalFeed:
        try:
            return self._feeds[host]
        except KeyError:
            raise CalendarError(f"no calendar feed is configured for host {host!r}") from None

    def _calendar(self, host: str, feed: ICalFeed) -> icalendar.Calendar:
        cached = self._cache.get(host)
        now = self._clock()
        if cached is not None and now - cached.fetched_at < self._ttl:
            return cached.calendar
        calendar = parse_feed(self._read(host, feed), _describe(host, feed))
        self._cache[host] = _Cached(calendar, now)
        return calendar

    def _read(self, host: str, feed: ICalFeed) -> bytes:
        where = _describe(host, feed)
        if not feed.is_url:
            try:
                return Path(feed.location).read_bytes()
            except OSError as error:
                raise CalendarError(f"{where} cannot be read: {error.strerror}") from None
        try:
            response = self._get(feed.url)
            response.raise_for_status()
        except httpx.HTTPStatusError as error:
            status = error.response.status_code
            raise CalendarError(f"{where} answered HTTP {status}") from None
        except httpx.HTTPError as error:
            reason = str(error) or type(error).__name__
            raise CalendarError(f"{where} could not be reached: {reason}") from None
        return response.content

    def _get(self, url: str) -> httpx.Response:
        if self._client is not None:
            return self._client.get(url, timeout=self._timeout, follow_redirects=True)
        with httpx.Client(timeout=self._timeout, follow_redirects=True) as client:
            return client.get(url)


def _describe(host: str, feed: ICalFeed) -> str:
    return f"the calendar feed of {host} ({feed.location})"


def parse_feed(data: bytes, where: str) -> icalendar.Calendar:
    """The VCALENDAR in ``data``; :class:`CalendarError` naming ``where`` if it is not one.

    Properties icalendar could not read (say ``DTSTART:tomorrow``) are reported here, with
    the event's UID, rather than when the broken event is first expanded.
    """
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as error:
        raise CalendarError(f"{where} is not valid iCalendar: {error}") from None
    if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
        raise CalendarError(f"{where} is not valid iCalendar: it holds no VCALENDAR")
    problems = list(_property_problems(calendar))
    if problems:
        raise CalendarError(f"{where} is not valid iCalendar: " + "; ".join(problems))
    return calendar


def _property_problems(calendar: icalendar.Calendar) -> Iterator[str]:
    for component in calendar.walk():
        for name, message in component.errors:
            uid = component.get("UID")
            label = f"{component.name} {uid}" if uid else str(component.name)
            yield f"{label}: {name}: {message}"


def _feed_blocks(
    calendar: icalendar.Calendar, zone: ZoneInfo, start: datetime, end: datetime
) -> Iterator[BusyBlock]:
    """Busy blocks of the event occurrences around ``start``-``end``.

    The query is widened by a day on each side because floating and all-day events only get
    an instant once read in ``zone``; callers cut the result to the exact window.
    """
    margin = timedelta(days=1)
    query = recurring_ical_events.of(calendar, components=["VEVENT"])
    for event in query.between(start.astimezone(zone) - margin, end.astimezone(zone) + margin):
        if _makes_busy(event):
            first, last = _instant(event.start, zone), _instant(event.end, zone)
            if last > first:
                yield BusyBlock(first, last)


def _makes_busy(event: icalendar.Event) -> bool:
    """False for transparent ("show as free") and cancelled occurrences."""
    transparency = str(event.get("TRANSP", "OPAQUE")).upper()
    status = str(event.get("STATUS", "CONFIRMED")).upper()
    return transparency != "TRANSPARENT" and status != "CANCELLED"


def _instant(value: date | datetime, zone: ZoneInfo) -> datetime:
    """A DTSTART/DTEND value as an aware datetime: dates are local midnight in ``zone``,
    floating times are wall-clock times in ``zone``."""
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=zone)
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value


# --- Microsoft Graph getSchedule ---------------------------------------------------------


def graph_client(
    token: str,
    base_url: str = GRAPH_URL,
    timeout: float = DEFAULT_TIMEOUT,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An :class:`httpx.Client` for Graph: base URL, bearer token, timeout. Close it after use.

    ``transport`` replaces the network (tests pass an :class:`httpx.MockTransport`).
    """
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.Client(base_url=base_url, headers=headers, timeout=timeout, transport=transport)


class GraphScheduleSource:
    """Busy blocks from Microsoft 365 through Graph's ``calendar/getSchedule`` action.

    ``client`` carries the base URL (``https://graph.microsoft.com/v1.0``) and the bearer
    token. Requests go to ``/users/{user}/calendar/getSchedule`` when ``user`` is given (the
    mailbox whose permissions are used; needed with application permissions), else to
    ``/me/calendar/getSchedule``. Hosts are SMTP addresses, or keys of ``addresses``.

    A schedule item makes the host busy when its status is ``busy``, ``tentative``, ``oof``
    (out of office) or ``unknown`` (and any status Graph may add later, to be safe);
    ``free`` and ``workingElsewhere`` do not. Times are asked
    for and read in UTC (``Prefer: outlook.timezone="UTC"``), and any other zone Graph names,
    IANA or Windows (``Pacific Standard Time``), is understood too.
    """

    def __init__(
        self,
        client: httpx.Client,
        *,
        user: str | None = None,
        addresses: Mapping[str, str] | None = None,
        interval_minutes: int = 30,
    ) -> None:
        self._client = client
        self._path = f"/users/{user}/calendar/getSchedule" if user else "/me/calendar/getSchedule"
        self._addresses = dict(addresses or {})
        self._interval = interval_minutes

    def busy(self, host: str, start: datetime, end: datetime) -> list[BusyBlock]:
        """Busy blocks of ``host``; :class:`CalendarError` when Graph reports an error."""
        lookup = self.schedules([host], start, end)
        if host in lookup.errors:
            raise CalendarError(f"Microsoft 365 calendar of {host}: {lookup.errors[host]}")
        return lookup.busy[host]

    def schedules(self, hosts: Sequence[str], start: datetime, end: datetime) -> ScheduleLookup:
        """Busy blocks of several hosts at once (Graph takes up to 20 per request and spans
        shorter than 62 days; longer lists and spans are split)."""
        start, end = _utc(start, "start"), _utc(end, "end")
        lookup = ScheduleLookup()
        for batch in _batches(list(dict.fromkeys(hosts)), GRAPH_MAX_SCHEDULES):
            for span_start, span_end in _spans(start, end, GRAPH_MAX_SPAN):
                self._lookup(batch, span_start, span_end, lookup)
        for host in lookup.errors:
            lookup.busy.pop(host, None)
        for host, blocks in lookup.busy.items():
            lookup.busy[host] = sorted({b for b in blocks if b.overlaps(start, end)})
        return lookup

    def _lookup(
        self, hosts: Sequence[str], start: datetime, end: datetime, into: ScheduleLookup
    ) -> None:
        addresses = [self._addresses.get(host, host) for host in hosts]
        by_address = {
            address.casefold(): host for address, host in zip(addresses, hosts, strict=True)
        }
        answered = self._post(addresses, start, end)
        for entry in answered:
            address = str(entry.get("scheduleId", "")).casefold()
            host = by_address.pop(address, None)
            if host is None:
                continue
            error = entry.get("error")
            if error:
                into.errors[host] = _schedule_error(error)
            else:
                into.busy.setdefault(host, []).extend(_schedule_blocks(host, entry))
        for host in by_address.values():
            into.errors.setdefault(host, "Graph returned no schedule for this address")

    def _post(self, addresses: list[str], start: datetime, end: datetime) -> list[Any]:
        body = {
            "schedules": addresses,
            "startTime": _graph_time(start),
            "endTime": _graph_time(end),
            "availabilityViewInterval": self._interval,
        }
        headers = {"Prefer": 'outlook.timezone="UTC"'}
        where = f"Microsoft Graph ({self._path})"
        try:
            response = self._client.post(self._path, json=body, headers=headers)
        except httpx.HTTPError as error:
            reason = str(error) or type(error).__name__
            raise CalendarError(f"{where} could not be reached: {reason}") from None
        if response.is_error:
            raise CalendarError(f"{where} answered HTTP {response.status_code}: {_why(response)}")
        try:
            value = response.json()["value"]
        except (ValueError, KeyError, TypeError):
            raise CalendarError(f"{where} answered something that is not a schedule") from None
        if not isinstance(value, list):
            raise CalendarError(f"{where} answered something that is not a schedule")
        return value


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def _spans(
    start: datetime, end: datetime, longest: timedelta
) -> Iterator[tuple[datetime, datetime]]:
    while start < end:
        yield start, min(end, start + longest)
        start += longest


def _graph_time(moment: datetime) -> dict[str, str]:
    """A dateTimeTimeZone in UTC, as Graph takes it."""
    return {"dateTime": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"}


def _why(response: httpx.Response) -> str:
    """Graph's own words for a failed request (``error.code: error.message``) when it gave
    them, else the start of the body."""
    try:
        error = response.json()["error"]
        return f"{error.get('code', 'error')}: {error.get('message', '')}".strip()
    except (ValueError, KeyError, TypeError, AttributeError):
        return response.text[:_ERROR_TEXT_LIMIT] or response.reason_phrase


def _schedule_error(error: Any) -> str:
    """A freeBusyError (``message``, ``responseCode``) as one line."""
    if not isinstance(error, Mapping):
        return str(error)
    code, message = error.get("responseCode"), error.get("message")
    return ": ".join(str(part) for part in (code, message) if part) or "unknown error"


def _schedule_blocks(host: str, entry: Mapping[str, Any]) -> Iterator[BusyBlock]:
    for item in entry.get("scheduleItems") or []:
        status = str(item.get("status", "unknown")).casefold()
        if status in GRAPH_FREE_STATUSES:
            continue
        start = _graph_instant(host, item.get("start"))
        end = _graph_instant(host, item.get("end"))
        if end > start:
            yield BusyBlock(start, end)


def _graph_instant(host: str, value: Any) -> datetime:
    """A Graph dateTimeTimeZone (``2019-03-15T12:00:00.0000000``, ``Pacific Standard Time``)
    as an aware datetime."""
    where = f"Microsoft 365 calendar of {host}"
    if not isinstance(value, Mapping) or "dateTime" not in value:
        raise CalendarError(f"{where}: a schedule item has no start or end time")
    try:
        moment = datetime.fromisoformat(str(value["dateTime"]))
    except ValueError:
        raise CalendarError(f"{where}: {value['dateTime']!r} is not a date and time") from None
    if moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=graph_zone(str(value.get("timeZone", "UTC")), where))


def graph_zone(name: str, where: str = "Microsoft Graph") -> ZoneInfo:
    """The zone Graph names: ``UTC``, an IANA name, or a Windows name."""
    key = WINDOWS_TO_OLSON.get(name, name)
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        raise CalendarError(f"{where}: unknown time zone {name!r}") from None
