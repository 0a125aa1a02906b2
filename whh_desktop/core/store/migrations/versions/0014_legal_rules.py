"""rule tables: Karenzzeit, Amtsgerichte, landlord bank details (issue 09, part 3)

- ``karenzzeit_rules``: versions of the Karenzzeit rule (§ 22 Abs. 1 SGB II), seeded from
  ``resources/data/karenzzeit-rules.json`` (Bürgergeld from 01.01.2023; Neue Grundsicherung from 01.07.2026).
- ``local_courts``: the Amtsgericht by the flat's municipality, seeded from
  ``resources/data/amtsgerichte-herford.json``.
- ``landlords``: ``iban``, ``bic``, ``account_holder`` for the Direktzahlung.

Seeds are district rows (``owner_site = "kreis"``) with fixed ids, so every store holds the same rows and only the
district's later edits travel in its bundle.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 10:20:00
"""

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from whh_desktop.resources import resource

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

SEED_NAMESPACE = uuid.UUID("0b5e7a14-3c2d-4f6a-8e91-7d2c4b6a8f30")


def _sync_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
    ]


def upgrade() -> None:
    rules = op.create_table(
        "karenzzeit_rules",
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("cap_percent", sa.Integer(), nullable=True),
        sa.Column("exceptions", sa.JSON(), nullable=False),
        sa.Column("cost_reduction_months", sa.Integer(), nullable=False),
        sa.Column("max_rent_per_m2", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        *_sync_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_karenzzeit_rules")),
    )
    with op.batch_alter_table("karenzzeit_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_karenzzeit_rules_owner_site"), ["owner_site"], unique=False)
        batch_op.create_index(batch_op.f("ix_karenzzeit_rules_valid_from"), ["valid_from"], unique=False)
    courts = op.create_table(
        "local_courts",
        sa.Column("municipality", sa.String(length=40), nullable=False),
        sa.Column("court", sa.String(length=120), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        *_sync_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_courts")),
    )
    with op.batch_alter_table("local_courts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_local_courts_municipality"), ["municipality"], unique=False)
        batch_op.create_index(batch_op.f("ix_local_courts_owner_site"), ["owner_site"], unique=False)
    with op.batch_alter_table("landlords", schema=None) as batch_op:
        batch_op.add_column(sa.Column("iban", sa.String(length=34), nullable=True))
        batch_op.add_column(sa.Column("bic", sa.String(length=11), nullable=True))
        batch_op.add_column(sa.Column("account_holder", sa.String(length=200), nullable=True))

    seeded = datetime(2026, 12, 3, tzinfo=UTC).replace(tzinfo=None)
    meta = {"origin_site": "kreis", "owner_site": "kreis", "created_at": seeded, "updated_at": seeded,
            "updated_by": None, "version": 1, "deleted_at": None}
    data = json.loads(resource("data", "karenzzeit-rules.json").read_text(encoding="utf-8"))
    op.bulk_insert(rules, [{
        "id": uuid.uuid5(SEED_NAMESPACE, f"karenzzeit:{r['valid_from']}"), "label": r["label"],
        "valid_from": date.fromisoformat(r["valid_from"]),
        "valid_until": date.fromisoformat(r["valid_until"]) if r.get("valid_until") else None,
        "months": r["months"], "cap_percent": r.get("cap_percent"), "exceptions": list(r.get("exceptions") or []),
        "cost_reduction_months": r["cost_reduction_months"], "max_rent_per_m2": r.get("max_rent_per_m2"),
        "source": r["source"], **meta} for r in data["rules"]])
    data = json.loads(resource("data", "amtsgerichte-herford.json").read_text(encoding="utf-8"))
    op.bulk_insert(courts, [{
        "id": uuid.uuid5(SEED_NAMESPACE, f"court:{c['municipality']}"), "municipality": c["municipality"],
        "court": c["court"], "source": data["source"], **meta} for c in data["courts"]])


def downgrade() -> None:
    with op.batch_alter_table("landlords", schema=None) as batch_op:
        batch_op.drop_column("account_holder")
        batch_op.drop_column("bic")
        batch_op.drop_column("iban")
    with op.batch_alter_table("local_courts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_local_courts_owner_site"))
        batch_op.drop_index(batch_op.f("ix_local_courts_municipality"))
    op.drop_table("local_courts")
    with op.batch_alter_table("karenzzeit_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_karenzzeit_rules_valid_from"))
        batch_op.drop_index(batch_op.f("ix_karenzzeit_rules_owner_site"))
    op.drop_table("karenzzeit_rules")
