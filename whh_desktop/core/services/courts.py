"""The Amtsgericht for eviction suits by the flat's municipality: a district-editable table (seeded from DOMAIN.md,
"Local courts", by migration 0014) that travels to the sites in the district bundle. The eviction form proposes
the court (``propose_court``); the counsellor confirms or changes it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.kdu import check_municipality
from whh_desktop.core.domain.municipalities import MUNICIPALITIES, by_plz
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import intake
from whh_desktop.core.services.kdu_tables import require_district_staff
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Case
from whh_desktop.core.store.models.rules import LocalCourt

WHAT = "Die Zuordnung der Amtsgerichte"
MAX_COURT = 120


@dataclass(frozen=True)
class CourtRow:
    id: uuid.UUID | None
    municipality: str
    court: str          # empty: not assigned yet
    source: str = ""


def courts(session: Session) -> list[CourtRow]:
    """One row per municipality of the district, in the order of the municipality list (empty court: none set)."""
    rows = {r.municipality: r for r in session.execute(
        select(LocalCourt).where(LocalCourt.deleted_at.is_(None))).scalars()}
    out = []
    for m in MUNICIPALITIES:
        r = rows.get(m.name)
        out.append(CourtRow(r.id, m.name, r.court, r.source or "") if r else CourtRow(None, m.name, ""))
    return out


def propose_court(session: Session, municipality: str | None) -> str | None:
    """The Amtsgericht the table assigns to the flat's municipality (``Loehne`` = ``Löhne``); None when the
    municipality is unknown, outside the district or has no court assigned yet."""
    if not municipality or not municipality.strip():
        return None
    try:
        name = check_municipality(municipality)
    except InvalidInput:
        return None
    row = session.execute(select(LocalCourt).where(LocalCourt.municipality == name,
                                                   LocalCourt.deleted_at.is_(None))).scalars().first()
    return row.court if row is not None else None


def flat_municipality(session: Session, case_id: uuid.UUID) -> str | None:
    """The municipality of the case's current flat: from the tenancy's PLZ or town, else the case's municipality."""
    case = session.get(Case, case_id)
    if case is None:
        return None
    flat = intake.tenancy_of(session, case)  # the flat letters name, the intake's address for an older case
    by_code = by_plz(flat.plz) if flat.plz else None
    if by_code is not None:
        return by_code.name
    for name in (flat.city, case.municipality):
        if name:
            try:
                return check_municipality(name)
            except InvalidInput:
                continue
    return None


def propose_court_for_case(session: Session, case_id: uuid.UUID) -> tuple[str | None, str | None]:
    """(municipality of the flat, proposed Amtsgericht) for the eviction form of a case; either may be None."""
    municipality = flat_municipality(session, case_id)
    return municipality, propose_court(session, municipality)


def set_court(store: Store, user: CurrentUser, municipality: str, court: str) -> None:
    """Assign (or change) the court of one municipality (district only)."""
    require_district_staff(store, user, WHAT)
    name = check_municipality(municipality)
    court = " ".join(court.split())
    if not court:
        raise InvalidInput(f"Bitte das Amtsgericht für {name} angeben (z. B. »Amtsgericht Herford«).", "court")
    if len(court) > MAX_COURT:
        raise InvalidInput(f"Der Name des Gerichts ist zu lang (höchstens {MAX_COURT} Zeichen).", "court")
    with store.session(user.username) as s:
        row = s.execute(select(LocalCourt).where(LocalCourt.municipality == name,
                                                 LocalCourt.deleted_at.is_(None))).scalars().first()
        if row is None:
            row = LocalCourt(municipality=name, court=court, source="vom Kreis eingetragen")
            s.add(row)
            s.flush()
        elif row.court == court:
            return
        else:
            row.court = court
        audit.append(s, user.username, "local_court_changed", object_type="local_court", object_id=str(row.id),
                     detail=name)
