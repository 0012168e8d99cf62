"""SLA tiers and when a first response is due.

For a team with office hours the tier's hours are counted in **business hours**: only time
while the team is open counts, so a high-tier (4 h) conversation arriving Friday 16:00
Pacific, with hours 08:00-17:00 on weekdays, is due Monday 11:00 Pacific. A conversation
arriving while the team is closed starts counting when it opens. A team without office hours
(always staffed) counts calendar hours, as does a team whose hours leave no open time within
about a year (the result is then honest about the promise, not silently infinite).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from concierge.domain.decisions import SlaTier
from concierge.routing.hours import OfficeHours

SLA_HOURS: dict[SlaTier, int] = {"critical": 1, "high": 4, "medium": 24, "low": 48}
BUSINESS_HOURS = "business hours"
CALENDAR_HOURS = "calendar hours"


def first_response_due(
    now: datetime, tier: SlaTier, hours: OfficeHours | None, zone: ZoneInfo
) -> tuple[datetime, str]:
    """When the first response is due (in ``zone`` or the team's zone) and how it was counted."""
    allowed = timedelta(hours=SLA_HOURS[tier])
    if hours is not None:
        due = hours.add_open_time(now, allowed)
        if due is not None:
            return due, BUSINESS_HOURS
    return (now.astimezone(UTC) + allowed).astimezone(zone), CALENDAR_HOURS
