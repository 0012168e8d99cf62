"""Routing decisions: first match wins, default, score in conditions, SLA due times, wording."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from concierge.domain.decisions import Facts, Score
from concierge.routing import RoutingTable, load_routing

HERE = Path(__file__).parent
PACIFIC = ZoneInfo("America/Los_Angeles")
WEDNESDAY_10 = datetime(2026, 11, 18, 10, tzinfo=PACIFIC)
FRIDAY_16 = datetime(2026, 11, 20, 16, tzinfo=PACIFIC)
FRIDAY_18 = datetime(2026, 11, 20, 18, tzinfo=PACIFIC)


@pytest.fixture(scope="module")
def credit_union() -> RoutingTable:
    return load_routing(HERE / "credit_union.yaml")


@pytest.fixture(scope="module")
def portlandia() -> RoutingTable:
    return load_routing(HERE / "portlandia.yaml")


def facts(now: datetime = WEDNESDAY_10, **values: Any) -> Facts:
    return Facts(now=now, **values)


def pacific(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PACIFIC)


# --- which rule -----------------------------------------------------------------------


def test_large_loan_goes_to_the_senior_loan_team(credit_union: RoutingTable) -> None:
    decision = credit_union.decide(
        facts(intent="loan_application", slots={"loan_amount": "250,000"})
    )
    assert (decision.team, decision.rule) == ("senior_loans", "large_loan")
    assert decision.intercom_team_id == "6000003"
    assert decision.priority is True
    assert decision.tags == ("large-loan",)


def test_ordinary_loan_goes_to_loan_officers(credit_union: RoutingTable) -> None:
    for amount in ("50000", "100,000"):
        decision = credit_union.decide(
            facts(intent="loan_application", slots={"loan_amount": amount})
        )
        assert (decision.team, decision.rule) == ("loan_officers", "active_loan_application")


def test_vip_contact_roles_contains_vip_and_first_match_wins(credit_union: RoutingTable) -> None:
    contact = {"custom_attributes": {"roles": "Member,VIP, Borrower"}}
    decision = credit_union.decide(
        facts(intent="loan_application", slots={"loan_amount": 500000}, contact=contact)
    )
    assert (decision.team, decision.rule, decision.tags) == (
        "relationship_managers",
        "vip_member",
        ("vip",),
    )


@pytest.mark.parametrize(
    ("intent", "team", "sla"),
    [
        ("technical_issue", "it_support", "critical"),
        ("compliance_question", "compliance", "low"),
        ("membership_question", "sales", "medium"),
        ("loan_question", "sales", "medium"),
    ],
)
def test_credit_union_teams(credit_union: RoutingTable, intent: str, team: str, sla: str) -> None:
    decision = credit_union.decide(facts(intent=intent))
    assert (decision.team, decision.sla_tier) == (team, sla)


def test_default_when_nothing_matches(credit_union: RoutingTable) -> None:
    for intent in ("chit_chat", None):
        decision = credit_union.decide(facts(intent=intent))
        assert (decision.team, decision.rule, decision.sla_tier) == ("sales", "default", "low")
        assert decision.details["reason"] == "no rule matched; the default applies"


def test_score_label_is_offered_to_conditions(portlandia: RoutingTable) -> None:
    score = Score(fit=50, engagement=20, total=70, label="hot")
    decision = portlandia.decide(facts(intent="order_status"), score)
    assert (decision.team, decision.rule, decision.priority) == ("sales", "hot_lead", True)
    assert portlandia.decide(facts(intent="order_status")).team == "support"


def test_score_wins_over_a_slot_of_the_same_name(portlandia: RoutingTable) -> None:
    score = Score(fit=0, engagement=0, total=0, label="cold")
    decision = portlandia.decide(facts(slots={"score_label": "hot"}), score)
    assert decision.rule == "default"


def test_commercial_quote_is_hot(portlandia: RoutingTable) -> None:
    decision = portlandia.decide(facts(intent="quote_request", slots={"segment": "Commercial"}))
    assert (decision.rule, decision.sla_tier, decision.tags) == (
        "hot_commercial_lead",
        "high",
        ("hot-lead",),
    )


def test_partner_company_contains(portlandia: RoutingTable) -> None:
    contact = {"companies": "Acme Builders, PowerLink Northwest"}
    assert portlandia.decide(facts(contact=contact)).team == "powerlink"


# --- SLA due times ----------------------------------------------------------------------


def test_high_tier_on_friday_afternoon_is_due_monday(portlandia: RoutingTable) -> None:
    decision = portlandia.decide(
        facts(FRIDAY_16, intent="quote_request", slots={"segment": "commercial"})
    )
    assert decision.first_response_due == pacific(2026, 11, 23, 11)
    assert decision.details["due_counted_in"] == "business hours"


def test_medium_and_low_tiers_count_business_hours(credit_union: RoutingTable) -> None:
    medium = credit_union.decide(facts(intent="membership_question"))
    assert medium.first_response_due == pacific(2026, 11, 20, 16)  # 7 + 9 + 8 hours
    low = credit_union.decide(facts(intent="chit_chat"))
    assert low.first_response_due == pacific(2026, 11, 25, 13)  # 7 + 9 + 9 + 9 + 9 + 5


def test_always_open_team_counts_calendar_hours(credit_union: RoutingTable) -> None:
    decision = credit_union.decide(facts(FRIDAY_18, intent="technical_issue"))
    assert decision.first_response_due == pacific(2026, 11, 20, 19)
    assert decision.details["due_counted_in"] == "calendar hours"
    assert decision.open_now
    assert decision.next_open is None


def test_due_time_skips_holidays(credit_union: RoutingTable) -> None:
    decision = credit_union.decide(facts(pacific(2026, 12, 24, 16), intent="loan_application"))
    assert decision.first_response_due == pacific(2026, 12, 28, 11)


def test_due_time_across_spring_forward(credit_union: RoutingTable) -> None:
    decision = credit_union.decide(facts(pacific(2027, 3, 12, 16), intent="loan_application"))
    assert decision.first_response_due == pacific(2027, 3, 15, 11)
    assert decision.first_response_due.astimezone(UTC) == datetime(2027, 3, 15, 18, tzinfo=UTC)


def test_due_time_across_fall_back(credit_union: RoutingTable) -> None:
    decision = credit_union.decide(facts(pacific(2026, 10, 30, 16), intent="loan_application"))
    assert decision.first_response_due.astimezone(UTC) == datetime(2026, 11, 2, 19, tzinfo=UTC)


# --- open, closed and what the customer is told -------------------------------------------


def test_open_team_message(portlandia: RoutingTable) -> None:
    decision = portlandia.decide(facts(intent="quote_request"))
    assert decision.open_now is True
    assert decision.next_open is None
    assert decision.customer_message == (
        "I've passed this to our Sales team. Someone will reply within 2 hours."
    )


def test_open_team_without_expected_reply(portlandia: RoutingTable) -> None:
    decision = portlandia.decide(facts(intent="stock_check"))
    assert decision.customer_message == (
        "I've passed this to our Catalog team. Someone will reply as soon as they can."
    )


def test_friday_evening_says_monday(portlandia: RoutingTable) -> None:
    decision = portlandia.decide(facts(FRIDAY_18, intent="quote_request"))
    assert decision.open_now is False
    assert decision.next_open == pacific(2026, 11, 23, 8)
    assert decision.customer_message == (
        "Our Sales team is offline right now. "
        "We're back Monday at 8:00 Pacific and will reply then."
    )


@pytest.mark.parametrize(
    ("now", "words"),
    [
        (pacific(2026, 11, 18, 6, 30), "today at 8:00 Pacific"),
        (pacific(2026, 11, 18, 19), "tomorrow at 8:00 Pacific"),
        (pacific(2026, 11, 19, 0, 5), "today at 8:00 Pacific"),
        (pacific(2026, 12, 24, 18), "Monday at 8:00 Pacific"),
    ],
)
def test_day_words(portlandia: RoutingTable, now: datetime, words: str) -> None:
    message = portlandia.decide(facts(now, intent="quote_request")).customer_message
    assert f"We're back {words} and will reply then." in message


def test_lunch_break_and_team_name_ending_in_team(credit_union: RoutingTable) -> None:
    decision = credit_union.decide(
        facts(pacific(2026, 11, 18, 12, 30), intent="loan_application", slots={"loan_amount": 2e5})
    )
    assert decision.customer_message == (
        "Our Senior loan team is offline right now. "
        "We're back today at 13:00 Pacific and will reply then."
    )


def test_eastern_team_wording(credit_union: RoutingTable) -> None:
    decision = credit_union.decide(facts(FRIDAY_16, intent="compliance_question"))
    assert decision.next_open is not None
    assert decision.next_open.tzinfo == ZoneInfo("America/New_York")
    assert decision.customer_message.endswith(
        "We're back Monday at 9:00 Eastern and will reply then."
    )


@pytest.mark.parametrize(
    ("zone", "words"),
    [
        ("America/New_York", "Monday at 8:00 Pacific (11:00 Eastern your time)"),
        ("Asia/Tokyo", "Monday at 8:00 Pacific (Tuesday at 1:00 JST your time)"),
        ("Europe/Berlin", "Monday at 8:00 Pacific (17:00 CET your time)"),
        ("America/Vancouver", "Monday at 8:00 Pacific"),
        ("Mars/Olympus_Mons", "Monday at 8:00 Pacific"),
    ],
)
def test_customer_timezone(portlandia: RoutingTable, zone: str, words: str) -> None:
    decision = portlandia.decide(facts(FRIDAY_18, intent="quote_request"), customer_timezone=zone)
    assert decision.customer_message.endswith(f"We're back {words} and will reply then.")


def test_unknown_customer_timezone_is_noted(portlandia: RoutingTable) -> None:
    decision = portlandia.decide(facts(FRIDAY_18), customer_timezone="Mars/Olympus_Mons")
    assert decision.details["customer_timezone"] == "Mars/Olympus_Mons (unknown, ignored)"


def test_customer_in_the_team_zone_the_day_before(portlandia: RoutingTable) -> None:
    sunday_evening = pacific(2026, 11, 22, 20)
    decision = portlandia.decide(facts(sunday_evening), customer_timezone="Asia/Kolkata")
    assert decision.customer_message.endswith(
        "We're back tomorrow at 7:00 Pacific (today at 20:30 IST your time) and will reply then."
    )


def test_spring_forward_and_fall_back_wording(portlandia: RoutingTable) -> None:
    spring = portlandia.decide(facts(pacific(2027, 3, 13, 18), intent="quote_request"))
    assert spring.next_open is not None
    assert spring.next_open.utcoffset() is not None
    assert spring.next_open.astimezone(UTC) == datetime(2027, 3, 15, 15, tzinfo=UTC)
    assert "We're back Monday at 8:00 Pacific" in spring.customer_message
    fall = portlandia.decide(facts(pacific(2026, 10, 31, 18), intent="quote_request"))
    assert fall.next_open is not None
    assert fall.next_open.astimezone(UTC) == datetime(2026, 11, 2, 16, tzinfo=UTC)
    assert "We're back Monday at 8:00 Pacific" in fall.customer_message


def holiday_table(tmp_path: Path, holidays: str) -> RoutingTable:
    path = tmp_path / "routing.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            timezone: America/Chicago
            teams:
              support:
                name: Support
                office_hours:
                  weekly: {{mon: "09:00-17:00", tue: "09:00-17:00", wed: "09:00-17:00",
                            thu: "09:00-17:00", fri: "09:00-17:00"}}
                  holidays: {holidays}
            default: {{team: support, sla: low}}
            """
        ),
        encoding="utf-8",
    )
    return load_routing(path)


def test_long_holiday_says_after_the_holiday_without_a_date(tmp_path: Path) -> None:
    table = holiday_table(tmp_path, "[2026-12-21, 2026-12-22, 2026-12-23, 2026-12-24, 2026-12-25]")
    decision = table.decide(facts(datetime(2026, 12, 19, 10, tzinfo=ZoneInfo("America/Chicago"))))
    assert decision.next_open == datetime(2026, 12, 28, 9, tzinfo=ZoneInfo("America/Chicago"))
    assert decision.customer_message == (
        "Our Support team is offline right now. We're back after the holiday and will reply then."
    )


def test_closed_beyond_the_lookahead(tmp_path: Path) -> None:
    days = ", ".join(f"2026-12-{day:02d}" for day in range(14, 32))
    table = holiday_table(tmp_path, f"[{days}]")
    decision = table.decide(facts(datetime(2026, 12, 12, 10, tzinfo=ZoneInfo("America/Chicago"))))
    assert decision.next_open is None
    assert decision.customer_message == (
        "Our Support team is offline right now. We'll reply as soon as we're back."
    )
    assert decision.first_response_due.date().isoformat() == "2027-01-08"  # 6 open days of 8 h


def test_central_wording(tmp_path: Path) -> None:
    table = holiday_table(tmp_path, "[]")
    decision = table.decide(facts(datetime(2026, 11, 20, 18, tzinfo=ZoneInfo("America/Chicago"))))
    assert "We're back Monday at 9:00 Central" in decision.customer_message
