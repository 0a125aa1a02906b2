"""The sync ledger (issue 05, DESIGN.md §4, §10): what was imported, what was exported, pseudonyms and handovers.

None of these tables travels in bundles; they describe this store's side of the exchange. They live in the same
transaction as the import they record, so a bundle and its ledger entry are applied together or not at all.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, LargeBinary, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from whh_desktop.core.store.base import Base, UtcDateTime, utcnow


class ImportedBundle(Base):
    """One applied bundle. Refused bundles leave the store unchanged and are recorded in the audit log only."""

    __tablename__ = "sync_imported_bundles"
    __table_args__ = (Index("ix_sync_imported_bundles_sender", "sender_site", "sender_store_id", "epoch",
                            "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # site_to_district, district_to_site
    sender_site: Mapped[str] = mapped_column(String(20))
    sender_store_id: Mapped[str] = mapped_column(String(36))
    epoch: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # as the sender wrote it
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(64))
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)   # applied rows per entity
    skipped: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # entity, id, reason (no content)


class ExportState(Base):
    """This store's export counters, one row per target (``kreis`` at a site, each site code at the district)."""

    __tablename__ = "sync_export_state"

    target: Mapped[str] = mapped_column(String(20), primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer, default=1)       # the store epoch of the last export
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
    last_change_seq: Mapped[int] = mapped_column(Integer, default=0)  # change_log.seq covered by the last export
    last_export_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_full_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # At a site: "Kreis hat Stand bis Export N" from the district's acknowledgement
    acked_epoch: Mapped[int | None] = mapped_column(Integer)
    acked_sequence: Mapped[int | None] = mapped_column(Integer)
    acked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CaseShareState(Base):
    """At a site: how a case was last sent to the district (identified or pseudonymous), so a consent given or
    revoked later switches the record with the next export."""

    __tablename__ = "sync_case_share"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    identified: Mapped[bool] = mapped_column(Boolean)
    exported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PseudonymEntry(Base):
    """At the district: one case of a site, either pseudonymous (``data`` holds the whitelisted statistics) or
    identified (``case_id``/``person_id`` link the pseudonym to the identified records). ``rev_epoch``/``rev_seq``
    order the switches, so bundles applied in any order end in the same state."""

    __tablename__ = "sync_pseudonyms"
    __table_args__ = (UniqueConstraint("site", "pseudonym"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site: Mapped[str] = mapped_column(String(20), index=True)
    pseudonym: Mapped[str] = mapped_column(String(64))         # HMAC-SHA256 of the case id (site secret)
    person_pseudonym: Mapped[str] = mapped_column(String(64), index=True)  # HMAC-SHA256 of the person id
    identified: Mapped[bool] = mapped_column(Boolean, default=False)
    case_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    rev_epoch: Mapped[int] = mapped_column(Integer, default=0)
    rev_seq: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Handover(Base):
    """A case handed from one site to another via the district.

    At the old site: ``state`` goes requested → exported → done; ``done`` marks the read-only stub (the case rows
    are then owned by the new site, so the flush hook refuses any change). At the district: the handover to be
    forwarded to the new site, with the document contents (``documents``: id → base64) until it went out."""

    __tablename__ = "sync_handovers"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(20), default="")
    from_site: Mapped[str] = mapped_column(String(20))
    to_site: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(12))  # requested, exported, received, forwarded, done
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(Text)


class HandoverDocument(Base):
    """At the district: document bytes of a handed-over case, held until the bundle for the new site is written."""

    __tablename__ = "sync_handover_documents"

    document_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
