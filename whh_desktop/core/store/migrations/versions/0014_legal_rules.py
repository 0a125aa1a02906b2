"""rule tables: Karenzzeit, Amtsgerichte, landlord bank details (issue 09, part 2)

Reserved slot in the migration chain for parallel work; its owner fills in upgrade() (a no-op until then).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 10:20:00
"""

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
