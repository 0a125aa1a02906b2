"""privacy of what leaves a case (issue 11, part 1)

Reserved slot in the migration chain for parallel work; its owner fills in upgrade() (a no-op until then).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 10:20:00
"""

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
