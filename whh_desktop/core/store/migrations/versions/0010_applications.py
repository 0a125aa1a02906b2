"""applications (Anträge) and their Widersprüche: site-owned, synced rows under a case

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 10:00:00
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
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


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("authority", sa.String(length=200), nullable=True),
        sa.Column("file_no", sa.String(length=60), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("submitted_via", sa.String(length=12), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("letter_id", sa.Uuid(), nullable=True),
        sa.Column("amount_requested", sa.Integer(), nullable=True),
        sa.Column("reminders", sa.JSON(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("posted_on", sa.Date(), nullable=True),
        sa.Column("without_instructions", sa.Boolean(), nullable=False),
        sa.Column("amount_granted", sa.Integer(), nullable=True),
        sa.Column("deadline_id", sa.Uuid(), nullable=True),
        sa.Column("eviction_averted", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *_sync_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applications_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_owner_site"), ["owner_site"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_submitted_on"), ["submitted_on"], unique=False)

    op.create_table(
        "application_objections",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("lodged_on", sa.Date(), nullable=False),
        sa.Column("letter_id", sa.Uuid(), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("posted_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *_sync_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_objections")),
    )
    with op.batch_alter_table("application_objections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_application_objections_application_id"), ["application_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_application_objections_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_application_objections_owner_site"), ["owner_site"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("application_objections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_objections_owner_site"))
        batch_op.drop_index(batch_op.f("ix_application_objections_case_id"))
        batch_op.drop_index(batch_op.f("ix_application_objections_application_id"))
    op.drop_table("application_objections")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applications_submitted_on"))
        batch_op.drop_index(batch_op.f("ix_applications_owner_site"))
        batch_op.drop_index(batch_op.f("ix_applications_kind"))
        batch_op.drop_index(batch_op.f("ix_applications_case_id"))
    op.drop_table("applications")
