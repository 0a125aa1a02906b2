"""address book: letter recipients (Jobcenter, Sozialamt, SpDi, Suchtberatung, Amtsgericht)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 11:35:00

Seeds the district part (``owner_site = "kreis"``) from a frozen copy (``DISTRICT_ENTRIES``) of
``resources/letters/address-book-kreis-herford.json`` with fixed ids, so the copies in all stores are the same rows
and only the district's edits travel.
"""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SEED_NAMESPACE = uuid.UUID("6f1c2a8e-5b7d-4c1e-9a3f-2d4b6c8e0a15")

# The entries of resources/letters/address-book-kreis-herford.json as they were when this migration was written
# (commit 85be36e; fictional offices): a migration seeds the same rows whenever it runs, so it carries its data
# instead of reading today's resource file.
DISTRICT_ENTRIES: tuple[dict[str, str], ...] = (
    {
        "kind": "jobcenter",
        "name": "Jobcenter Herford – Geschäftsstelle Herford",
        "department": "Leistungsabteilung",
        "street": "Hansastraße 933",
        "plz": "32049",
        "city": "Herford",
        "phone": "05221 0000-100",
        "email": "herford@jobcenter.example.org",
        "municipalities": "Herford",
    },
    {
        "kind": "jobcenter",
        "name": "Jobcenter Herford – Geschäftsstelle Löhne",
        "department": "Leistungsabteilung",
        "street": "Oeynhausener Straße 941",
        "plz": "32584",
        "city": "Löhne",
        "phone": "05732 0000-200",
        "email": "loehne@jobcenter.example.org",
        "municipalities": "Löhne",
    },
    {
        "kind": "jobcenter",
        "name": "Jobcenter Herford – Geschäftsstelle Bünde",
        "department": "Leistungsabteilung",
        "street": "Eschstraße 912",
        "plz": "32257",
        "city": "Bünde",
        "phone": "05223 0000-300",
        "email": "buende@jobcenter.example.org",
        "municipalities": "Bünde, Rödinghausen, Kirchlengern",
    },
    {
        "kind": "jobcenter",
        "name": "Jobcenter Herford – Geschäftsstelle Vlotho",
        "department": "Leistungsabteilung",
        "street": "Lange Straße 955",
        "plz": "32602",
        "city": "Vlotho",
        "phone": "05733 0000-400",
        "email": "vlotho@jobcenter.example.org",
        "municipalities": "Vlotho",
    },
    {
        "kind": "jobcenter",
        "name": "Jobcenter Herford – Geschäftsstelle Enger/Spenge",
        "department": "Leistungsabteilung",
        "street": "Bahnhofstraße 927",
        "plz": "32130",
        "city": "Enger",
        "phone": "05224 0000-500",
        "email": "enger-spenge@jobcenter.example.org",
        "municipalities": "Enger, Spenge, Hiddenhausen",
    },
    {
        "kind": "sozialamt",
        "name": "Kreis Herford – Fachbereich Soziales",
        "department": "Hilfe zum Lebensunterhalt (SGB XII)",
        "street": "Amtshausstraße 903",
        "plz": "32051",
        "city": "Herford",
        "phone": "05221 0000-600",
        "email": "soziales@kreis-herford.example.org",
        "municipalities": "",
    },
    {
        "kind": "sozialamt",
        "name": "Stadt Löhne – Soziale Dienste",
        "department": "Wohnungsnotfälle",
        "street": "Oeynhausener Straße 949",
        "plz": "32584",
        "city": "Löhne",
        "phone": "05732 0000-700",
        "email": "soziales@loehne.example.org",
        "municipalities": "Löhne",
    },
    {
        "kind": "sozialamt",
        "name": "Stadt Bünde – Fachbereich Soziales",
        "department": "Wohnungsnotfälle",
        "street": "Bahnhofstraße 915",
        "plz": "32257",
        "city": "Bünde",
        "phone": "05223 0000-710",
        "email": "soziales@buende.example.org",
        "municipalities": "Bünde",
    },
    {
        "kind": "spdi",
        "name": "Kreis Herford – Sozialpsychiatrischer Dienst",
        "department": "Gesundheitsamt",
        "street": "Amtshausstraße 907",
        "plz": "32051",
        "city": "Herford",
        "phone": "05221 0000-800",
        "email": "spdi@kreis-herford.example.org",
        "municipalities": "",
    },
    {
        "kind": "suchtberatung",
        "name": "Fachstelle Sucht Herford",
        "department": "Beratung und Behandlung",
        "street": "Clarenstraße 921",
        "plz": "32052",
        "city": "Herford",
        "phone": "05221 0000-900",
        "email": "sucht@fachstelle.example.org",
        "municipalities": "",
    },
    {
        "kind": "amtsgericht",
        "name": "Amtsgericht Herford",
        "department": "Zivilabteilung",
        "street": "Auf der Freiheit 907",
        "plz": "32052",
        "city": "Herford",
        "phone": "05221 0000-950",
        "email": "",
        "municipalities": "Herford, Enger, Spenge, Hiddenhausen, Vlotho",
    },
    {
        "kind": "amtsgericht",
        "name": "Amtsgericht Bünde",
        "department": "Zivilabteilung",
        "street": "Hangbaumstraße 919",
        "plz": "32257",
        "city": "Bünde",
        "phone": "05223 0000-960",
        "email": "",
        "municipalities": "Bünde, Rödinghausen, Kirchlengern",
    },
    {
        "kind": "amtsgericht",
        "name": "Amtsgericht Bad Oeynhausen",
        "department": "Zivilabteilung",
        "street": "Bismarckstraße 912",
        "plz": "32545",
        "city": "Bad Oeynhausen",
        "phone": "05731 0000-970",
        "email": "",
        "municipalities": "Löhne",
    },
)


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
    rows = []
    for entry in DISTRICT_ENTRIES:
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
