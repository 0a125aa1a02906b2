"""The address book of letter recipients and the recipients a letter can go to.

Offices (Jobcenter branches, Sozialamt, SpDi, Suchtberatung, Amtsgericht) are admin-maintained. DESIGN.md §10:
the district part (``owner_site == "kreis"``, seeded by migration 0005 and distributed) is edited in the district
store only; each site keeps its own local entries. Landlords come from the registry, the client from the case.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.letter_catalogue import RECIPIENT_KINDS
from whh_desktop.core.domain.municipalities import is_valid_plz
from whh_desktop.core.domain.text import fold
from whh_desktop.core.domain.validation import is_valid_email
from whh_desktop.core.errors import InvalidInput, PermissionDenied
from whh_desktop.core.letters import wording
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.changes import tombstone
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import AddressEntry, Case, Landlord, Person, Role
from whh_desktop.core.store.rows import get_live
from whh_desktop.resources import resource

OFFICE_KINDS = ("jobcenter", "sozialamt", "spdi", "suchtberatung", "amtsgericht", "sonstige")
DISTRICT = "kreis"


# ---- entries -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EntryData:
    kind: str
    name: str
    department: str = ""
    street: str = ""
    plz: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    municipalities: str = ""
    note: str = ""


def validate(data: EntryData) -> None:
    if data.kind not in OFFICE_KINDS:
        raise InvalidInput("Bitte die Art der Stelle wählen (Jobcenter, Sozialamt, SpDi, Suchtberatung, "
                           "Amtsgericht, andere).", "kind")
    if not data.name.strip():
        raise InvalidInput("Bitte den Namen der Stelle angeben.", "name")
    if len(data.name) > 200 or len(data.department) > 200 or len(data.street) > 200:
        raise InvalidInput("Name, Abteilung und Straße haben höchstens 200 Zeichen.", "name")
    if not data.street.strip() or not data.city.strip():
        raise InvalidInput("Bitte Straße und Ort angeben – ohne Anschrift kann kein Brief adressiert werden.",
                           "street")
    if not is_valid_plz(data.plz):
        raise InvalidInput("Die Postleitzahl hat fünf Ziffern, z. B. 32052.", "plz")
    if data.email and not is_valid_email(data.email):
        raise InvalidInput("Die E-Mail-Adresse ist ungültig (Beispiel: post@example.org).", "email")


@dataclass(frozen=True)
class EntryRow:
    id: uuid.UUID
    kind: str
    name: str
    department: str
    street: str
    plz: str
    city: str
    phone: str
    email: str
    municipalities: str
    district: bool  # part of the distributed district list
    note: str = ""

    @property
    def kind_label(self) -> str:
        return RECIPIENT_KINDS.get(self.kind, self.kind)


def _row(e: AddressEntry) -> EntryRow:
    return EntryRow(e.id, e.kind, e.name, e.department or "", e.street or "", e.plz or "", e.city or "",
                    e.phone or "", e.email or "", e.municipalities or "", e.owner_site == DISTRICT, e.note or "")


def list_entries(session: Session, kind: str | None = None, query: str = "",
                 municipality: str | None = None) -> list[EntryRow]:
    """Live entries, optionally of one kind and matching ``query``; entries serving ``municipality`` first."""
    stmt = select(AddressEntry).where(AddressEntry.deleted_at.is_(None))
    if kind:
        stmt = stmt.where(AddressEntry.kind == kind)
    rows = [_row(e) for e in session.execute(stmt.order_by(AddressEntry.sort_key)).scalars()]
    if query.strip():
        words = fold(query).split()
        rows = [r for r in rows if all(w in fold(f"{r.name} {r.department} {r.city} {r.municipalities}")
                                       for w in words)]
    if municipality:
        rows.sort(key=lambda r: municipality not in r.municipalities)
    return rows


def _may_edit(store: Store, user: CurrentUser, entry: AddressEntry | None) -> str:
    """The owner a new or changed entry gets; raises if this user or store may not edit it."""
    if user.role not in (Role.ADMIN, Role.KREIS):
        raise PermissionDenied("Das Adressbuch pflegt die Administration.")
    owner = DISTRICT if store.info.site_code == DISTRICT else store.info.site_code
    if entry is not None and entry.owner_site != owner:
        raise PermissionDenied("Dieser Eintrag gehört zur Liste des Kreises und wird dort gepflegt. Eine "
                               "abweichende Anschrift bitte als eigenen Eintrag des Standorts anlegen.")
    return owner


def save_entry(store: Store, user: CurrentUser, data: EntryData, entry_id: uuid.UUID | None = None) -> uuid.UUID:
    validate(data)
    with store.session(user.username) as s:
        entry = get_live(s, AddressEntry, entry_id, "Diesen Adressbuch-Eintrag") if entry_id else None
        _may_edit(store, user, entry)
        if entry is None:
            entry = AddressEntry()
            s.add(entry)
        for name in ("kind", "name", "department", "street", "plz", "city", "phone", "email", "municipalities",
                     "note"):
            value = getattr(data, name).strip()
            setattr(entry, name, value if name in ("kind", "name") else (value or None))
        entry.sort_key = fold(data.name)
        s.flush()
        audit.append(s, user.username, "address_saved", object_type="address_book", object_id=str(entry.id))
        return entry.id


def delete_entry(store: Store, user: CurrentUser, entry_id: uuid.UUID) -> None:
    with store.session(user.username) as s:
        entry = get_live(s, AddressEntry, entry_id, "Diesen Adressbuch-Eintrag")
        _may_edit(store, user, entry)
        tombstone(entry)
        audit.append(s, user.username, "address_deleted", object_type="address_book", object_id=str(entry_id))


def seed_data() -> list[EntryData]:
    """The district list shipped with the app (also what migration 0005 seeds)."""
    data: dict[str, Any] = json.loads(resource("letters", "address-book-kreis-herford.json").read_text("utf-8"))
    return [EntryData(**e) for e in data["entries"]]


# ---- recipients ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Recipient:
    """Who a letter goes to: the lines in the address window and where they came from."""

    kind: str
    name: str
    lines: tuple[str, ...]
    source: str = "frei"             # adressbuch, vermieter, fall, klient, frei
    ref_id: uuid.UUID | None = None  # address entry, landlord or person
    salutation: str = ""             # the greeting line (wording.salutation); empty: decided from the name

    @property
    def label(self) -> str:
        place = self.lines[-1] if len(self.lines) > 1 else ""
        return f"{self.name} ({place})" if place else self.name

    def as_dict(self) -> dict[str, Any]:
        return {"art": self.kind, "name": self.name, "zeilen": list(self.lines), "quelle": self.source,
                "id": str(self.ref_id) if self.ref_id else None}


def _place(plz: str | None, city: str | None) -> str:
    return f"{plz or ''} {city or ''}".strip()


def of_entry(e: EntryRow) -> Recipient:
    lines = tuple(x for x in (e.name, e.department, e.street, _place(e.plz, e.city)) if x)
    return Recipient(e.kind, e.name, lines, "adressbuch", e.id, wording.NEUTRAL_SALUTATION)


def of_landlord(row: Landlord) -> Recipient:
    contact = next((c.get("name") for c in (row.contact_persons or []) if c.get("name")), None)
    lines = tuple(x for x in (row.name, f"z. Hd. {contact}" if contact else "", row.street or "",
                              _place(row.plz, row.city)) if x)
    if contact:  # "z. Hd. Frau Nowak": the letter greets the contact person
        greeting = wording.salutation(contact, person=True)
    else:
        greeting = wording.salutation(row.name, person=True if row.kind == "privat" else None)
    return Recipient("vermieter", row.name, lines, "vermieter", row.id, greeting)


def manual(kind: str, text: str) -> Recipient:
    """A recipient typed by hand, one address line per text line."""
    lines = tuple(line.strip() for line in text.splitlines() if line.strip())
    if not lines:
        raise InvalidInput("Bitte die Anschrift des Empfängers eingeben.", "recipient")
    if kind not in RECIPIENT_KINDS:
        raise InvalidInput("Unbekannte Art des Empfängers.", "recipient")
    greeting = wording.NEUTRAL_SALUTATION if kind in OFFICE_KINDS else wording.salutation(lines[0])
    return Recipient(kind, lines[0], lines, "frei", None, greeting)


def landlords(session: Session, municipality: str | None = None, active_only: bool = False) -> list[Recipient]:
    """Landlords of the registry (merged entries left out) as recipients, e.g. for a serial letter."""
    stmt = select(Landlord).where(Landlord.deleted_at.is_(None), Landlord.merged_into.is_(None))
    if active_only:
        stmt = stmt.where(Landlord.cooperation_status == "aktiv")
    if municipality:
        stmt = stmt.where(Landlord.city == municipality)
    return [of_landlord(r) for r in session.execute(stmt.order_by(Landlord.sort_key)).scalars()]


def recipients(session: Session, kinds: tuple[str, ...], case_id: uuid.UUID | None = None,
               query: str = "") -> list[Recipient]:
    """Everyone a letter with these recipient kinds can go to: the case's own landlord and the client first,
    then the address book (offices serving the case's municipality first) and the landlord registry."""
    case = session.get(Case, case_id) if case_id else None
    out: list[Recipient] = []
    if case is not None and "klient" in kinds:
        person = session.get(Person, case.person_id)
        if person is not None:
            name = " ".join(x for x in (person.given_names, person.family_name) if x)
            lines = tuple(x for x in (name, person.street or "", _place(person.plz, person.city)) if x)
            greeting = wording.salutation(name, person=True, sex=person.sex, surname=person.family_name or "")
            out.append(Recipient("klient", name, lines, "klient", person.id, greeting))
    registry = landlords(session) if "vermieter" in kinds else []
    if case is not None and "vermieter" in kinds and case.landlord_name:
        # The case's landlord: the registry's record when it has one (its address, contact person), else the
        # name and address typed at the intake.
        known = next((r for r in registry if fold(r.name) == fold(case.landlord_name or "")), None)
        if known is not None:
            out.append(known)
        else:
            address = [x.strip() for x in (case.landlord_address or "").replace("\n", ",").split(",") if x.strip()]
            out.append(Recipient("vermieter", case.landlord_name, (case.landlord_name, *address), "fall", case.id,
                                 wording.salutation(case.landlord_name)))
    municipality = case.municipality if case is not None else None
    for kind in kinds:
        if kind in OFFICE_KINDS:
            out += [of_entry(e) for e in list_entries(session, kind, query, municipality)]
    if query.strip():
        registry = [r for r in registry if fold(query) in fold(" ".join(r.lines))]
    out += [r for r in registry if r not in out]
    return out


def entries(store: Store, user: CurrentUser, kind: str | None = None, query: str = "") -> list[EntryRow]:
    """Verwaltung → Adressbuch: the entries of one kind (or all) matching ``query``."""
    with store.read_session() as s:
        return list_entries(s, kind, query)


def landlord_recipients(store: Store, user: CurrentUser, municipality: str | None = None,
                        active_only: bool = False) -> list[Recipient]:
    """The serial letter's recipients: landlords of the registry in one municipality (or all)."""
    with store.read_session() as s:
        return landlords(s, municipality, active_only)
