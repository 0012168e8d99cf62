"""What the customer is told at hand-off, in plain words that respect office hours.

Open: "I've passed this to our Sales team. Someone will reply within 2 hours."
Closed: "Our Sales team is offline right now. We're back Monday at 8:00 Pacific and will reply
then." The day is "today", "tomorrow" or a weekday name (never a calendar date); the time is
24-hour without a leading zero; the zone is a friendly name (Pacific, Mountain, Central,
Eastern, ...) or else the timezone's abbreviation. When the next opening is more than six
days away (a long holiday) the message says "after the holiday" with no day or time; when
there is no opening within the look-ahead, it promises only a reply when the team is back.
Given the customer's timezone, the time is repeated in it: "(11:00 Eastern your time)".

When nobody of an open team is available (everyone away, off shift or at their cap) the
customer hears that, and where the conversation went instead: the team's queue with the
expected reply, or the next team of the routing rule's ladder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

WEEK_WORDS = 6
DEFAULT_REPLY = "as soon as they can"

_FRIENDLY = {
    "Pacific": "America/Los_Angeles America/Vancouver America/Tijuana US/Pacific PST8PDT",
    "Mountain": "America/Denver America/Edmonton America/Boise America/Phoenix "
    "America/Yellowknife US/Mountain US/Arizona MST7MDT",
    "Central": "America/Chicago America/Winnipeg America/Regina America/Mexico_City "
    "America/Indiana/Knox America/Menominee America/North_Dakota/Center US/Central CST6CDT",
    "Eastern": "America/New_York America/Toronto America/Detroit America/Montreal "
    "America/Indiana/Indianapolis America/Kentucky/Louisville US/Eastern EST5EDT",
    "Atlantic": "America/Halifax America/Moncton America/Puerto_Rico",
    "Newfoundland": "America/St_Johns",
    "Alaska": "America/Anchorage America/Juneau US/Alaska",
    "Hawaii": "Pacific/Honolulu US/Hawaii",
}
FRIENDLY_ZONES = {key: name for name, keys in _FRIENDLY.items() for key in keys.split()}


def zone_name(zone: ZoneInfo, at: datetime) -> str:
    """A friendly name for the zone ("Pacific"), else its abbreviation at ``at`` ("CET")."""
    if zone.key in FRIENDLY_ZONES:
        return FRIENDLY_ZONES[zone.key]
    abbreviation = at.astimezone(zone).tzname() or zone.key
    return f"UTC{abbreviation}" if abbreviation[:1] in "+-" else abbreviation


def clock(moment: datetime) -> str:
    """24-hour time without a leading zero: ``8:00``, ``13:30``."""
    return f"{moment.hour}:{moment.minute:02d}"


def day_word(moment: datetime, now: datetime, zone: ZoneInfo) -> str | None:
    """ "today", "tomorrow" or the weekday name in ``zone``; ``None`` beyond six days."""
    days = (moment.astimezone(zone).date() - now.astimezone(zone).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return moment.astimezone(zone).strftime("%A") if days <= WEEK_WORDS else None


def team_words(name: str) -> str:
    """ "our Sales team" (without doubling "team" for "Senior loan team")."""
    return f"our {name}" if name.casefold().endswith("team") else f"our {name} team"


@dataclass(frozen=True)
class Audience:
    """Who is told: the team's name and zone, and the customer's zone when known."""

    team_name: str
    team_zone: ZoneInfo
    customer_zone: ZoneInfo | None = None


def _when(moment: datetime, now: datetime, zone: ZoneInfo) -> tuple[str, str]:
    local = moment.astimezone(zone)
    return day_word(moment, now, zone) or local.strftime(
        "%A"
    ), f"{clock(local)} {zone_name(zone, moment)}"


def _customer_part(moment: datetime, now: datetime, audience: Audience) -> str:
    if audience.customer_zone is None:
        return ""
    team_day, team_time = _when(moment, now, audience.team_zone)
    day, time_text = _when(moment, now, audience.customer_zone)
    if time_text == team_time:
        return ""
    return f" ({time_text} your time)" if day == team_day else f" ({day} at {time_text} your time)"


def open_message(audience: Audience, expected_reply: str | None) -> str:
    """The message when the team is open now."""
    reply = expected_reply or DEFAULT_REPLY
    return f"I've passed this to {team_words(audience.team_name)}. Someone will reply {reply}."


def closed_message(audience: Audience, now: datetime, next_open: datetime | None) -> str:
    """The message when the team is closed, with when it is back (never a calendar date)."""
    team = team_words(audience.team_name)
    offline = f"{team[0].upper()}{team[1:]} is offline right now."
    if next_open is None:
        return f"{offline} We'll reply as soon as we're back."
    day = day_word(next_open, now, audience.team_zone)
    if day is None:
        return f"{offline} We're back after the holiday and will reply then."
    _, time_text = _when(next_open, now, audience.team_zone)
    customer = _customer_part(next_open, now, audience)
    return f"{offline} We're back {day} at {time_text}{customer} and will reply then."


def unavailable_words(audience: Audience) -> str:
    """ "Nobody on our Sales team is free right now." """
    return f"Nobody on {team_words(audience.team_name)} is free right now."


def queue_message(
    audience: Audience,
    now: datetime,
    *,
    open_now: bool,
    next_open: datetime | None,
    expected_reply: str | None,
) -> str:
    """The message when the hand-off goes to the team's queue because nobody is available:
    closed, when the team is back (in the customer's zone too when known); open but everyone
    away, busy or off shift, that it waits in the queue and the expected reply."""
    if not open_now:
        return closed_message(audience, now, next_open)
    reply = expected_reply or DEFAULT_REPLY
    return (
        f"{unavailable_words(audience)} I've put this in their queue; someone will reply {reply}."
    )


def next_team_message(unavailable: Audience, taking: Audience, expected_reply: str | None) -> str:
    """The message when the next team of the ladder takes the conversation."""
    reply = expected_reply or DEFAULT_REPLY
    return (
        f"{unavailable_words(unavailable)} I've passed this to {team_words(taking.team_name)} "
        f"instead. Someone will reply {reply}."
    )


def slot_label(start: datetime, zone: ZoneInfo) -> str:
    """A meeting time as a button: ``Tue 2 Dec 10:00 AM PST`` in ``zone``."""
    local = start.astimezone(zone)
    hour = local.hour % 12 or 12
    noon = "AM" if local.hour < 12 else "PM"
    return f"{local:%a} {local.day} {local:%b} {hour}:{local.minute:02d} {noon} {local:%Z}"
