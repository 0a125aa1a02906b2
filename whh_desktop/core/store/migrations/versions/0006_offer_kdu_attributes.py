"""offers: KdU surcharge attributes of the flat (Klimabonus and the like)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("flat_offers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kdu_attributes", sa.JSON(), server_default=sa.text("'[]'"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("flat_offers", schema=None) as batch_op:
        batch_op.drop_column("kdu_attributes")
