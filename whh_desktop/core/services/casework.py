"""Case work: contacts, eviction proceedings (with their deadlines), rent ledger, referrals, documents."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import deadlines as rules
from whh_desktop.core.domain.enums import Baustein, ContactKind, ReferralStatus, ReferralTarget, TerminationKind
from whh_desktop.core.domain.legal_state import CureMethod, schonfrist_state
from whh_desktop.core.errors import InvalidInput, NotFound, OwnedByAnotherSite, PermissionDenied
from whh_desktop.core.services import legal_state
from whh_desktop.core.services.access import HealthMask, health_mask, is_health_referral, is_health_related
from whh_desktop.core.services.cases import get_for_change
from whh_desktop.core.services.intake import Tenancy, apply_tenancy
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.changes import owned_elsewhere, tombstone
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import (
    Case,
    Contact,
    DeadlineEntry,
    Document,
    DocumentContent,
    EvictionProceeding,
    Referral,
    RentDueEntry,
)
from whh_desktop.core.store.rows import get_live

MAX_NOTE = 20_000
MAX_DOCUMENT = 50 * 1024 * 1024


def _check_note(text: str | None, field: str) -> None:
    if text and len(text) > MAX_NOTE:
        raise InvalidInput(f"Der Text ist zu lang ({len(text)} Zeichen, höchstens {MAX_NOTE}). Bitte kürzen oder "
                           "als Dokument ablegen.", field)


# ---- contacts ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ContactData:
    on: date
    minutes: int
    kind: str
    bausteine: list[str]
    note: str = ""
    next_step: str = ""


def _validate_contact(data: ContactData) -> None:
    if data.kind not in {k.value for k in ContactKind}:
        raise InvalidInput("Bitte die Art des Kontakts wählen.", "kind")
    if not 0 <= data.minutes <= 24 * 60:
        raise InvalidInput("Die Dauer liegt zwischen 0 und 1440 Minuten.", "minutes")
    if data.on > date.today():
        raise InvalidInput("Ein Kontakt kann nicht in der Zukunft liegen; für Termine bitte eine Wiedervorlage "
                           "anlegen.", "on")
    if any(b not in {x.value for x in Baustein} for b in data.bausteine):
        raise InvalidInput("Unbekannter Baustein.", "bausteine")
    _check_note(data.note, "note")
    _check_note(data.next_step, "next_step")


def _check_contact_date(data: ContactData, case: Case) -> None:
    if data.on < case.opened_on:
        raise InvalidInput("Der Kontakt liegt vor der Aufnahme des Falls.", "on")


def add_contact(store: Store, user: CurrentUser, case_id: uuid.UUID, data: ContactData) -> uuid.UUID:
    _validate_contact(data)
    with store.session(user.username) as s:
        case = get_for_change(s, case_id, user)
        _check_contact_date(data, case)
        contact = Contact(case_id=case_id, on=data.on, minutes=data.minutes, kind=data.kind,
                          bausteine=sorted(set(data.bausteine)), note=data.note or None,
                          next_step=data.next_step or None, counsellor=user.username)
        s.add(contact)
        s.flush()
        audit.append(s, user.username, "contact_added", object_type="case", object_id=str(case_id))
        return contact.id


def update_contact(store: Store, user: CurrentUser, contact_id: uuid.UUID, data: ContactData) -> None:
    """Correct a recorded contact with the rules of ``add_contact``. Only this site's own contacts; a Baustein 4/5
    contact only by those who see its note (a colleague would overwrite what is masked for her unseen)."""
    _validate_contact(data)
    with store.session(user.username) as s:
        contact = s.get(Contact, contact_id)
        if contact is None or contact.deleted_at is not None:
            raise NotFound("Diesen Kontakt gibt es nicht (mehr).")
        case = get_for_change(s, contact.case_id, user)
        require_own(s, contact)
        if health_mask(user, case).hides(is_health_related(contact.bausteine)):
            raise PermissionDenied("Dieser Kontakt enthält vertrauliche Gesundheits- oder Suchtangaben; ändern "
                                   "können ihn nur die fallführende Beratung und die Vertretungen.")
        _check_contact_date(data, case)
        contact.on, contact.minutes, contact.kind = data.on, data.minutes, data.kind
        contact.bausteine = sorted(set(data.bausteine))
        contact.note, contact.next_step = data.note or None, data.next_step or None
        if s.is_modified(contact):
            audit.append(s, user.username, "contact_changed", object_type="case", object_id=str(case.id))


def require_own(session: Session, row: Any) -> None:
    """Refuse (in German) a change to a row another site or the district keeps (DESIGN.md §3, single owner)."""
    site = session.info.get("site")
    if site is not None and row.owner_site != site:
        raise OwnedByAnotherSite(owned_elsewhere(row.owner_site))


@dataclass(frozen=True)
class ContactView:
    """A contact as this user may see it: note and next step of a Baustein 4/5 contact already masked."""

    id: uuid.UUID
    case_id: uuid.UUID
    on: date
    minutes: int
    kind: str
    bausteine: tuple[str, ...]
    note: str
    next_step: str
    counsellor: str
    created_at: datetime
    confidential: bool  # the user may not see this contact's health content

    @classmethod
    def of(cls, row: Contact, mask: HealthMask) -> ContactView:
        special = is_health_related(row.bausteine)
        return cls(row.id, row.case_id, row.on, row.minutes, row.kind, tuple(row.bausteine or ()),
                   mask.text(row.note, special), mask.text(row.next_step, special), row.counsellor, row.created_at,
                   mask.hides(special))


def _case(session: Session, case_id: uuid.UUID) -> Case:
    return get_live(session, Case, case_id, "Diesen Fall")


def contacts(session: Session, user: CurrentUser, case_id: uuid.UUID) -> list[ContactView]:
    """The case's contacts, newest first, masked for ``user`` (access.health_mask)."""
    mask = health_mask(user, _case(session, case_id))
    stmt = (select(Contact).where(Contact.case_id == case_id, Contact.deleted_at.is_(None))
            .order_by(Contact.on.desc(), Contact.created_at.desc()))
    return [ContactView.of(row, mask) for row in session.execute(stmt).scalars()]


# ---- eviction proceedings and their deadlines ----------------------------------------------------------------
@dataclass(frozen=True)
class EvictionData:
    termination_on: date | None = None
    termination_kind: str | None = None
    suit_filed_on: date | None = None
    suit_served_on: date | None = None
    hearing_on: date | None = None
    eviction_on: date | None = None
    court: str = ""
    court_file_no: str = ""
    previous_cure_on: date | None = None
    notice_received_on: date | None = None
    notice_rent: int | None = None
    notice_arrears: int | None = None
    note: str = ""
    cure_used_on: date | None = None     # "Schonfrist genutzt": arrears paid / Jobcenter undertook to pay
    cure_method: str | None = None       # legal_state.CureMethod
    tenancy: Tenancy | None = None       # the flat and landlord as the form shows them (None: left as they are)


def validate_eviction(data: EvictionData, today: date | None = None) -> None:
    today = today or date.today()
    if not data.termination_kind:
        raise InvalidInput("Bitte die Art der Kündigung wählen (fristlos wegen Zahlungsverzugs, ordentlich, fristlos "
                           "und hilfsweise ordentlich oder aus anderem Grund). Nur danach richtet sich, ob eine "
                           "Schonfrist gilt.", "termination_kind")
    if data.termination_kind not in {k.value for k in TerminationKind}:
        raise InvalidInput("Unbekannte Art der Kündigung.", "termination_kind")
    if data.cure_used_on is not None or data.cure_method:
        if data.cure_used_on is None:
            raise InvalidInput("Bitte angeben, an welchem Tag die Schonfrist genutzt wurde.", "cure_used_on")
        if data.cure_method not in {m.value for m in CureMethod}:
            raise InvalidInput("Bitte angeben, wie die Schonfrist genutzt wurde (Rückstand bezahlt oder "
                               "Verpflichtungserklärung des Jobcenters/Sozialamts).", "cure_method")
        if data.cure_used_on > today:
            raise InvalidInput("Die Schonfrist kann nicht in der Zukunft genutzt worden sein.", "cure_used_on")
        if data.termination_on and data.cure_used_on < data.termination_on:
            raise InvalidInput("Die Schonfrist wurde vor der Kündigung genutzt? Bitte die Daten prüfen.",
                               "cure_used_on")
    if data.suit_served_on and data.hearing_on and data.suit_served_on > data.hearing_on:
        raise InvalidInput("Die Klage wurde nach dem Verhandlungstermin zugestellt? Bitte die Daten prüfen.",
                           "suit_served_on")
    if data.suit_filed_on and data.suit_served_on and data.suit_filed_on > data.suit_served_on:
        raise InvalidInput("Die Zustellung liegt vor der Einreichung der Klage.", "suit_served_on")
    if data.termination_on and data.suit_filed_on and data.termination_on > data.suit_filed_on:
        raise InvalidInput("Die Kündigung liegt nach der Räumungsklage.", "termination_on")
    for name in ("notice_rent", "notice_arrears"):
        value = getattr(data, name)
        if value is not None and value < 0:
            raise InvalidInput("Der Betrag darf nicht negativ sein.", name)
    _check_note(data.note, "note")


def save_eviction(store: Store, user: CurrentUser, case_id: uuid.UUID, data: EvictionData,
                  proceeding_id: uuid.UUID | None = None) -> uuid.UUID:
    validate_eviction(data)
    with store.session(user.username) as s:
        case = get_for_change(s, case_id, user)
        if proceeding_id is None:
            proc = EvictionProceeding(case_id=case_id)
            s.add(proc)
        else:  # an edit: the case's own live proceeding, never a new one in its place or another case's
            found = s.get(EvictionProceeding, proceeding_id)
            if found is None or found.deleted_at is not None or found.case_id != case_id:
                raise NotFound("Dieses Räumungsverfahren gibt es in diesem Fall nicht (mehr).")
            require_own(s, found)
            proc = found
        if data.tenancy is not None:  # before the deadlines: the two-year bar compares the tenancy's address
            apply_tenancy(case, data.tenancy)
        for name, value in data.__dict__.items():
            if name != "tenancy":
                setattr(proc, name, value if value != "" else None)
        s.flush()
        # a cure recorded here can bar (or free) the Schonfrist of every other proceeding of the tenancy
        # (only cases this site owns and may change: single owner, DESIGN.md §3)
        for other, _number in legal_state.tenancy_proceedings(s, case):
            owner = s.get(Case, other.case_id)
            if owner is not None and owner.owner_site == case.owner_site and not owner.restricted:
                _sync_eviction_deadlines(s, owner, other)
        audit.append(s, user.username, "eviction_saved", object_type="case", object_id=str(case_id))
        return proc.id


def _sync_eviction_deadlines(session: Session, case: Case, proc: EvictionProceeding) -> None:
    """Computed deadlines follow the proceeding; an override or a done mark made by hand is kept. The Schonfrist
    comes from the legal state: none for a non-arrears termination, with the bar and kind warnings otherwise."""
    wanted: dict[rules.DeadlineKind, rules.Deadline] = {}
    current, others = legal_state.schonfrist_facts(session, case, proc)
    state = schonfrist_state(replace(current, override_on=None, override_reason=None), others, date.today())
    if state.computed is not None:
        wanted[rules.DeadlineKind.SCHONFRIST] = replace(state.computed, warnings=tuple(
            w for w in state.warnings if not w.startswith("Die Schonfrist ist am")))
    if proc.eviction_on:
        wanted[rules.DeadlineKind.RAEUMUNG] = rules.Deadline(
            rules.DeadlineKind.RAEUMUNG, proc.eviction_on, proc.eviction_on,
            "Räumungstermin laut Mitteilung des Gerichtsvollziehers.",
            {"Räumungstermin": rules.fmt(proc.eviction_on)})
    existing = {d.kind: d for d in session.execute(select(DeadlineEntry).where(
        DeadlineEntry.source_id == proc.id, DeadlineEntry.deleted_at.is_(None))).scalars()}
    for kind, deadline in wanted.items():
        entry = existing.pop(kind.value, None)
        if entry is None:
            entry = DeadlineEntry(case_id=case.id, kind=kind.value, source_id=proc.id, assigned_to=case.counsellor)
            session.add(entry)
        entry.due_on, entry.target_on, entry.rule = deadline.due, deadline.target, deadline.rule
        entry.inputs, entry.warnings = dict(deadline.inputs), list(deadline.warnings)
        if kind is rules.DeadlineKind.SCHONFRIST and proc.cure_used_on and entry.done_on is None:
            entry.done_on = proc.cure_used_on  # "Schonfrist genutzt": nothing left to do for it
    for stale in existing.values():
        tombstone(stale)


def proceedings(session: Session, case_id: uuid.UUID) -> list[EvictionProceeding]:
    stmt = select(EvictionProceeding).where(EvictionProceeding.case_id == case_id,
                                            EvictionProceeding.deleted_at.is_(None))
    return list(session.execute(stmt).scalars())


# ---- rent ledger (§ 543 BGB) ---------------------------------------------------------------------------------
def add_rent_entry(store: Store, user: CurrentUser, case_id: uuid.UUID, due_on: date, amount_due: int,
                   amount_paid: int) -> None:
    if amount_due <= 0:
        raise InvalidInput("Die fällige Miete muss größer als 0 sein.", "amount_due")
    if amount_paid < 0:
        raise InvalidInput("Der gezahlte Betrag darf nicht negativ sein.", "amount_paid")
    with store.session(user.username) as s:
        get_for_change(s, case_id, user)
        s.add(RentDueEntry(case_id=case_id, due_on=due_on, amount_due=amount_due, amount_paid=amount_paid))


def termination_risk(session: Session, case_id: uuid.UUID) -> rules.TerminationRisk | None:
    """The § 543 flag from the ledger; the monthly rent is the case's Kaltmiete + Nebenkosten (+ heating advance)."""
    case = session.get(Case, case_id)
    entries = session.execute(select(RentDueEntry).where(RentDueEntry.case_id == case_id,
                                                         RentDueEntry.deleted_at.is_(None))).scalars().all()
    rent = legal_state.monthly_rent(case) if case else 0
    if not entries or rent <= 0:
        return None
    return rules.termination_risk([rules.RentDue(e.due_on, e.amount_due, e.amount_paid) for e in entries], rent)


# ---- referrals -----------------------------------------------------------------------------------------------
def add_referral(store: Store, user: CurrentUser, case_id: uuid.UUID, target: ReferralTarget, on: date,
                 target_name: str = "", note: str = "") -> uuid.UUID:
    _check_note(note, "note")
    with store.session(user.username) as s:
        get_for_change(s, case_id, user)
        referral = Referral(case_id=case_id, target=target.value, target_name=target_name or None, on=on,
                            status=ReferralStatus.ANGEREGT.value, note=note or None)
        s.add(referral)
        s.flush()
        audit.append(s, user.username, "referral_added", object_type="case", object_id=str(case_id),
                     detail=target.value)
        return referral.id


def update_referral(store: Store, user: CurrentUser, referral_id: uuid.UUID, status: ReferralStatus,
                    outcome: str = "", note: str | None = None) -> None:
    """Stand, Ergebnis and (``note`` not None) the note. An empty outcome keeps the stored one (a masked form
    sends nothing back); SpDi/Suchthilfe text only from those who may see it."""
    _check_note(outcome, "outcome")
    _check_note(note, "note")
    with store.session(user.username) as s:
        referral = s.get(Referral, referral_id)
        if referral is None or referral.deleted_at is not None:
            raise NotFound("Diese Vermittlung gibt es nicht.")
        case = get_for_change(s, referral.case_id, user)
        require_own(s, referral)
        hidden = health_mask(user, case).hides(is_health_referral(referral.target))
        if hidden and (outcome or (note is not None and note != (referral.note or ""))):
            raise PermissionDenied("Ergebnis und Notiz einer Vermittlung an SpDi oder Suchthilfe sind vertraulich; "
                                   "nur die fallführende Beratung und die Vertretungen tragen sie ein.")
        referral.status, referral.outcome = status.value, outcome or referral.outcome
        if note is not None:
            referral.note = note or None
        if s.is_modified(referral):
            audit.append(s, user.username, "referral_changed", object_type="case", object_id=str(case.id),
                         detail=referral.target)


@dataclass(frozen=True)
class ReferralView:
    """A referral as this user may see it: note and outcome of an SpDi/Suchthilfe referral already masked."""

    id: uuid.UUID
    case_id: uuid.UUID
    target: str
    target_name: str
    on: date
    status: str
    outcome: str
    note: str
    confidential: bool

    @classmethod
    def of(cls, row: Referral, mask: HealthMask) -> ReferralView:
        special = is_health_referral(row.target)
        return cls(row.id, row.case_id, row.target, row.target_name or "", row.on, row.status,
                   mask.text(row.outcome, special), mask.text(row.note, special), mask.hides(special))


def referrals(session: Session, user: CurrentUser, case_id: uuid.UUID) -> list[ReferralView]:
    mask = health_mask(user, _case(session, case_id))
    stmt = select(Referral).where(Referral.case_id == case_id, Referral.deleted_at.is_(None)).order_by(Referral.on)
    return [ReferralView.of(row, mask) for row in session.execute(stmt).scalars()]


# ---- documents (inside the encrypted store) ------------------------------------------------------------------
def add_document(store: Store, user: CurrentUser, case_id: uuid.UUID, title: str, mime: str, data: bytes,
                 kind: str = "scan", recipient: str | None = None, letter_type: str | None = None) -> uuid.UUID:
    if not data:
        raise InvalidInput("Die Datei ist leer.", "file")
    if len(data) > MAX_DOCUMENT:
        raise InvalidInput("Die Datei ist größer als 50 MB. Bitte verkleinern (z. B. als PDF in geringerer "
                           "Auflösung scannen).", "file")
    with store.session(user.username) as s:
        get_for_change(s, case_id, user)
        doc = Document(case_id=case_id, title=title.strip() or "Dokument", kind=kind, mime=mime, size=len(data),
                       sha256=hashlib.sha256(data).hexdigest(), recipient=recipient, letter_type=letter_type)
        s.add(doc)
        s.flush()
        s.add(DocumentContent(document_id=doc.id, data=data))
        audit.append(s, user.username, "document_added", object_type="case", object_id=str(case_id), detail=kind)
        return doc.id


def document_bytes(session: Session, document_id: uuid.UUID) -> bytes:
    content = session.get(DocumentContent, document_id)
    if content is None:
        raise InvalidInput("Der Inhalt dieses Dokuments liegt nicht in diesem Datenbestand (nur am Standort).")
    return content.data
