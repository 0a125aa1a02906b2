"""Landlord registry (Vermieter): owned by the district, proposed by sites, merged reversibly.

District staff save landlords directly (``save_landlord``); a site sends a proposal (``propose_landlord``) which
the district accepts in ``registry.accept``. Contact notes (``add_contact_note``) can be written anywhere: they are
rows of their own that point at the landlord. Two entries of the same landlord are merged by pointing one at the
other (``merge``); nothing else is rewritten, so ``undo_merge`` restores both as they were. A landlord that a
proposal or an open offer still names is never deleted.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import iban as iban_rules
from whh_desktop.core.domain.formatting import plural
from whh_desktop.core.domain.housing import (
    ContactWay,
    CooperationStatus,
    LandlordKind,
    OfferStatus,
    RequestKind,
)
from whh_desktop.core.domain.municipalities import is_valid_plz
from whh_desktop.core.domain.text import fold, sort_key
from whh_desktop.core.domain.validation import is_valid_email
from whh_desktop.core.errors import InvalidInput, NotFound
from whh_desktop.core.services import registry_requests, staff
from whh_desktop.core.services.access import require_case_worker
from whh_desktop.core.services.kdu_tables import require_district_staff
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.changes import tombstone
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import FlatOffer, Landlord, LandlordNote, Proposal
from whh_desktop.core.store.rows import get_live

MAX_TEXT = 20_000


@dataclass(frozen=True)
class ContactPerson:
    name: str
    role: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class LandlordData:
    """What the landlord form edits. Tri-state agreements: None = not asked yet."""

    name: str
    kind: str = LandlordKind.PRIVAT.value
    contact_persons: tuple[ContactPerson, ...] = ()
    street: str = ""
    plz: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    preferred_contact: str | None = None
    cooperation_status: str = CooperationStatus.INTERESSIERT.value
    accepts_direct_payment: bool | None = None
    accepts_schufa: bool | None = None
    agreements_note: str = ""
    notes: str = ""
    won_on: date | None = None
    iban: str = ""            # stored normalised (domain/iban.py); shown grouped
    bic: str = ""
    account_holder: str = ""

    @property
    def iban_grouped(self) -> str:
        return iban_rules.grouped(self.iban) if self.iban else ""

    def to_payload(self) -> dict[str, Any]:
        data = asdict(self)
        data["won_on"] = self.won_on.isoformat() if self.won_on else None
        return data

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> LandlordData:
        """Also reads payloads of other program versions: unknown keys are ignored, missing ones default."""
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        values["contact_persons"] = tuple(
            ContactPerson(**{k: v for k, v in p.items() if k in ContactPerson.__dataclass_fields__})
            for p in values.get("contact_persons") or ())
        values["won_on"] = date.fromisoformat(values["won_on"]) if values.get("won_on") else None
        return cls(**values)

    @classmethod
    def of(cls, row: Landlord) -> LandlordData:
        return cls(name=row.name, kind=row.kind,
                   contact_persons=tuple(ContactPerson(**p) for p in row.contact_persons or ()),
                   street=row.street or "", plz=row.plz or "", city=row.city or "", phone=row.phone or "",
                   email=row.email or "", preferred_contact=row.preferred_contact,
                   cooperation_status=row.cooperation_status, accepts_direct_payment=row.accepts_direct_payment,
                   accepts_schufa=row.accepts_schufa, agreements_note=row.agreements_note or "",
                   notes=row.notes or "", won_on=row.won_on, iban=row.iban or "", bic=row.bic or "",
                   account_holder=row.account_holder or "")


def validate(data: LandlordData) -> None:
    if not data.name.strip():
        raise InvalidInput("Bitte den Namen des Vermieters angeben.", "name")
    if len(data.name) > 200:
        raise InvalidInput("Der Name ist zu lang (höchstens 200 Zeichen).", "name")
    if data.kind not in {k.value for k in LandlordKind}:
        raise InvalidInput("Bitte die Art des Vermieters wählen (privat, Wohnungsunternehmen, Genossenschaft).",
                           "kind")
    if data.cooperation_status not in {s.value for s in CooperationStatus}:
        raise InvalidInput("Bitte den Stand der Zusammenarbeit wählen.", "cooperation_status")
    if data.preferred_contact and data.preferred_contact not in {w.value for w in ContactWay}:
        raise InvalidInput("Unbekannter Kontaktweg.", "preferred_contact")
    if data.plz.strip() and not is_valid_plz(data.plz):
        raise InvalidInput("Die Postleitzahl hat fünf Ziffern, z. B. 32584.", "plz")
    if data.email.strip() and not is_valid_email(data.email):
        raise InvalidInput(f"»{data.email.strip()}« ist keine E-Mail-Adresse.", "email")
    for person in data.contact_persons:
        if not person.name.strip():
            raise InvalidInput("Eine Ansprechperson hat keinen Namen.", "contact_persons")
        if person.email.strip() and not is_valid_email(person.email):
            raise InvalidInput(f"»{person.email.strip()}« ist keine E-Mail-Adresse.", "contact_persons")
    for name in ("agreements_note", "notes"):
        if len(getattr(data, name)) > MAX_TEXT:
            raise InvalidInput(f"Der Text ist zu lang (höchstens {MAX_TEXT} Zeichen).", name)
    if data.iban.strip():
        iban_rules.parse(data.iban, "iban", "IBAN")
    iban_rules.parse_bic(data.bic, "bic", "BIC")
    if (data.bic.strip() or data.account_holder.strip()) and not data.iban.strip():
        raise InvalidInput("BIC oder Kontoinhaber ohne IBAN: bitte die IBAN ergänzen oder die Felder leeren.", "iban")
    if len(data.account_holder.strip()) > 200:
        raise InvalidInput("Der Kontoinhaber ist zu lang (höchstens 200 Zeichen).", "account_holder")


def _apply(row: Landlord, data: LandlordData) -> None:
    row.name = data.name.strip()
    row.sort_key = sort_key(row.name)
    row.kind = data.kind
    row.contact_persons = [asdict(p) for p in data.contact_persons]
    for name in ("street", "plz", "city", "phone", "email", "agreements_note", "notes"):
        setattr(row, name, getattr(data, name).strip() or None)
    row.preferred_contact = data.preferred_contact or None
    row.cooperation_status = data.cooperation_status
    row.accepts_direct_payment, row.accepts_schufa = data.accepts_direct_payment, data.accepts_schufa
    row.won_on = data.won_on
    row.iban = iban_rules.parse(data.iban) if data.iban.strip() else None
    row.bic = iban_rules.parse_bic(data.bic) or None
    row.account_holder = data.account_holder.strip() or None


def create_in(session: Session, data: LandlordData) -> Landlord:
    """Add a registry entry inside an open district transaction (used by ``registry.accept`` too)."""
    validate(data)
    row = Landlord(kind=data.kind, name=data.name, sort_key="")
    _apply(row, data)
    if row.won_on is None and data.cooperation_status == CooperationStatus.AKTIV.value:
        row.won_on = date.today()
    session.add(row)
    session.flush()
    return row


def save_landlord(store: Store, user: CurrentUser, data: LandlordData, landlord_id: uuid.UUID | None = None
                  ) -> uuid.UUID:
    """Create (``landlord_id`` None) or change a registry entry. District staff only."""
    require_district_staff(store, user, "Das Vermieterregister")
    validate(data)
    with store.session(user.username) as s:
        if landlord_id is None:
            row = create_in(s, data)
            action = "landlord_created"
        else:
            row = _get(s, landlord_id)
            if row.cooperation_status != CooperationStatus.AKTIV.value and \
                    data.cooperation_status == CooperationStatus.AKTIV.value and data.won_on is None:
                data = LandlordData(**{**data.__dict__, "won_on": date.today()})
            _apply(row, data)
            action = "landlord_changed"
        s.flush()
        audit.append(s, user.username, action, object_type="landlord", object_id=str(row.id))
        return row.id


def propose_landlord(store: Store, user: CurrentUser, data: LandlordData, note: str = "") -> uuid.UUID:
    """A site proposes a new landlord to the district (a request row the district accepts or rejects)."""
    require_case_worker(user)
    validate(data)
    with store.session(user.username) as s:
        return registry_requests.submit(s, user.username, RequestKind.LANDLORD_NEW, data.to_payload(), note,
                                        "landlord_proposed")


def _get(session: Session, landlord_id: uuid.UUID) -> Landlord:
    return get_live(session, Landlord, landlord_id, "Diesen Vermieter", gone="gibt es nicht (mehr) im Register")


def resolve(session: Session, landlord_id: uuid.UUID) -> uuid.UUID:
    """The entry a (possibly merged) landlord id stands for now."""
    seen = set()
    current = landlord_id
    while current not in seen:
        seen.add(current)
        target = session.execute(select(Landlord.merged_into).where(Landlord.id == current)).scalar()
        if target is None:
            return current
        current = target
    return current


def merged_ids(session: Session, landlord_id: uuid.UUID) -> set[uuid.UUID]:
    """The entry and every entry merged into it (directly or through others)."""
    found = {landlord_id}
    frontier = [landlord_id]
    while frontier:
        children = session.execute(select(Landlord.id).where(Landlord.merged_into.in_(frontier))).scalars().all()
        frontier = [c for c in children if c not in found]
        found.update(frontier)
    return found


# ---- lists and details -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LandlordFilter:
    text: str = ""
    kind: str | None = None
    cooperation_status: str | None = None
    include_merged: bool = False


@dataclass(frozen=True)
class LandlordRow:
    id: uuid.UUID
    name: str
    kind: str
    city: str
    phone: str
    email: str
    cooperation_status: str
    accepts_direct_payment: bool | None
    accepts_schufa: bool | None
    free_offers: int
    placements: int
    merged_into: uuid.UUID | None = None

    @property
    def kind_label(self) -> str:
        return LandlordKind(self.kind).label

    @property
    def status_label(self) -> str:
        return CooperationStatus(self.cooperation_status).label


def list_landlords(session: Session, flt: LandlordFilter | None = None) -> list[LandlordRow]:
    """The registry in German name order; ``text`` searches name, city, contact persons (umlaut-folded)."""
    flt = flt or LandlordFilter()
    stmt = select(Landlord).where(Landlord.deleted_at.is_(None))
    if not flt.include_merged:
        stmt = stmt.where(Landlord.merged_into.is_(None))
    if flt.kind:
        stmt = stmt.where(Landlord.kind == flt.kind)
    if flt.cooperation_status:
        stmt = stmt.where(Landlord.cooperation_status == flt.cooperation_status)
    rows = list(session.execute(stmt.order_by(Landlord.sort_key)).scalars())
    if flt.text.strip():
        words = fold(flt.text).split()
        rows = [r for r in rows if all(w in _haystack(r) for w in words)]
    merged_to: dict[uuid.UUID, uuid.UUID] = dict(session.execute(  # type: ignore[arg-type]
        select(Landlord.id, Landlord.merged_into).where(Landlord.merged_into.is_not(None))).all())

    def owner(lid: uuid.UUID | None) -> uuid.UUID | None:
        seen = set()
        while lid in merged_to and lid not in seen:
            seen.add(lid)
            lid = merged_to[lid]
        return lid

    free: dict[uuid.UUID, int] = {}
    for lid, n in session.execute(select(FlatOffer.landlord_id, func.count()).where(
            FlatOffer.status == OfferStatus.FREI.value, FlatOffer.deleted_at.is_(None))
            .group_by(FlatOffer.landlord_id)):
        key = owner(lid)
        if key is not None:
            free[key] = free.get(key, 0) + n
    placed: dict[uuid.UUID, int] = {}
    for lid, n in session.execute(select(Proposal.landlord_id, func.count()).where(
            Proposal.lease_signed_on.is_not(None), Proposal.deleted_at.is_(None)).group_by(Proposal.landlord_id)):
        key = owner(lid)
        if key is not None:
            placed[key] = placed.get(key, 0) + n
    return [LandlordRow(r.id, r.name, r.kind, r.city or "", r.phone or "", r.email or "", r.cooperation_status,
                        r.accepts_direct_payment, r.accepts_schufa, free.get(r.id, 0), placed.get(r.id, 0),
                        r.merged_into) for r in rows]


def _haystack(row: Landlord) -> str:
    people = " ".join(p.get("name", "") for p in row.contact_persons or ())
    return fold(f"{row.name} {row.city or ''} {row.street or ''} {people} {row.email or ''}")


def get_landlord(session: Session, landlord_id: uuid.UUID) -> Landlord:
    """The registry row (also a merged or deleted one, so old references stay readable)."""
    row = session.get(Landlord, landlord_id)
    if row is None:
        raise NotFound("Diesen Vermieter gibt es nicht im Register.")
    return row


@dataclass(frozen=True)
class ContactNoteRow:
    id: uuid.UUID
    landlord_id: uuid.UUID
    on: date
    way: str
    note: str
    author: str
    site: str
    author_name: str = ""  # the person (staff display name; a login of another store as it is)

    @property
    def way_label(self) -> str:
        return ContactWay(self.way).label


def add_contact_note(store: Store, user: CurrentUser, landlord_id: uuid.UUID, on: date, way: str,
                     note: str) -> uuid.UUID:
    """One entry in the landlord's contact history; sites and the district alike (a row of its own)."""
    require_case_worker(user)  # Beratung and Kreis; admin accounts do not do case or registry work
    if way not in {w.value for w in ContactWay}:
        raise InvalidInput("Bitte den Kontaktweg wählen.", "way")
    if on > date.today():
        raise InvalidInput("Der Kontakt liegt in der Zukunft.", "on")
    if not note.strip():
        raise InvalidInput("Bitte kurz notieren, worum es ging.", "note")
    if len(note) > MAX_TEXT:
        raise InvalidInput(f"Der Text ist zu lang (höchstens {MAX_TEXT} Zeichen).", "note")
    with store.session(user.username) as s:
        _get(s, landlord_id)
        row = LandlordNote(landlord_id=landlord_id, on=on, way=way, note=note.strip(), author=user.username)
        s.add(row)
        s.flush()
        audit.append(s, user.username, "landlord_note_added", object_type="landlord", object_id=str(landlord_id))
        return row.id


def contact_history(session: Session, landlord_id: uuid.UUID) -> list[ContactNoteRow]:
    """Notes of the entry and of every entry merged into it, newest first."""
    ids = merged_ids(session, landlord_id)
    rows = session.execute(select(LandlordNote).where(LandlordNote.landlord_id.in_(ids),
                                                      LandlordNote.deleted_at.is_(None))
                           .order_by(LandlordNote.on.desc(), LandlordNote.created_at.desc())).scalars()
    who = staff.names(session)
    return [ContactNoteRow(r.id, r.landlord_id, r.on, r.way, r.note, r.author, r.origin_site,
                           staff.name_of(who, r.author)) for r in rows]


@dataclass(frozen=True)
class LandlordPlacement:
    proposal_id: uuid.UUID
    case_id: uuid.UUID
    offer_address: str
    lease_signed_on: date
    site: str


def placements_of(session: Session, landlord_id: uuid.UUID) -> list[LandlordPlacement]:
    """Signed leases with this landlord (and entries merged into it), newest first."""
    ids = merged_ids(session, landlord_id)
    rows = session.execute(select(Proposal).where(Proposal.landlord_id.in_(ids), Proposal.deleted_at.is_(None),
                                                  Proposal.lease_signed_on.is_not(None))
                           .order_by(Proposal.lease_signed_on.desc())).scalars()
    return [LandlordPlacement(r.id, r.case_id, r.offer_address, r.lease_signed_on, r.owner_site) for r in rows
            if r.lease_signed_on is not None]  # always: the query asks for signed leases


def newly_won(session: Session, von: date, bis: date) -> list[LandlordRow]:
    """Landlords won for cooperation in [von, bis] (indicator "Vermieter neu gewonnen"); merged entries count once."""
    ids = set(session.execute(select(Landlord.id).where(
        Landlord.deleted_at.is_(None), Landlord.merged_into.is_(None), Landlord.won_on >= von,
        Landlord.won_on <= bis)).scalars())
    return [r for r in list_landlords(session) if r.id in ids]


# ---- merge, undo, delete -----------------------------------------------------------------------------------
def merge(store: Store, user: CurrentUser, keep_id: uuid.UUID, merge_id: uuid.UUID) -> None:
    """Merge ``merge_id`` into ``keep_id`` (same landlord entered twice). Reversible with ``undo_merge``."""
    require_district_staff(store, user, "Das Vermieterregister")
    if keep_id == merge_id:
        raise InvalidInput("Ein Eintrag kann nicht mit sich selbst zusammengeführt werden.")
    with store.session(user.username) as s:
        keep, other = _get(s, keep_id), _get(s, merge_id)
        if other.merged_into is not None:
            raise InvalidInput(f"»{other.name}« ist bereits mit einem anderen Eintrag zusammengeführt.")
        if resolve(s, keep.id) == other.id or keep.merged_into is not None:
            raise InvalidInput(f"»{keep.name}« ist selbst zusammengeführt; bitte den verbliebenen Eintrag wählen.")
        other.merged_into = keep.id
        audit.append(s, user.username, "landlords_merged", object_type="landlord", object_id=str(keep.id),
                     detail=str(other.id))


def undo_merge(store: Store, user: CurrentUser, merged_id: uuid.UUID) -> None:
    require_district_staff(store, user, "Das Vermieterregister")
    with store.session(user.username) as s:
        row = _get(s, merged_id)
        if row.merged_into is None:
            raise InvalidInput(f"»{row.name}« ist mit keinem anderen Eintrag zusammengeführt.")
        keep = row.merged_into
        row.merged_into = None
        audit.append(s, user.username, "landlords_unmerged", object_type="landlord", object_id=str(keep),
                     detail=str(row.id))


@dataclass(frozen=True)
class References:
    proposals: int = 0
    open_offers: int = 0
    merged: list[uuid.UUID] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.proposals or self.open_offers or self.merged)


def references(session: Session, landlord_id: uuid.UUID) -> References:
    proposals = session.execute(select(func.count()).select_from(Proposal).where(
        Proposal.landlord_id == landlord_id, Proposal.deleted_at.is_(None))).scalar_one()
    offers = session.execute(select(func.count()).select_from(FlatOffer).where(
        FlatOffer.landlord_id == landlord_id, FlatOffer.deleted_at.is_(None),
        FlatOffer.status.in_((OfferStatus.FREI.value, OfferStatus.RESERVIERT.value)))).scalar_one()
    merged = list(session.execute(select(Landlord.id).where(Landlord.merged_into == landlord_id,
                                                            Landlord.deleted_at.is_(None))).scalars())
    return References(proposals, offers, merged)


def delete_landlord(store: Store, user: CurrentUser, landlord_id: uuid.UUID) -> None:
    """Delete an entry (a tombstone). Refused while a proposal, an open offer or a merged entry refers to it:
    the registry keeps what placements and proposals need."""
    require_district_staff(store, user, "Das Vermieterregister")
    with store.session(user.username) as s:
        row = _get(s, landlord_id)
        refs = references(s, landlord_id)
        if refs.any:
            parts = []
            if refs.proposals:
                parts.append(plural(refs.proposals, "Wohnungsvorschlag", "Wohnungsvorschläge"))
            if refs.open_offers:
                parts.append(plural(refs.open_offers, "offenes Wohnungsangebot", "offene Wohnungsangebote"))
            if refs.merged:
                parts.append(plural(len(refs.merged), "zusammengeführter Eintrag", "zusammengeführte Einträge"))
            raise InvalidInput(f"»{row.name}« kann nicht gelöscht werden: {' und '.join(parts)} verweisen noch "
                               "darauf. Bitte stattdessen die Zusammenarbeit auf »nicht mehr« setzen oder den "
                               "Eintrag mit einem anderen zusammenführen.")
        tombstone(row)
        audit.append(s, user.username, "landlord_deleted", object_type="landlord", object_id=str(row.id))
