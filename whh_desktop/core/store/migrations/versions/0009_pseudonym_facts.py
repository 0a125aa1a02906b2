"""pseudonym facts: the report facts of pseudonymous records in plain columns (facts, category history, contacts
per Baustein), backfilled from ``sync_pseudonyms.data``

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:00:00
"""

import json
import uuid
from calendar import monthrange
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# A frozen copy of models.sync.pseudonym_facts (migrations do not import application code that may change later).
_PERSON_NS = uuid.UUID("6f1d3c1e-2b7a-5d8e-9c4f-0a1b2c3d4e5f")
_NATIONALITY = {"deutsch": "deutsch", "eu": "andere", "andere": "andere"}


def _first(text: str | None) -> date | None:
    return date(int(text[:4]), int(text[5:7]), 1) if text else None


def _last(text: str | None) -> date | None:
    if not text:
        return None
    year, month = int(text[:4]), int(text[5:7])
    return date(year, month, monthrange(year, month)[1])


def _band(text: str | None) -> int | None:
    if not text or "-" not in text:
        return None
    try:
        return int(text.split("-", 1)[0])
    except ValueError:
        return None


def _person_key(site: str, person_pseudonym: str) -> uuid.UUID:
    try:
        return uuid.UUID(hex=person_pseudonym[:32])
    except ValueError:
        return uuid.uuid5(_PERSON_NS, f"{site}:{person_pseudonym}")


def upgrade() -> None:
    facts = op.create_table(
        "sync_pseudonym_facts",
        sa.Column("pseudonym_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("site", sa.String(length=20), nullable=False),
        sa.Column("person_pseudonym", sa.String(length=64), nullable=False),
        sa.Column("person_key", sa.Uuid(), nullable=False),
        sa.Column("municipality", sa.String(length=40), nullable=True),
        sa.Column("sex", sa.String(length=20), nullable=True),
        sa.Column("age_band", sa.Integer(), nullable=True),
        sa.Column("age_band_on", sa.Date(), nullable=True),
        sa.Column("nationality", sa.String(length=8), nullable=True),
        sa.Column("household_type", sa.String(length=20), nullable=True),
        sa.Column("household_size", sa.Integer(), nullable=False),
        sa.Column("opened", sa.Date(), nullable=True),
        sa.Column("closed", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("category", sa.String(length=30), nullable=True),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.Column("bausteine", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("pseudonym_id", name=op.f("pk_sync_pseudonym_facts")),
    )
    with op.batch_alter_table("sync_pseudonym_facts", schema=None) as batch_op:
        batch_op.create_index("ix_sync_pseudonym_facts_person", ["site", "person_pseudonym"], unique=False)
    cats = op.create_table(
        "sync_pseudonym_categories",
        sa.Column("pseudonym_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("pseudonym_id", "position", name=op.f("pk_sync_pseudonym_categories")),
    )
    contacts = op.create_table(
        "sync_pseudonym_contacts",
        sa.Column("pseudonym_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("baustein", sa.String(length=8), nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("pseudonym_id", "baustein", name=op.f("pk_sync_pseudonym_contacts")),
    )
    _backfill(facts, cats, contacts)


def _backfill(facts: sa.Table, cats: sa.Table, contacts: sa.Table) -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, site, person_pseudonym, data FROM sync_pseudonyms "
                                "WHERE identified = :no AND data IS NOT NULL").bindparams(no=False)).fetchall()
    f_rows, c_rows, k_rows = [], [], []
    for pid, site, person_pseudonym, raw in rows:
        d = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(d, dict) or d.get("deleted"):
            continue
        history = [(c, s) for c, s in d.get("categories") or () if s]
        c_rows += [{"pseudonym_id": pid, "position": n, "category": c, "since": _first(s)}
                   for n, (c, s) in enumerate(history)]
        per = {str(b): int(n) for b, n in (d.get("contacts_per_baustein") or {}).items() if n}
        k_rows += [{"pseudonym_id": pid, "baustein": b, "contacts": n} for b, n in sorted(per.items())]
        opened, band = _first(d.get("opened_month")), _band(d.get("age_band"))
        f_rows.append({
            "pseudonym_id": pid, "site": site, "person_pseudonym": person_pseudonym,
            "person_key": _person_key(site, person_pseudonym), "municipality": d.get("municipality") or None,
            "sex": d.get("sex") or None, "age_band": band, "age_band_on": opened if band is not None else None,
            "nationality": _NATIONALITY.get(d.get("nationality_group") or ""),
            "household_type": d.get("household_type"),
            "household_size": max(1, int(d.get("household_size") or 1)), "opened": opened,
            "closed": _last(d.get("closed_month")), "outcome": d.get("outcome"),
            "category": history[-1][0] if history else None, "contacts": sum(per.values()),
            "bausteine": ",".join(f'"{b}"' for b in sorted(per))})
    for table, batch in ((facts, f_rows), (cats, c_rows), (contacts, k_rows)):
        if batch:
            op.bulk_insert(table, batch)


def downgrade() -> None:
    op.drop_table("sync_pseudonym_contacts")
    op.drop_table("sync_pseudonym_categories")
    with op.batch_alter_table("sync_pseudonym_facts", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_pseudonym_facts_person")
    op.drop_table("sync_pseudonym_facts")
