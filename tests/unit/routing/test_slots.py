"""Meeting slots: worked examples first, then properties checked over DST weeks (hypothesis)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from concierge.routing.calendars import BusyBlock
from concierge.routing.hours import Interval, OfficeHours, parse_day
from concierge.routing.slots import (
    HostAvailability,
    MeetingType,
    Slot,
    SlotsError,
    free_slots,
    local_grid,
)

PACIFIC = ZoneInfo("America/Los_Angeles")
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")  # daylight time there is only 30 minutes
MINUTE = timedelta(minutes=1)
TICK = timedelta(minutes=5)  # every time in the property tests is a multiple of this


def weekly(spec: str | Sequence[str], days: str = "weekdays") -> tuple[tuple[Interval, ...], ...]:
    """The same hours on weekdays (Saturday and Sunday closed), or on every day."""
    day = parse_day(spec)
    return (day,) * 7 if days == "every day" else (day,) * 5 + ((), ())


def host(
    zone: ZoneInfo,
    spec: str | Sequence[str] = "09:00-12:00",
    days: str = "weekdays",
    holidays: frozenset[date] = frozenset(),
) -> HostAvailability:
    return HostAvailability(OfficeHours(zone, weekly(spec, days), holidays))


def meeting(**changes: object) -> MeetingType:
    options: dict[str, object] = {"name": "Intro call", "minutes": 30, "team": "sales"}
    options.update(changes)
    return MeetingType(**options)  # type: ignore[arg-type]


def local(
    zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0, fold: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone, fold=fold)


def busy(zone: ZoneInfo, day: tuple[int, int, int], start: str, end: str) -> BusyBlock:
    first, last = time.fromisoformat(start), time.fromisoformat(end)
    return BusyBlock(
        datetime.combine(date(*day), first, tzinfo=zone),
        datetime.combine(date(*day), last, tzinfo=zone),
    )


def local_starts(slots: list[Slot], zone: ZoneInfo) -> list[str]:
    return [f"{slot.start.astimezone(zone):%a %d %H:%M}" for slot in slots]


MONDAY = (2026, 3, 2)
MONDAY_EARLY = local(PACIFIC, 2026, 3, 2, 7)
ONE_DAY = {"horizon_days": 1}


# --- worked examples ---------------------------------------------------------------------


def test_a_free_morning_gives_every_half_hour() -> None:
    slots = free_slots(meeting(**ONE_DAY), {"ana": host(PACIFIC)}, {"ana": []}, MONDAY_EARLY)
    assert local_starts(slots, PACIFIC) == [
        "Mon 02 09:00",
        "Mon 02 09:30",
        "Mon 02 10:00",
        "Mon 02 10:30",
        "Mon 02 11:00",
        "Mon 02 11:30",
    ]
    assert slots[0] == Slot(
        datetime(2026, 3, 2, 17, tzinfo=UTC), datetime(2026, 3, 2, 17, 30, tzinfo=UTC), ("ana",)
    )


def test_busy_time_and_buffers_remove_slots() -> None:
    standup = busy(PACIFIC, MONDAY, "10:00", "10:30")
    hosts, blocks = {"ana": host(PACIFIC)}, {"ana": [standup]}
    plain = free_slots(meeting(**ONE_DAY), hosts, blocks, MONDAY_EARLY)
    assert "Mon 02 10:00" not in local_starts(plain, PACIFIC)
    assert len(plain) == 5
    buffered = meeting(
        buffer_before=timedelta(minutes=15), buffer_after=timedelta(minutes=15), **ONE_DAY
    )
    # 09:30 would run into the stand-up with its 15 minutes after; 10:30 would start right
    # after it without the 15 minutes before; 11:30 would end at noon, its buffer after hours;
    # 09:00 needs 15 minutes before opening time.
    assert local_starts(free_slots(buffered, hosts, blocks, MONDAY_EARLY), PACIFIC) == [
        "Mon 02 11:00"
    ]


def test_minimum_notice_and_step_alignment() -> None:
    now = local(PACIFIC, 2026, 3, 2, 9, 10)
    soon = meeting(minimum_notice=timedelta(hours=1), **ONE_DAY)
    # 10:10 at the earliest, and starts sit on the half-hour grid: 10:30 first
    assert local_starts(free_slots(soon, {"ana": host(PACIFIC)}, {"ana": []}, now), PACIFIC)[
        :2
    ] == ["Mon 02 10:30", "Mon 02 11:00"]
    quarter = meeting(step_minutes=45, **ONE_DAY)  # 09:00, 09:45, 10:30, 11:15 past midnight
    slots = free_slots(quarter, {"ana": host(PACIFIC)}, {"ana": []}, MONDAY_EARLY)
    assert local_starts(slots, PACIFIC) == [
        "Mon 02 09:00",
        "Mon 02 09:45",
        "Mon 02 10:30",
        "Mon 02 11:15",
    ]


def test_horizon_counts_from_now_and_the_meeting_must_end_inside_it() -> None:
    now = local(PACIFIC, 2026, 3, 2, 11, 30)
    slots = free_slots(meeting(**ONE_DAY), {"ana": host(PACIFIC)}, {"ana": []}, now)
    # Tuesday 11:00-11:30 ends exactly 24 hours after now; 11:30 would end past it
    assert local_starts(slots, PACIFIC) == [
        "Mon 02 11:30",
        "Tue 03 09:00",
        "Tue 03 09:30",
        "Tue 03 10:00",
        "Tue 03 10:30",
        "Tue 03 11:00",
    ]


def test_holidays_and_weekends_have_no_slots() -> None:
    ana = host(PACIFIC, holidays=frozenset({date(2026, 3, 3)}))
    slots = free_slots(meeting(horizon_days=7), {"ana": ana}, {"ana": []}, MONDAY_EARLY)
    days = sorted({slot.start.astimezone(PACIFIC).date().day for slot in slots})
    assert days == [2, 4, 5, 6]  # Tuesday is a holiday, Saturday 7 and Sunday 8 closed


def test_nine_oclock_stays_nine_oclock_across_spring_forward() -> None:
    friday = local(PACIFIC, 2026, 3, 6, 12)
    early = host(PACIFIC, "09:00-09:30", "every day")
    slots = free_slots(meeting(horizon_days=4), {"ana": early}, {"ana": []}, friday)
    assert local_starts(slots, PACIFIC) == [
        "Sat 07 09:00",
        "Sun 08 09:00",
        "Mon 09 09:00",
        "Tue 10 09:00",
    ]
    assert [slot.start.hour for slot in slots] == [17, 16, 16, 16]  # UTC: PST, then PDT


def test_no_slot_in_the_hour_skipped_by_spring_forward() -> None:
    saturday = local(PACIFIC, 2026, 3, 7, 12)
    allday = host(PACIFIC, "00:00-24:00", "every day")
    slots = free_slots(meeting(horizon_days=2), {"ana": allday}, {"ana": []}, saturday)
    sunday = [s for s in local_starts(slots, PACIFIC) if s.startswith("Sun 08")]
    assert "Sun 08 01:30" in sunday
    assert not any(s.startswith("Sun 08 02:") for s in sunday)  # 02:00-03:00 never happens
    assert "Sun 08 03:00" in sunday
    assert len(sunday) == 46  # a 23-hour day


def test_a_skipped_grid_time_is_dropped_not_moved_off_the_grid() -> None:
    saturday = local(PACIFIC, 2026, 3, 7, 12)
    night = host(PACIFIC, "00:00-06:00", "every day")
    # the 45-minute grid is 00:00, 00:45, 01:30, 02:15, 03:00, 03:45, ...; 02:15 does not
    # happen that night, and must not turn into 03:15
    slots = free_slots(
        meeting(step_minutes=45, horizon_days=1), {"ana": night}, {"ana": []}, saturday
    )
    assert local_starts(slots, PACIFIC) == [
        "Sun 08 00:00",
        "Sun 08 00:45",
        "Sun 08 01:30",
        "Sun 08 03:00",
        "Sun 08 03:45",
        "Sun 08 04:30",
        "Sun 08 05:15",
    ]


def test_the_repeated_hour_of_fall_back_is_offered_twice() -> None:
    saturday = local(PACIFIC, 2026, 10, 31, 12)
    allday = host(PACIFIC, "00:00-24:00", "every day")
    slots = free_slots(meeting(horizon_days=2), {"ana": allday}, {"ana": []}, saturday)
    sunday = [slot for slot in slots if slot.start.astimezone(PACIFIC).date() == date(2026, 11, 1)]
    assert len(sunday) == 50  # a 25-hour day
    one_thirty = [
        slot.start for slot in sunday if f"{slot.start.astimezone(PACIFIC):%H:%M}" == "01:30"
    ]
    assert one_thirty == [
        local(PACIFIC, 2026, 11, 1, 1, 30).astimezone(UTC),  # PDT
        local(PACIFIC, 2026, 11, 1, 1, 30, fold=1).astimezone(UTC),  # PST, an hour later
    ]


def test_slots_are_merged_across_hosts_in_their_own_timezones() -> None:
    ana = host(PACIFIC, "09:00-11:00")  # 12:00-14:00 New York time
    ben = host(NEW_YORK, "13:00-15:00")
    blocks = {"ana": [busy(PACIFIC, MONDAY, "09:30", "10:00")], "ben": []}
    slots = free_slots(meeting(**ONE_DAY), {"ben": ben, "ana": ana}, blocks, MONDAY_EARLY)
    assert [(f"{slot.start.astimezone(NEW_YORK):%H:%M}", slot.hosts) for slot in slots] == [
        ("12:00", ("ana",)),
        ("13:00", ("ana", "ben")),
        ("13:30", ("ana", "ben")),
        ("14:00", ("ben",)),
        ("14:30", ("ben",)),
    ]
    assert (
        free_slots(meeting(**ONE_DAY), {"ben": ben, "ana": ana}, blocks, MONDAY_EARLY, 2)
        == (slots[:2])
    )


def test_local_grid_on_a_normal_day_has_every_step() -> None:
    grid = list(local_grid(date(2026, 3, 2), PACIFIC, 60))
    assert len(grid) == 24
    assert grid[0] == datetime(2026, 3, 2, 8, tzinfo=UTC)


def test_a_host_without_busy_times_is_refused_rather_than_taken_as_free() -> None:
    with pytest.raises(SlotsError, match="no busy times given for host 'ana'"):
        free_slots(meeting(), {"ana": host(PACIFIC)}, {}, MONDAY_EARLY)


def test_now_must_carry_a_timezone() -> None:
    with pytest.raises(SlotsError, match="must carry a timezone"):
        free_slots(meeting(), {"ana": host(PACIFIC)}, {"ana": []}, datetime(2026, 3, 2, 7))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"minutes": 0}, "length must be positive"),
        ({"step_minutes": 0}, "step must be positive"),
        ({"horizon_days": -1}, "horizon cannot be negative"),
        ({"buffer_after": timedelta(minutes=-5)}, "buffer after cannot be negative"),
        ({"minimum_notice": timedelta(hours=-1)}, "minimum notice cannot be negative"),
    ],
)
def test_meeting_type_refuses_nonsense(changes: dict[str, object], message: str) -> None:
    with pytest.raises(SlotsError, match=f"meeting 'Intro call': {message}"):
        meeting(**changes)


# --- properties --------------------------------------------------------------------------

# Days on which the clocks change in the zones below, so every example spans a DST change.
DST_DAYS = {
    PACIFIC: [date(2026, 3, 8), date(2026, 11, 1)],
    LONDON: [date(2026, 3, 29), date(2026, 10, 25)],
    LORD_HOWE: [date(2026, 4, 5), date(2026, 10, 4)],
}


def hhmm(quarters: int) -> str:
    return f"{quarters // 4:02d}:{quarters % 4 * 15:02d}"


@st.composite
def day_hours(draw: st.DrawFn) -> str | list[str]:
    """``closed``, one range, or two ranges on the quarter hour."""
    cuts = sorted(draw(st.sets(st.integers(0, 96), min_size=0, max_size=4)))
    if len(cuts) < 2:
        return "closed"
    pairs = [(cuts[0], cuts[1])] + ([(cuts[2], cuts[3])] if len(cuts) == 4 else [])
    return [f"{hhmm(start)}-{hhmm(end)}" for start, end in pairs]


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[MeetingType, HostAvailability, list[BusyBlock], datetime]:
    zone = draw(st.sampled_from(list(DST_DAYS)))
    change_day = draw(st.sampled_from(DST_DAYS[zone]))
    now = datetime.combine(change_day - timedelta(days=2), time(), tzinfo=zone).astimezone(UTC)
    now += TICK * draw(st.integers(0, 3 * 24 * 12))
    five = st.integers(0, 6).map(lambda n: timedelta(minutes=5 * n))
    kind = MeetingType(
        name="Demo",
        team="sales",
        minutes=draw(st.sampled_from([15, 30, 45, 60, 90])),
        buffer_before=draw(five),
        buffer_after=draw(five),
        minimum_notice=draw(st.integers(0, 48).map(lambda n: timedelta(minutes=5 * n))),
        horizon_days=draw(st.integers(1, 3)),
        step_minutes=draw(st.sampled_from([5, 10, 15, 20, 30, 45, 60])),
    )
    weekday, weekend = parse_day(draw(day_hours())), parse_day(draw(day_hours()))
    week = (weekday,) * 5 + (weekend,) * 2
    holidays = frozenset(draw(st.sets(st.sampled_from([change_day, change_day + timedelta(1)]))))
    blocks = [
        BusyBlock(start, start + TICK * length)
        for start, length in draw(
            st.lists(
                st.tuples(
                    st.integers(-24 * 12, 4 * 24 * 12).map(lambda n: now + TICK * n),
                    st.integers(1, 48),
                ),
                max_size=6,
            )
        )
    ]
    return kind, HostAvailability(OfficeHours(zone, week, holidays)), blocks, now


def padded(kind: MeetingType, slot: Slot) -> tuple[datetime, datetime]:
    return slot.start - kind.buffer_before, slot.end + kind.buffer_after


def open_ticks(hours: OfficeHours, start: datetime, end: datetime) -> set[datetime]:
    """The 5-minute ticks from ``start`` to ``end`` at which the host is at work."""
    first_day = start.astimezone(hours.zone).date() - timedelta(days=1)
    days = (end.astimezone(hours.zone).date() - first_day).days + 2
    ticks: set[datetime] = set()
    for opens, closes in hours.intervals(first_day, days):
        ticks.update(opens + TICK * n for n in range(int((closes - opens) / TICK)))
    return ticks


def inside(ticks: set[datetime], start: datetime, end: datetime) -> bool:
    """True when every tick from ``start`` up to ``end`` is working time."""
    return all(start + TICK * n in ticks for n in range(int((end - start) / TICK)))


SCENARIO_SETTINGS = settings(max_examples=60, deadline=None)


@SCENARIO_SETTINGS
@given(scenarios())
def test_slots_keep_every_rule(
    scenario: tuple[MeetingType, HostAvailability, list[BusyBlock], datetime],
) -> None:
    kind, availability, blocks, now = scenario
    zone = availability.zone
    slots = free_slots(kind, {"ana": availability}, {"ana": blocks}, now)
    working = open_ticks(availability.working_hours, now - timedelta(days=1), now + timedelta(5))
    for slot in slots:
        first, last = padded(kind, slot)
        wall = slot.start.astimezone(zone)
        assert slot.end - slot.start == kind.duration
        assert slot.hosts == ("ana",)
        assert not any(block.overlaps(first, last) for block in blocks), "overlaps busy time"
        assert inside(working, first, last), "outside working hours"
        assert slot.start >= now + kind.minimum_notice, "too soon"
        assert slot.end <= now + timedelta(days=kind.horizon_days), "past the horizon"
        assert (wall.hour * 60 + wall.minute) % kind.step_minutes == 0, "off the local grid"
        naive = wall.replace(tzinfo=None)
        assert naive.replace(tzinfo=zone, fold=wall.fold) == wall, "in a skipped hour"
    assert [slot.start for slot in slots] == sorted({slot.start for slot in slots})


@SCENARIO_SETTINGS
@given(scenarios())
def test_every_bookable_time_is_offered(
    scenario: tuple[MeetingType, HostAvailability, list[BusyBlock], datetime],
) -> None:
    """Brute force over every 5-minute instant of the window finds the same starts."""
    kind, availability, blocks, now = scenario
    zone = availability.zone
    earliest, latest = now + kind.minimum_notice, now + timedelta(days=kind.horizon_days)
    working = open_ticks(availability.working_hours, now - timedelta(days=1), now + timedelta(5))
    expected = []
    moment = earliest
    while moment + kind.duration <= latest:
        wall = moment.astimezone(zone)
        aligned = (wall.hour * 60 + wall.minute) % kind.step_minutes == 0
        start, end = moment - kind.buffer_before, moment + kind.duration + kind.buffer_after
        clear = not any(block.overlaps(start, end) for block in blocks)
        if aligned and clear and inside(working, start, end):
            expected.append(moment)
        moment += TICK
    slots = free_slots(kind, {"ana": availability}, {"ana": blocks}, now)
    assert [slot.start for slot in slots] == expected


@settings(max_examples=25, deadline=None)
@given(scenarios(), st.integers(0, 5))
def test_limit_keeps_the_earliest_slots(
    scenario: tuple[MeetingType, HostAvailability, list[BusyBlock], datetime], limit: int
) -> None:
    kind, availability, blocks, now = scenario
    every = free_slots(kind, {"ana": availability}, {"ana": blocks}, now)
    assert free_slots(kind, {"ana": availability}, {"ana": blocks}, now, limit) == every[:limit]


@settings(max_examples=25, deadline=None)
@given(scenarios(), scenarios())
def test_merged_slots_list_exactly_the_hosts_free_then(
    first: tuple[MeetingType, HostAvailability, list[BusyBlock], datetime],
    second: tuple[MeetingType, HostAvailability, list[BusyBlock], datetime],
) -> None:
    kind, ana, ana_busy, now = first
    _, ben, ben_busy, _ = second
    alone = {
        name: {s.start for s in free_slots(kind, {name: who}, {name: blocks}, now)}
        for name, who, blocks in (("ana", ana, ana_busy), ("ben", ben, ben_busy))
    }
    merged = free_slots(kind, {"ana": ana, "ben": ben}, {"ana": ana_busy, "ben": ben_busy}, now)
    assert {slot.start for slot in merged} == alone["ana"] | alone["ben"]
    for slot in merged:
        assert slot.hosts == tuple(name for name in ("ana", "ben") if slot.start in alone[name])
