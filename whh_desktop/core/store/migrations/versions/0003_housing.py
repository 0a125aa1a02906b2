"""housing: landlord registry, flat offers, housing searches, proposals, registry requests, KdU tables

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 10:34:40.486915

Seeds the 2019 Kreis Herford KdU table (a frozen copy, ``KDU_2019``) in every store (district and site alike: sites
need it for checks). The seed row has a fixed id and belongs to the district, so the copies in all stores are the same
row; it gets no change_log entry, since every store already has it and there is nothing to send (a later district
change of it is logged as version 2 by the flush hook and travels as usual).
"""

import uuid
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "flat_offers",
        sa.Column("landlord_id", sa.Uuid(), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("plz", sa.String(length=5), nullable=True),
        sa.Column("municipality", sa.String(length=40), nullable=False),
        sa.Column("floor_space_m2", sa.Float(), nullable=False),
        sa.Column("rooms", sa.Float(), nullable=False),
        sa.Column("floor", sa.Integer(), nullable=False),
        sa.Column("lift", sa.Boolean(), nullable=False),
        sa.Column("barrier_free", sa.Boolean(), nullable=False),
        sa.Column("cold_rent", sa.Integer(), nullable=False),
        sa.Column("utilities", sa.Integer(), nullable=False),
        sa.Column("heating", sa.Integer(), nullable=False),
        sa.Column("deposit", sa.Integer(), nullable=False),
        sa.Column("gross_rent", sa.Integer(), nullable=False),
        sa.Column("available_from", sa.Date(), nullable=True),
        sa.Column("wbs_required", sa.Boolean(), nullable=False),
        sa.Column("pets_allowed", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flat_offers")),
    )
    with op.batch_alter_table("flat_offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flat_offers_gross_rent"), ["gross_rent"], unique=False)
        batch_op.create_index(batch_op.f("ix_flat_offers_landlord_id"), ["landlord_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_flat_offers_municipality"), ["municipality"], unique=False)
        batch_op.create_index(batch_op.f("ix_flat_offers_owner_site"), ["owner_site"], unique=False)
        batch_op.create_index(batch_op.f("ix_flat_offers_status"), ["status"], unique=False)

    op.create_table(
        "housing_searches",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("household_size", sa.Integer(), nullable=False),
        sa.Column("member_ids", sa.JSON(), nullable=False),
        sa.Column("wanted_municipalities", sa.JSON(), nullable=False),
        sa.Column("max_rent", sa.Integer(), nullable=True),
        sa.Column("min_rooms", sa.Float(), nullable=True),
        sa.Column("barrier_free", sa.Boolean(), nullable=False),
        sa.Column("ground_floor", sa.Boolean(), nullable=False),
        sa.Column("pets", sa.Boolean(), nullable=False),
        sa.Column("has_wbs", sa.Boolean(), nullable=False),
        sa.Column("earliest_move", sa.Date(), nullable=True),
        sa.Column("special_needs", sa.Text(), nullable=True),
        sa.Column("kdu_attributes", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_searches")),
    )
    with op.batch_alter_table("housing_searches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_housing_searches_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_housing_searches_owner_site"), ["owner_site"], unique=False)
        batch_op.create_index(batch_op.f("ix_housing_searches_status"), ["status"], unique=False)

    op.create_table(
        "kdu_tables",
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kdu_tables")),
    )
    with op.batch_alter_table("kdu_tables", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kdu_tables_owner_site"), ["owner_site"], unique=False)
        batch_op.create_index(batch_op.f("ix_kdu_tables_valid_from"), ["valid_from"], unique=False)

    op.create_table(
        "landlord_notes",
        sa.Column("landlord_id", sa.Uuid(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("way", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_landlord_notes")),
    )
    with op.batch_alter_table("landlord_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_landlord_notes_landlord_id"), ["landlord_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_landlord_notes_owner_site"), ["owner_site"], unique=False)

    op.create_table(
        "landlords",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sort_key", sa.String(length=200), nullable=False),
        sa.Column("contact_persons", sa.JSON(), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("plz", sa.String(length=5), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=60), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("preferred_contact", sa.String(length=20), nullable=True),
        sa.Column("cooperation_status", sa.String(length=20), nullable=False),
        sa.Column("accepts_direct_payment", sa.Boolean(), nullable=True),
        sa.Column("accepts_schufa", sa.Boolean(), nullable=True),
        sa.Column("agreements_note", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("won_on", sa.Date(), nullable=True),
        sa.Column("merged_into", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_landlords")),
    )
    with op.batch_alter_table("landlords", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_landlords_cooperation_status"), ["cooperation_status"], unique=False)
        batch_op.create_index(batch_op.f("ix_landlords_merged_into"), ["merged_into"], unique=False)
        batch_op.create_index(batch_op.f("ix_landlords_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_landlords_owner_site"), ["owner_site"], unique=False)
        batch_op.create_index(batch_op.f("ix_landlords_sort_key"), ["sort_key"], unique=False)

    op.create_table(
        "proposals",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("search_id", sa.Uuid(), nullable=True),
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("landlord_id", sa.Uuid(), nullable=True),
        sa.Column("landlord_name", sa.String(length=200), nullable=False),
        sa.Column("offer_address", sa.String(length=300), nullable=False),
        sa.Column("municipality", sa.String(length=40), nullable=False),
        sa.Column("gross_rent", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("viewing_on", sa.Date(), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("declined_on", sa.Date(), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("lease_signed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("counsellor", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
    )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposals_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposals_landlord_id"), ["landlord_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposals_lease_signed_on"), ["lease_signed_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposals_offer_id"), ["offer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposals_owner_site"), ["owner_site"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposals_search_id"), ["search_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposals_step"), ["step"], unique=False)

    op.create_table(
        "registry_decisions",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("result_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_decisions")),
    )
    with op.batch_alter_table("registry_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registry_decisions_owner_site"), ["owner_site"], unique=False)
        batch_op.create_index(batch_op.f("ix_registry_decisions_request_id"), ["request_id"], unique=False)

    op.create_table(
        "registry_requests",
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("origin_site", sa.String(length=20), nullable=False),
        sa.Column("owner_site", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_requests")),
    )
    with op.batch_alter_table("registry_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registry_requests_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_registry_requests_owner_site"), ["owner_site"], unique=False)
        batch_op.create_index(batch_op.f("ix_registry_requests_target_id"), ["target_id"], unique=False)
    _seed_kdu_table()


SEED_ID = uuid.uuid5(uuid.NAMESPACE_URL, "urn:whh-desktop:kdu:kreis-herford:2019-11-01")
# resources/data/kdu-herford-2019.json as it was when this migration was written (commit b6434c6): a migration
# seeds the same rows whenever it runs, so it carries its data instead of reading today's resource file.
KDU_2019: dict[str, Any] = {
    "label": "Kreis Herford, Richtwerte ab 01.11.2019",
    "valid_from": "2019-11-01",
    "valid_until": None,
    "source": "Kreis Herford, Angemessenheitsgrenzen der Bruttokaltmiete (KdU, § 22 SGB II / § 35 SGB XII), "
              "gültig ab 1. November 2019",
    "floor_space": {"first_person_m2": 50, "per_further_person_m2": 15},
    "areas": [
        {
            "name": "Herford",
            "municipalities": ["Herford"],
            "limits": [39650, 49270, 56320, 66120, 78650],
            "per_further_person": 10725,
        },
        {
            "name": "Löhne, Vlotho",
            "municipalities": ["Löhne", "Vlotho"],
            "limits": [36700, 42445, 49200, 59755, 66990],
            "per_further_person": 9135,
        },
        {
            "name": "Enger, Spenge, Hiddenhausen",
            "municipalities": ["Enger", "Spenge", "Hiddenhausen"],
            "limits": [35850, 43680, 50960, 59375, 68310],
            "per_further_person": 9315,
        },
        {
            "name": "Bünde, Rödinghausen, Kirchlengern",
            "municipalities": ["Bünde", "Rödinghausen", "Kirchlengern"],
            "limits": [36350, 43810, 51920, 58900, 67980],
            "per_further_person": 9270,
        },
    ],
    "surcharges": [],
}


def _seed_kdu_table() -> None:
    data = KDU_2019
    now = datetime.now(UTC).replace(tzinfo=None)
    kdu = sa.table("kdu_tables", sa.column("id", sa.Uuid()), sa.column("origin_site", sa.String()),
                   sa.column("owner_site", sa.String()), sa.column("created_at", sa.DateTime()),
                   sa.column("updated_at", sa.DateTime()), sa.column("updated_by", sa.String()),
                   sa.column("version", sa.Integer()), sa.column("label", sa.String()),
                   sa.column("valid_from", sa.Date()), sa.column("valid_until", sa.Date()),
                   sa.column("data", sa.JSON()))
    op.bulk_insert(kdu, [{"id": SEED_ID, "origin_site": "kreis", "owner_site": "kreis", "created_at": now,
                          "updated_at": now, "updated_by": "seed", "version": 1, "label": data["label"],
                          "valid_from": date.fromisoformat(data["valid_from"]), "valid_until": None, "data": data}])


def downgrade() -> None:
    with op.batch_alter_table("registry_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registry_requests_target_id"))
        batch_op.drop_index(batch_op.f("ix_registry_requests_owner_site"))
        batch_op.drop_index(batch_op.f("ix_registry_requests_kind"))

    op.drop_table("registry_requests")
    with op.batch_alter_table("registry_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registry_decisions_request_id"))
        batch_op.drop_index(batch_op.f("ix_registry_decisions_owner_site"))

    op.drop_table("registry_decisions")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposals_step"))
        batch_op.drop_index(batch_op.f("ix_proposals_search_id"))
        batch_op.drop_index(batch_op.f("ix_proposals_owner_site"))
        batch_op.drop_index(batch_op.f("ix_proposals_offer_id"))
        batch_op.drop_index(batch_op.f("ix_proposals_lease_signed_on"))
        batch_op.drop_index(batch_op.f("ix_proposals_landlord_id"))
        batch_op.drop_index(batch_op.f("ix_proposals_case_id"))

    op.drop_table("proposals")
    with op.batch_alter_table("landlords", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_landlords_sort_key"))
        batch_op.drop_index(batch_op.f("ix_landlords_owner_site"))
        batch_op.drop_index(batch_op.f("ix_landlords_name"))
        batch_op.drop_index(batch_op.f("ix_landlords_merged_into"))
        batch_op.drop_index(batch_op.f("ix_landlords_cooperation_status"))

    op.drop_table("landlords")
    with op.batch_alter_table("landlord_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_landlord_notes_owner_site"))
        batch_op.drop_index(batch_op.f("ix_landlord_notes_landlord_id"))

    op.drop_table("landlord_notes")
    with op.batch_alter_table("kdu_tables", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kdu_tables_valid_from"))
        batch_op.drop_index(batch_op.f("ix_kdu_tables_owner_site"))

    op.drop_table("kdu_tables")
    with op.batch_alter_table("housing_searches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_housing_searches_status"))
        batch_op.drop_index(batch_op.f("ix_housing_searches_owner_site"))
        batch_op.drop_index(batch_op.f("ix_housing_searches_case_id"))

    op.drop_table("housing_searches")
    with op.batch_alter_table("flat_offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flat_offers_status"))
        batch_op.drop_index(batch_op.f("ix_flat_offers_owner_site"))
        batch_op.drop_index(batch_op.f("ix_flat_offers_municipality"))
        batch_op.drop_index(batch_op.f("ix_flat_offers_landlord_id"))
        batch_op.drop_index(batch_op.f("ix_flat_offers_gross_rent"))

    op.drop_table("flat_offers")
