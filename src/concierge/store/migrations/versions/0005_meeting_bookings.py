"""Booked meetings, with at most one booked meeting per host and start, and per-host locks.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ONLY_BOOKED = sa.text("status = 'booked'")


def upgrade() -> None:
    op.create_table(
        "meeting_bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("meeting", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("team", sa.String(length=120), nullable=False),
        sa.Column("host_id", sa.String(length=64), nullable=False),
        sa.Column("host_name", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.Float(), nullable=False),
        sa.Column("ends_at", sa.Float(), nullable=False),
        sa.Column("blocked_from", sa.Float(), nullable=False),
        sa.Column("blocked_until", sa.Float(), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=True),
        sa.Column("contact_id", sa.String(length=64), nullable=True),
        sa.Column("attendee_email", sa.String(length=320), nullable=False),
        sa.Column("organizer_email", sa.String(length=320), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    with op.batch_alter_table("meeting_bookings", schema=None) as batch_op:
        batch_op.create_index(
            "uq_meeting_bookings_host_start",
            ["host_id", "starts_at"],
            unique=True,
            sqlite_where=ONLY_BOOKED,
            postgresql_where=ONLY_BOOKED,
        )
        batch_op.create_index(
            "ix_meeting_bookings_host_blocked",
            ["host_id", "blocked_from", "blocked_until"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_bookings_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_bookings_contact_id"), ["contact_id"], unique=False
        )
    op.create_table(
        "meeting_host_locks",
        sa.Column("host_id", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("host_id"),
    )


def downgrade() -> None:
    op.drop_table("meeting_host_locks")
    with op.batch_alter_table("meeting_bookings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_bookings_contact_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_bookings_conversation_id"))
        batch_op.drop_index("ix_meeting_bookings_host_blocked")
        batch_op.drop_index("uq_meeting_bookings_host_start")
    op.drop_table("meeting_bookings")
