"""Gather a case's legal facts from the store and compute its ``LegalState`` (domain.legal_state).

The one place that reads the store for the state: the case overview, the Fristen list (through the stored Schonfrist
deadline that ``casework`` writes from ``schonfrist_facts``), ``whh fall status`` and the letters all come here.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import legal_state as domain
from whh_desktop.core.domain.deadlines import DeadlineKind, NotificationKind, RentDue
from whh_desktop.core.domain.enums import TerminationKind
from whh_desktop.core.domain.kdu import KduCheck
from whh_desktop.core.domain.text import fold
from whh_desktop.core.errors import InvalidInput, NotFound
from whh_desktop.core.services import intake, kdu_tables, offers, proposals
from whh_desktop.core.services.access import require_case_worker
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import (
    Case,
    Consent,
    DeadlineEntry,
    EvictionProceeding,
    HouseholdMember,
    HousingSearch,
    RentDueEntry,
)
from whh_desktop.core.store.models.applications import Application as ApplicationRow
from whh_desktop.core.store.models.applications import ApplicationKind, Objection
from whh_desktop.core.store.rows import get_live

ADVERSE_DECISIONS = frozenset({"abgelehnt", "teilweise"})
ADVERSE_OBJECTION_DECISIONS = frozenset({"zurueckgewiesen", "teilweise"})


def case_state(store: Store, user: CurrentUser, case_id: uuid.UUID, today: date | None = None) -> domain.LegalState:
    """The legal state of a case for this user (Beratung only; admins see no case content)."""
    require_case_worker(user)
    with store.session(user.username) as s:
        case = get_live(s, Case, case_id, "Diesen Fall", where=lambda c: c.erased_on is None)
        return state_of(s, case, today or date.today())


def case_state_by_number(store: Store, user: CurrentUser, case_number: str,
                         today: date | None = None) -> domain.LegalState:
    require_case_worker(user)
    with store.session(user.username) as s:
        case = s.execute(select(Case).where(Case.case_number == case_number.strip().upper(),
                                            Case.deleted_at.is_(None))).scalar_one_or_none()
        if case is None or case.erased_on is not None:
            raise NotFound(f"Einen Fall mit dem Aktenzeichen »{case_number}« gibt es nicht.", "case")
        return state_of(s, case, today or date.today())


def state_of(session: Session, case: Case, today: date) -> domain.LegalState:
    """The state inside an open session (for services that already hold the case)."""
    return domain.legal_state(inputs_of(session, case, today), today)


# ---- gathering ----------------------------------------------------------------------------------------------
def _live(session: Session, model: type[Any], case_id: uuid.UUID) -> list:
    return list(session.execute(select(model).where(model.case_id == case_id, model.deleted_at.is_(None))
                                ).scalars())


def _enum(cls: type, value: str | None):
    try:
        return cls(value) if value else None
    except ValueError:
        return None


def proceeding_facts(proc: EvictionProceeding, case_number: str,
                     override: DeadlineEntry | None = None) -> domain.ProceedingFacts:
    return domain.ProceedingFacts(
        id=str(proc.id), termination_kind=_enum(TerminationKind, proc.termination_kind),
        termination_on=proc.termination_on, suit_served_on=proc.suit_served_on, cure_used_on=proc.cure_used_on,
        cure_method=_enum(domain.CureMethod, proc.cure_method), previous_cure_on=proc.previous_cure_on,
        override_on=override.override_on if override else None,
        override_reason=override.override_reason if override else None, case_number=case_number)


def current_proceeding(session: Session, case_id: uuid.UUID) -> EvictionProceeding | None:
    """The newest proceeding of the case (the one letters and the overview speak of)."""
    rows = _live(session, EvictionProceeding, case_id)
    return max(rows, key=lambda p: (p.created_at, p.suit_served_on or date.min)) if rows else None


def _same_tenancy(session: Session, a: Case, b: Case) -> bool:
    """Two cases of one person are one tenancy when the flat's street and PLZ match (or neither case has one). The
    flat is the one letters name (``intake.tenancy_of``): a case saved before the intake stored the flat's address
    compares by the same rule as one saved after."""
    if a.person_id != b.person_id:
        return False
    flat_a, flat_b = intake.tenancy_of(session, a), intake.tenancy_of(session, b)
    return fold(flat_a.street) == fold(flat_b.street) and flat_a.plz == flat_b.plz


def tenancy_proceedings(session: Session, case: Case) -> list[tuple[EvictionProceeding, str]]:
    """Every proceeding of the case's tenancy, in this case and in other cases of the same person and flat."""
    cases = session.execute(select(Case).where(Case.person_id == case.person_id, Case.deleted_at.is_(None))
                            ).scalars().all()
    numbers = {c.id: c.case_number for c in cases if c.id == case.id or _same_tenancy(session, case, c)}
    rows = session.execute(select(EvictionProceeding).where(EvictionProceeding.case_id.in_(numbers),
                                                            EvictionProceeding.deleted_at.is_(None))).scalars()
    return [(p, numbers[p.case_id]) for p in rows]


def schonfrist_facts(session: Session, case: Case, proc: EvictionProceeding
                     ) -> tuple[domain.ProceedingFacts, tuple[domain.ProceedingFacts, ...]]:
    """The proceeding and the other proceedings of its tenancy (for the two-year bar), with the stored override."""
    override = session.execute(select(DeadlineEntry).where(
        DeadlineEntry.source_id == proc.id, DeadlineEntry.kind == DeadlineKind.SCHONFRIST.value,
        DeadlineEntry.deleted_at.is_(None))).scalars().first()
    others = tuple(proceeding_facts(p, number) for p, number in tenancy_proceedings(session, case) if p.id != proc.id)
    return proceeding_facts(proc, case.case_number, override), others


def monthly_rent(case: Case) -> int:
    """Rent for § 543 BGB: Kaltmiete + Nebenkosten advances (+ heating advance), in cents."""
    return sum(v or 0 for v in (case.cold_rent, case.utilities, case.heating))


def household(session: Session, case: Case) -> tuple[int, tuple[str, ...]]:
    """The household size and KdU attributes a case's checks use (the housing search's, else the case's members); the
    letters read the same."""
    search = session.execute(select(HousingSearch).where(HousingSearch.case_id == case.id,
                                                         HousingSearch.deleted_at.is_(None))
                             .order_by(HousingSearch.created_at.desc()).limit(1)).scalar_one_or_none()
    if search is not None:
        return search.household_size, tuple(search.kdu_attributes or ())
    return 1 + len(_live(session, HouseholdMember, case.id)), ()


def _kdu_current(session: Session, case: Case, persons: int, attributes: tuple[str, ...],
                 today: date) -> tuple[KduCheck | None, str]:
    if not case.municipality:
        return None, "Keine KdU-Prüfung der aktuellen Wohnung: die Gemeinde ist nicht erfasst."
    if case.cold_rent is None:
        return None, "Keine KdU-Prüfung der aktuellen Wohnung: die Kaltmiete ist nicht erfasst."
    try:
        return kdu_tables.check(session, case.municipality, persons, cold_rent=case.cold_rent,
                                utilities=case.utilities or 0, heating=case.heating, attributes=attributes,
                                on=today, case_id=case.id), ""
    except InvalidInput as err:
        return None, f"Keine KdU-Prüfung der aktuellen Wohnung: {err}"


def _kdu_proposed(session: Session, case: Case, persons: int, attributes: tuple[str, ...],
                  today: date) -> tuple[KduCheck | None, str, str | None]:

    offer_id = proposals.newest_proposed_offer(session, case.id)
    if offer_id is None:
        return None, "Keine Wohnung vorgeschlagen.", None
    try:
        return offers.kdu_check(session, offer_id, persons, attributes, on=today), "", str(offer_id)
    except (InvalidInput, NotFound) as err:
        return None, f"Keine KdU-Prüfung der vorgeschlagenen Wohnung: {err}", str(offer_id)


def _consents(session: Session, case_id: uuid.UUID) -> tuple[domain.ConsentFacts, ...]:
    return tuple(domain.ConsentFacts(str(c.id), tuple(c.recipients or ()), tuple(c.categories or ()),
                                     bool(c.health_data), c.signed_on, c.valid_from, c.valid_until, c.revoked_on)
                 for c in _live(session, Consent, case_id))


def _decisions(session: Session, case_id: uuid.UUID) -> tuple[domain.DecisionFacts, ...]:
    deadlines = {d.source_id: d for d in _live(session, DeadlineEntry, case_id)
                 if d.kind in (DeadlineKind.WIDERSPRUCH.value, DeadlineKind.KLAGE.value)}
    objections = _live(session, Objection, case_id)
    objected = {o.application_id for o in objections}
    out = []
    for app in _live(session, ApplicationRow, case_id):
        if app.decision not in ADVERSE_DECISIONS or app.decided_on is None:
            continue
        entry = deadlines.get(app.id)
        kind = _enum(ApplicationKind, app.kind)
        out.append(domain.DecisionFacts(
            str(app.id), DeadlineKind.WIDERSPRUCH, kind.label if kind else app.kind, app.decided_on, app.posted_on,
            _enum(NotificationKind, app.notification) or NotificationKind.POST, app.served_on,
            not app.without_instructions,
            answered=app.id in objected or (entry is not None and entry.done_on is not None),
            override_on=entry.override_on if entry else None,
            override_reason=entry.override_reason if entry else None, authority=app.authority or "",
            file_no=app.file_no or ""))
    for obj in objections:
        if obj.decision not in ADVERSE_OBJECTION_DECISIONS or obj.decided_on is None:
            continue
        entry = deadlines.get(obj.id)
        out.append(domain.DecisionFacts(
            str(obj.id), DeadlineKind.KLAGE, "Widerspruchsbescheid", obj.decided_on, obj.posted_on,
            _enum(NotificationKind, obj.notification) or NotificationKind.POST, obj.served_on,
            not obj.without_instructions, answered=entry is not None and entry.done_on is not None,
            override_on=entry.override_on if entry else None,
            override_reason=entry.override_reason if entry else None))
    return tuple(out)


def inputs_of(session: Session, case: Case, today: date) -> domain.LegalInputs:
    proc = current_proceeding(session, case.id)
    current, others = schonfrist_facts(session, case, proc) if proc is not None else (None, ())
    persons, attributes = household(session, case)
    kdu_now, kdu_now_missing = _kdu_current(session, case, persons, attributes, today)
    kdu_new, kdu_new_missing, offer_id = _kdu_proposed(session, case, persons, attributes, today)
    ledger = tuple(RentDue(e.due_on, e.amount_due, e.amount_paid) for e in _live(session, RentDueEntry, case.id))
    return domain.LegalInputs(
        case_number=case.case_number, proceeding=current, other_proceedings=others, rent_ledger=ledger,
        monthly_rent=monthly_rent(case) or None, kdu_current=kdu_now, kdu_current_missing=kdu_now_missing,
        kdu_proposed=kdu_new, kdu_proposed_missing=kdu_new_missing, proposed_offer_id=offer_id,
        consents=_consents(session, case.id), decisions=_decisions(session, case.id))
