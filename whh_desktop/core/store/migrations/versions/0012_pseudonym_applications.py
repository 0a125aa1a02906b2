"""pseudonym applications: the application statistics of pseudonymous records (Arbeitskreis figures, issue 08
point 4) in plain columns, backfilled from ``sync_pseudonyms.data`` (records of older exports have none)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 10:00:00
"""

import json
from calendar import monthrange
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


# A frozen copy of models.sync.application_facts (migrations do not import application code that may change later).
def _first(text: str | None) -> date | None:
    return date(int(text[:4]), int(text[5:7]), 1) if text else None


def _last(text: str | None) -> date | None:
    if not text:
        return None
    year, month = int(text[:4]), int(text[5:7])
    return date(year, month, monthrange(year, month)[1])


def upgrade() -> None:
    table = op.create_table(
        "sync_pseudonym_applications",
        sa.Column("pseudonym_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("site", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("submitted", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decided", sa.Date(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("eviction_averted", sa.Boolean(), nullable=True),
        sa.Column("objection_lodged", sa.Date(), nullable=True),
        sa.Column("objection_decision", sa.String(length=16), nullable=True),
        sa.Column("objection_decided", sa.Date(), nullable=True),
        sa.Column("objection_days", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("pseudonym_id", "position", name=op.f("pk_sync_pseudonym_applications")),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, site, data FROM sync_pseudonyms "
                                "WHERE identified = :no AND data IS NOT NULL").bindparams(no=False)).fetchall()
    batch = []
    for pid, site, raw in rows:
        d = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(d, dict) or d.get("deleted"):
            continue
        batch += [{"pseudonym_id": pid, "position": n, "site": site, "kind": a["kind"],
                   "submitted": _first(a["submitted_month"]), "decision": a.get("decision"),
                   "decided": _last(a.get("decided_month")), "days": a.get("days"),
                   "eviction_averted": a.get("eviction_averted"), "objection_lodged": _first(a.get("objection_month")),
                   "objection_decision": a.get("objection_decision"),
                   "objection_decided": _last(a.get("objection_decided_month")),
                   "objection_days": a.get("objection_days")}
                  for n, a in enumerate(d.get("applications") or ())]
    if batch:
        op.bulk_insert(table, batch)


def downgrade() -> None:
    op.drop_table("sync_pseudonym_applications")
