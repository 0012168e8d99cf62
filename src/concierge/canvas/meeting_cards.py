"""The Messenger slot picker: choose a meeting type, pick a time, confirm, done.

The screens are built in code (each shows a list that only the server knows: the free slots),
from plain values the web layer computes (slot labels already in the customer's timezone), so
nothing here knows about calendars or the store. State travels in ``stored_data``::

    {"screen": "meeting_slots", "meeting": "quote_review", "title": "Quote review",
     "slots": {"1772470800": "Mon 2 Mar 10:00 AM PST", ...}}          # picking a time
    {"screen": "meeting_confirm", "meeting": ..., "title": ..., "start": "1772470800",
     "label": "Mon 2 Mar 10:00 AM PST"}                                 # confirming
    {"screen": "meeting_manage", "uid": "...", "meeting": ..., "title": ..., "label": ...,
     "host": "Maya Chen"}                          # the customer's booked meeting, to change
    {"screen": "meeting_slots", "uid": "...", ...}   # picking the new time of that meeting
    {"screen": "meeting_cancel", "uid": "...", ...}  # confirming its cancellation

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
MANAGE_SCREEN, CANCEL_SCREEN = "meeting_manage", "meeting_cancel"
SCREENS = frozenset(
    {CHOOSE_SCREEN, SLOTS_SCREEN, CONFIRM_SCREEN, DONE_SCREEN, MANAGE_SCREEN, CANCEL_SCREEN}
)
MEETING_PREFIX, SLOT_PREFIX = "meeting:", "slot:"
CONFIRM, OTHER_TIME, HOME = "confirm_meeting", "other_time", "start_over"
RESCHEDULE, CANCEL, BOOK_ANOTHER = "reschedule_meeting", "cancel_meeting", "book_another"
CANCEL_CONFIRMED = "cancel_meeting_confirmed"
EMAIL = "email"
TAKEN = "Sorry, that time was just taken. Here are the next free times."
EMAIL_RULE = parse_rule({"rule": "email", "hint": "Please enter the email for the invitation."})


@dataclass(frozen=True)
class SlotChoice:
    """A free time as the customer sees it: its id (start, epoch seconds) and its label."""

    id: str
    label: str


@dataclass(frozen=True)
class BookedMeeting:
    """The customer's booked meeting as they see it: its uid, meeting type (name and title),
    its time (a label in the customer's timezone) and its host's name."""

    uid: str
    meeting: str
    title: str
    label: str
    host_name: str

    @property
    def summary(self) -> str:
        """``Quote review, Tue 2 Dec 10:00 AM PST with Maya Chen``."""
        return f"{self.title}, {self.label} with {self.host_name}"

    def state(self, screen: str) -> dict[str, Any]:
        """``stored_data`` for ``screen`` about this meeting."""
        return _state(
            screen,
            uid=self.uid,
            meeting=self.meeting,
            title=self.title,
            label=self.label,
            host=self.host_name,
        )

    @classmethod
    def from_state(cls, stored: Mapping[str, Any]) -> BookedMeeting | None:
        """The meeting ``stored_data`` is about, or ``None`` when it names no booking."""
        uid = stored.get("uid")
        if not uid:
            return None
        words = (str(stored.get(key) or "") for key in ("meeting", "title", "label", "host"))
        return cls(str(uid), *words)


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
    moving: str | None = None,
) -> CanvasResponse:
    """The next free times of ``meeting`` as buttons (``notice``: why the list is shown again,
    in error style). With no free times, says so and offers the way back. ``moving`` is the
    uid of the booking a picked time moves it to (rescheduling), remembered in the state."""
    heading = f"Reschedule your {title.lower()}" if moving else f"Book a {title.lower()}"
    components: list[Component] = [text(heading, style="header")]
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
    if moving:
        stored["uid"] = moving
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


def done(
    title: str,
    label: str,
    host_name: str,
    email: str,
    invitation_url: str,
    *,
    heading: str = "You're booked",
) -> CanvasResponse:
    """The booking confirmed (or moved: ``heading`` says so), with the invitation to
    download. Ends the app's job."""
    components: list[Component] = [
        text(heading, style="header"),
        data_table([("Meeting", title), ("When", label), ("With", host_name), ("Email", email)]),
        text(
            "We've noted it in this conversation. Add it to your calendar with the "
            "invitation below; reply here if you need to change it."
        ),
        link_button("invitation", "Add to calendar (.ics)", invitation_url),
    ]
    stored = _state(DONE_SCREEN, title=title, label=label)
    return respond(canvas(*components, stored_data=stored), completed=True)


def current(booked: BookedMeeting) -> CanvasResponse:
    """The customer's upcoming booked meeting, to move, cancel, or book another beside it."""
    components: list[Component] = [
        text("Your meeting", style="header"),
        text(f"Your meeting: {booked.summary}"),
        button(RESCHEDULE, "Reschedule"),
        button(CANCEL, "Cancel meeting", style="secondary"),
        button(BOOK_ANOTHER, "Book another", style="secondary"),
        button(HOME, "Back", style="link"),
    ]
    return respond(canvas(*components, stored_data=booked.state(MANAGE_SCREEN)))


def cancel_confirm(booked: BookedMeeting) -> CanvasResponse:
    """Asks the customer to confirm cancelling their meeting."""
    components: list[Component] = [
        text("Cancel your meeting?", style="header"),
        data_table([("Meeting", booked.title), ("When", booked.label), ("With", booked.host_name)]),
        button(CANCEL_CONFIRMED, "Yes, cancel it"),
        button(HOME, "Keep it", style="secondary"),
    ]
    return respond(canvas(*components, stored_data=booked.state(CANCEL_SCREEN)))


def cancelled(booked: BookedMeeting, cancellation_url: str) -> CanvasResponse:
    """The meeting cancelled, with the cancellation for the customer's calendar. Ends the
    app's job."""
    components: list[Component] = [
        text("Meeting cancelled", style="header"),
        text(
            f"Cancelled. Your {booked.summary} is off; we've noted it in this conversation. "
            "Remove it from your calendar with the cancellation below."
        ),
        link_button("cancellation", "Update your calendar (.ics)", cancellation_url),
    ]
    stored = _state(DONE_SCREEN, title=booked.title, label=booked.label)
    return respond(canvas(*components, stored_data=stored), completed=True)


def failed(message: str, *, heading: str = "We couldn't book that") -> CanvasResponse:
    """The booking could not be made (or changed: ``heading`` says so) for a reason other
    than the time being taken."""
    components: list[Component] = [
        text(heading, style="header"),
        error_text(message),
        button(HOME, "Back to the start", style="secondary"),
    ]
    return respond(canvas(*components, stored_data=_state(CHOOSE_SCREEN)))
