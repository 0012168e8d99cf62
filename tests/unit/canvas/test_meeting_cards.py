"""The Messenger slot picker's screens and the Inbox panel's "send booking card" button: what
the customer and the agent see, checked against Intercom's Canvas Kit schemas."""

from __future__ import annotations

from typing import Any

from concierge.canvas import inbox, meeting_cards
from concierge.canvas.builders import canvas, respond, text
from concierge.canvas.meeting_cards import SlotChoice
from concierge.canvas.responses import CanvasResponse
from tests.unit.canvas.spec import canvas_spec_errors, spec_errors

SLOTS = [
    SlotChoice("1772474400", "Mon 2 Mar 10:00 AM PST"),
    SlotChoice("1772476200", "Mon 2 Mar 10:30 AM PST"),
]


def components(wire: dict[str, Any]) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = wire["canvas"]["content"]["components"]
    return shown


def labels(wire: dict[str, Any]) -> list[str]:
    return [c["label"] for c in components(wire) if c["type"] == "button"]


def texts(wire: dict[str, Any]) -> list[str]:
    return [c["text"] for c in components(wire) if c["type"] == "text"]


def rows(wire: dict[str, Any]) -> dict[str, str]:
    tables = [c for c in components(wire) if c["type"] == "data-table"]
    return {row["field"]: row["value"] for table in tables for row in table["items"]}


def valid(response: CanvasResponse) -> dict[str, Any]:
    wire = response.to_wire()
    assert spec_errors(wire, "submit_response") == []
    assert canvas_spec_errors(wire["canvas"]) == []
    return wire


def test_slot_list_shows_each_time_as_a_button_and_remembers_them() -> None:
    wire = valid(meeting_cards.slot_list("quote_review", "Quote review", SLOTS, "Pacific time"))
    assert labels(wire) == ["Mon 2 Mar 10:00 AM PST", "Mon 2 Mar 10:30 AM PST", "Back"]
    assert "Pick a time that suits you (times in Pacific time)." in texts(wire)
    assert components(wire)[2]["id"] == "slot:1772474400"
    stored = wire["canvas"]["stored_data"]
    assert stored["screen"] == "meeting_slots"
    assert stored["slots"]["1772476200"] == "Mon 2 Mar 10:30 AM PST"
    assert "event" not in wire


def test_taken_slot_shows_the_fresh_list_with_the_reason_in_error_style() -> None:
    wire = valid(
        meeting_cards.slot_list(
            "quote_review", "Quote review", SLOTS[1:], "Pacific time", notice=meeting_cards.TAKEN
        )
    )
    notice = components(wire)[1]
    assert notice["style"] == "error"
    assert "that time was just taken" in notice["text"]
    assert labels(wire) == ["Mon 2 Mar 10:30 AM PST", "Back"]


def test_no_free_times_says_so_and_offers_the_way_back() -> None:
    wire = valid(meeting_cards.slot_list("quote_review", "Quote review", [], "Pacific time"))
    assert labels(wire) == ["Back"]
    assert any("no free times" in line for line in texts(wire))


def test_confirm_with_a_known_email_shows_where_the_invitation_goes() -> None:
    wire = valid(meeting_cards.confirm("quote_review", "Quote review", SLOTS[0], "ada@x.com"))
    assert rows(wire) == {
        "Meeting": "Quote review",
        "When": "Mon 2 Mar 10:00 AM PST",
        "Invitation to": "ada@x.com",
    }
    assert not [c for c in components(wire) if c["type"] == "input"]
    assert labels(wire) == ["Book it", "Pick another time"]
    assert wire["canvas"]["stored_data"]["start"] == "1772474400"


def test_confirm_without_an_email_asks_for_one() -> None:
    wire = valid(meeting_cards.confirm("quote_review", "Quote review", SLOTS[0], None))
    field = next(c for c in components(wire) if c["type"] == "input")
    assert field["id"] == "email"
    assert "Invitation to" not in rows(wire)


def test_a_bad_email_is_marked_failed_with_a_hint_and_kept() -> None:
    problem = meeting_cards.email_problem("ada at home")
    assert problem is not None
    assert meeting_cards.email_problem("ada@example.com") is None
    wire = valid(
        meeting_cards.confirm(
            "quote_review", "Quote review", SLOTS[0], "ada at home", email_problem=problem
        )
    )
    field = next(c for c in components(wire) if c["type"] == "input")
    assert (field["save_state"], field["value"]) == ("failed", "ada at home")
    assert problem in texts(wire)


def test_done_confirms_links_the_invitation_and_completes() -> None:
    url = "https://concierge.example/meetings/abcdefghijklmnopqrstuvwx.ics"
    wire = valid(meeting_cards.done("Quote review", SLOTS[0].label, "Maya Chen", "ada@x.com", url))
    assert wire["event"] == {"type": "completed"}
    assert rows(wire)["With"] == "Maya Chen"
    link = next(c for c in components(wire) if c["type"] == "button")
    assert link["action"] == {"type": "url", "url": url}


def test_meeting_types_offer_one_button_each() -> None:
    wire = valid(meeting_cards.meeting_types({"quote_review": "Quote review", "tour": "Tour"}))
    assert [c["id"] for c in components(wire) if c["type"] == "button"] == [
        "meeting:quote_review",
        "meeting:tour",
        "start_over",
    ]


def test_inbox_send_booking_card_returns_card_creation_options() -> None:
    panel = respond(canvas(text("Concierge")))
    meetings = {"quote_review": "Quote review"}
    wire = valid(
        inbox.with_actions(
            panel,
            {},
            None,
            "Booking card added to your reply.",
            meetings=meetings,
            card_creation_options={"meeting": "quote_review"},
        )
    )
    assert wire["card_creation_options"] == {"meeting": "quote_review"}
    assert "Send booking card: Quote review" in labels(wire)
    assert inbox.booking_request("send_booking:quote_review", meetings) == "quote_review"
    assert inbox.booking_request("send_booking:gone", meetings) is None
    assert inbox.booking_request("refresh", meetings) is None


BOOKED = meeting_cards.BookedMeeting(
    "abcdefghijklmnopqrstuvwx",
    "quote_review",
    "Quote review",
    "Tue 2 Dec 10:00 AM PST",
    "Maya Chen",
)


def test_current_meeting_is_shown_with_reschedule_cancel_and_book_another() -> None:
    wire = valid(meeting_cards.current(BOOKED))
    assert "Your meeting: Quote review, Tue 2 Dec 10:00 AM PST with Maya Chen" in texts(wire)
    assert labels(wire) == ["Reschedule", "Cancel meeting", "Book another", "Back"]
    stored = wire["canvas"]["stored_data"]
    assert stored["screen"] == "meeting_manage"
    assert meeting_cards.BookedMeeting.from_state(stored) == BOOKED
    assert "event" not in wire


def test_rescheduling_slot_list_remembers_the_booking_it_moves() -> None:
    wire = valid(
        meeting_cards.slot_list(
            "quote_review", "Quote review", SLOTS, "Pacific time", moving=BOOKED.uid
        )
    )
    assert texts(wire)[0] == "Reschedule your quote review"
    assert wire["canvas"]["stored_data"]["uid"] == BOOKED.uid
    plain = valid(meeting_cards.slot_list("quote_review", "Quote review", SLOTS, "Pacific time"))
    assert meeting_cards.BookedMeeting.from_state(plain["canvas"]["stored_data"]) is None


def test_cancel_asks_to_confirm_before_anything_changes() -> None:
    wire = valid(meeting_cards.cancel_confirm(BOOKED))
    assert rows(wire) == {
        "Meeting": "Quote review",
        "When": "Tue 2 Dec 10:00 AM PST",
        "With": "Maya Chen",
    }
    assert labels(wire) == ["Yes, cancel it", "Keep it"]
    assert wire["canvas"]["stored_data"]["screen"] == "meeting_cancel"
    assert "event" not in wire


def test_cancelled_says_so_links_the_cancellation_and_completes() -> None:
    url = f"https://concierge.example/meetings/{BOOKED.uid}.ics"
    wire = valid(meeting_cards.cancelled(BOOKED, url))
    assert wire["event"] == {"type": "completed"}
    assert any(line.startswith("Cancelled. Your Quote review, Tue 2 Dec") for line in texts(wire))
    link = next(c for c in components(wire) if c["type"] == "button")
    assert link["action"] == {"type": "url", "url": url}


def test_moved_meeting_done_screen_says_it_moved() -> None:
    url = f"https://concierge.example/meetings/{BOOKED.uid}.ics"
    wire = valid(
        meeting_cards.done(
            "Quote review", SLOTS[1].label, "Maya Chen", "ada@x.com", url, heading="Meeting moved"
        )
    )
    assert texts(wire)[0] == "Meeting moved"
    assert rows(wire)["When"] == "Mon 2 Mar 10:30 AM PST"
    assert wire["event"] == {"type": "completed"}
