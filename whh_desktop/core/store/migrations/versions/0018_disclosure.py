"""statistical disclosure control (issue 11, part 2)

Reserved slot in the migration chain for parallel work; its owner fills in upgrade() (a no-op until then).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 10:20:00
"""

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
