"""atomic export and bounded sync (issue 10, part 2)

Reserved slot in the migration chain for parallel work; its owner fills in upgrade() (a no-op until then).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 10:20:00
"""

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
