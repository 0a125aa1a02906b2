"""Read models of »Vermieter und Wohnungen«: the landlord registry, the flat offers, the market overview and the
sites' requests, each read in its own session and returned as frozen values (the UI holds no store rows)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from whh_desktop.core.domain import kdu
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import kdu_tables, landlords, market, offers, proposals, registry, staff
from whh_desktop.core.services.landlords import ContactNoteRow, LandlordData, LandlordFilter, LandlordPlacement
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.offers import OfferData, OfferFilter, OfferRow
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import FlatOffer

KDU_PERSONS = 6  # an offer's KdU check is shown for households of 1..6 persons


def may_edit_registry(store: Store, user: CurrentUser) -> bool:
    """District staff change the registry and the offers; everyone else proposes (DESIGN.md §10)."""
    return kdu_tables.is_district_staff(store, user)


# ---- landlords -----------------------------------------------------------------------------------------------
def landlord_list(store: Store, user: CurrentUser, flt: LandlordFilter | None = None) -> list[landlords.LandlordRow]:
    with store.read_session() as s:
        return landlords.list_landlords(s, flt)


def _choice(row: landlords.LandlordRow) -> tuple[uuid.UUID, str]:
    return row.id, f"{row.name}{', ' + row.city if row.city else ''}"


def landlord_choices(store: Store, user: CurrentUser, leave_out: uuid.UUID | None = None
                     ) -> list[tuple[uuid.UUID, str]]:
    """(id, "Name, Ort") of every registry entry, for the offer form and the merge dialog."""
    return [_choice(r) for r in landlord_list(store, user, LandlordFilter()) if r.id != leave_out]


@dataclass(frozen=True)
class MergedEntry:
    id: uuid.UUID
    name: str
    city: str


@dataclass(frozen=True)
class LandlordDetail:
    """One landlord as its detail view shows it."""

    id: uuid.UUID
    data: LandlordData
    merged_into_name: str          # "" unless this entry was merged into another
    history: list[ContactNoteRow]
    placements: list[LandlordPlacement]
    offers: list[OfferRow]         # of this entry and every entry merged into it
    merged: list[MergedEntry]


def landlord_detail(store: Store, user: CurrentUser, landlord_id: uuid.UUID) -> LandlordDetail:
    with store.read_session() as s:
        row = landlords.get_landlord(s, landlord_id)
        target = landlords.get_landlord(s, row.merged_into).name if row.merged_into else ""
        own_offers = [o for lid in landlords.merged_ids(s, landlord_id)
                      for o in offers.list_offers(s, OfferFilter(status=None, landlord_id=lid))]
        merged = [landlords.get_landlord(s, mid) for mid in landlords.references(s, landlord_id).merged]
        return LandlordDetail(landlord_id, LandlordData.of(row), target, landlords.contact_history(s, landlord_id),
                              landlords.placements_of(s, landlord_id), own_offers,
                              [MergedEntry(m.id, m.name, m.city or "") for m in merged])


# ---- offers --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OfferList:
    rows: list[OfferRow]
    total: int
    reported: dict[uuid.UUID, str]  # status this site reported to the district, not decided yet (sites only)


def offer_list(store: Store, user: CurrentUser, flt: OfferFilter, shown: int) -> OfferList:
    """At most ``shown`` rows and the total count of matches."""
    with store.read_session() as s:
        rows = offers.list_offers(s, flt, limit=shown + 1)
        total = offers.count_offers(s, flt) if len(rows) > shown else len(rows)
        reported = {} if may_edit_registry(store, user) else offers.effective_statuses(s)
    return OfferList(rows[:shown], total, reported)


def offer_data(row: FlatOffer) -> OfferData:
    return OfferData(street=row.street, municipality=row.municipality, floor_space_m2=row.floor_space_m2,
                     rooms=row.rooms, cold_rent=row.cold_rent, utilities=row.utilities, heating=row.heating or 0,
                     deposit=row.deposit or 0, plz=row.plz or "", floor=row.floor or 0, lift=bool(row.lift),
                     barrier_free=bool(row.barrier_free), available_from=row.available_from,
                     wbs_required=bool(row.wbs_required), pets_allowed=bool(row.pets_allowed), notes=row.notes or "",
                     landlord_id=row.landlord_id, status=row.status)


@dataclass(frozen=True)
class OfferProposal:
    """A proposal made for an offer, as the offer's detail view lists it (no client names)."""

    proposed_on: date
    step: str
    viewing_on: date | None
    lease_signed_on: date | None
    owner_site: str
    counsellor: str
    counsellor_name: str = ""  # the person; a login of another site's store as it is


@dataclass(frozen=True)
class OfferDetail:
    id: uuid.UUID
    data: OfferData
    landlord_name: str
    reported_status: str | None                  # this site's open status report, if any
    checks: list[kdu.KduCheck | str]             # households of 1..KDU_PERSONS; a str says why not
    proposals: list[OfferProposal]


def offer_detail(store: Store, user: CurrentUser, offer_id: uuid.UUID) -> OfferDetail:
    with store.read_session() as s:
        row = offers.get_offer(s, offer_id)
        landlord = landlords.get_landlord(s, row.landlord_id).name if row.landlord_id else "–"
        checks: list[kdu.KduCheck | str] = []
        for persons in range(1, KDU_PERSONS + 1):
            try:
                checks.append(offers.kdu_check(s, offer_id, persons))
            except WhhError as exc:
                checks.append(str(exc))
        who = staff.names(s)
        made = [OfferProposal(p.proposed_on, p.step, p.viewing_on, p.lease_signed_on, p.owner_site, p.counsellor,
                              staff.name_of(who, p.counsellor)) for p in proposals.proposals_of_offer(s, offer_id)]
        return OfferDetail(offer_id, offer_data(row), landlord, offers.effective_statuses(s).get(offer_id), checks,
                           made)


def offer_check(store: Store, user: CurrentUser, offer_id: uuid.UUID, persons: int) -> kdu.KduCheck:
    with store.read_session() as s:
        return offers.kdu_check(s, offer_id, persons)


# ---- market and the sites' requests --------------------------------------------------------------------------
def market_overview(store: Store, user: CurrentUser) -> market.MarketOverview:
    with store.read_session() as s:
        return market.overview(s)


@dataclass(frozen=True)
class PendingRequest:
    request: registry.RequestRow
    content: str  # what the district reads in the list; a status report names its offer


def pending_requests(store: Store, user: CurrentUser) -> list[PendingRequest]:
    out = []
    with store.read_session() as s:
        for r in registry.pending(s):
            content = r.summary
            if r.target_id is not None:
                try:
                    offer = offers.get_offer(s, r.target_id)
                    content = f"{r.kind_label}: {offer.street}, {offer.municipality}"
                except WhhError:
                    content = f"{r.kind_label}: Angebot nicht (mehr) vorhanden"
            out.append(PendingRequest(r, content))
    return out
