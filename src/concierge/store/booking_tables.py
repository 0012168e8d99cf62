"""SQLModel tables for booked meetings (on the same metadata as :mod:`concierge.store.tables`).

Times are Unix seconds (float), as in every other table. A booking keeps what its invitation
needs (title, host name, organizer and attendee addresses), so the ``.ics`` can be served
even after the playbook's meeting type changes.
"""

from __future__ import annotations

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

BOOKED = "booked"
CANCELLED = "cancelled"
_ONLY_BOOKED = text("status = 'booked'")


class MeetingBooking(SQLModel, table=True):
    """A meeting a customer booked with a host.

    ``starts_at``-``ends_at`` is the meeting; ``blocked_from``-``blocked_until`` adds the
    meeting type's buffers, the time the host cannot take another meeting. ``sequence`` is the
    SEQUENCE of the latest iCalendar object issued for ``uid`` (0 when booked, one more for
    each reschedule and for the cancellation). At most one booked meeting per host and start.
    """

    __tablename__ = "meeting_bookings"
    __table_args__ = (
        Index(
            "uq_meeting_bookings_host_start",
            "host_id",
            "starts_at",
            unique=True,
            sqlite_where=_ONLY_BOOKED,
            postgresql_where=_ONLY_BOOKED,
        ),
        Index("ix_meeting_bookings_host_blocked", "host_id", "blocked_from", "blocked_until"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=64, unique=True)
    meeting: str = Field(max_length=120)
    title: str = Field(max_length=200)
    team: str = Field(max_length=120)
    host_id: str = Field(max_length=64)
    host_name: str = Field(max_length=200)
    starts_at: float
    ends_at: float
    blocked_from: float
    blocked_until: float
    conversation_id: str | None = Field(default=None, max_length=64, index=True)
    contact_id: str | None = Field(default=None, max_length=64, index=True)
    attendee_email: str = Field(max_length=320)
    organizer_email: str = Field(max_length=320)
    status: str = Field(default=BOOKED, max_length=16)
    sequence: int = 0
    created_at: float
    updated_at: float


class MeetingHostLock(SQLModel, table=True):
    """One row per host: a booking locks it first, so bookings for one host are checked and
    written one after the other, also across server instances."""

    __tablename__ = "meeting_host_locks"

    host_id: str = Field(primary_key=True, max_length=64)
    updated_at: float
