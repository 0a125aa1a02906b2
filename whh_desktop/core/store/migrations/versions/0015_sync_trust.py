"""sync trust boundary (issue 10): no schema change — refusals are kept in the audit log, ownership is checked
against existing columns. The revision stays so the chain 0014 → 0016 keeps the numbers it was developed with.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 10:20:00
"""

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
