"""What the customer is told when nobody is available: honest, in their timezone, DST-safe."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from concierge.routing.wording import Audience, next_team_message, queue_message, slot_label

PACIFIC = ZoneInfo("America/Los_Angeles")
EASTERN = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def sales(customer: ZoneInfo | None = None) -> Audience:
    return Audience("Sales", PACIFIC, customer)


def test_closed_queue_says_when_back_in_the_customers_zone_too() -> None:
    now = datetime(2026, 11, 28, 22, 30, tzinfo=PACIFIC)  # Saturday night
    monday = datetime(2026, 11, 30, 7, 30, tzinfo=PACIFIC)
    text = queue_message(
        sales(EASTERN), now, open_now=False, next_open=monday, expected_reply="within an hour"
    )
    assert "offline right now" in text
    # Saturday 22:30 Pacific is already Sunday in New York: Monday is "tomorrow" there
    assert "Monday at 7:30 Pacific (tomorrow at 10:30 Eastern your time)" in text


def test_next_open_across_the_dst_change_uses_the_local_clock() -> None:
    # Saturday 31 Oct 2026 18:00 in Los Angeles (PDT, Sunday 2:00 in Berlin); clocks go back
    # on Sunday 1 Nov, so Monday 7:30 PST is 16:30 in Berlin (CET), not 15:30.
    now = datetime(2026, 10, 31, 18, 0, tzinfo=PACIFIC)
    monday = datetime(2026, 11, 2, 7, 30, tzinfo=PACIFIC)
    text = queue_message(sales(BERLIN), now, open_now=False, next_open=monday, expected_reply=None)
    assert "Monday at 7:30 Pacific (tomorrow at 16:30 CET your time)" in text


def test_customer_zone_the_same_day_word_gives_only_the_time() -> None:
    now = datetime(2026, 11, 29, 12, 0, tzinfo=PACIFIC)  # Sunday noon: Monday 5:00 in Tokyo
    monday = datetime(2026, 11, 30, 7, 30, tzinfo=PACIFIC)  # Tuesday 0:30 in Tokyo
    tokyo = Audience("Sales", PACIFIC, ZoneInfo("Asia/Tokyo"))
    text = queue_message(tokyo, now, open_now=False, next_open=monday, expected_reply=None)
    assert "back tomorrow at 7:30 Pacific (0:30 JST your time)" in text


def test_open_team_with_nobody_free_says_queue_and_the_reply_time() -> None:
    now = datetime(2026, 11, 24, 10, 0, tzinfo=PACIFIC)
    text = queue_message(
        sales(), now, open_now=True, next_open=None, expected_reply="within 20 minutes"
    )
    assert text == (
        "Nobody on our Sales team is free right now. I've put this in their queue; "
        "someone will reply within 20 minutes."
    )


def test_next_team_message_names_both_teams() -> None:
    text = next_team_message(Audience("Catalog", PACIFIC), Audience("Sales", PACIFIC), None)
    assert text.startswith("Nobody on our Catalog team is free right now.")
    assert "passed this to our Sales team instead" in text


def test_slot_label_in_the_customers_zone_with_its_abbreviation() -> None:
    start = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    assert slot_label(start, PACIFIC) == "Tue 1 Dec 10:00 AM PST"
    assert slot_label(start, EASTERN) == "Tue 1 Dec 1:00 PM EST"
    summer = datetime(2026, 7, 7, 19, 30, tzinfo=UTC)
    assert slot_label(summer, PACIFIC) == "Tue 7 Jul 12:30 PM PDT"
