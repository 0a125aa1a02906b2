"""legal state of a case (issue 09, part 1): "Schonfrist genutzt" on the eviction proceeding, and how a decision
was notified (posting or formal service with its day) on applications and Widerspruchsbescheide

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 10:20:00
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _notification_columns() -> list[sa.Column[Any]]:
    return [sa.Column("notification", sa.String(length=8), server_default=sa.text("'post'"), nullable=False),
            sa.Column("served_on", sa.Date(), nullable=True)]


def upgrade() -> None:
    with op.batch_alter_table("eviction_proceedings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cure_used_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("cure_method", sa.String(length=20), nullable=True))
    with op.batch_alter_table("applications", schema=None) as batch_op:
        for column in _notification_columns():
            batch_op.add_column(column)
    with op.batch_alter_table("application_objections", schema=None) as batch_op:
        for column in _notification_columns():
            batch_op.add_column(column)
        batch_op.add_column(sa.Column("without_instructions", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("application_objections", schema=None) as batch_op:
        batch_op.drop_column("without_instructions")
        batch_op.drop_column("served_on")
        batch_op.drop_column("notification")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("served_on")
        batch_op.drop_column("notification")
    with op.batch_alter_table("eviction_proceedings", schema=None) as batch_op:
        batch_op.drop_column("cure_method")
        batch_op.drop_column("cure_used_on")
