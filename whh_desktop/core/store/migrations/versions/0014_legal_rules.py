"""rule tables: Karenzzeit, Amtsgerichte, landlord bank details (issue 09, part 3)

- ``karenzzeit_rules``: versions of the Karenzzeit rule (§ 22 Abs. 1 SGB II), seeded from a frozen copy
  (``KARENZZEIT_RULES``) of ``resources/data/karenzzeit-rules.json`` (Bürgergeld from 01.01.2023; Neue
  Grundsicherung from 01.07.2026).
- ``local_courts``: the Amtsgericht by the flat's municipality, seeded from a frozen copy (``COURTS``) of
  ``resources/data/amtsgerichte-herford.json``.
- ``landlords``: ``iban``, ``bic``, ``account_holder`` for the Direktzahlung.

Seeds are district rows (``owner_site = "kreis"``) with fixed ids, so every store holds the same rows and only the
district's later edits travel in its bundle.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 10:20:00
"""

import uuid
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

SEED_NAMESPACE = uuid.UUID("0b5e7a14-3c2d-4f6a-8e91-7d2c4b6a8f30")

# resources/data/karenzzeit-rules.json and amtsgerichte-herford.json as they were when this migration was written
# (commit c02fcc2): a migration seeds the same rows whenever it runs, so it carries its data instead of reading
# today's resource files.
KARENZZEIT_RULES: tuple[dict[str, Any], ...] = (
    {
        "label": "Bürgergeld: Karenzzeit ohne Kappung",
        "valid_from": "2023-01-01",
        "valid_until": "2026-06-30",
        "months": 12,
        "cap_percent": None,
        "exceptions": [],
        "cost_reduction_months": 6,
        "max_rent_per_m2": None,
        "source": ("§ 22 Abs. 1 SGB II in der Fassung des Bürgergeld-Gesetzes vom 16.12.2022 (BGBl. I "
                   "S. 2328), in Kraft seit 01.01.2023: im ersten Jahr des Leistungsbezugs wird die "
                   "tatsächliche Miete anerkannt (Heizkosten ausgenommen); Verlängerung um jeden "
                   "vollen Monat ohne Leistungen; eine neue Karenzzeit erst nach drei Jahren ohne "
                   "Leistungen; keine nach einem früheren Kostensenkungsverfahren; Umzug ohne "
                   "vorherige Zusicherung nur bis zur Grenze; danach in der Regel sechs Monate zur "
                   "Kostensenkung. Stand laut DOMAIN.md; vor Gebrauch mit dem Gesetzestext abgleichen."),
    },
    {
        "label": "Neue Grundsicherung: Kappung auf das 1,5-Fache",
        "valid_from": "2026-07-01",
        "valid_until": None,
        "months": 12,
        "cap_percent": 150,
        "exceptions": ["unvermeidbar", "kinder"],
        "cost_reduction_months": 6,
        "max_rent_per_m2": None,
        "source": ("Gesetz zur Neuen Grundsicherung (vom Bundestag im März 2026 beschlossen, "
                   "überwiegend in Kraft ab 01.07.2026; Bürgergeld wird Grundsicherungsgeld): § 22 "
                   "Abs. 1 SGB II und § 35 Abs. 3 SGB XII in der geänderten Fassung – Karenzzeit "
                   "bleibt ein Jahr, die Miete wird ab dem ersten Monat höchstens bis zum 1,5-Fachen "
                   "der Angemessenheitsgrenze anerkannt, außer bei unvermeidbaren Kosten und in "
                   "Haushalten mit Kindern; eine örtliche Höchstmiete je m² ist möglich; bestehende "
                   "Fälle wechseln mit dem nächsten Bewilligungszeitraum. Angaben nach den "
                   "veröffentlichten Berichten über das Gesetz (DOMAIN.md); Fundstelle im "
                   "Bundesgesetzblatt nachtragen."),
    },
)
COURTS_SOURCE = ("Zuständigkeit der Amtsgerichte für Räumungsklagen nach der Gemeinde der Wohnung "
                 "(DOMAIN.md, »Local courts«). Vor Gebrauch mit dem Gerichtsverzeichnis der Justiz NRW"
                 " abgleichen; das Formular schlägt vor, die Beratung bestätigt.")
COURTS: tuple[dict[str, str], ...] = (
    {"municipality": "Herford", "court": "Amtsgericht Herford"},
    {"municipality": "Hiddenhausen", "court": "Amtsgericht Herford"},
    {"municipality": "Enger", "court": "Amtsgericht Herford"},
    {"municipality": "Spenge", "court": "Amtsgericht Herford"},
    {"municipality": "Bünde", "court": "Amtsgericht Bünde"},
    {"municipality": "Kirchlengern", "court": "Amtsgericht Bünde"},
    {"municipality": "Rödinghausen", "court": "Amtsgericht Bünde"},
    {"municipality": "Löhne", "court": "Amtsgericht Bad Oeynhausen"},
    {"municipality": "Vlotho", "court": "Amtsgericht Bad Oeynhausen"},
)


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
    op.bulk_insert(rules, [{
        "id": uuid.uuid5(SEED_NAMESPACE, f"karenzzeit:{r['valid_from']}"), "label": r["label"],
        "valid_from": date.fromisoformat(r["valid_from"]),
        "valid_until": date.fromisoformat(r["valid_until"]) if r.get("valid_until") else None,
        "months": r["months"], "cap_percent": r.get("cap_percent"), "exceptions": list(r.get("exceptions") or []),
        "cost_reduction_months": r["cost_reduction_months"], "max_rent_per_m2": r.get("max_rent_per_m2"),
        "source": r["source"], **meta} for r in KARENZZEIT_RULES])
    op.bulk_insert(courts, [{
        "id": uuid.uuid5(SEED_NAMESPACE, f"court:{c['municipality']}"), "municipality": c["municipality"],
        "court": c["court"], "source": COURTS_SOURCE, **meta} for c in COURTS])


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
