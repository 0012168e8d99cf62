"""Dates: absolute and relative, read against an injected ``today``."""

from __future__ import annotations

from datetime import date
from functools import cache

import pytest

from concierge.nlu.entities import EntityExtractor, EntitySpec

WEDNESDAY = date(2027, 3, 10)  # the week US daylight saving time starts (Sunday 2027-03-14)
BEFORE_SPRING_FORWARD = date(2027, 3, 13)  # Saturday; clocks go forward tomorrow
BEFORE_FALL_BACK = date(2027, 11, 6)  # Saturday; clocks go back tomorrow
YEAR_END = date(2027, 12, 30)  # a Thursday


@cache
def extractor(today: date) -> EntityExtractor:
    return EntityExtractor(EntitySpec(), today=lambda: today)


@pytest.fixture
def on_wednesday() -> EntityExtractor:
    return extractor(WEDNESDAY)


def dates(extractor: EntityExtractor, text: str) -> list[tuple[str, str]]:
    return [(e.value, e.text) for e in extractor.extract(text) if e.type == "date"]


ABSOLUTE = [
    ("can you deliver March 15?", "2027-03-15", "March 15"),
    ("I ordered on March 3", "2027-03-03", "March 3"),  # within the last month: this year
    ("by March 3rd", "2027-03-03", "March 3rd"),
    ("Jan 5 works", "2028-01-05", "Jan 5"),  # long gone this year: the next one
    ("due 3/15/2027", "2027-03-15", "3/15/2027"),
    ("due 3/15/27", "2027-03-15", "3/15/27"),
    ("due 3-15-2027", "2027-03-15", "3-15-2027"),
    ("on 3/15", "2027-03-15", "3/15"),
    ("2027-03-15 is fine", "2027-03-15", "2027-03-15"),
    ("15 March 2027", "2027-03-15", "15 March 2027"),
    ("March 15, 2027", "2027-03-15", "March 15, 2027"),
    ("the 15th of March", "2027-03-15", "15th of March"),
    ("Sept. 9", "2027-09-09", "Sept. 9"),
    ("Feb 29", "2028-02-29", "Feb 29"),  # the next leap day
]


@pytest.mark.parametrize(("text", "value", "span"), ABSOLUTE)
def test_absolute_dates(on_wednesday: EntityExtractor, text: str, value: str, span: str) -> None:
    assert dates(on_wednesday, text) == [(value, span)]


RELATIVE = [
    ("today", "2027-03-10"),
    ("tonight", "2027-03-10"),
    ("tomorrow", "2027-03-11"),
    ("the day after tomorrow", "2027-03-12"),
    ("yesterday", "2027-03-09"),
    ("Friday", "2027-03-12"),
    ("this Friday", "2027-03-12"),
    ("next Friday", "2027-03-19"),  # the Friday of next week
    ("next Monday", "2027-03-15"),
    ("last Friday", "2027-03-05"),
    ("Wednesday", "2027-03-17"),  # a bare weekday is after today
    ("this Wednesday", "2027-03-10"),
    ("in 2 weeks", "2027-03-24"),
    ("in two weeks", "2027-03-24"),
    ("within 3 days", "2027-03-13"),
    ("in 3 business days", "2027-03-15"),  # Thursday, Friday, Monday
    ("in a month", "2027-04-10"),
    ("in a couple of weeks", "2027-03-24"),
    ("2 weeks from now", "2027-03-24"),
    ("a week from today", "2027-03-17"),
    ("end of the month", "2027-03-31"),
    ("end of next month", "2027-04-30"),
    ("end of the week", "2027-03-12"),  # Friday
    ("end of the quarter", "2027-03-31"),
    ("EOD", "2027-03-10"),
    ("end of March", "2027-03-31"),
]


@pytest.mark.parametrize(("text", "value"), RELATIVE)
def test_relative_dates(on_wednesday: EntityExtractor, text: str, value: str) -> None:
    assert dates(on_wednesday, text) == [(value, text)]


PERIODS = [
    ("next week", "2027-03-15", "week"),
    ("this week", "2027-03-08", "week"),
    ("next month", "2027-04-01", "month"),
    ("last month", "2027-02-01", "month"),
    ("next quarter", "2027-04-01", "quarter"),
    ("this quarter", "2027-01-01", "quarter"),
    ("next year", "2028-01-01", "year"),
    ("Q3", "2027-07-01", "quarter"),
    ("Q1", "2027-01-01", "quarter"),  # still running
    ("Q3 2028", "2028-07-01", "quarter"),
    ("Q4'27", "2027-10-01", "quarter"),
    ("the third quarter", "2027-07-01", "quarter"),
    ("June 2027", "2027-06-01", "month"),
]


@pytest.mark.parametrize(("text", "value", "granularity"), PERIODS)
def test_periods_are_their_first_day(
    on_wednesday: EntityExtractor, text: str, value: str, granularity: str
) -> None:
    (entity,) = on_wednesday.extract(text)
    assert (entity.type, entity.value, entity.text) == ("date", value, text)
    assert entity.attributes == {"granularity": granularity}


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        ("sometime in June", "2027-06-01", "June"),
        ("by mid-June", "2027-06-01", "June"),
        ("before 2028", "2028-01-01", "2028"),
    ],
)
def test_a_month_or_year_needs_a_word_before_it(
    on_wednesday: EntityExtractor, text: str, value: str, span: str
) -> None:
    assert dates(on_wednesday, text) == [(value, span)]


@pytest.mark.parametrize(
    "text",
    [
        "1/2 inch conduit",  # a size
        "3/4 EMT",
        "we may 2 of them",  # the verb
        "I may need more",
        "Sat down with the team",
        "the sun is out",
        "Feb 30",
        "13/45/2027",
        "it takes 2 weeks",  # a duration, not a date
        "a march on Salem",
    ],
)
def test_not_dates(on_wednesday: EntityExtractor, text: str) -> None:
    assert dates(on_wednesday, text) == []


def test_a_sentence_with_several_dates(on_wednesday: EntityExtractor) -> None:
    text = "Not tomorrow; any day between March 15 and next Friday, or in 3 weeks."
    assert dates(on_wednesday, text) == [
        ("2027-03-11", "tomorrow"),
        ("2027-03-15", "March 15"),
        ("2027-03-19", "next Friday"),
        ("2027-03-31", "in 3 weeks"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("tomorrow", "2027-03-14"),  # the day the clocks go forward
        ("in 2 days", "2027-03-15"),
        ("Monday", "2027-03-15"),
        ("next Monday", "2027-03-15"),
        ("in 1 week", "2027-03-20"),
        ("next week", "2027-03-15"),
    ],
)
def test_across_the_spring_daylight_saving_change(text: str, value: str) -> None:
    assert dates(extractor(BEFORE_SPRING_FORWARD), text) == [(value, text)]


@pytest.mark.parametrize(
    ("text", "value"), [("tomorrow", "2027-11-07"), ("in 2 days", "2027-11-08")]
)
def test_across_the_fall_daylight_saving_change(text: str, value: str) -> None:
    assert dates(extractor(BEFORE_FALL_BACK), text) == [(value, text)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("tomorrow", "2027-12-31"),
        ("in 2 days", "2028-01-01"),
        ("next Monday", "2028-01-03"),
        ("next week", "2028-01-03"),
        ("next month", "2028-01-01"),
        ("last month", "2027-11-01"),
        ("next quarter", "2028-01-01"),
        ("next year", "2028-01-01"),
        ("end of next month", "2028-01-31"),
        ("in a month", "2028-01-30"),
        ("in 3 business days", "2028-01-04"),  # Friday, Monday, Tuesday
        ("January 5", "2028-01-05"),
        ("December 20", "2027-12-20"),  # ten days ago
        ("Q1", "2028-01-01"),  # this year's is over
        ("1/5", "2028-01-05"),
    ],
)
def test_across_the_new_year(text: str, value: str) -> None:
    assert dates(extractor(YEAR_END), text) == [(value, text)]


def test_a_month_from_january_31_is_the_end_of_february() -> None:
    assert dates(extractor(date(2028, 1, 31)), "in a month") == [("2028-02-29", "in a month")]


def test_today_is_asked_for_each_message() -> None:
    days = iter([date(2027, 3, 10), date(2027, 3, 11)])
    moving = EntityExtractor(EntitySpec(), today=lambda: next(days))
    assert dates(moving, "tomorrow") == [("2027-03-11", "tomorrow")]
    assert dates(moving, "tomorrow") == [("2027-03-12", "tomorrow")]
