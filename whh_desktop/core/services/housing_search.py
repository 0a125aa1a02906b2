"""Housing searches (Wohnungssuche) of a case: owned by the case's site, edited by its counsellors."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import kdu
from whh_desktop.core.domain.formatting import plural
from whh_desktop.core.domain.housing import SearchStatus
from whh_desktop.core.domain.matching import SearchFacts
from whh_desktop.core.domain.municipalities import by_name
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import kdu_tables
from whh_desktop.core.services.cases import get_for_change
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Case, HouseholdMember, HousingSearch, Person
from whh_desktop.core.store.rows import get_live

MAX_TEXT = 20_000


@dataclass(frozen=True)
class SearchData:
    """What the housing search form edits. ``max_rent`` None: the KdU limit of each flat's Vergleichsraum.
    ``member_ids``: the case's household members who move along (the client always does)."""

    household_size: int
    member_ids: tuple[uuid.UUID, ...] = ()
    wanted_municipalities: tuple[str, ...] = ()
    max_rent: int | None = None
    min_rooms: float | None = None
    barrier_free: bool = False
    ground_floor: bool = False
    pets: bool = False
    has_wbs: bool = False
    earliest_move: date | None = None
    special_needs: str = ""
    kdu_attributes: tuple[str, ...] = ()
    status: str = SearchStatus.AKTIV.value


def validate(data: SearchData) -> None:
    kdu.check_persons(data.household_size, "household_size")
    if len(data.member_ids) + 1 > data.household_size:
        raise InvalidInput("Mit der ratsuchenden Person ziehen "
                           f"{plural(len(data.member_ids) + 1, 'Person', 'Personen')} um, die "
                           f"Haushaltsgröße ist aber {data.household_size}.", "household_size")
    for name in data.wanted_municipalities:
        if by_name(name) is None:
            raise InvalidInput(f"»{name}« ist keine Gemeinde im Kreis Herford.", "wanted_municipalities")
    if data.max_rent is not None and data.max_rent <= 0:
        raise InvalidInput("Die Höchstmiete muss größer als 0,00 € sein (leer lassen: KdU-Grenze).", "max_rent")
    if data.min_rooms is not None and not 1 <= data.min_rooms <= 20:
        raise InvalidInput("Mindestens 1 und höchstens 20 Zimmer.", "min_rooms")
    if data.status not in {s.value for s in SearchStatus}:
        raise InvalidInput("Unbekannter Stand der Suche.", "status")
    if len(data.special_needs) > MAX_TEXT:
        raise InvalidInput(f"Der Text ist zu lang (höchstens {MAX_TEXT} Zeichen).", "special_needs")


def save_search(store: Store, user: CurrentUser, case_id: uuid.UUID, data: SearchData,
                search_id: uuid.UUID | None = None) -> uuid.UUID:
    """Create (``search_id`` None) or change the housing search of a case."""
    validate(data)
    with store.session(user.username) as s:
        get_for_change(s, case_id, user)
        if data.member_ids:
            known = set(s.execute(select(HouseholdMember.id).where(
                HouseholdMember.case_id == case_id, HouseholdMember.deleted_at.is_(None))).scalars())
            if not set(data.member_ids) <= known:
                raise InvalidInput("Eine gewählte Person gehört nicht zum Haushalt dieses Falls.", "member_ids")
        if search_id is None:
            row = HousingSearch(case_id=case_id, household_size=data.household_size)
            s.add(row)
        else:
            row = get_search(s, search_id)
            if row.case_id != case_id:
                raise InvalidInput("Diese Wohnungssuche gehört zu einem anderen Fall.")
        row.household_size = data.household_size
        row.member_ids = [str(m) for m in data.member_ids]
        row.wanted_municipalities = sorted({by_name(m).name for m in data.wanted_municipalities})  # type: ignore
        row.max_rent, row.min_rooms = data.max_rent, data.min_rooms
        row.barrier_free, row.ground_floor, row.pets, row.has_wbs = (data.barrier_free, data.ground_floor,
                                                                     data.pets, data.has_wbs)
        row.earliest_move = data.earliest_move
        row.special_needs = data.special_needs.strip() or None
        row.kdu_attributes = sorted(set(data.kdu_attributes))
        row.status = data.status
        s.flush()
        audit.append(s, user.username, "housing_search_saved", object_type="case", object_id=str(case_id))
        return row.id


def get_search(session: Session, search_id: uuid.UUID) -> HousingSearch:
    return get_live(session, HousingSearch, search_id, "Diese Wohnungssuche")


def searches_of_case(session: Session, case_id: uuid.UUID) -> list[HousingSearch]:
    stmt = (select(HousingSearch).where(HousingSearch.case_id == case_id, HousingSearch.deleted_at.is_(None))
            .order_by(HousingSearch.created_at.desc()))
    return list(session.execute(stmt).scalars())


def default_max_rent(session: Session, municipality: str, household_size: int,
                     attributes: tuple[str, ...] = (), on: date | None = None) -> int:
    """What the form shows as maximum rent before the counsellor changes it: the KdU limit in ``municipality``
    (the first wanted one, else the case's)."""
    return kdu_tables.limit(session, municipality, household_size, attributes, on)


def facts_of(row: HousingSearch) -> SearchFacts:
    return SearchFacts(row.id, row.household_size, frozenset(row.wanted_municipalities or ()), row.max_rent,
                       row.min_rooms, row.barrier_free, row.ground_floor, row.pets, row.has_wbs, row.earliest_move,
                       frozenset(row.kdu_attributes or ()))


def search_facts(session: Session, status: str | None = SearchStatus.AKTIV.value) -> list[SearchFacts]:
    """All searches (of the given status) in the form matching needs."""
    stmt = select(HousingSearch.id, HousingSearch.household_size, HousingSearch.wanted_municipalities,
                  HousingSearch.max_rent, HousingSearch.min_rooms, HousingSearch.barrier_free,
                  HousingSearch.ground_floor, HousingSearch.pets, HousingSearch.has_wbs, HousingSearch.earliest_move,
                  HousingSearch.kdu_attributes).where(HousingSearch.deleted_at.is_(None))
    if status:
        stmt = stmt.where(HousingSearch.status == status)
    return [SearchFacts(key, size, frozenset(wanted or ()), max_rent, min_rooms, bool(barrier_free), bool(ground),
                        bool(pets), bool(wbs), move, frozenset(attrs or ()))
            for key, size, wanted, max_rent, min_rooms, barrier_free, ground, pets, wbs, move, attrs
            in session.connection().execute(stmt)]


@dataclass(frozen=True)
class SearchRow:
    id: uuid.UUID
    case_id: uuid.UUID
    case_number: str
    family_name: str
    given_names: str
    household_size: int
    wanted_municipalities: tuple[str, ...]
    max_rent: int | None
    min_rooms: float | None
    earliest_move: date | None
    status: str

    @property
    def status_label(self) -> str:
        return SearchStatus(self.status).label


def list_searches(session: Session, status: str | None = SearchStatus.AKTIV.value,
                  municipality: str | None = None) -> list[SearchRow]:
    """Housing searches with their case and client, ordered by family name (``municipality``: wanted there)."""
    stmt = (select(HousingSearch.id, HousingSearch.case_id, Case.case_number, Person.family_name, Person.given_names,
                   HousingSearch.household_size, HousingSearch.wanted_municipalities, HousingSearch.max_rent,
                   HousingSearch.min_rooms, HousingSearch.earliest_move, HousingSearch.status)
            .join(Case, Case.id == HousingSearch.case_id).join(Person, Person.id == Case.person_id)
            .where(HousingSearch.deleted_at.is_(None)).order_by(Person.sort_key, Case.case_number))
    if status:
        stmt = stmt.where(HousingSearch.status == status)
    rows = [SearchRow(*r[:6], tuple(r[6] or ()), *r[7:]) for r in session.execute(stmt)]
    if municipality:
        rows = [r for r in rows if not r.wanted_municipalities or municipality in r.wanted_municipalities]
    return rows
