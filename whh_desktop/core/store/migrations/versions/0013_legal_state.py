"""legal state of a case (issue 09, part 1)

Reserved slot in the migration chain for parallel work; its owner fills in upgrade() (a no-op until then).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 10:20:00
"""

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
