"""help plans (goals, services involved, planning conferences) and the Suchthilfe pathway: site-owned rows under a case

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 11:00:00
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _sync_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
    ]


def _indexes(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f(f"ix_{table}_owner_site"), ["owner_site"], unique=False)


TABLES = ("help_plan_goals", "help_plan_services", "help_plan_conferences", "suchthilfe_stages")


def upgrade() -> None:
    op.create_table(
        "help_plan_goals",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("steps", sa.Text(), nullable=True),
        sa.Column("responsible", sa.String(length=200), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        *_sync_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_plan_goals")),
    )
    op.create_table(
        "help_plan_services",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact_person", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=60), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("task", sa.Text(), nullable=True),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("consent_id", sa.Uuid(), nullable=True),
        sa.Column("consent_note", sa.String(length=300), nullable=True),
        *_sync_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_plan_services")),
    )
    op.create_table(
        "help_plan_conferences",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("participants", sa.JSON(), nullable=True),
        sa.Column("agreements", sa.Text(), nullable=True),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        *_sync_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_plan_conferences")),
    )
    op.create_table(
        "suchthilfe_stages",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("facility", sa.String(length=200), nullable=True),
        sa.Column("housing", sa.Text(), nullable=True),
        sa.Column("flat_kept", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_sync_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suchthilfe_stages")),
    )
    for table in TABLES:
        _indexes(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_owner_site"))
            batch_op.drop_index(batch_op.f(f"ix_{table}_case_id"))
        op.drop_table(table)
