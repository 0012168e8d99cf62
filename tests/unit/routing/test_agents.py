"""Agents' availability (away, working hours in their own timezone across DST, caps), the
team's picture, measured reply times, and round-robin fairness over 1,000 hand-offs.

Fairness tolerances (smooth weighted round robin):

* with a fixed set of available agents, after every hand-off each agent's count is within
  1 of its exact weighted share;
* when agents go away and come back, within each stretch of unchanged availability each
  agent's count is within 2 x (team size) of its weighted share of that stretch, and an
  away agent is never picked.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from concierge.routing.agents import (
    agent_availability,
    measured_reply_words,
    pick_round_robin,
    reply_time_words,
    team_availability,
)
from concierge.routing.hours import WEEKDAYS, OfficeHours, parse_day
from concierge.routing.table import Agent, MeasuredReply, Team

LA = ZoneInfo("America/Los_Angeles")
DENVER = ZoneInfo("America/Denver")
LONDON = ZoneInfo("Europe/London")


def weekdays(zone: ZoneInfo, hours: str, holidays: Iterable[date] = ()) -> OfficeHours:
    """``hours`` Monday to Friday, closed at the weekend."""
    week = [parse_day(hours) for _ in WEEKDAYS[:5]] + [parse_day("closed")] * 2
    return OfficeHours(zone, tuple(week), frozenset(holidays))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


LUIS = Agent("9000102", "Luis Ortega", DENVER, weekdays(DENVER, "07:30-16:00"), max_open=5)


# -- one agent ---------------------------------------------------------------------------


def test_an_agent_inside_hours_not_away_and_under_cap_is_available() -> None:
    seen = agent_availability(LUIS, utc(2026, 3, 2, 17), away=False, open_conversations=4)
    assert seen.available
    assert seen.reason == "available"


def test_away_in_intercom_makes_an_agent_unavailable() -> None:
    seen = agent_availability(LUIS, utc(2026, 3, 2, 17), away=True, open_conversations=0)
    assert not seen.available
    assert seen.reason == "away"


def test_an_admin_missing_from_the_directory_is_not_assigned() -> None:
    seen = agent_availability(LUIS, utc(2026, 3, 2, 17), away=None, open_conversations=0)
    assert not seen.available
    assert seen.reason == "not in the Intercom directory"


def test_outside_working_hours_names_the_day_hours_and_timezone() -> None:
    late = datetime(2026, 3, 2, 15, 30, tzinfo=LA)  # 16:30 in Denver, after Luis's shift
    seen = agent_availability(LUIS, late, away=False, open_conversations=0)
    assert not seen.available
    assert seen.reason == "outside working hours (Mon 07:30-16:00 America/Denver)"


def test_weekend_and_holiday_are_named() -> None:
    agent = Agent("1", "Ana", DENVER, weekdays(DENVER, "08:00-17:00", [date(2026, 7, 3)]))
    saturday = agent_availability(agent, utc(2026, 3, 7, 18), away=False, open_conversations=0)
    assert saturday.reason == "outside working hours (Sat off America/Denver)"
    holiday = agent_availability(agent, utc(2026, 7, 3, 18), away=False, open_conversations=0)
    assert holiday.reason == "outside working hours (Fri holiday America/Denver)"


def test_at_cap_shows_the_count_and_every_reason_is_listed() -> None:
    capped = agent_availability(LUIS, utc(2026, 3, 2, 17), away=False, open_conversations=5)
    assert not capped.available
    assert capped.reason == "at cap 5/5"
    everything = agent_availability(LUIS, utc(2026, 3, 7, 17), away=True, open_conversations=6)
    assert everything.reason == ("away; outside working hours (Sat off America/Denver); at cap 6/5")


def test_no_cap_and_no_hours_means_only_away_matters() -> None:
    always = Agent("7", "Night owl", LA)
    seen = agent_availability(always, utc(2026, 3, 8, 9), away=False, open_conversations=500)
    assert seen.available
    assert seen.hours == ""


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        (utc(2026, 3, 6, 14, 0), False),  # Fri 07:00 MST: before Luis's 07:30 start
        (utc(2026, 3, 6, 14, 30), True),  # Fri 07:30 MST
        (utc(2026, 3, 9, 13, 29), False),  # Mon 07:29 MDT, after spring forward
        (utc(2026, 3, 9, 13, 30), True),  # Mon 07:30 MDT: the same wall clock, an hour earlier
        (utc(2026, 3, 9, 22, 0), False),  # Mon 16:00 MDT: shift over
        (utc(2026, 11, 2, 14, 30), True),  # Mon 07:30 MST, after fall back
        (utc(2026, 11, 2, 13, 30), False),  # Mon 06:30 MST
    ],
)
def test_working_hours_follow_the_agents_own_dst(moment: datetime, working: bool) -> None:
    seen = agent_availability(LUIS, moment, away=False, open_conversations=0)
    assert seen.working is working


def test_agents_in_different_timezones_change_clocks_on_different_dates() -> None:
    london = Agent("8", "Olivia", LONDON, weekdays(LONDON, "09:00-17:30"))
    # 08:30 UTC: before 09:00 in London in mid March (GMT), inside it after 29 March (BST).
    before = agent_availability(london, utc(2026, 3, 16, 8, 30), away=False, open_conversations=0)
    after = agent_availability(london, utc(2026, 3, 30, 8, 30), away=False, open_conversations=0)
    assert not before.working
    assert after.working
    # Meanwhile Denver already moved on 8 March: 13:30 UTC is 07:30 there on both Mondays.
    for day in (9, 16, 30):
        assert agent_availability(
            LUIS, utc(2026, 3, day, 13, 30), away=False, open_conversations=0
        ).working


def test_a_shift_across_the_fall_back_night_lasts_its_real_length() -> None:
    sunday = [parse_day("closed")] * 6 + [parse_day("00:00-03:00")]
    night = Agent("9", "Nico", DENVER, OfficeHours(DENVER, tuple(sunday)))
    start, end = utc(2026, 11, 1, 6, 0), utc(2026, 11, 1, 10, 0)  # 00:00 MDT .. 03:00 MST
    assert agent_availability(night, start, away=False, open_conversations=0).working
    assert agent_availability(
        night, end - timedelta(minutes=1), away=False, open_conversations=0
    ).working
    assert not agent_availability(night, end, away=False, open_conversations=0).working


# -- a team ------------------------------------------------------------------------------

SALES = Team(
    key="sales",
    name="Sales",
    zone=LA,
    intercom_team_id="5000001",
    office_hours=weekdays(LA, "07:30-17:00"),
    expected_reply="within a few hours",
    agents=(
        Agent("9000101", "Maya Chen", LA, weekdays(LA, "07:30-17:00"), max_open=8, weight=2),
        LUIS,
        Agent("9000105", "Dana Whitfield", LA, weekdays(LA, "08:00-16:30"), max_open=6),
    ),
)


def test_team_availability_lists_who_is_online_and_why_others_are_not() -> None:
    at = datetime(2026, 3, 2, 15, 45, tzinfo=LA)  # Monday: Luis is off, Dana at cap
    seen = team_availability(
        SALES, at, {"9000101": False, "9000102": False, "9000105": False}, {"9000105": 6}
    )
    assert [agent.name for agent in seen.online] == ["Maya Chen"]
    assert seen.open_now
    assert seen.next_open is None
    assert seen.summary() == "1 of 3 online: Maya Chen"
    reasons = {agent.name: agent.reason for agent in seen.agents}
    assert reasons == {
        "Maya Chen": "available",
        "Luis Ortega": "outside working hours (Mon 07:30-16:00 America/Denver)",
        "Dana Whitfield": "at cap 6/6",
    }
    assert json.loads(json.dumps(seen.as_json()))["online"] == ["9000101"]


def test_a_closed_team_says_when_it_next_opens_in_its_own_timezone() -> None:
    friday_evening = datetime(2026, 3, 6, 18, 0, tzinfo=LA)
    seen = team_availability(SALES, friday_evening, {}, {}, expected_reply="within 20 minutes")
    assert not seen.open_now
    assert seen.next_open == datetime(2026, 3, 9, 7, 30, tzinfo=LA)  # Monday, after DST began
    assert seen.expected_reply == "within 20 minutes"
    assert seen.online == ()
    maya = seen.agent("9000101")
    assert maya is not None
    assert maya.reason == (
        "not in the Intercom directory; outside working hours (Fri 07:30-17:00 America/Los_Angeles)"
    )


# -- expected reply ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (20, "within a minute"),
        (61, "within 5 minutes"),
        (14 * 60, "within 15 minutes"),
        (56 * 60, "within an hour"),
        (90 * 60, "within 2 hours"),
        (23 * 3600 + 1, "within a day"),
        (30 * 3600, "within 2 days"),
    ],
)
def test_reply_times_are_rounded_up_into_words(seconds: float, words: str) -> None:
    assert reply_time_words(seconds) == words


def test_measured_reply_uses_the_median_once_there_is_enough_data() -> None:
    measure = MeasuredReply(fallback="within a few hours", days=7, minimum_samples=3)
    assert measured_reply_words(measure, [600, 900]) == "within a few hours"
    assert measured_reply_words(measure, [600, 900, 36000]) == "within 15 minutes"


# -- round robin -------------------------------------------------------------------------


def run(picks: int, candidates: Sequence[str], weights: dict[str, int]) -> list[str]:
    counters: dict[str, int] = {}
    chosen = []
    for _ in range(picks):
        pick = pick_round_robin(candidates, counters, weights)
        counters.update(pick.counters)
        chosen.append(pick.choice)
    return chosen


def test_round_robin_is_deterministic_and_a_tie_goes_to_the_first_listed() -> None:
    assert run(6, ["a", "b", "c"], {}) == ["a", "b", "c", "a", "b", "c"]
    assert run(50, ["a", "b"], {"a": 3}) == run(50, ["a", "b"], {"a": 3})


def test_weighted_turns_are_interleaved_not_bunched() -> None:
    assert run(6, ["a", "b", "c"], {"a": 4, "b": 1, "c": 1}) == ["a", "a", "b", "a", "c", "a"]


def test_shares_over_1000_hand_offs_stay_within_one_of_the_weights() -> None:
    weights = {"maya": 3, "luis": 2, "dana": 1}
    total = sum(weights.values())
    counts: Counter[str] = Counter()
    for number, choice in enumerate(run(1000, list(weights), weights), start=1):
        counts[choice] += 1
        for agent, weight in weights.items():
            assert abs(counts[agent] - number * weight / total) <= 1
    assert counts == {"maya": 500, "luis": 333, "dana": 167}


def test_agents_going_away_mid_run_over_1000_hand_offs() -> None:
    """Maya (weight 2) is away for hand-offs 300-599 and Dana is at her cap for 800-899;
    availability comes from the same functions the assignment uses."""
    team = Team(
        "sales",
        "Sales",
        LA,
        agents=(
            Agent("maya", "Maya", LA, max_open=8, weight=2),
            Agent("luis", "Luis", LA, max_open=8),
            Agent("dana", "Dana", LA, max_open=6),
        ),
    )
    weights = {agent.admin_id: agent.weight for agent in team.agents}
    counters: dict[str, int] = {}
    counts: Counter[str] = Counter()
    stretch: Counter[str] = Counter()
    start = utc(2026, 3, 2, 17)
    for number in range(1000):
        away = {"maya": 300 <= number < 600, "luis": False, "dana": False}
        load = {"dana": 6 if 800 <= number < 900 else 0}
        seen = team_availability(team, start + timedelta(minutes=number), away, load)
        candidates = [agent.admin_id for agent in seen.online]
        pick = pick_round_robin(candidates, counters, weights)
        assert pick.choice in candidates
        counters.update(pick.counters)
        counts[pick.choice] += 1
        if 300 <= number < 600:
            stretch[pick.choice] += 1
        if number == 619:
            maya_after_return = counts["maya"]
    # while Maya was away Luis and Dana shared evenly
    assert set(stretch) == {"luis", "dana"}
    assert abs(stretch["luis"] - 150) <= 2 * 3
    # Maya was not flooded on her return (20 hand-offs, her share is 10)
    assert abs(maya_after_return - 150 - 10) <= 2 * 3
    # shares by stretch: 0-299 2:1:1, 300-599 0:1:1, 600-799 2:1:1, 800-899 2:1:0, 900-999 2:1:1
    expected = {
        "maya": 150 + 0 + 100 + 200 / 3 + 50,
        "luis": 75 + 150 + 50 + 100 / 3 + 25,
        "dana": 75 + 150 + 50 + 0 + 25,
    }
    for agent, share in expected.items():
        assert abs(counts[agent] - share) <= 2 * 3, (agent, counts[agent], share)
    assert sum(counters.values()) == 0  # every pick moves weight, never creates it


@settings(max_examples=60, deadline=None)
@given(
    weights=st.lists(st.integers(min_value=1, max_value=8), min_size=2, max_size=5),
    stretches=st.lists(
        st.tuples(st.integers(min_value=1, max_value=250), st.integers(min_value=1, max_value=31)),
        min_size=1,
        max_size=8,
    ),
)
def test_fairness_holds_in_every_stretch_while_agents_come_and_go(
    weights: list[int], stretches: list[tuple[int, int]]
) -> None:
    agents = [f"agent{index}" for index in range(len(weights))]
    weight_of = dict(zip(agents, weights, strict=True))
    tolerance = 2 * len(agents)
    counters: dict[str, int] = {}
    handed = 0
    for length, mask in stretches:
        if handed >= 1000:
            break
        available = [a for i, a in enumerate(agents) if mask >> i & 1] or agents[:1]
        total = sum(weight_of[a] for a in available)
        counts: Counter[str] = Counter()
        for _ in range(min(length, 1000 - handed)):
            pick = pick_round_robin(available, counters, weight_of)
            assert pick.choice in available
            counters.update(pick.counters)
            counts[pick.choice] += 1
            handed += 1
        done = sum(counts.values())
        for agent in available:
            assert abs(counts[agent] - done * weight_of[agent] / total) <= tolerance
        assert sum(counters.values()) == 0


def test_round_robin_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="at least one candidate"):
        pick_round_robin([], {}, {})
    with pytest.raises(ValueError, match="listed twice"):
        pick_round_robin(["a", "a"], {}, {})
    with pytest.raises(ValueError, match="at least 1"):
        pick_round_robin(["a"], {}, {"a": 0})
