"""Synced Intercom directory, round-robin counters and the assignment log.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "directory_admins",
        sa.Column("admin_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("away", sa.Boolean(), nullable=False),
        sa.Column("away_reassign", sa.Boolean(), nullable=False),
        sa.Column("team_ids", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.Column("synced_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("admin_id"),
    )
    op.create_table(
        "directory_teams",
        sa.Column("team_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("admin_ids", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.Column("synced_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("team_id"),
    )
    op.create_table(
        "round_robin_teams",
        sa.Column("team", sa.String(length=120), nullable=False),
        sa.Column("picks", sa.Integer(), nullable=False),
        sa.Column("reset_at", sa.Float(), nullable=True),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("team"),
    )
    op.create_table(
        "round_robin_counters",
        sa.Column("team", sa.String(length=120), nullable=False),
        sa.Column("admin_id", sa.String(length=64), nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("assigned", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("team", "admin_id"),
    )
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("team", sa.String(length=120), nullable=False),
        sa.Column("intercom_team_id", sa.String(length=64), nullable=True),
        sa.Column("admin_id", sa.String(length=64), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("availability", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignments_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assignments_team"), ["team"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_created_at"))
        batch_op.drop_index(batch_op.f("ix_assignments_team"))
        batch_op.drop_index(batch_op.f("ix_assignments_conversation_id"))
    op.drop_table("assignments")
    op.drop_table("round_robin_counters")
    op.drop_table("round_robin_teams")
    op.drop_table("directory_teams")
    op.drop_table("directory_admins")
