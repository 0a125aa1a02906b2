"""Proposals (Wohnungsvorschläge) and their steps: vorgeschlagen → Besichtigung → Zusage → Mietvertrag
unterschrieben, or Absage with a reason at any point.

A Zusage reserves the flat, an Absage after a Zusage frees it again, a signed lease lets it (on a site these are
requests to the district, which owns the offers). The signed lease also moves the case into its new flat (tenancy
fields, the search marked as found, and "ehemals wohnungslos" for a case that was homeless) and counts as a
placement (``placements``) for the reports.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.enums import Category
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.domain.housing import OfferStatus, ProposalStep, SearchStatus
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import landlords, offers
from whh_desktop.core.services.cases import get_for_change
from whh_desktop.core.services.housing_search import get_search
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Case, CategoryEntry, FlatOffer, HousingSearch, Landlord, Proposal
from whh_desktop.core.store.rows import get_live

_ORDER = [ProposalStep.VORGESCHLAGEN, ProposalStep.BESICHTIGUNG, ProposalStep.ZUSAGE, ProposalStep.MIETVERTRAG]


def propose(store: Store, user: CurrentUser, search_id: uuid.UUID, offer_id: uuid.UUID, on: date | None = None,
            note: str = "") -> uuid.UUID:
    """Propose a free offer to the household of a search. The landlord's name and the address are copied into the
    proposal, so it stays readable whatever later happens to the registry."""
    on = on or date.today()
    if on > date.today():
        raise InvalidInput("Das Datum des Vorschlags liegt in der Zukunft.", "on")
    with store.session(user.username) as s:
        search = get_search(s, search_id)
        get_for_change(s, search.case_id, user)
        offer = offers.get_offer(s, offer_id)
        status = offers.effective_statuses(s).get(offer.id, offer.status)
        if status in (OfferStatus.VERGEBEN.value, OfferStatus.ZURUECKGEZOGEN.value):
            raise InvalidInput(f"Die Wohnung ist {OfferStatus(status).label} und kann nicht mehr vorgeschlagen "
                               "werden.", "offer_id")
        open_one = s.execute(select(Proposal.id).where(
            Proposal.case_id == search.case_id, Proposal.offer_id == offer_id, Proposal.deleted_at.is_(None),
            Proposal.step.not_in((ProposalStep.ABSAGE.value, ProposalStep.MIETVERTRAG.value)))).first()
        if open_one:
            raise InvalidInput("Diese Wohnung ist dem Haushalt bereits vorgeschlagen.", "offer_id")
        landlord_name = ""
        landlord_id = landlords.resolve(s, offer.landlord_id) if offer.landlord_id else None
        if landlord_id:
            landlord = s.get(Landlord, landlord_id)
            landlord_name = landlord.name if landlord else ""
        proposal = Proposal(case_id=search.case_id, search_id=search.id, offer_id=offer.id, landlord_id=landlord_id,
                            landlord_name=landlord_name, offer_address=_address(offer),
                            municipality=offer.municipality, gross_rent=offer.gross_rent,
                            step=ProposalStep.VORGESCHLAGEN.value, proposed_on=on, note=note.strip() or None,
                            counsellor=user.username)
        s.add(proposal)
        s.flush()
        audit.append(s, user.username, "proposal_created", object_type="case", object_id=str(search.case_id))
        return proposal.id


def _address(offer: FlatOffer) -> str:
    return f"{offer.street}, {offer.plz + ' ' if offer.plz else ''}{offer.municipality}"


def advance(store: Store, user: CurrentUser, proposal_id: uuid.UUID, step: ProposalStep, on: date,
            reason: str = "", note: str = "") -> None:
    """Record the next step. An Absage needs a reason; a step never goes back; only a viewing may lie ahead."""
    with store.session(user.username) as s:
        proposal = get_proposal(s, proposal_id)
        case = get_for_change(s, proposal.case_id, user)
        current = ProposalStep(proposal.step)
        if current.is_final:
            raise InvalidInput(f"Der Vorschlag ist bereits abgeschlossen ({current.label}).", "step")
        if step is not ProposalStep.ABSAGE and _ORDER.index(step) <= _ORDER.index(current):
            raise InvalidInput(f"Nach »{current.label}« kann nicht »{step.label}« folgen.", "step")
        if on < proposal.proposed_on:
            raise InvalidInput(f"Das Datum liegt vor dem Vorschlag ({fmt_date(proposal.proposed_on)}).", "on")
        if on > date.today() and step is not ProposalStep.BESICHTIGUNG:
            raise InvalidInput("Das Datum liegt in der Zukunft.", "on")
        if note.strip():
            proposal.note = "\n".join(filter(None, [proposal.note, note.strip()]))
        offer = s.get(FlatOffer, proposal.offer_id)
        site = store.info.site_code
        if step is ProposalStep.BESICHTIGUNG:
            proposal.viewing_on = on
        elif step is ProposalStep.ZUSAGE:
            proposal.accepted_on = on
            if offer is not None and offer.deleted_at is None:
                offers.change_status_in(s, site, offer, OfferStatus.RESERVIERT, "Zusage")
        elif step is ProposalStep.ABSAGE:
            if not reason.strip():
                raise InvalidInput("Bitte den Grund der Absage angeben.", "reason")
            proposal.declined_on, proposal.decline_reason = on, reason.strip()
            if current is ProposalStep.ZUSAGE and offer is not None and offer.deleted_at is None:
                offers.change_status_in(s, site, offer, OfferStatus.FREI, "Absage nach Zusage")
        elif step is ProposalStep.MIETVERTRAG:
            proposal.lease_signed_on = on
            if proposal.accepted_on is None:
                proposal.accepted_on = on
            _move_in(s, case, proposal, offer, on)
            if offer is not None and offer.deleted_at is None:
                offers.change_status_in(s, site, offer, OfferStatus.VERGEBEN, "Mietvertrag unterschrieben")
        proposal.step = step.value
        audit.append(s, user.username, f"proposal_{step.value}", object_type="case", object_id=str(case.id))


def _move_in(session: Session, case: Case, proposal: Proposal, offer: FlatOffer | None, on: date) -> None:
    """The case's housing situation becomes the new flat."""
    landlord = session.get(Landlord, proposal.landlord_id) if proposal.landlord_id else None
    case.landlord_name = proposal.landlord_name or (landlord.name if landlord else None)
    if landlord is not None:
        case.landlord_address = ", ".join(filter(None, [landlord.street, " ".join(
            filter(None, [landlord.plz, landlord.city]))])) or None
    if offer is not None:
        case.tenancy_street, case.tenancy_plz, case.tenancy_city = offer.street, offer.plz, offer.municipality
        case.cold_rent, case.utilities, case.heating = offer.cold_rent, offer.utilities, offer.heating
    case.municipality = proposal.municipality
    case.arrears, case.arrears_since = None, None  # arrears of the old tenancy stay in the rent ledger
    if case.current_category and Category(case.current_category).is_homeless:
        session.add(CategoryEntry(case_id=case.id, category=Category.EHEMALS.value, since=on))
        case.current_category = Category.EHEMALS.value
    if proposal.search_id:
        search = session.get(HousingSearch, proposal.search_id)
        if search is not None:
            search.status = SearchStatus.VERSORGT.value


def record_viewing(store: Store, user: CurrentUser, proposal_id: uuid.UUID, on: date, note: str = "") -> None:
    advance(store, user, proposal_id, ProposalStep.BESICHTIGUNG, on, note=note)


def record_acceptance(store: Store, user: CurrentUser, proposal_id: uuid.UUID, on: date, note: str = "") -> None:
    advance(store, user, proposal_id, ProposalStep.ZUSAGE, on, note=note)


def record_refusal(store: Store, user: CurrentUser, proposal_id: uuid.UUID, on: date, reason: str) -> None:
    advance(store, user, proposal_id, ProposalStep.ABSAGE, on, reason=reason)


def record_lease(store: Store, user: CurrentUser, proposal_id: uuid.UUID, signed_on: date, note: str = "") -> None:
    advance(store, user, proposal_id, ProposalStep.MIETVERTRAG, signed_on, note=note)


def get_proposal(session: Session, proposal_id: uuid.UUID) -> Proposal:
    return get_live(session, Proposal, proposal_id, "Diesen Wohnungsvorschlag")


def proposals_of_case(session: Session, case_id: uuid.UUID) -> list[Proposal]:
    stmt = (select(Proposal).where(Proposal.case_id == case_id, Proposal.deleted_at.is_(None))
            .order_by(Proposal.proposed_on.desc(), Proposal.created_at.desc()))
    return list(session.execute(stmt).scalars())


def newest_proposed_offer(session: Session, case_id: uuid.UUID) -> uuid.UUID | None:
    """The flat of the case's newest proposal that was not declined (letters and the legal state ask for it)."""
    stmt = (select(Proposal.offer_id).where(Proposal.case_id == case_id, Proposal.deleted_at.is_(None),
                                            Proposal.declined_on.is_(None))
            .order_by(Proposal.proposed_on.desc(), Proposal.created_at.desc()).limit(1))
    return session.execute(stmt).scalar_one_or_none()


def proposals_of_offer(session: Session, offer_id: uuid.UUID) -> list[Proposal]:
    stmt = (select(Proposal).where(Proposal.offer_id == offer_id, Proposal.deleted_at.is_(None))
            .order_by(Proposal.proposed_on.desc()))
    return list(session.execute(stmt).scalars())


@dataclass(frozen=True)
class Placement:
    """A household placed into a flat with a signed lease (indicator of the Landesinitiative)."""

    proposal_id: uuid.UUID
    case_id: uuid.UUID
    site: str
    municipality: str
    lease_signed_on: date
    landlord_id: uuid.UUID | None
    landlord_name: str
    gross_rent: int


def placements(session: Session, von: date, bis: date, site: str | None = None,
               municipality: str | None = None) -> list[Placement]:
    """Signed leases with the signing date in [von, bis], optionally of one site or municipality."""
    stmt = select(Proposal).where(Proposal.deleted_at.is_(None), Proposal.lease_signed_on.is_not(None),
                                  Proposal.lease_signed_on >= von, Proposal.lease_signed_on <= bis)
    if site:
        stmt = stmt.where(Proposal.owner_site == site)
    if municipality:
        stmt = stmt.where(Proposal.municipality == municipality)
    return [Placement(p.id, p.case_id, p.owner_site, p.municipality, p.lease_signed_on,  # type: ignore[arg-type]
                      p.landlord_id, p.landlord_name, p.gross_rent)
            for p in session.execute(stmt.order_by(Proposal.lease_signed_on)).scalars()]
