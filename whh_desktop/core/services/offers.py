"""Flat offers (Wohnungsangebote): owned by the district; sites propose new ones and report reservations and
lettings as requests.

A site sees the district's status, overlaid with its own requests the district has not answered yet
(``effective_statuses``): a flat the site has just let is not offered again to its other households.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select, type_coerce
from sqlalchemy.orm import Session

from whh_desktop.core.domain import kdu
from whh_desktop.core.domain.housing import OfferStatus, RequestKind
from whh_desktop.core.domain.matching import OfferFacts
from whh_desktop.core.domain.municipalities import by_name, is_valid_plz
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import kdu_tables, registry_requests
from whh_desktop.core.services.access import require_case_worker
from whh_desktop.core.services.kdu_tables import require_district_staff
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.dialect import DateText, HexId
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import FlatOffer, Landlord, RegistryDecision, RegistryRequest
from whh_desktop.core.store.rows import get_live

MAX_RENT = 1_000_000  # 10.000,00 € a month
MAX_ROOMS = 20


@dataclass(frozen=True)
class OfferData:
    """What the offer form edits. Money in cents; ``cold_rent`` and ``utilities`` are required (0 allowed for
    utilities that are really included)."""

    street: str
    municipality: str
    floor_space_m2: float
    rooms: float
    cold_rent: int | None
    utilities: int | None
    heating: int = 0
    deposit: int = 0
    plz: str = ""
    floor: int = 0
    lift: bool = False
    barrier_free: bool = False
    available_from: date | None = None
    wbs_required: bool = False
    pets_allowed: bool = False
    notes: str = ""
    landlord_id: uuid.UUID | None = None
    status: str = OfferStatus.FREI.value
    kdu_attributes: tuple[str, ...] = ()  # surcharge codes of the KdU table the flat qualifies for (klimabonus)

    @property
    def gross_rent(self) -> int:
        return (self.cold_rent or 0) + (self.utilities or 0)

    def to_payload(self) -> dict[str, Any]:
        data = asdict(self)
        data["available_from"] = self.available_from.isoformat() if self.available_from else None
        data["landlord_id"] = str(self.landlord_id) if self.landlord_id else None
        return data

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> OfferData:
        """Also reads payloads of other program versions: unknown keys are ignored, missing ones default."""
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        values["available_from"] = (date.fromisoformat(values["available_from"]) if values.get("available_from")
                                    else None)
        values["landlord_id"] = uuid.UUID(values["landlord_id"]) if values.get("landlord_id") else None
        values["kdu_attributes"] = tuple(values.get("kdu_attributes") or ())
        return cls(**values)


def validate(data: OfferData) -> None:
    """German messages naming the field; the municipality must be one of Kreis Herford's nine."""
    if not data.street.strip():
        raise InvalidInput("Bitte Straße und Hausnummer der Wohnung angeben.", "street")
    muni = by_name(data.municipality or "")
    if muni is None:
        raise InvalidInput(f"Die Wohnung liegt in »{(data.municipality or '').strip()}«, nicht im Kreis Herford. "
                           "Angebote gibt es nur für die neun Gemeinden des Kreises.", "municipality")
    if data.plz.strip():
        if not is_valid_plz(data.plz):
            raise InvalidInput("Die Postleitzahl hat fünf Ziffern, z. B. 32584.", "plz")
        if data.plz.strip() not in muni.plz:
            raise InvalidInput(f"Die PLZ {data.plz.strip()} gehört nicht zu {muni.name} "
                               f"({', '.join(muni.plz)}).", "plz")
    if data.cold_rent is None:
        raise InvalidInput("Bitte die Kaltmiete angeben.", "cold_rent")
    if data.utilities is None:
        raise InvalidInput("Bitte die kalten Nebenkosten angeben (0,00 €, wenn sie in der Miete enthalten sind).",
                           "utilities")
    if data.cold_rent <= 0:
        raise InvalidInput("Die Kaltmiete muss größer als 0,00 € sein.", "cold_rent")
    for name, label in (("utilities", "Die kalten Nebenkosten"), ("heating", "Die Heizkosten"),
                        ("deposit", "Die Kaution")):
        if getattr(data, name) < 0:
            raise InvalidInput(f"{label} dürfen nicht negativ sein." if name != "deposit" else
                               "Die Kaution darf nicht negativ sein.", name)
    if data.gross_rent > MAX_RENT:
        raise InvalidInput("Eine Bruttokaltmiete über 10.000,00 € im Monat ist nicht plausibel. Bitte die Beträge "
                           "in Euro und Cent prüfen.", "cold_rent")
    kdu.check_floor_space(data.floor_space_m2, "floor_space_m2")
    if not 1 <= data.rooms <= MAX_ROOMS or (data.rooms * 2) != int(data.rooms * 2):
        raise InvalidInput(f"Zimmer: 1 bis {MAX_ROOMS}, halbe Zimmer als ,5 (z. B. 2,5).", "rooms")
    if not -1 <= data.floor <= 30:
        raise InvalidInput("Etage: -1 (Souterrain), 0 (Erdgeschoss) bis 30.", "floor")
    if data.status not in {s.value for s in OfferStatus}:
        raise InvalidInput("Unbekannter Status des Angebots.", "status")
    if len(data.notes) > 20_000:
        raise InvalidInput("Der Text ist zu lang (höchstens 20.000 Zeichen).", "notes")


def _apply(row: FlatOffer, data: OfferData) -> None:
    for name in ("floor_space_m2", "rooms", "cold_rent", "utilities", "heating", "deposit", "floor", "lift",
                 "barrier_free", "available_from", "wbs_required", "pets_allowed", "landlord_id", "status"):
        setattr(row, name, getattr(data, name))
    row.street = data.street.strip()
    row.plz = data.plz.strip() or None
    row.municipality = by_name(data.municipality).name  # type: ignore[union-attr]
    row.notes = data.notes.strip() or None
    row.gross_rent = data.gross_rent
    row.kdu_attributes = sorted(set(data.kdu_attributes))


def create_in(session: Session, data: OfferData) -> FlatOffer:
    """Add an offer inside an open district transaction (``registry.accept`` uses it too)."""
    validate(data)
    _check_landlord(session, data.landlord_id)
    row = FlatOffer(street="", municipality="", floor_space_m2=0, rooms=0, cold_rent=0, utilities=0, gross_rent=0)
    _apply(row, data)
    session.add(row)
    session.flush()
    return row


def _check_landlord(session: Session, landlord_id: uuid.UUID | None) -> None:
    if landlord_id is None:
        return
    get_live(session, Landlord, landlord_id, "Der gewählte Vermieter", gone="steht nicht (mehr) im Register",
             field="landlord_id")


def save_offer(store: Store, user: CurrentUser, data: OfferData, offer_id: uuid.UUID | None = None) -> uuid.UUID:
    """Create or change an offer (district staff)."""
    require_district_staff(store, user, "Die Wohnungsangebote")
    validate(data)
    with store.session(user.username) as s:
        if offer_id is None:
            row = create_in(s, data)
            action = "offer_created"
        else:
            row = get_offer(s, offer_id)
            _check_landlord(s, data.landlord_id)
            _apply(row, data)
            action = "offer_changed"
        s.flush()
        audit.append(s, user.username, action, object_type="offer", object_id=str(row.id))
        return row.id


def propose_offer(store: Store, user: CurrentUser, data: OfferData, note: str = "") -> uuid.UUID:
    """A site reports a flat it heard of; the district takes it into its offers (``registry.accept``)."""
    require_case_worker(user)
    validate(data)
    with store.session(user.username) as s:
        _check_landlord(s, data.landlord_id)
        return registry_requests.submit(s, user.username, RequestKind.OFFER_NEW, data.to_payload(), note,
                                        "offer_proposed")


_STATUS_REQUEST = {OfferStatus.RESERVIERT: RequestKind.OFFER_RESERVED, OfferStatus.VERGEBEN: RequestKind.OFFER_LET,
                   OfferStatus.FREI: RequestKind.OFFER_FREE}
_REQUEST_STATUS = {v.value: k.value for k, v in _STATUS_REQUEST.items()}


def change_status_in(session: Session, site: str, offer: FlatOffer, status: OfferStatus, note: str = "") -> None:
    """Inside a transaction: the owner changes the offer; anyone else records a request for the district."""
    if offer.owner_site == site:
        offer.status = status.value
        return
    kind = _STATUS_REQUEST.get(status)
    if kind is None:
        raise InvalidInput("Zurückziehen kann ein Angebot nur der Kreis.", "status")
    session.add(RegistryRequest(kind=kind.value, target_id=offer.id, payload={"status": status.value},
                                note=note or None, requested_on=date.today()))


def set_status(store: Store, user: CurrentUser, offer_id: uuid.UUID, status: OfferStatus, note: str = "") -> None:
    """District: set the status. Site: send the district a request (reserved, let, free again)."""
    if store.info.mode == "district":
        require_district_staff(store, user, "Die Wohnungsangebote")
    else:
        require_case_worker(user)
    with store.session(user.username) as s:
        offer = get_offer(s, offer_id)
        change_status_in(s, store.info.site_code, offer, status, note)
        audit.append(s, user.username, "offer_status", object_type="offer", object_id=str(offer_id),
                     detail=status.value)


def get_offer(session: Session, offer_id: uuid.UUID) -> FlatOffer:
    return get_live(session, FlatOffer, offer_id, "Dieses Wohnungsangebot")


def effective_statuses(session: Session) -> dict[uuid.UUID, str]:
    """Offers whose status this store's own open requests change (the district has not decided yet)."""
    decided = select(RegistryDecision.request_id)
    stmt = (select(RegistryRequest.target_id, RegistryRequest.kind).where(
        RegistryRequest.kind.in_(list(_REQUEST_STATUS)), RegistryRequest.target_id.is_not(None),
        RegistryRequest.deleted_at.is_(None), RegistryRequest.id.not_in(decided),
        RegistryRequest.owner_site == session.info.get("site"))
        .order_by(RegistryRequest.created_at))
    return {target: _REQUEST_STATUS[kind] for target, kind in session.execute(stmt) if target is not None}


# ---- lists -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OfferFilter:
    status: str | None = OfferStatus.FREI.value   # None: all
    municipality: str | None = None
    max_gross_rent: int | None = None
    min_rooms: float | None = None
    barrier_free: bool = False
    landlord_id: uuid.UUID | None = None
    text: str = ""


@dataclass(frozen=True)
class OfferRow:
    id: uuid.UUID
    street: str
    plz: str
    municipality: str
    floor_space_m2: float
    rooms: float
    floor: int
    cold_rent: int
    utilities: int
    heating: int
    gross_rent: int
    available_from: date | None
    status: str
    landlord_id: uuid.UUID | None
    landlord_name: str
    barrier_free: bool
    wbs_required: bool
    pets_allowed: bool

    @property
    def status_label(self) -> str:
        return OfferStatus(self.status).label

    @property
    def address(self) -> str:
        return f"{self.street}, {self.plz + ' ' if self.plz else ''}{self.municipality}"


_ROW_COLUMNS = (FlatOffer.id, FlatOffer.street, FlatOffer.plz, FlatOffer.municipality, FlatOffer.floor_space_m2,
                FlatOffer.rooms, FlatOffer.floor, FlatOffer.cold_rent, FlatOffer.utilities, FlatOffer.heating,
                FlatOffer.gross_rent, FlatOffer.available_from, FlatOffer.status, FlatOffer.landlord_id,
                Landlord.name, FlatOffer.barrier_free, FlatOffer.wbs_required, FlatOffer.pets_allowed)


def offer_row(r: Sequence[Any]) -> OfferRow:
    """An ``OfferRow`` from a row of ``_ROW_COLUMNS`` (no landlord: an empty name)."""
    return OfferRow(*[*r[:14], r[14] or "", *r[15:]])


def _filtered(stmt: Select, flt: OfferFilter) -> Select:
    stmt = stmt.where(FlatOffer.deleted_at.is_(None))
    if flt.status:
        stmt = stmt.where(FlatOffer.status == flt.status)
    if flt.municipality:
        stmt = stmt.where(FlatOffer.municipality == flt.municipality)
    if flt.max_gross_rent is not None:
        stmt = stmt.where(FlatOffer.gross_rent <= flt.max_gross_rent)
    if flt.min_rooms is not None:
        stmt = stmt.where(FlatOffer.rooms >= flt.min_rooms)
    if flt.barrier_free:
        stmt = stmt.where(FlatOffer.barrier_free.is_(True))
    if flt.landlord_id is not None:
        stmt = stmt.where(FlatOffer.landlord_id == flt.landlord_id)
    if flt.text.strip():
        stmt = stmt.where(FlatOffer.street.ilike(f"%{flt.text.strip()}%"))
    return stmt


def list_offers(session: Session, flt: OfferFilter | None = None, limit: int | None = None,
                offset: int = 0) -> list[OfferRow]:
    """Offers by municipality and street (statuses as the district set them; see ``effective_statuses``)."""
    flt = flt or OfferFilter()
    stmt = _filtered(select(*_ROW_COLUMNS).outerjoin(Landlord, Landlord.id == FlatOffer.landlord_id), flt)
    stmt = stmt.order_by(FlatOffer.municipality, FlatOffer.street)
    if limit:
        stmt = stmt.limit(limit).offset(offset)
    return [offer_row(r) for r in session.execute(stmt)]


def count_offers(session: Session, flt: OfferFilter | None = None) -> int:
    return session.execute(_filtered(select(func.count()).select_from(FlatOffer), flt or OfferFilter())).scalar_one()


def offer_facts(session: Session, only_free: bool = True) -> list[OfferFacts]:
    """All (free) offers in the form matching needs, with this store's pending status requests applied.

    The ids are the UUIDs' 32 hex digits (``uuid.UUID(key)`` gives the id back), like the case list keys of
    ``cases.search``: SQLAlchemy's per-row UUID and date processing cost more than matching 10 000 offers."""
    stmt = select(_TEXT_ID, FlatOffer.municipality, FlatOffer.gross_rent, FlatOffer.rooms, FlatOffer.floor_space_m2,
                  FlatOffer.floor, FlatOffer.lift, FlatOffer.barrier_free, FlatOffer.wbs_required,
                  FlatOffer.pets_allowed, _TEXT_AVAILABLE, FlatOffer.status, FlatOffer.kdu_attributes
                  ).where(FlatOffer.deleted_at.is_(None))
    if only_free:
        stmt = stmt.where(FlatOffer.status == OfferStatus.FREI.value)
    overrides = {k.hex: v for k, v in effective_statuses(session).items()}
    day, free = date.fromisoformat, OfferStatus.FREI.value
    out = []
    no_attributes: frozenset[str] = frozenset()
    for key, muni, gross, rooms, space, floor, lift, barrier_free, wbs, pets, available, status, attrs in \
            session.connection().execute(stmt):  # Core: no ORM row machinery for 10 000 plain tuples
        key = key.replace("-", "")
        status = overrides.get(key) or status  # an override is a status value, never empty
        if only_free and status != free:
            continue
        out.append(OfferFacts(key, muni, gross, rooms, space, floor, bool(lift), bool(barrier_free),
                              bool(wbs), bool(pets), day(available) if available else None, status,
                              frozenset(attrs) if attrs else no_attributes))
    return out


_TEXT_ID = type_coerce(FlatOffer.id, HexId())
_TEXT_AVAILABLE = type_coerce(FlatOffer.available_from, DateText())


def facts_of(row: FlatOffer, status: str | None = None) -> OfferFacts:
    return OfferFacts(row.id, row.municipality, row.gross_rent, row.rooms, row.floor_space_m2, row.floor, row.lift,
                      row.barrier_free, row.wbs_required, row.pets_allowed, row.available_from,
                      status or row.status, frozenset(row.kdu_attributes or ()))


def kdu_check(session: Session, offer_id: uuid.UUID, persons: int, attributes: tuple[str, ...] = (),
              on: date | None = None) -> kdu.KduCheck:
    """The KdU check of this flat for a household of ``persons`` (``attributes``: the household's surcharge codes;
    the flat's own, e.g. klimabonus, are added)."""
    row = get_offer(session, offer_id)
    combined = tuple(sorted(set(attributes) | set(row.kdu_attributes or ())))
    return kdu_tables.check(session, row.municipality, persons, cold_rent=row.cold_rent, utilities=row.utilities,
                            heating=row.heating, floor_space_m2=row.floor_space_m2, attributes=combined, on=on)
