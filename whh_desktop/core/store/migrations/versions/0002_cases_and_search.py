"""cases and search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 07:18:57.779632
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "case_categories",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_categories")),
    )
    with op.batch_alter_table("case_categories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_categories_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_categories_owner_site"), ["owner_site"], unique=False)

    op.create_table(
        "cases",
        sa.Column("case_number", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("counsellor", sa.String(length=64), nullable=False),
        sa.Column("substitutes", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=True),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        sa.Column("municipality", sa.String(length=40), nullable=True),
        sa.Column("moved_in", sa.Boolean(), nullable=False),
        sa.Column("current_category", sa.String(length=30), nullable=True),
        sa.Column("housing_note", sa.Text(), nullable=True),
        sa.Column("came_via", sa.String(length=20), nullable=True),
        sa.Column("came_via_note", sa.String(length=200), nullable=True),
        sa.Column("first_needs", sa.Text(), nullable=True),
        sa.Column("bausteine", sa.JSON(), nullable=False),
        sa.Column("landlord_name", sa.String(length=200), nullable=True),
        sa.Column("landlord_address", sa.String(length=300), nullable=True),
        sa.Column("tenancy_street", sa.String(length=200), nullable=True),
        sa.Column("tenancy_plz", sa.String(length=5), nullable=True),
        sa.Column("tenancy_city", sa.String(length=100), nullable=True),
        sa.Column("cold_rent", sa.Integer(), nullable=True),
        sa.Column("utilities", sa.Integer(), nullable=True),
        sa.Column("heating", sa.Integer(), nullable=True),
        sa.Column("arrears", sa.Integer(), nullable=True),
        sa.Column("arrears_since", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("case_number", name=op.f("uq_cases_case_number")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_counsellor"), ["counsellor"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_current_category"), ["current_category"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_municipality"), ["municipality"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_owner_site"), ["owner_site"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_status"), ["status"], unique=False)

    op.create_table(
        "consents",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("recipient_note", sa.String(length=300), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("health_data", sa.Boolean(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consents_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_consents_owner_site"), ["owner_site"], unique=False)
        batch_op.create_index(batch_op.f("ix_consents_person_id"), ["person_id"], unique=False)

    op.create_table(
        "contacts",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("bausteine", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("next_step", sa.Text(), nullable=True),
        sa.Column("counsellor", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contacts_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contacts_on"), ["on"], unique=False)
        batch_op.create_index(batch_op.f("ix_contacts_owner_site"), ["owner_site"], unique=False)

    op.create_table(
        "deadlines",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("target_on", sa.Date(), nullable=True),
        sa.Column("rule", sa.Text(), nullable=True),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("override_on", sa.Date(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("assigned_to", sa.String(length=64), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadlines")),
    )
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deadlines_assigned_to"), ["assigned_to"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadlines_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadlines_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadlines_owner_site"), ["owner_site"], unique=False)

    op.create_table(
        "document_contents",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_contents")),
    )
    op.create_table(
        "documents",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("mime", sa.String(length=80), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=True),
        sa.Column("letter_type", sa.String(length=40), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_owner_site"), ["owner_site"], unique=False)

    op.create_table(
        "eviction_proceedings",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("termination_on", sa.Date(), nullable=True),
        sa.Column("termination_kind", sa.String(length=30), nullable=True),
        sa.Column("suit_filed_on", sa.Date(), nullable=True),
        sa.Column("suit_served_on", sa.Date(), nullable=True),
        sa.Column("hearing_on", sa.Date(), nullable=True),
        sa.Column("eviction_on", sa.Date(), nullable=True),
        sa.Column("court", sa.String(length=120), nullable=True),
        sa.Column("court_file_no", sa.String(length=60), nullable=True),
        sa.Column("previous_cure_on", sa.Date(), nullable=True),
        sa.Column("notice_received_on", sa.Date(), nullable=True),
        sa.Column("notice_rent", sa.Integer(), nullable=True),
        sa.Column("notice_arrears", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eviction_proceedings")),
    )
    with op.batch_alter_table("eviction_proceedings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_eviction_proceedings_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_eviction_proceedings_owner_site"), ["owner_site"], unique=False)

    op.create_table(
        "household_members",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("relation", sa.String(length=20), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=True),
        sa.Column("given_names", sa.String(length=200), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=12), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_members")),
    )
    with op.batch_alter_table("household_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_members_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_household_members_owner_site"), ["owner_site"], unique=False)

    op.create_table(
        "incomes",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("bg_number", sa.String(length=40), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incomes")),
    )
    with op.batch_alter_table("incomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incomes_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incomes_owner_site"), ["owner_site"], unique=False)

    op.create_table(
        "referrals",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("target", sa.String(length=30), nullable=False),
        sa.Column("target_name", sa.String(length=200), nullable=True),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referrals_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referrals_owner_site"), ["owner_site"], unique=False)

    op.create_table(
        "rent_ledger",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount_due", sa.Integer(), nullable=False),
        sa.Column("amount_paid", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rent_ledger")),
    )
    with op.batch_alter_table("rent_ledger", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rent_ledger_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rent_ledger_owner_site"), ["owner_site"], unique=False)

    op.create_table(
        "search_docs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("sort_key", sa.String(length=400), nullable=False),
        sa.Column("case_number", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=True),
        sa.Column("municipality", sa.String(length=40), nullable=True),
        sa.Column("counsellor", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_docs")),
        sa.UniqueConstraint("case_id", name=op.f("uq_search_docs_case_id")),
    )
    op.create_index("ix_search_docs_list", "search_docs", ["sort_key", "case_number", "status", "case_id"])
    op.create_index("ix_search_docs_case_number", "search_docs", ["case_number", "status", "case_id"])
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phonetic_key", sa.String(length=200), nullable=False, server_default=""))

    # Search index (DESIGN.md §10): FTS5 keyed by search_docs.id, kept by core/store/search_index.py in every flush.
    # Schema 1 had no cases, so there is nothing to backfill. FTS5 is SQLite's (frozen here as written); a
    # PostgreSQL district store gets the tsvector table of core/store/search_index.py's PostgreSQL side.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', "
                   "prefix = '2 3')")
    else:
        from whh_desktop.core.store import search_index

        search_index.create_search_table(op.get_bind())


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS search_fts")

    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_column("phonetic_key")

    op.drop_table("search_docs")
    with op.batch_alter_table("rent_ledger", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rent_ledger_owner_site"))
        batch_op.drop_index(batch_op.f("ix_rent_ledger_case_id"))

    op.drop_table("rent_ledger")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referrals_owner_site"))
        batch_op.drop_index(batch_op.f("ix_referrals_case_id"))

    op.drop_table("referrals")
    with op.batch_alter_table("incomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incomes_owner_site"))
        batch_op.drop_index(batch_op.f("ix_incomes_case_id"))

    op.drop_table("incomes")
    with op.batch_alter_table("household_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_members_owner_site"))
        batch_op.drop_index(batch_op.f("ix_household_members_case_id"))

    op.drop_table("household_members")
    with op.batch_alter_table("eviction_proceedings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_eviction_proceedings_owner_site"))
        batch_op.drop_index(batch_op.f("ix_eviction_proceedings_case_id"))

    op.drop_table("eviction_proceedings")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_owner_site"))
        batch_op.drop_index(batch_op.f("ix_documents_case_id"))

    op.drop_table("documents")
    op.drop_table("document_contents")
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadlines_owner_site"))
        batch_op.drop_index(batch_op.f("ix_deadlines_due_on"))
        batch_op.drop_index(batch_op.f("ix_deadlines_case_id"))
        batch_op.drop_index(batch_op.f("ix_deadlines_assigned_to"))

    op.drop_table("deadlines")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_owner_site"))
        batch_op.drop_index(batch_op.f("ix_contacts_on"))
        batch_op.drop_index(batch_op.f("ix_contacts_case_id"))

    op.drop_table("contacts")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_person_id"))
        batch_op.drop_index(batch_op.f("ix_consents_owner_site"))
        batch_op.drop_index(batch_op.f("ix_consents_case_id"))

    op.drop_table("consents")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_status"))
        batch_op.drop_index(batch_op.f("ix_cases_person_id"))
        batch_op.drop_index(batch_op.f("ix_cases_owner_site"))
        batch_op.drop_index(batch_op.f("ix_cases_municipality"))
        batch_op.drop_index(batch_op.f("ix_cases_current_category"))
        batch_op.drop_index(batch_op.f("ix_cases_counsellor"))

    op.drop_table("cases")
    with op.batch_alter_table("case_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_categories_owner_site"))
        batch_op.drop_index(batch_op.f("ix_case_categories_case_id"))

    op.drop_table("case_categories")
