"""The Messenger slot picker: choose a meeting type, pick a time, confirm, done.

The screens are built in code (each shows a list that only the server knows: the free slots),
from plain values the web layer computes (slot labels already in the customer's timezone), so
nothing here knows about calendars or the store. State travels in ``stored_data``::

    {"screen": "meeting_slots", "meeting": "quote_review", "title": "Quote review",
     "slots": {"1772470800": "Mon 2 Mar 10:00 AM PST", ...}}          # picking a time
    {"screen": "meeting_confirm", "meeting": ..., "title": ..., "start": "1772470800",
     "label": "Mon 2 Mar 10:00 AM PST"}                                 # confirming

A slot's id is its start as whole seconds since the epoch (UTC), so the server can book
exactly the time the customer clicked. The done screen ends the app's job
(``event: completed``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from concierge.canvas.builders import (
    button,
    canvas,
    data_table,
    error_text,
    link_button,
    respond,
    text,
    text_input,
)
from concierge.canvas.components import Component, Input
from concierge.canvas.input_rules import parse_rule
from concierge.canvas.responses import CanvasResponse

BOOK = "book_meeting"
"""The home card's "Book a meeting" button."""
CHOOSE_SCREEN, SLOTS_SCREEN, CONFIRM_SCREEN, DONE_SCREEN = (
    "meeting_types",
    "meeting_slots",
    "meeting_confirm",
    "meeting_done",
)
SCREENS = frozenset({CHOOSE_SCREEN, SLOTS_SCREEN, CONFIRM_SCREEN, DONE_SCREEN})
MEETING_PREFIX, SLOT_PREFIX = "meeting:", "slot:"
CONFIRM, OTHER_TIME, HOME = "confirm_meeting", "other_time", "start_over"
EMAIL = "email"
TAKEN = "Sorry, that time was just taken. Here are the next free times."
EMAIL_RULE = parse_rule({"rule": "email", "hint": "Please enter the email for the invitation."})


@dataclass(frozen=True)
class SlotChoice:
    """A free time as the customer sees it: its id (start, epoch seconds) and its label."""

    id: str
    label: str


def _state(screen: str, **values: Any) -> dict[str, Any]:
    return {"screen": screen, **values}


def meeting_types(meetings: Mapping[str, str]) -> CanvasResponse:
    """Which meeting to book (``meetings``: name → title), one button each."""
    buttons = [button(f"{MEETING_PREFIX}{name}", title) for name, title in meetings.items()]
    back = button(HOME, "Back", style="link")
    header = text("Book a meeting", style="header")
    shown = canvas(header, *buttons, back, stored_data=_state(CHOOSE_SCREEN))
    return respond(shown)


def slot_list(
    meeting: str,
    title: str,
    slots: Sequence[SlotChoice],
    zone_words: str,
    *,
    notice: str | None = None,
) -> CanvasResponse:
    """The next free times of ``meeting`` as buttons (``notice``: why the list is shown again,
    in error style). With no free times, says so and offers the way back."""
    components: list[Component] = [text(f"Book a {title.lower()}", style="header")]
    if notice:
        components.append(error_text(notice))
    if slots:
        components.append(text(f"Pick a time that suits you (times in {zone_words})."))
        components += [button(f"{SLOT_PREFIX}{slot.id}", slot.label) for slot in slots]
    else:
        components.append(
            text(
                "There are no free times to book just now. Reply in this conversation and "
                "we'll find a time with you."
            )
        )
    components.append(button(HOME, "Back", style="link"))
    stored = _state(
        SLOTS_SCREEN, meeting=meeting, title=title, slots={s.id: s.label for s in slots}
    )
    return respond(canvas(*components, stored_data=stored))


def confirm(
    meeting: str, title: str, slot: SlotChoice, email: str | None, *, email_problem: str = ""
) -> CanvasResponse:
    """The chosen time to confirm; asks for the email for the invitation when not known (or
    when the one entered is not an address: ``email_problem`` is the hint shown)."""
    rows = [("Meeting", title), ("When", slot.label)]
    components: list[Component] = [text("Confirm your meeting", style="header")]
    if email and not email_problem:
        components.append(data_table([*rows, ("Invitation to", email)]))
    else:
        components.append(data_table(rows))
        field = text_input(EMAIL, "Email for the invitation", placeholder="you@company.com")
        if email_problem:
            field = Input.model_validate(
                {**field.model_dump(), "value": email or None, "save_state": "failed"}
            )
            components += [field, error_text(email_problem)]
        else:
            components.append(field)
    components += [
        button(CONFIRM, "Book it"),
        button(OTHER_TIME, "Pick another time", style="secondary"),
    ]
    stored = _state(
        CONFIRM_SCREEN,
        meeting=meeting,
        title=title,
        start=slot.id,
        label=slot.label,
        email=email if email and not email_problem else None,
    )
    return respond(canvas(*components, stored_data=stored))


def email_problem(value: Any) -> str | None:
    """The hint when an entered email is missing or not an address; ``None`` when fine."""
    return EMAIL_RULE.problem(value)


def done(title: str, label: str, host_name: str, email: str, invitation_url: str) -> CanvasResponse:
    """The booking confirmed, with the invitation to download. Ends the app's job."""
    components: list[Component] = [
        text("You're booked", style="header"),
        data_table([("Meeting", title), ("When", label), ("With", host_name), ("Email", email)]),
        text(
            "We've noted it in this conversation. Add it to your calendar with the "
            "invitation below; reply here if you need to change it."
        ),
        link_button("invitation", "Add to calendar (.ics)", invitation_url),
    ]
    stored = _state(DONE_SCREEN, title=title, label=label)
    return respond(canvas(*components, stored_data=stored), completed=True)


def failed(message: str) -> CanvasResponse:
    """The booking could not be made for a reason other than the time being taken."""
    components: list[Component] = [
        text("We couldn't book that", style="header"),
        error_text(message),
        button(HOME, "Back to the start", style="secondary"),
    ]
    return respond(canvas(*components, stored_data=_state(CHOOSE_SCREEN)))
