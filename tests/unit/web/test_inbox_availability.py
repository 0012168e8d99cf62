"""What the Inbox panel says about the routed team's availability while it is closed."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from concierge.routing.agents import AgentAvailability, TeamAvailability
from concierge.web.inbox import availability_facts

LA = ZoneInfo("America/Los_Angeles")


def test_closed_team_shows_its_next_opening_in_its_timezone_and_why_agents_are_off() -> None:
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=LA)
    off = AgentAvailability(
        "9000101", "Maya Chen", False, False, "Sat off America/Los_Angeles", 0, 8
    )
    seen = TeamAvailability(
        team="sales",
        team_name="Sales",
        at=saturday,
        open_now=False,
        next_open=datetime(2026, 3, 9, 7, 30, tzinfo=LA),
        expected_reply="within a few hours",
        agents=(off,),
    )
    facts = availability_facts(seen, LA)
    assert facts["open"] == "closed"
    assert facts["next_open"] == "Mon 9 Mar 7:30 AM PDT"
    assert facts["online"] == "nobody (0 of 1)"
    assert facts["unavailable"] == [
        {"name": "Maya Chen", "reason": "outside working hours (Sat off America/Los_Angeles)"}
    ]
