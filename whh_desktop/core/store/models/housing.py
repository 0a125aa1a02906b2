"""The housing aggregate: landlord registry, flat offers and KdU tables (owned by the district), housing searches
and proposals (owned by the case's site), and the requests a site sends the district about the registry.

Ownership (DESIGN.md §3, §10): a site never changes a district row. It writes a ``RegistryRequest`` (new landlord,
offer reserved or let, …) which the district decides with a ``RegistryDecision``; contact notes about a landlord
are rows of their own, owned by whoever wrote them. References are plain UUID columns without foreign keys.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, Integer, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from whh_desktop.core.store.base import Base, SyncMixin


class Landlord(SyncMixin, Base):
    """A Vermieter in the district registry. ``merged_into`` points at the entry it was merged into (reversible:
    nothing else is rewritten, so clearing it undoes the merge)."""

    __tablename__ = "landlords"
    __personal_fields__ = ("name", "contact_persons", "street", "phone", "email", "agreements_note", "notes", "iban",
                           "bic", "account_holder")

    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), index=True)
    sort_key: Mapped[str] = mapped_column(String(200), index=True)
    contact_persons: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=list)  # name, role, phone, email
    street: Mapped[str | None] = mapped_column(String(200))
    plz: Mapped[str | None] = mapped_column(String(5))
    city: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(200))
    preferred_contact: Mapped[str | None] = mapped_column(String(20))
    cooperation_status: Mapped[str] = mapped_column(String(20), default="interessiert", index=True)
    accepts_direct_payment: Mapped[bool | None] = mapped_column(Boolean)  # Direktzahlung (§ 22 Abs. 7 SGB II)
    accepts_schufa: Mapped[bool | None] = mapped_column(Boolean)          # tenants with SCHUFA entries
    agreements_note: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    won_on: Mapped[date | None] = mapped_column(Date)  # for "landlords newly won" in reports
    merged_into: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    # Bank details for the Direktzahlung: IBAN normalised (domain/iban.py), BIC optional
    iban: Mapped[str | None] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    account_holder: Mapped[str | None] = mapped_column(String(200))


class LandlordNote(SyncMixin, Base):
    """One entry of the contact history with a landlord; owned by the site or district that wrote it."""

    __tablename__ = "landlord_notes"
    __personal_fields__ = ("note",)

    landlord_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    on: Mapped[date] = mapped_column(Date)
    way: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(64))


class FlatOffer(SyncMixin, Base):
    """A Wohnungsangebot. Money in cents; ``gross_rent`` (Bruttokaltmiete) is kept for filtering."""

    __tablename__ = "flat_offers"
    __personal_fields__ = ("notes",)

    landlord_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    street: Mapped[str] = mapped_column(String(200))
    plz: Mapped[str | None] = mapped_column(String(5))
    municipality: Mapped[str] = mapped_column(String(40), index=True)
    floor_space_m2: Mapped[float] = mapped_column(Float)
    rooms: Mapped[float] = mapped_column(Float)
    floor: Mapped[int] = mapped_column(Integer, default=0)  # 0 = Erdgeschoss, -1 = Souterrain
    lift: Mapped[bool] = mapped_column(Boolean, default=False)
    barrier_free: Mapped[bool] = mapped_column(Boolean, default=False)
    cold_rent: Mapped[int] = mapped_column(Integer)
    utilities: Mapped[int] = mapped_column(Integer)  # kalte Nebenkosten
    heating: Mapped[int] = mapped_column(Integer, default=0)
    deposit: Mapped[int] = mapped_column(Integer, default=0)
    gross_rent: Mapped[int] = mapped_column(Integer, index=True)
    available_from: Mapped[date | None] = mapped_column(Date)
    wbs_required: Mapped[bool] = mapped_column(Boolean, default=False)
    pets_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="frei", index=True)
    # KdU surcharge codes the flat qualifies for (e.g. klimabonus for an energy-efficient building)
    kdu_attributes: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))


class HousingSearch(SyncMixin, Base):
    """A Wohnungssuche of a case; owned by the case's site."""

    __tablename__ = "housing_searches"
    __personal_fields__ = ("special_needs",)

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    household_size: Mapped[int] = mapped_column(Integer)
    member_ids: Mapped[list[str]] = mapped_column(JSON, default=list)  # household_members of the case
    wanted_municipalities: Mapped[list[str]] = mapped_column(JSON, default=list)
    max_rent: Mapped[int | None] = mapped_column(Integer)  # Bruttokaltmiete; None: the KdU limit
    min_rooms: Mapped[float | None] = mapped_column(Float)
    barrier_free: Mapped[bool] = mapped_column(Boolean, default=False)
    ground_floor: Mapped[bool] = mapped_column(Boolean, default=False)
    pets: Mapped[bool] = mapped_column(Boolean, default=False)
    has_wbs: Mapped[bool] = mapped_column(Boolean, default=False)
    earliest_move: Mapped[date | None] = mapped_column(Date)
    special_needs: Mapped[str | None] = mapped_column(Text)
    kdu_attributes: Mapped[list[str]] = mapped_column(JSON, default=list)  # surcharge codes (e.g. alleinerziehend)
    status: Mapped[str] = mapped_column(String(20), default="aktiv", index=True)


class Proposal(SyncMixin, Base):
    """An offer proposed to a household and its steps. The landlord's name and the address are copied at the
    time of proposing, so the proposal stays readable whatever happens to the registry entries."""

    __tablename__ = "proposals"
    __personal_fields__ = ("decline_reason", "note")

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    search_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    offer_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    landlord_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    landlord_name: Mapped[str] = mapped_column(String(200), default="")
    offer_address: Mapped[str] = mapped_column(String(300), default="")
    municipality: Mapped[str] = mapped_column(String(40))
    gross_rent: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(20), default="vorgeschlagen", index=True)
    proposed_on: Mapped[date] = mapped_column(Date)
    viewing_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    declined_on: Mapped[date | None] = mapped_column(Date)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    lease_signed_on: Mapped[date | None] = mapped_column(Date, index=True)  # a placement for reports
    note: Mapped[str | None] = mapped_column(Text)
    counsellor: Mapped[str] = mapped_column(String(64))


class RegistryRequest(SyncMixin, Base):
    """A site asks the district to change its registry; ``payload`` carries the proposed data."""

    __tablename__ = "registry_requests"
    __personal_fields__ = ("payload", "note")

    kind: Mapped[str] = mapped_column(String(30), index=True)
    target_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)  # the landlord or offer concerned
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    requested_on: Mapped[date] = mapped_column(Date)


class RegistryDecision(SyncMixin, Base):
    """The district's answer to a request; ``result_id`` is the registry row it created or changed."""

    __tablename__ = "registry_decisions"

    request_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    decision: Mapped[str] = mapped_column(String(20))
    result_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date] = mapped_column(Date)


class KduTableVersion(SyncMixin, Base):
    """One version of the KdU table (see ``domain/kdu.py``); ``data`` is ``KduTable.to_dict()``."""

    __tablename__ = "kdu_tables"

    label: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date] = mapped_column(Date, index=True)
    valid_until: Mapped[date | None] = mapped_column(Date)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
