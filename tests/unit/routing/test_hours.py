"""Office hours: open or closed, next opening, business time, holidays, DST weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from concierge.routing import HoursError, OfficeHours, parse_day

PACIFIC = ZoneInfo("America/Los_Angeles")
WEEKDAY = parse_day("08:00-17:00")
OFFICE = OfficeHours(PACIFIC, (WEEKDAY,) * 5 + ((), ()), frozenset({date(2026, 12, 25)}))
ALWAYS = OfficeHours(PACIFIC, (parse_day("00:00-24:00"),) * 7)


def pacific(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, fold: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PACIFIC, fold=fold)


def test_parse_day_forms() -> None:
    assert parse_day("closed") == ()
    assert parse_day(" Closed ") == ()
    assert parse_day("08:00-17:00") == ((time(8), time(17)),)
    assert parse_day("0:00-24:00") == ((time(0), None),)
    assert parse_day(["13:00-17:00", "08:00-12:00"]) == (
        (time(8), time(12)),
        (time(13), time(17)),
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("17:00-08:00", "closes before it opens"),
        ("08:00-08:00", "closes before it opens"),
        ("8am-5pm", "is not a range like"),
        ("08:00-25:00", "25:00 is not a time of day"),
        ("08:70-17:00", "08:70 is not a time of day"),
        (["08:00-12:00", "11:00-13:00"], "overlap"),
    ],
)
def test_parse_day_rejects(spec: str | list[str], message: str) -> None:
    with pytest.raises(HoursError, match=message):
        parse_day(spec)


def test_open_and_closed() -> None:
    assert OFFICE.is_open(pacific(2026, 11, 20, 16, 59))
    assert OFFICE.is_open(pacific(2026, 11, 20, 8))
    assert not OFFICE.is_open(pacific(2026, 11, 20, 17))
    assert not OFFICE.is_open(pacific(2026, 11, 21, 12))
    assert not OFFICE.is_open(pacific(2026, 12, 25, 10))  # Christmas, a Friday


def test_open_check_works_from_any_zone() -> None:
    assert OFFICE.is_open(datetime(2026, 11, 20, 17, tzinfo=UTC))  # 9:00 Pacific
    assert not OFFICE.is_open(datetime(2026, 11, 20, 15, tzinfo=UTC))  # 7:00 Pacific


def test_next_open_is_now_while_open() -> None:
    now = pacific(2026, 11, 18, 10)
    assert OFFICE.next_open(now) == now


def test_friday_evening_opens_monday_morning() -> None:
    opens = OFFICE.next_open(pacific(2026, 11, 20, 18))
    assert opens == pacific(2026, 11, 23, 8)
    assert opens is not None
    assert opens.tzinfo == PACIFIC


def test_holiday_is_skipped() -> None:
    assert OFFICE.next_open(pacific(2026, 12, 24, 18)) == pacific(2026, 12, 28, 8)


def test_nothing_within_fourteen_days() -> None:
    closed = frozenset(date(2026, 12, 1) + timedelta(days=n) for n in range(20))
    hours = OfficeHours(PACIFIC, OFFICE.weekly, closed)
    assert hours.next_open(pacific(2026, 11, 30, 18)) is None


def test_spring_forward_week() -> None:
    opens = OFFICE.next_open(pacific(2027, 3, 13, 12))
    assert opens == pacific(2027, 3, 15, 8)
    assert opens is not None
    assert opens.astimezone(UTC) == datetime(2027, 3, 15, 15, tzinfo=UTC)


def test_fall_back_week() -> None:
    opens = OFFICE.next_open(pacific(2026, 10, 31, 12))
    assert opens is not None
    assert opens.astimezone(UTC) == datetime(2026, 11, 2, 16, tzinfo=UTC)


def test_opening_inside_the_skipped_hour_starts_after_the_jump() -> None:
    sunday_night_shift = OfficeHours(PACIFIC, ((),) * 6 + (parse_day("02:00-06:00"),))
    opens = sunday_night_shift.next_open(pacific(2027, 3, 13, 23))
    assert opens is not None
    assert opens.astimezone(UTC) == datetime(2027, 3, 14, 10, tzinfo=UTC)
    assert (opens.hour, opens.utcoffset()) == (3, timedelta(hours=-7))


def test_repeated_hour_on_fall_back_is_open() -> None:
    assert ALWAYS.is_open(pacific(2026, 11, 1, 1, 30, fold=0))
    assert ALWAYS.is_open(pacific(2026, 11, 1, 1, 30, fold=1))


def test_business_time_skips_the_weekend() -> None:
    due = OFFICE.add_open_time(pacific(2026, 11, 20, 16), timedelta(hours=4))
    assert due == pacific(2026, 11, 23, 11)


def test_business_time_starts_at_opening_when_closed() -> None:
    due = OFFICE.add_open_time(pacific(2026, 11, 21, 9), timedelta(hours=1))
    assert due == pacific(2026, 11, 23, 9)


def test_business_time_counts_real_hours_across_dst() -> None:
    start = pacific(2027, 3, 13, 12)
    due = ALWAYS.add_open_time(start, timedelta(hours=24))
    assert due == pacific(2027, 3, 14, 13)
    start = pacific(2026, 10, 31, 12)
    due = ALWAYS.add_open_time(start, timedelta(hours=24))
    assert due == pacific(2026, 11, 1, 11)
    assert due is not None
    assert due.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=24)


ZONES = st.sampled_from(
    ["America/Los_Angeles", "America/New_York", "Europe/London", "Australia/Lord_Howe",
     "Asia/Kolkata", "UTC"]
)  # fmt: skip


@st.composite
def days(draw: st.DrawFn) -> tuple[tuple[time, time | None], ...]:
    if draw(st.booleans()):
        return ()
    start = draw(st.integers(0, 46))
    end = draw(st.integers(start + 1, 48))
    text = f"{start // 2:02d}:{start % 2 * 30:02d}-{end // 2:02d}:{end % 2 * 30:02d}"
    return parse_day(text)


@st.composite
def office_hours(draw: st.DrawFn) -> OfficeHours:
    weekly = tuple(draw(days()) for _ in range(7))
    holidays = draw(st.frozensets(st.dates(date(2026, 1, 1), date(2028, 12, 31)), max_size=30))
    return OfficeHours(ZoneInfo(draw(ZONES)), weekly, holidays)


MOMENTS = st.datetimes(datetime(2026, 1, 1), datetime(2028, 12, 1), timezones=st.just(UTC))


def _wall_clock_open(hours: OfficeHours, moment: datetime) -> bool:
    local = moment.astimezone(hours.zone)
    ranges = hours.weekly[local.weekday()]
    clock = local.time()
    inside = any(start <= clock and (end is None or clock < end) for start, end in ranges)
    return local.date() not in hours.holidays and inside


def _changes_offset(hours: OfficeHours, moment: datetime) -> bool:
    day = moment.astimezone(hours.zone).date()
    midnights = [datetime.combine(day + timedelta(days=n), time(), hours.zone) for n in (0, 1)]
    return midnights[0].utcoffset() != midnights[1].utcoffset()


LORD_HOWE_JUMP = OfficeHours(  # clocks go from 02:00 to 02:30 on Sunday 1 October 2028
    ZoneInfo("Australia/Lord_Howe"),
    ((), (), (), (), (), (), ((time(2, 0), time(3, 0)),)),
    frozenset(),
)


@settings(max_examples=300, deadline=None)
@given(hours=office_hours(), now=MOMENTS)
@example(hours=LORD_HOWE_JUMP, now=datetime(2028, 9, 29, tzinfo=UTC))
def test_next_open_is_inside_office_hours_and_never_in_the_past(
    hours: OfficeHours, now: datetime
) -> None:
    opens = hours.next_open(now)
    if opens is None:
        assert not hours.is_open(now)
        return
    assert opens >= now
    assert opens - now <= timedelta(days=14)
    assert hours.is_open(opens)
    assert opens.tzinfo == hours.zone
    if not _changes_offset(hours, opens):
        assert _wall_clock_open(hours, opens)
    if hours.is_open(now):
        assert opens == now
    else:
        # one real second earlier: arithmetic on a zoned datetime is wall-clock arithmetic,
        # which lands in the gap when the clocks have just jumped (Lord Howe: 30 minutes)
        just_before = opens.astimezone(UTC) - timedelta(seconds=1)
        assert just_before < now or not hours.is_open(just_before)
