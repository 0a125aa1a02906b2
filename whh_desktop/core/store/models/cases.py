"""The case aggregate: a case and everything under it belongs to the site that created it (DESIGN.md §3).

References between synced rows are plain UUID columns without database foreign keys, so a bundle may bring a
child before its parent (DESIGN.md §10, import semantics).
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from whh_desktop.core.store.base import Base, SyncMixin


class Case(SyncMixin, Base):
    __tablename__ = "cases"
    # Mein Tag: a counsellor's newest cases in one state, read in order (migration 0018)
    __table_args__ = (Index("ix_cases_counsellor_status_opened", "counsellor", "status", "opened_on"),)
    __personal_fields__ = ("housing_note", "first_needs", "landlord_name", "landlord_address", "tenancy_street",
                           "closing_note", "came_via_note")

    case_number: Mapped[str] = mapped_column(String(20), unique=True)
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    counsellor: Mapped[str] = mapped_column(String(64), index=True)
    substitutes: Mapped[list[str]] = mapped_column(JSON, default=list)  # may see health/addiction notes too
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)  # draft, open, closed
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    closing_note: Mapped[str | None] = mapped_column(Text)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)  # Art. 18 GDPR: processing restricted
    erased_on: Mapped[date | None] = mapped_column(Date)  # personal data erased; the rest stays as statistics

    municipality: Mapped[str | None] = mapped_column(String(40), index=True)
    moved_in: Mapped[bool] = mapped_column(Boolean, default=False)  # zugezogen: PLZ outside the district allowed
    current_category: Mapped[str | None] = mapped_column(String(30), index=True)
    housing_note: Mapped[str | None] = mapped_column(Text)
    came_via: Mapped[str | None] = mapped_column(String(20))
    came_via_note: Mapped[str | None] = mapped_column(String(200))
    first_needs: Mapped[str | None] = mapped_column(Text)
    bausteine: Mapped[list[str]] = mapped_column(JSON, default=list)

    # Tenancy (current flat), money in cents
    landlord_name: Mapped[str | None] = mapped_column(String(200))
    landlord_address: Mapped[str | None] = mapped_column(String(300))
    tenancy_street: Mapped[str | None] = mapped_column(String(200))
    tenancy_plz: Mapped[str | None] = mapped_column(String(5))
    tenancy_city: Mapped[str | None] = mapped_column(String(100))
    cold_rent: Mapped[int | None] = mapped_column(Integer)
    utilities: Mapped[int | None] = mapped_column(Integer)  # kalte Nebenkosten
    heating: Mapped[int | None] = mapped_column(Integer)
    arrears: Mapped[int | None] = mapped_column(Integer)
    arrears_since: Mapped[date | None] = mapped_column(Date)


class CategoryEntry(SyncMixin, Base):
    """The Wohnungsnotfall category from a date on; reports read the state valid on a Stichtag."""

    __tablename__ = "case_categories"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    category: Mapped[str] = mapped_column(String(30))
    since: Mapped[date] = mapped_column(Date)


class HouseholdMember(SyncMixin, Base):
    __tablename__ = "household_members"
    __personal_fields__ = ("family_name", "given_names", "birth_date")

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    relation: Mapped[str] = mapped_column(String(20))
    family_name: Mapped[str | None] = mapped_column(String(200))
    given_names: Mapped[str | None] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(12), default="ohne_angabe")


class Income(SyncMixin, Base):
    __tablename__ = "incomes"
    __personal_fields__ = ("bg_number", "note")

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    since: Mapped[date | None] = mapped_column(Date)
    bg_number: Mapped[str | None] = mapped_column(String(40))  # Bedarfsgemeinschaftsnummer
    note: Mapped[str | None] = mapped_column(String(300))


class Contact(SyncMixin, Base):
    """A Beratungskontakt."""

    __tablename__ = "contacts"
    __personal_fields__ = ("note", "next_step")

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    on: Mapped[date] = mapped_column(Date, index=True)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))
    bausteine: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    counsellor: Mapped[str] = mapped_column(String(64))


class EvictionProceeding(SyncMixin, Base):
    __tablename__ = "eviction_proceedings"
    __personal_fields__ = ("court_file_no", "note")

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    termination_on: Mapped[date | None] = mapped_column(Date)
    termination_kind: Mapped[str | None] = mapped_column(String(30))
    suit_filed_on: Mapped[date | None] = mapped_column(Date)
    suit_served_on: Mapped[date | None] = mapped_column(Date)
    hearing_on: Mapped[date | None] = mapped_column(Date)
    eviction_on: Mapped[date | None] = mapped_column(Date)  # Räumungstermin
    court: Mapped[str | None] = mapped_column(String(120))
    court_file_no: Mapped[str | None] = mapped_column(String(60))
    previous_cure_on: Mapped[date | None] = mapped_column(Date)  # earlier use of the Schonfrist, typed by hand
    # "Schonfrist genutzt" in this proceeding: arrears paid or the Jobcenter undertook to pay (legal_state.CureMethod);
    # the two-year bar of later proceedings of the tenancy counts from these events
    cure_used_on: Mapped[date | None] = mapped_column(Date)
    cure_method: Mapped[str | None] = mapped_column(String(20))
    # § 22 Abs. 9 SGB II notice of the court to the Jobcenter
    notice_received_on: Mapped[date | None] = mapped_column(Date)
    notice_rent: Mapped[int | None] = mapped_column(Integer)
    notice_arrears: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


class RentDueEntry(SyncMixin, Base):
    """Rent ledger: what was due on a date and what was paid for it (for § 543 BGB)."""

    __tablename__ = "rent_ledger"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    due_on: Mapped[date] = mapped_column(Date)
    amount_due: Mapped[int] = mapped_column(Integer)
    amount_paid: Mapped[int] = mapped_column(Integer, default=0)


class Referral(SyncMixin, Base):
    __tablename__ = "referrals"
    __personal_fields__ = ("note", "outcome")

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    target: Mapped[str] = mapped_column(String(30))
    target_name: Mapped[str | None] = mapped_column(String(200))
    on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="angeregt")
    outcome: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class Consent(SyncMixin, Base):
    """Einwilligung / Schweigepflichtentbindung (DOMAIN.md, data protection)."""

    __tablename__ = "consents"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    recipient_note: Mapped[str | None] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(Text)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    health_data: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_on: Mapped[date] = mapped_column(Date)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    revoked_on: Mapped[date | None] = mapped_column(Date)


class DeadlineEntry(SyncMixin, Base):
    """A computed or manual deadline (Wiedervorlage), stored so the Fristen view lists them without recomputing."""

    __tablename__ = "deadlines"
    __personal_fields__ = ("note",)

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # e.g. the eviction proceeding it comes from
    due_on: Mapped[date] = mapped_column(Date, index=True)
    target_on: Mapped[date | None] = mapped_column(Date)
    rule: Mapped[str | None] = mapped_column(Text)
    inputs: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    override_on: Mapped[date | None] = mapped_column(Date)
    override_reason: Mapped[str | None] = mapped_column(Text)
    assigned_to: Mapped[str] = mapped_column(String(64), index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

    @property
    def effective_due(self) -> date:
        return self.override_on or self.due_on


class Document(SyncMixin, Base):
    """Metadata of a scan or generated letter; the bytes live in ``document_contents`` and stay at the site."""

    __tablename__ = "documents"
    __personal_fields__ = ("title",)

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))  # scan, letter
    mime: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str | None] = mapped_column(String(200))
    letter_type: Mapped[str | None] = mapped_column(String(40))
