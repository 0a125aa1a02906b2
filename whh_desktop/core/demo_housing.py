"""Fictional housing demo data: landlords and flat offers (as the district's registry, owned by the Kreis, the way a
site receives them with the district bundle) and housing searches for existing cases (owned by this store).

Deterministic for a seed apart from the ids. Rents scatter around the KdU limits of the flat's Vergleichsraum, so
matching finds some offers for most households and none for some, as in the real market. Written with Core bulk
inserts (and their change_log rows through ``record_bulk_insert``): 10 000 offers take well under a second.
"""

from __future__ import annotations

import random
import uuid
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from whh_desktop.core.demo import hyphenated, origins, streets, uuid7_hex
from whh_desktop.core.domain.housing import ContactWay, CooperationStatus, LandlordKind, OfferStatus, SearchStatus
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.domain.text import sort_key
from whh_desktop.core.services import kdu_tables
from whh_desktop.core.store import audit
from whh_desktop.core.store.changes import record_bulk_insert
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Case, FlatOffer, HousingSearch, Landlord

DISTRICT = "kreis"
CHUNK = 5000
# Flats on offer follow the population (rounded inhabitants in thousands)
MUNICIPALITY_WEIGHTS = {"Bünde": 45, "Enger": 20, "Herford": 66, "Hiddenhausen": 19, "Kirchlengern": 16,
                        "Löhne": 40, "Rödinghausen": 10, "Spenge": 14, "Vlotho": 18}
COMPANY_WORDS = ("Wohnbau", "Wohnungsbau", "Immobilien", "Wohnen", "Grundbesitz", "Hausverwaltung")
ROOMS_BY_SIZE = ((1, 1.5, 2), (2, 2.5, 3), (3, 3.5, 4), (4, 4.5, 5), (5, 5, 6))
SEARCH_SIZE_WEIGHTS = (45, 22, 14, 10, 5, 2, 1, 1)  # households of 1..8 persons


@dataclass(frozen=True)
class HousingDemoResult:
    landlords: int
    offers: int
    searches: int


def fill_housing_demo(store: Store, actor: str, *, landlords: int = 50, offers: int = 500, searches: int = 100,
                      seed: int = 0, today: date | None = None,
                      progress: Callable[[int, int], None] | None = None) -> HousingDemoResult:
    """Write ``landlords`` landlords and ``offers`` offers (owned by the Kreis) and up to ``searches`` housing
    searches for cases of this store that have none yet."""
    rng = random.Random(f"housing-{seed}")
    today = today or date.today()
    now = datetime.now(UTC)
    with store.read_session() as s:
        table = kdu_tables.table_on(s, today)
        case_rows = list(s.execute(select(Case.id, Case.municipality).where(
            Case.deleted_at.is_(None), Case.status != "closed",
            Case.id.not_in(select(HousingSearch.case_id))).order_by(Case.case_number)).all())
    landlord_ids = [uuid.UUID(h) for h in uuid7_hex(landlords)]
    landlord_rows = [_landlord(rng, i, lid, now, actor, today) for i, lid in enumerate(landlord_ids)]
    munis = [m.name for m in MUNICIPALITIES]
    cum = list(accumulate(MUNICIPALITY_WEIGHTS[m] for m in munis))
    street_names = streets()
    offer_rows = []
    for oid in (uuid.UUID(h) for h in uuid7_hex(offers)):
        municipality = munis[bisect(cum, rng.random() * cum[-1])]
        size = min(5, 1 + int(rng.expovariate(0.8)))
        limit = table.limit(municipality, size)
        gross = max(15_000, int(limit * rng.uniform(0.78, 1.18)))
        utilities = int(gross * rng.uniform(0.15, 0.25)) // 100 * 100
        cold = gross - utilities
        floor = rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4, 5))
        muni = next(m for m in MUNICIPALITIES if m.name == municipality)
        status = rng.choices([s.value for s in OfferStatus], (80, 7, 10, 3))[0]
        offer_rows.append(_sync(oid, now, actor) | {
            "landlord_id": landlord_ids[int(rng.random() * len(landlord_ids))] if landlord_ids else None,
            "street": f"{street_names[int(rng.random() * len(street_names))]} {1 + int(rng.random() * 120)}",
            "plz": muni.plz[int(rng.random() * len(muni.plz))], "municipality": municipality,
            "floor_space_m2": round(table.reasonable_floor_space(size) * rng.uniform(0.75, 1.25), 1),
            "rooms": rng.choice(ROOMS_BY_SIZE[size - 1]), "floor": floor, "lift": floor >= 3 and rng.random() < 0.5,
            "barrier_free": rng.random() < 0.12, "cold_rent": cold, "utilities": utilities,
            "heating": int(gross * rng.uniform(0.12, 0.22)) // 100 * 100, "deposit": cold * 3, "gross_rent": gross,
            "available_from": today + timedelta(days=rng.choice((0, 0, 0, 14, 30, 45, 61, 92))),
            "wbs_required": rng.random() < 0.15, "pets_allowed": rng.random() < 0.35, "notes": None,
            "status": status, "kdu_attributes": []})
    rng_cases = random.Random(f"housing-searches-{seed}")
    rng_cases.shuffle(case_rows)
    size_cum = list(accumulate(SEARCH_SIZE_WEIGHTS))
    search_rows = []
    for (case_id, case_municipality), sid in zip(case_rows[:searches], uuid7_hex(min(searches, len(case_rows))),
                                                 strict=False):
        size = 1 + bisect(size_cum, rng_cases.random() * size_cum[-1])
        wanted = sorted({case_municipality or munis[int(rng_cases.random() * 9)]} | (
            {munis[int(rng_cases.random() * 9)]} if rng_cases.random() < 0.4 else set()))
        search_rows.append(_sync(uuid.UUID(sid), now, actor, store.info.site_code) | {
            "case_id": case_id, "household_size": size, "member_ids": [], "wanted_municipalities": wanted,
            "max_rent": None, "min_rooms": max(1, size - 1) if rng_cases.random() < 0.6 else None,
            "barrier_free": rng_cases.random() < 0.08, "ground_floor": rng_cases.random() < 0.1,
            "pets": rng_cases.random() < 0.15, "has_wbs": rng_cases.random() < 0.3,
            "earliest_move": today + timedelta(days=int(rng_cases.random() * 60)), "special_needs": None,
            "kdu_attributes": [], "status": SearchStatus.AKTIV.value})
    total = len(landlord_rows) + len(offer_rows) + len(search_rows)
    done = 0
    for model, rows in ((Landlord, landlord_rows), (FlatOffer, offer_rows), (HousingSearch, search_rows)):
        for start in range(0, len(rows), CHUNK):
            part = rows[start:start + CHUNK]
            with store.session(actor) as s:
                _insert(s, model, part)
            done += len(part)
            if progress is not None:
                progress(done, total)
    with store.session(actor) as s:
        audit.append(s, actor, "demo_housing_filled", detail=f"{len(landlord_rows)}/{len(offer_rows)}/"
                                                             f"{len(search_rows)}")
    store.refresh_statistics()
    return HousingDemoResult(len(landlord_rows), len(offer_rows), len(search_rows))


def _sync(row_id: uuid.UUID, now: datetime, actor: str, site: str = DISTRICT) -> dict:
    return {"id": row_id, "origin_site": site, "owner_site": site, "created_at": now, "updated_at": now,
            "updated_by": actor, "version": 1, "deleted_at": None}


def _insert(session: Session, model: type[Any], rows: list[dict]) -> None:
    if rows:
        session.execute(insert(model.__table__), rows)  # type: ignore[attr-defined]
        record_bulk_insert(session, model.__tablename__, [hyphenated(r["id"].hex) for r in rows])  # type: ignore


def _landlord(rng: random.Random, i: int, lid: uuid.UUID, now: datetime, actor: str, today: date) -> dict:
    kind = rng.choices([k.value for k in LandlordKind], (70, 20, 10))[0]
    municipality = rng.choice([m for m in MUNICIPALITIES])
    origin = rng.choice(origins()[:])
    family = origin.family[int(rng.random() * len(origin.family))]
    given = (origin.female if rng.random() < 0.5 else origin.male)
    person = f"{given[int(rng.random() * len(given))]} {family}"
    if kind == LandlordKind.PRIVAT.value:
        name = person
    elif kind == LandlordKind.GENOSSENSCHAFT.value:
        name = f"Wohnungsgenossenschaft {municipality.name} {i + 1} eG"
    else:
        name = f"{family} {rng.choice(COMPANY_WORDS)} GmbH"
    status = rng.choices([s.value for s in CooperationStatus], (20, 60, 12, 8))[0]
    phone = f"0{5221 + int(rng.random() * 10)} 99{int(rng.random() * 10_000):04d}"
    return _sync(lid, now, actor) | {
        "kind": kind, "name": name, "sort_key": sort_key(name),
        "contact_persons": [] if kind == LandlordKind.PRIVAT.value else [
            {"name": person, "role": "Vermietung", "phone": phone, "email": ""}],
        "street": f"{rng.choice(streets())} {1 + int(rng.random() * 80)}", "plz": municipality.plz[0],
        "city": municipality.name, "phone": phone, "email": f"vermietung{i + 1}@example.org",
        "preferred_contact": rng.choice([w.value for w in ContactWay]), "cooperation_status": status,
        "accepts_direct_payment": rng.choice((True, True, False, None)),
        "accepts_schufa": rng.choice((True, False, False, None)), "agreements_note": None, "notes": None,
        "won_on": today - timedelta(days=int(rng.random() * 700)) if status == "aktiv" else None,
        "merged_into": None}
