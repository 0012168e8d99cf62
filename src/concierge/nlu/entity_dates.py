"""Dates, absolute ("March 3", "3/15/2027", "2027-03-15", "15 March 2027") and relative
("tomorrow", "next Monday", "in 2 weeks", "end of the month", "next quarter", "Q3").

Values are ISO ``YYYY-MM-DD`` strings worked out from an injected ``today``. A date that
names a period rather than a day (a week, month, quarter or year) is that period's first
day, and ``attributes["granularity"]`` says which it is (``day`` for plain days), so
"next quarter" reads 2027-04-01 with granularity ``quarter``. Conventions:

- a month and day with no year is the next one, unless it fell within the last month;
- a bare weekday ("Friday") is the next one after today; "this Friday" may be today;
  "next Friday" is the Friday of next week (weeks run Monday to Sunday); "last Friday"
  the most recent one before today;
- "end of the week" is Friday; "in 3 business days" skips Saturdays and Sundays;
- "3/4" with no year needs "on", "by"... before it or nothing after it, so "1/2 inch" and
  "3/4 EMT" stay sizes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from concierge.nlu import entity_calendar as cal
from concierge.nlu.entity_spans import PRIORITY, Candidate

Reading = tuple[date, str]  # the date and its granularity
Resolver = Callable[[re.Match[str], date], Reading | None]

MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)


def _numbered(names: str, start: int = 0) -> dict[str, int]:
    """``{"jan": 1, "feb": 2, ...}`` from ``"jan feb ..."`` and the first number."""
    return {name: number for number, name in enumerate(names.split(), start=start)}


MONTH_NUMBERS = _numbered("jan feb mar apr may jun jul aug sep oct nov dec", start=1)
WEEKDAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun"
)
WEEKDAY_NUMBERS = _numbered("mon tue wed thu fri sat sun")
COUNT = r"[0-9]{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
COUNT += r"|(?:a\s+)?couple(?:\s+of)?"
COUNT_WORDS = _numbered("one two three four five six seven eight nine ten eleven twelve", 1)
COUNT_WORDS |= {"a": 1, "an": 1}
SLASH_CUES = frozenset(
    _numbered("on by before after until till due from thru through starting is date")
)
WEEKDAY_CUES = frozenset(_numbered("on by until till before after from thru through or and"))
END = r"(?![\w]|[-/.][0-9])"
START = r"(?<![\w/.,-])"


@dataclass(frozen=True)
class DateRule:
    """A regular expression for one way of writing a date, and how to read it."""

    pattern: re.Pattern[str]
    resolve: Resolver


def _rule(regex: str, resolve: Resolver) -> DateRule:
    return DateRule(re.compile(regex, re.IGNORECASE), resolve)


def _month(match: re.Match[str]) -> int:
    return MONTH_NUMBERS[match.group("month")[:3].lower()]


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def _count(text: str) -> int:
    words = " ".join(text.lower().split())
    if words[0].isdigit():
        return int(words)
    return 2 if "couple" in words else COUNT_WORDS[words]


def _day(found: date | None) -> Reading | None:
    return (found, "day") if found is not None else None


def _on_day(match: re.Match[str], today: date, month: int, day: int) -> Reading | None:
    year = match.group("y")
    if year is None:
        return _day(cal.month_day_near(today, month, day))
    return _day(date(_year(year), month, day))


def _ymd(match: re.Match[str], today: date) -> Reading | None:
    return _day(date(int(match.group("y")), int(match.group("m")), int(match.group("d"))))


def _mdy(match: re.Match[str], today: date) -> Reading | None:
    return _on_day(match, today, int(match.group("m")), int(match.group("d")))


def _slash_without_year(match: re.Match[str], today: date) -> Reading | None:
    before = match.string[: match.start()].split()
    after = match.string[match.end() :].lstrip()
    cued = bool(before) and before[-1].lower() in SLASH_CUES
    if not cued and after and after[0] not in ".,;!?)":
        return None
    return _day(cal.month_day_near(today, int(match.group("m")), int(match.group("d"))))


def _may_is_a_verb(match: re.Match[str]) -> bool:
    """True for a lowercase "may" with no year: the verb ("we may 2 ..."), not the month."""
    return match.group("month") == "may" and match.group("y") is None


def _named_month_day(match: re.Match[str], today: date) -> Reading | None:
    if _may_is_a_verb(match):
        return None
    return _on_day(match, today, _month(match), int(match.group("d")))


def _month_of_year(match: re.Match[str], today: date) -> Reading | None:
    return date(int(match.group("y")), _month(match), 1), "month"


def _cued_month(match: re.Match[str], today: date) -> Reading | None:
    return cal.upcoming_month(today, _month(match)), "month"


def _month_edge(match: re.Match[str], today: date) -> Reading | None:
    first = cal.upcoming_month(today, _month(match))
    if match.group("edge").lower() == "end":
        return cal.month_end(first), "day"
    return first, "day"


def _is_a_word(match: re.Match[str]) -> bool:
    """True when a three-letter weekday is probably a word ("Sat down", "the sun")."""
    name = match.group("wd")
    if len(name) > 3 or match.group("mod"):
        return False
    before = match.string[: match.start()].split()
    cued = bool(before) and before[-1].lower() in WEEKDAY_CUES
    return not (name[0].isupper() and cued)


def _weekday(match: re.Match[str], today: date) -> Reading | None:
    if _is_a_word(match):
        return None
    name = match.group("wd")
    weekday = WEEKDAY_NUMBERS[name[:3].lower()]
    modifier = " ".join((match.group("mod") or "").lower().split())
    if modifier == "next":
        return cal.week_start(today) + timedelta(weeks=1, days=weekday), "day"
    if modifier == "last":
        return cal.weekday_before(today, weekday), "day"
    return cal.weekday_after(today, weekday, include_today=bool(modifier)), "day"


def _shift(days: int) -> Resolver:
    def resolve(match: re.Match[str], today: date) -> Reading | None:
        return today + timedelta(days=days), "day"

    return resolve


def _later(today: date, count: int, unit: str, business: bool) -> date:
    unit = unit.lower().rstrip("s")
    if unit == "day":
        return cal.add_business_days(today, count) if business else today + timedelta(days=count)
    if unit == "week":
        return today + timedelta(weeks=count)
    return cal.add_months(today, count * (12 if unit == "year" else 1))


def _in_count(match: re.Match[str], today: date) -> Reading | None:
    count = _count(match.group("n"))
    return _later(today, count, match.group("unit"), bool(match.group("biz"))), "day"


PERIOD_STARTS: dict[str, Callable[[date], date]] = {
    "week": cal.week_start,
    "month": cal.month_start,
    "quarter": cal.quarter_start,
    "year": cal.year_start,
}
PERIOD_ENDS: dict[str, Callable[[date], date]] = {
    "week": lambda day: cal.week_start(day) + timedelta(days=4),  # Friday: the working week
    "month": cal.month_end,
    "quarter": cal.quarter_end,
    "year": cal.year_end,
}
PERIOD_STEPS = {"week": 0, "month": 1, "quarter": 3, "year": 12}


def _period_around(today: date, period: str, modifier: str) -> date:
    """A day in the period that ``modifier`` (this, next, last) points at."""
    steps = {"next": 1, "following": 1, "last": -1}.get(modifier.split()[-1] if modifier else "", 0)
    if period == "week":
        return today + timedelta(weeks=steps)
    return cal.add_months(cal.month_start(today), steps * PERIOD_STEPS[period])


def _period(match: re.Match[str], today: date) -> Reading | None:
    period = match.group("period").lower()
    around = _period_around(today, period, match.group("mod").lower())
    return PERIOD_STARTS[period](around), period


def _period_edge(match: re.Match[str], today: date) -> Reading | None:
    period = match.group("period").lower()
    around = _period_around(today, period, (match.group("mod") or "").lower().strip())
    edges = PERIOD_ENDS if match.group("edge").lower() == "end" else PERIOD_STARTS
    return edges[period](around), "day"


def _abbreviated_edge(match: re.Match[str], today: date) -> Reading | None:
    period = {"w": "week", "m": "month", "q": "quarter", "y": "year"}[match.group("p").lower()]
    return PERIOD_ENDS[period](today), "day"


def _cued_year(match: re.Match[str], today: date) -> Reading | None:
    return date(int(match.group("y")), 1, 1), "year"


def _quarter(today: date, quarter: int, year: str | None) -> Reading:
    if year is not None:
        return date(_year(year), 3 * quarter - 2, 1), "quarter"
    start = date(today.year, 3 * quarter - 2, 1)
    if cal.quarter_end(start) < today:
        start = start.replace(year=today.year + 1)
    return start, "quarter"


def _quarter_code(match: re.Match[str], today: date) -> Reading | None:
    return _quarter(today, int(match.group("q")), match.group("y") or match.group("yy"))


QUARTER_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
QUARTER_ORDINALS |= {"fourth": 4, "4th": 4}


def _quarter_words(match: re.Match[str], today: date) -> Reading | None:
    return _quarter(today, QUARTER_ORDINALS[match.group("ord").lower()], match.group("y"))


def _numeric_rules() -> list[DateRule]:
    return [
        _rule(
            START + r"(?P<y>[0-9]{4})(?P<s>[-/.])(?P<m>[0-9]{1,2})(?P=s)(?P<d>[0-9]{1,2})" + END,
            _ymd,
        ),
        _rule(
            START
            + r"(?P<m>[0-9]{1,2})(?P<s>[/-])(?P<d>[0-9]{1,2})(?P=s)(?P<y>[0-9]{4}|[0-9]{2})"
            + END,
            _mdy,
        ),
        _rule(START + r"(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})" + END, _slash_without_year),
    ]


def _named_rules() -> list[DateRule]:
    year = r"(?:,?\s+(?P<y>[0-9]{4})(?!\w))?"
    return [
        _rule(
            rf"\b(?P<month>{MONTHS})\.?\s+(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?(?!\w){year}",
            _named_month_day,
        ),
        _rule(
            START
            + rf"(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{MONTHS})\b\.?{year}",
            _named_month_day,
        ),
        _rule(rf"\b(?P<month>{MONTHS})\.?,?\s+(?P<y>[0-9]{{4}})(?!\w)", _month_of_year),
        _rule(
            r"\b(?:in|by|until|till|before|after|during|early|late|mid|around|for)[\s-]+"
            rf"(?P<date>(?P<month>{MONTHS}))\b",
            _cued_month,
        ),
        _rule(rf"\b(?P<edge>end|beginning|start|first)\s+of\s+(?P<month>{MONTHS})\b", _month_edge),
        _rule(
            r"\b(?:in|by|until|till|before|after|during|for|early|late|mid)[\s-]+"
            r"(?P<date>(?P<y>(?:19|20)[0-9]{2}))(?![\w]|[-/.,][0-9])",
            _cued_year,
        ),
    ]


def _quarter_rules() -> list[DateRule]:
    return [
        _rule(
            r"\bQ(?P<q>[1-4])"
            r"(?:\s+(?P<y>[0-9]{4})(?!\w)|\s?['\u2019](?P<yy>[0-9]{2})(?!\w))?(?!\w)",
            _quarter_code,
        ),
        _rule(
            r"\b(?:the\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter"
            r"(?:\s+(?:of\s+)?(?P<y>[0-9]{4}))?\b",
            _quarter_words,
        ),
    ]


def _relative_rules() -> list[DateRule]:
    units = r"(?P<biz>(?:business|working)\s+)?(?P<unit>days?|weeks?|months?|years?)"
    periods = r"(?P<period>week|month|quarter|year)"
    return [
        _rule(
            rf"\b(?:(?P<mod>this\s+coming|this|next|last|coming)\s+)?(?P<wd>{WEEKDAYS})\b", _weekday
        ),
        _rule(
            r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|eod"
            r"|end\s+of\s+(?:the\s+)?day)\b",
            _shift(0),
        ),
        _rule(r"\b(?:tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow)\b", _shift(1)),
        _rule(r"\b(?:the\s+)?day\s+after\s+tomorrow\b", _shift(2)),
        _rule(r"\byesterday\b", _shift(-1)),
        _rule(rf"\b(?:in|within)\s+(?P<n>{COUNT})\s+{units}\b", _in_count),
        _rule(rf"\b(?P<n>{COUNT})\s+{units}\s+from\s+(?:now|today)\b", _in_count),
        _rule(rf"\b(?P<mod>this|next|last|the\s+following)\s+{periods}\b", _period),
        _rule(
            r"\b(?P<edge>end|beginning|start)\s+of\s+(?:the\s+|this\s+)?"
            rf"(?P<mod>next\s+|last\s+)?{periods}\b",
            _period_edge,
        ),
        _rule(r"\beo(?P<p>[wmqy])\b", _abbreviated_edge),
    ]


def date_rules() -> list[DateRule]:
    """Every way of writing a date this module reads, each with its resolver."""
    return [*_numeric_rules(), *_named_rules(), *_quarter_rules(), *_relative_rules()]


def find_dates(text: str, today: date, rules: list[DateRule]) -> Iterator[Candidate]:
    """Every date ``rules`` find in ``text``, resolved against ``today``."""
    for rule in rules:
        for match in rule.pattern.finditer(text):
            try:
                reading = rule.resolve(match, today)
            except (ValueError, OverflowError):
                continue  # "2/30", "in 999 years" past date.max
            if reading is None:
                continue
            start, end = match.span("date") if "date" in rule.pattern.groupindex else match.span()
            value, granularity = reading
            attributes = {"granularity": granularity}
            yield Candidate("date", value.isoformat(), start, end, PRIORITY["date"], attributes)
