"""A team's office hours: weekly opening times in its own timezone, minus holidays.

Opening times are wall-clock times in the team's timezone, so "08:00-17:00" means 8 in the
morning local time all year, across daylight-saving changes. Each day is ``closed``, one
range ``"08:00-17:00"``, or a list of ranges (``["08:00-12:00", "13:00-17:00"]``); ``24:00``
may end a range. A range cannot run past midnight: split it across two days. A wall-clock
time that does not exist (skipped by spring-forward) is read as the moment just after the
jump, as :mod:`zoneinfo` does. Holidays are local dates on which the team is closed all day.

All arithmetic happens in UTC (aware datetimes sharing a ``ZoneInfo`` subtract as naive wall
clocks in Python, which would be wrong across a DST change); results come back in the team's
timezone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CLOSED = "closed"
LOOKAHEAD = timedelta(days=14)
SLA_SEARCH_DAYS = 400
MINUTES_PER_DAY = 24 * 60
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

Interval = tuple[time, time | None]  # None as the end means midnight at the end of the day


class HoursError(ValueError):
    """Office hours written in a way that cannot be understood; the message says why."""


def _minutes(hour: str, minute: str) -> int:
    """Minutes since midnight for ``HH:MM`` (24:00 allowed, as the end of the day)."""
    total = int(hour) * 60 + int(minute)
    if int(minute) > 59 or total > MINUTES_PER_DAY:
        raise HoursError(f"{hour}:{minute} is not a time of day")
    return total


def _time(minutes: int) -> time | None:
    return None if minutes == MINUTES_PER_DAY else time(*divmod(minutes, 60))


def parse_range(text: str) -> Interval:
    """One ``"HH:MM-HH:MM"`` range; the end must come after the start."""
    match = _RANGE.match(text)
    if match is None:
        raise HoursError(f'{text!r} is not a range like "08:00-17:00" (or "closed")')
    start, end = _minutes(match[1], match[2]), _minutes(match[3], match[4])
    if end <= start:
        raise HoursError(
            f"{text!r} closes before it opens; hours cannot run past midnight, "
            "so split them across two days"
        )
    return time(*divmod(start, 60)), _time(end)


def parse_day(spec: str | Sequence[str]) -> tuple[Interval, ...]:
    """A day's hours: ``closed``, one range, or a list of ranges that do not overlap."""
    if isinstance(spec, str):
        if spec.strip().casefold() == CLOSED:
            return ()
        spec = [spec]
    ranges = sorted((parse_range(text) for text in spec), key=lambda item: item[0])
    for (_, end), (start, _) in pairwise(ranges):
        if end is None or end > start:
            raise HoursError(f"the ranges overlap around {start:%H:%M}")
    return tuple(ranges)


@dataclass(frozen=True)
class OfficeHours:
    """When a team is open: ranges per weekday (Monday first) in ``zone``, minus holidays."""

    zone: ZoneInfo
    weekly: tuple[tuple[Interval, ...], ...]
    holidays: frozenset[date] = frozenset()

    def _moment(self, day: date, clock: time | None) -> datetime:
        if clock is None:
            day, clock = day + timedelta(days=1), time(0)
        return datetime.combine(day, clock, tzinfo=self.zone).astimezone(UTC)

    def intervals(self, first_day: date, days: int) -> Iterator[tuple[datetime, datetime]]:
        """Open periods (UTC start, UTC end) on ``days`` local days from ``first_day``."""
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            if day in self.holidays:
                continue
            for start, end in self.weekly[day.weekday()]:
                opens, closes = self._moment(day, start), self._moment(day, end)
                if opens < closes:
                    yield opens, closes

    def _periods_around(self, at: datetime, days: int) -> Iterator[tuple[datetime, datetime]]:
        local_day = at.astimezone(self.zone).date()
        return self.intervals(local_day - timedelta(days=1), days + 2)

    def next_open(self, at: datetime, lookahead: timedelta = LOOKAHEAD) -> datetime | None:
        """The first moment at or after ``at`` when the team is open (``at`` itself if open
        now), in the team's timezone; ``None`` if it does not open within ``lookahead``."""
        for opens, closes in self._periods_around(at, lookahead.days + 1):
            if closes <= at:
                continue
            moment = max(opens, at)
            return moment.astimezone(self.zone) if moment - at <= lookahead else None
        return None

    def is_open(self, at: datetime) -> bool:
        """True when ``at`` falls inside an open period."""
        return any(opens <= at < closes for opens, closes in self._periods_around(at, 0))

    def add_open_time(self, start: datetime, duration: timedelta) -> datetime | None:
        """The moment ``duration`` of open time has passed since ``start`` (time while closed
        does not count), in the team's timezone; ``None`` if not within about a year."""
        remaining = duration
        for opens, closes in self._periods_around(start, SLA_SEARCH_DAYS):
            if closes <= start:
                continue
            begin = max(opens, start)
            if closes - begin >= remaining:
                return (begin + remaining).astimezone(self.zone)
            remaining -= closes - begin
        return None

    @property
    def never_open(self) -> bool:
        """True when no weekday has any opening hours."""
        return not any(self.weekly)
