"""Meeting slots: when a customer can book a meeting with one of a team's hosts.

A :class:`MeetingType` says how long a meeting lasts, how much free time it needs before
and after (buffers), how soon it may start (minimum notice), how far ahead it may be booked
(horizon) and on which grid starts fall (step). Each host has working hours in their own
timezone (:class:`~concierge.routing.hours.OfficeHours`: weekly ranges and holidays) and
busy blocks from a calendar adapter.

A start is offered for a host when, all together:

* it lies on the host's local grid: minutes since local midnight divisible by the step, so a
  09:00 start stays 09:00 local on both sides of a DST change;
* it is a real local time: wall-clock times skipped by a spring-forward jump are never
  offered, and a time that occurs twice (fall back) is offered for each occurrence it fits;
* the meeting with its buffers lies inside the host's working hours (local time);
* the meeting with its buffers shares no time with any busy block of the host (touching is
  fine);
* it starts no earlier than ``now`` plus the minimum notice, and the meeting ends no later
  than ``now`` plus ``horizon_days`` days.

Slots of all hosts are merged by start time: each :class:`Slot` lists every host who can take
it. Meetings last ``minutes`` of real time, so one that spans a DST change ends at a
different wall-clock time than its length suggests. Everything here is pure: no clock, no I/O.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from concierge.routing.calendars import BusyBlock
from concierge.routing.hours import MINUTES_PER_DAY, OfficeHours

NO_TIME = timedelta(0)
Period = tuple[datetime, datetime]


class SlotsError(ValueError):
    """A meeting type or slot request that makes no sense; the message says why."""


@dataclass(frozen=True, kw_only=True)
class MeetingType:
    """A kind of meeting customers can book, hosted by the agents of ``team``."""

    name: str
    minutes: int
    team: str
    buffer_before: timedelta = NO_TIME
    buffer_after: timedelta = NO_TIME
    minimum_notice: timedelta = NO_TIME
    horizon_days: int = 14
    step_minutes: int = 30

    def __post_init__(self) -> None:
        if self.minutes <= 0:
            raise SlotsError(f"meeting {self.name!r}: length must be positive, not {self.minutes}")
        if self.step_minutes <= 0:
            raise SlotsError(f"meeting {self.name!r}: step must be positive minutes")
        if self.horizon_days < 0:
            raise SlotsError(f"meeting {self.name!r}: horizon cannot be negative")
        for label, value in (
            ("buffer before", self.buffer_before),
            ("buffer after", self.buffer_after),
            ("minimum notice", self.minimum_notice),
        ):
            if value < NO_TIME:
                raise SlotsError(f"meeting {self.name!r}: {label} cannot be negative")

    @property
    def duration(self) -> timedelta:
        """How long the meeting itself lasts."""
        return timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class HostAvailability:
    """When a host works: weekly ranges in their own timezone, minus holidays."""

    working_hours: OfficeHours

    @property
    def zone(self) -> ZoneInfo:
        """The host's own timezone."""
        return self.working_hours.zone


@dataclass(frozen=True)
class Slot:
    """A meeting time (UTC) and the hosts, sorted, who can take it."""

    start: datetime
    end: datetime
    hosts: tuple[str, ...]


class _Timeline:
    """Sorted, disjoint periods, for quick "inside one?" and "touches any?" questions."""

    def __init__(self, periods: Iterable[Period]) -> None:
        merged: list[list[datetime]] = []
        for start, end in sorted(periods):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def covers(self, start: datetime, end: datetime) -> bool:
        """True when one period holds all of ``start``-``end``."""
        index = bisect_right(self._starts, start) - 1
        return index >= 0 and self._ends[index] >= end

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """True when some period shares time with ``start``-``end`` (touching does not)."""
        index = bisect_right(self._ends, start)
        return index < len(self._starts) and self._starts[index] < end


def free_slots(
    meeting: MeetingType,
    hosts: Mapping[str, HostAvailability],
    busy: Mapping[str, Sequence[BusyBlock]],
    now: datetime,
    limit: int | None = None,
) -> list[Slot]:
    """Bookable slots of ``meeting`` across ``hosts``, earliest first, at most ``limit``.

    ``busy`` must hold an entry (maybe empty) for every host: a host whose calendar could not
    be read should be left out of ``hosts``, not passed as free.
    """
    window = booking_window(meeting, now)
    hosts_by_start: dict[datetime, list[str]] = defaultdict(list)
    for host, availability in hosts.items():
        if host not in busy:
            raise SlotsError(f"no busy times given for host {host!r} (pass [] if none)")
        for start in host_starts(meeting, availability, busy[host], window):
            hosts_by_start[start].append(host)
    slots = [
        Slot(start, start + meeting.duration, tuple(sorted(names)))
        for start, names in sorted(hosts_by_start.items())
    ]
    return slots if limit is None else slots[: max(limit, 0)]


def booking_window(meeting: MeetingType, now: datetime) -> Period:
    """The earliest start (``now`` + notice) and latest end (``now`` + horizon), in UTC."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise SlotsError(f"now ({now.isoformat()}) must carry a timezone")
    now = now.astimezone(UTC)
    return now + meeting.minimum_notice, now + timedelta(days=meeting.horizon_days)


def host_starts(
    meeting: MeetingType,
    availability: HostAvailability,
    blocks: Iterable[BusyBlock],
    window: Period,
) -> Iterator[datetime]:
    """UTC starts inside ``window`` at which this one host can take ``meeting`` (in order,
    except that the second pass through a repeated fall-back hour follows the first)."""
    earliest, latest = window
    zone = availability.zone
    duration, before, after = meeting.duration, meeting.buffer_before, meeting.buffer_after
    first_day = earliest.astimezone(zone).date() - timedelta(days=1)
    days = (latest.astimezone(zone).date() - first_day).days + 2
    working = _Timeline(availability.working_hours.intervals(first_day, days))
    occupied = _Timeline((block.start, block.end) for block in blocks)
    for day in (first_day + timedelta(days=offset) for offset in range(days)):
        if not working.overlaps(*_local_day(day, zone)):
            continue  # closed all day: a weekend, a holiday
        for start in local_grid(day, zone, meeting.step_minutes):
            end = start + duration
            if earliest <= start and end <= latest:
                padded = start - before, end + after
                if working.covers(*padded) and not occupied.overlaps(*padded):
                    yield start


def _local_day(day: date, zone: ZoneInfo) -> Period:
    """The UTC instants at which local ``day`` begins and ends (a generous bound)."""
    start = datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)
    return start - timedelta(hours=3), start + timedelta(hours=27)


def local_grid(day: date, zone: ZoneInfo, step_minutes: int) -> Iterator[datetime]:
    """The real instants (UTC) on ``day`` whose local wall-clock time is a multiple of
    ``step_minutes`` after midnight. Skipped wall times are left out; repeated ones appear
    once per occurrence (``fold`` 0 and 1), as :pep:`495` defines them."""
    midnight = datetime.combine(day, time())
    for minute in range(0, MINUTES_PER_DAY, step_minutes):
        wall = midnight + timedelta(minutes=minute)
        earlier = wall.replace(tzinfo=zone).utcoffset()
        later = wall.replace(tzinfo=zone, fold=1).utcoffset()
        if earlier is None or later is None or earlier < later:
            continue  # fold 0 reads a skipped time with the offset before the jump
        yield (wall - earlier).replace(tzinfo=UTC)
        if later < earlier:  # a repeated time: its second occurrence
            yield (wall - later).replace(tzinfo=UTC)
