"""bot decisions and conversation state

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 08:25:43.496916
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lead_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("admin_id", sa.String(length=64), nullable=True),
        sa.Column("qualified", sa.Boolean(), nullable=False),
        sa.Column("intent", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lead_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lead_feedback_conversation_id"), ["conversation_id"], unique=False
        )

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=120), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["webhook_events.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decisions_conversation_id"), ["conversation_id"], unique=False
        )

    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("intent", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("confidence", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("flow_state", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("answers", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.add_column(
            sa.Column("fallback_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("offered", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("score", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("route", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("qualified", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("qualified")
        batch_op.drop_column("route")
        batch_op.drop_column("score")
        batch_op.drop_column("offered")
        batch_op.drop_column("fallback_count")
        batch_op.drop_column("answers")
        batch_op.drop_column("flow_state")
        batch_op.drop_column("confidence")
        batch_op.drop_column("intent")

    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_conversation_id"))

    op.drop_table("decisions")
    with op.batch_alter_table("lead_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lead_feedback_conversation_id"))

    op.drop_table("lead_feedback")
