"""address book: letter recipients (Jobcenter, Sozialamt, SpDi, Suchtberatung, Amtsgericht)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 11:35:00

Seeds the district part (``owner_site = "kreis"``) from ``resources/letters/address-book-kreis-herford.json`` with
fixed ids, so the copies in all stores are the same rows and only the district's edits travel.
"""

import json
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from whh_desktop.resources import resource

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SEED_NAMESPACE = uuid.UUID("6f1c2a8e-5b7d-4c1e-9a3f-2d4b6c8e0a15")


def upgrade() -> None:
    table = op.create_table(
        "address_book",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("plz", sa.String(length=5), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=60), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("municipalities", sa.String(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("sort_key", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address_book")),
    )
    with op.batch_alter_table("address_book", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_address_book_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_address_book_owner_site"), ["owner_site"], unique=False)
        batch_op.create_index(batch_op.f("ix_address_book_sort_key"), ["sort_key"], unique=False)

    seeded = datetime(2026, 11, 25, tzinfo=UTC).replace(tzinfo=None)
    data = json.loads(resource("letters", "address-book-kreis-herford.json").read_text(encoding="utf-8"))
    rows = []
    for entry in data["entries"]:
        rows.append({
            "id": uuid.uuid5(SEED_NAMESPACE, entry["name"]), "kind": entry["kind"], "name": entry["name"],
            "department": entry.get("department") or None, "street": entry.get("street") or None,
            "plz": entry.get("plz") or None, "city": entry.get("city") or None, "phone": entry.get("phone") or None,
            "email": entry.get("email") or None, "municipalities": entry.get("municipalities") or None, "note": None,
            "sort_key": entry["name"].casefold(), "origin_site": "kreis", "owner_site": "kreis",
            "created_at": seeded, "updated_at": seeded, "updated_by": None, "version": 1, "deleted_at": None,
        })
    op.bulk_insert(table, rows)


def downgrade() -> None:
    with op.batch_alter_table("address_book", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_address_book_sort_key"))
        batch_op.drop_index(batch_op.f("ix_address_book_owner_site"))
        batch_op.drop_index(batch_op.f("ix_address_book_kind"))
    op.drop_table("address_book")
