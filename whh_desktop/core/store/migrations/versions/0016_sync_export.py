"""atomic export and bounded sync (issue 10, part 2): ``sync_pending_exports`` holds an export recorded with its
sequence but not yet renamed into place, so a crash between the steps is finished with the same bytes

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 10:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_pending_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=20), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("directory", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("target", "epoch", "sequence", name="uq_sync_pending_exports_seq"),
    )


def downgrade() -> None:
    op.drop_table("sync_pending_exports")
