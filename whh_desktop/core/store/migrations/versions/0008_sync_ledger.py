"""sync ledger: imported bundles, export state, case share state, pseudonyms, handovers

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_imported_bundles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sender_site", sa.String(length=20), nullable=False),
        sa.Column("sender_store_id", sa.String(length=36), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("full", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_imported_bundles")),
        sa.UniqueConstraint("bundle_id", name=op.f("uq_sync_imported_bundles_bundle_id")),
    )
    with op.batch_alter_table("sync_imported_bundles", schema=None) as batch_op:
        batch_op.create_index("ix_sync_imported_bundles_sender",
                              ["sender_site", "sender_store_id", "epoch", "sequence"], unique=False)
    op.create_table(
        "sync_export_state",
        sa.Column("target", sa.String(length=20), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("last_sequence", sa.Integer(), nullable=False),
        sa.Column("last_change_seq", sa.Integer(), nullable=False),
        sa.Column("last_export_at", sa.DateTime(), nullable=True),
        sa.Column("last_full_at", sa.DateTime(), nullable=True),
        sa.Column("acked_epoch", sa.Integer(), nullable=True),
        sa.Column("acked_sequence", sa.Integer(), nullable=True),
        sa.Column("acked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("target", name=op.f("pk_sync_export_state")),
    )
    op.create_table(
        "sync_case_share",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("identified", sa.Boolean(), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_sync_case_share")),
    )
    op.create_table(
        "sync_pseudonyms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=20), nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("person_pseudonym", sa.String(length=64), nullable=False),
        sa.Column("identified", sa.Boolean(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("rev_epoch", sa.Integer(), nullable=False),
        sa.Column("rev_seq", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_pseudonyms")),
        sa.UniqueConstraint("site", "pseudonym", name=op.f("uq_sync_pseudonyms_site")),
    )
    with op.batch_alter_table("sync_pseudonyms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_pseudonyms_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_pseudonyms_person_pseudonym"), ["person_pseudonym"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_sync_pseudonyms_site"), ["site"], unique=False)
    op.create_table(
        "sync_handovers",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("case_number", sa.String(length=20), nullable=False),
        sa.Column("from_site", sa.String(length=20), nullable=False),
        sa.Column("to_site", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_sync_handovers")),
    )
    op.create_table(
        "sync_handover_documents",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_sync_handover_documents")),
    )
    with op.batch_alter_table("sync_handover_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_handover_documents_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sync_handover_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_handover_documents_case_id"))
    op.drop_table("sync_handover_documents")
    op.drop_table("sync_handovers")
    with op.batch_alter_table("sync_pseudonyms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_pseudonyms_site"))
        batch_op.drop_index(batch_op.f("ix_sync_pseudonyms_person_pseudonym"))
        batch_op.drop_index(batch_op.f("ix_sync_pseudonyms_case_id"))
    op.drop_table("sync_pseudonyms")
    op.drop_table("sync_case_share")
    op.drop_table("sync_export_state")
    with op.batch_alter_table("sync_imported_bundles", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_imported_bundles_sender")
    op.drop_table("sync_imported_bundles")
