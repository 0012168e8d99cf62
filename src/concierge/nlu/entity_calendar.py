"""Calendar arithmetic for relative dates: months, quarters, weeks, business days.

Everything works on :class:`datetime.date` (no clocks, no time zones), so a daylight-saving
change or a new year in between never shifts a result.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

# A month and day written without a year is this year's if it fell at most this long ago
# ("I ordered on March 3"), otherwise the next one ("deliver by January 5" in December).
RECENT_PAST = timedelta(days=31)


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months``, clamped to the end of a shorter month (Jan 31 + 1 = Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def quarter_start(day: date) -> date:
    """The first day of ``day``'s calendar quarter."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    """The last day of ``day``'s calendar quarter."""
    return month_end(add_months(quarter_start(day), 2))


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


def year_start(day: date) -> date:
    """January 1 of ``day``'s year."""
    return date(day.year, 1, 1)


def year_end(day: date) -> date:
    """December 31 of ``day``'s year."""
    return date(day.year, 12, 31)


def weekday_after(today: date, weekday: int, *, include_today: bool) -> date:
    """The first ``weekday`` (0 = Monday) after ``today``, or today itself if allowed."""
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and not include_today:
        ahead = 7
    return today + timedelta(days=ahead)


def weekday_before(today: date, weekday: int) -> date:
    """The last ``weekday`` (0 = Monday) strictly before ``today``."""
    behind = (today.weekday() - weekday) % 7 or 7
    return today - timedelta(days=behind)


def add_business_days(today: date, count: int) -> date:
    """``count`` working days (Monday to Friday) after ``today``."""
    day = today
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def month_day_near(today: date, month: int, day: int) -> date | None:
    """The month and day with the year filled in (see RECENT_PAST); None if never valid."""
    for year in range(today.year - 1, today.year + 5):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found >= today - RECENT_PAST:
            return found
    return None


def upcoming_month(today: date, month: int) -> date:
    """The first day of ``month`` this year, or next year if that month is already over."""
    year = today.year if month >= today.month else today.year + 1
    return date(year, month, 1)
