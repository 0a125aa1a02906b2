"""Fictional demo data for trying the app and for benchmarks: persons with cases, contacts, eviction deadlines,
consents. Bulk Core inserts (the ORM flush hook is bypassed, so change_log and the search index are written here).
Deterministic for a seed. Names are random combinations from ``resources/demo``; no real people.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import Integer, cast, func, select

from whh_desktop.core.domain import deadlines as rules
from whh_desktop.core.domain.enums import Category, ContactKind, IncomeKind, Outcome, Relation
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.domain.phonetics import name_key
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.domain.text import fold, sort_key
from whh_desktop.core.store import audit
from whh_desktop.core.store.base import new_id, utcnow
from whh_desktop.core.store.bulk import insert_rows
from whh_desktop.core.store.changes import record_bulk_insert
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import (
    Account,
    Case,
    CategoryEntry,
    Consent,
    Contact,
    DeadlineEntry,
    HouseholdMember,
    Income,
    Person,
    Role,
    SearchDoc,
)
from whh_desktop.core.store.search_index import case_body
from whh_desktop.resources import resource

CHUNK = 5000


@dataclass(frozen=True)
class Origin:
    code: str
    nationality: str
    language: str
    weight: int
    family: tuple[str, ...]
    male: tuple[str, ...]
    female: tuple[str, ...]


@cache
def origins() -> tuple[Origin, ...]:
    table: dict[str, dict] = {}
    for line in resource("demo", "names.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, nat, lang, weight, kind, name = line.split("\t")
        entry = table.setdefault(code, {"nat": nat, "lang": lang, "weight": int(weight), "family": [], "male": [],
                                        "female": []})
        entry[kind].append(name)
    return tuple(Origin(c, e["nat"], e["lang"], e["weight"], tuple(e["family"]), tuple(e["male"]),
                        tuple(e["female"])) for c, e in table.items())


@cache
def streets() -> tuple[str, ...]:
    lines = resource("demo", "streets.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line for line in lines if line and not line.startswith("#"))


class _Rows(defaultdict):
    def __init__(self) -> None:
        super().__init__(list)


def fill_demo(store: Store, actor: str, persons: int, *, seed: int = 0,
              progress: Callable[[int, int], None] | None = None, cancel: Callable[[], bool] | None = None,
              today: date | None = None) -> int:
    """Write ``persons`` fictional people, each with a case; returns how many were written (less if cancelled)."""
    rng = random.Random(seed)
    today = today or date.today()
    site = SiteCode(store.info.site_code)
    with store.read_session() as s:
        counsellors = list(s.execute(select(Account.username).where(Account.role == Role.BERATUNG.value,
                                                                    Account.active)).scalars()) or [actor]
        year = func.substr(Case.case_number, len(site.case_prefix) + 2, 4)
        serial = cast(func.substr(Case.case_number, len(site.case_prefix) + 7), Integer)
        last = s.execute(select(year, func.max(serial)).where(Case.case_number.like(f"{site.case_prefix}-%"))
                         .group_by(year)).all()
    numbers = {int(y): int(n) for y, n in last if y and y.isdigit()}
    pool = origins()
    weights = [o.weight for o in pool]
    done = 0
    while done < persons:
        if cancel and cancel():
            break
        n = min(CHUNK, persons - done)
        rows = _Rows()
        for _ in range(n):
            _one(rng, rng.choices(pool, weights)[0], site, counsellors, numbers, today, rows)
        _write(store, actor, rows)
        done += n
        if progress:
            progress(done, persons)
    with store.session(actor) as s:
        audit.append(s, actor, "demo_filled", detail=str(done))
    store.refresh_statistics()  # the planner must know the new table sizes
    return done


def _one(rng: random.Random, origin: Origin, site: SiteCode, counsellors: list[str], numbers: dict[int, int],
         today: date, rows: _Rows) -> None:
    now = utcnow()
    sex = rng.choices(["maennlich", "weiblich", "divers", "ohne_angabe"], [48, 48, 1, 3])[0]
    given_pool = {"weiblich": origin.female, "maennlich": origin.male}.get(sex, origin.male + origin.female)
    given = rng.choice(given_pool)
    if origin.code == "vn":
        given = f"{'Thị' if sex == 'weiblich' else 'Văn'} {given}"
    elif rng.random() < 0.15:
        second = rng.choice(given_pool)
        given = f"{given}-{second}" if origin.code == "de" and second != given else given
    family = rng.choice(origin.family)
    born = date(1940, 1, 1) + timedelta(days=rng.randrange((date(2007, 12, 31) - date(1940, 1, 1)).days))
    muni = rng.choices(MUNICIPALITIES, [12, 5, 25, 5, 4, 10, 3, 4, 5])[0]
    nationality = origin.nationality if rng.random() < 0.75 or origin.code == "de" else "DE"
    mobile = rng.random() < 0.6
    phone = f"0151 {rng.randrange(10**7):07d}" if mobile else f"05221 99{rng.randrange(10**4):04d}"
    person_id = new_id()
    person = dict(
        id=person_id, origin_site=site.value, owner_site=site.value, created_at=now, updated_at=now, version=1,
        updated_by="demo", family_name=family, given_names=given, birth_date=born, sex=sex, nationality=nationality,
        language=origin.language, interpreter_needed=origin.code not in ("de", "rd") and rng.random() < 0.4,
        phone=phone if rng.random() < 0.85 else None,
        email=f"{fold(given).split()[0]}.{fold(family).replace(' ', '')}@example.org" if rng.random() < 0.3 else None,
        street=f"{rng.choice(streets())} {rng.randrange(1, 120)}", plz=rng.choice(muni.plz), city=muni.name,
        municipality=muni.name, search_text=fold(f"{family} {given} {born:%d.%m.%Y}"),
        sort_key=sort_key(family, given), phonetic_key=name_key(f"{family} {given}"), deleted_at=None)
    rows[Person].append(person)

    opened = today - timedelta(days=rng.randrange(1, 4 * 365))
    numbers[opened.year] = numbers.get(opened.year, 0) + 1
    category = rng.choices(list(Category), [4, 6, 3, 8, 2, 20, 10, 5, 6, 8, 4])[0]
    closed = rng.random() < 0.45 and opened < today - timedelta(days=60)
    closed_on = opened + timedelta(days=rng.randrange(30, max(31, (today - opened).days))) if closed else None
    counsellor = rng.choice(counsellors)
    case_id = new_id()
    cold = rng.randrange(250, 650) * 100
    case = dict(
        id=case_id, origin_site=site.value, owner_site=site.value, created_at=now, updated_at=now, version=1,
        updated_by="demo", deleted_at=None, case_number=f"{site.case_prefix}-{opened.year}-{numbers[opened.year]:04d}",
        person_id=person_id, counsellor=counsellor, substitutes=[], status="closed" if closed else "open",
        opened_on=opened, closed_on=closed_on, outcome=rng.choice(list(Outcome)).value if closed else None,
        closing_note=None, restricted=False, municipality=muni.name, moved_in=False,
        current_category=category.value, housing_note=None, came_via=rng.choice(
            ["selbst", "jobcenter", "vermieter", "gericht", "spdi", "suchthilfe", "sonstige"]), came_via_note=None,
        first_needs=None, bausteine=sorted(rng.sample(["1", "2", "3", "4", "5", "6"], rng.randrange(1, 3))),
        landlord_name=None, landlord_address=None, tenancy_street=None, tenancy_plz=None, tenancy_city=None,
        cold_rent=cold, utilities=rng.randrange(60, 160) * 100, heating=rng.randrange(40, 120) * 100,
        arrears=rng.randrange(2, 30) * 10000 if category.value in ("kuendigung", "raeumungsklage") else None,
        arrears_since=opened - timedelta(days=rng.randrange(30, 200)) if category.value in (
            "kuendigung", "raeumungsklage") else None)
    rows[Case].append(case)
    rows[("body", case_id)] = [case_body(_Obj(person), _Obj(case))]

    def child(**values: object) -> dict:
        return dict(id=new_id(), origin_site=site.value, owner_site=site.value, created_at=now, updated_at=now,
                    version=1, updated_by="demo", deleted_at=None, case_id=case_id, **values)

    rows[CategoryEntry].append(child(category=category.value, since=opened))
    if rng.random() < 0.3:
        rows[HouseholdMember].append(child(relation=rng.choice(list(Relation)).value, family_name=family,
                                           given_names=rng.choice(origin.male + origin.female),
                                           birth_date=born + timedelta(days=rng.randrange(-3000, 9000)),
                                           sex=rng.choice(["maennlich", "weiblich"])))
    rows[Income].append(child(kind=rng.choices(list(IncomeKind), [50, 12, 8, 10, 12, 8])[0].value,
                              since=opened - timedelta(days=rng.randrange(0, 900)), bg_number=None, note=None))
    end = closed_on or today
    for _ in range(rng.randrange(0, 7)):
        on = opened + timedelta(days=rng.randrange(0, max(1, (end - opened).days)))
        rows[Contact].append(child(on=on, minutes=rng.choice([15, 30, 45, 60, 90]),
                                   kind=rng.choice(list(ContactKind)).value,
                                   bausteine=sorted(rng.sample(["1", "2", "3", "4", "5", "6"], rng.randrange(1, 3))),
                                   note="Beratungsgespräch (Demodaten)", next_step=None, counsellor=counsellor))
    if not closed and category.value in ("raeumungsklage", "kuendigung") and rng.random() < 0.6:
        served = today - timedelta(days=rng.randrange(0, 70))
        rule = rules.schonfrist(served)
        rows[DeadlineEntry].append(child(kind="schonfrist", source_id=None, due_on=rule.due, target_on=rule.target,
                                         rule=rule.rule, inputs=dict(rule.inputs), warnings=list(rule.warnings),
                                         override_on=None, override_reason=None, assigned_to=counsellor,
                                         done_on=None, note=None))
    if rng.random() < 0.6:
        rows[Consent].append(child(person_id=person_id, recipients=sorted(rng.sample(
            ["jobcenter", "vermieter", "spdi", "suchthilfe", "kreis"], rng.randrange(1, 4))), recipient_note=None,
            purpose="Sicherung der Wohnung und Hilfeplanung", categories=["stammdaten", "wohnsituation"],
            health_data=rng.random() < 0.2, signed_on=opened, valid_from=opened, valid_until=None, revoked_on=None))


class _Obj:
    """Attribute access over a row dict, for ``case_body``."""

    def __init__(self, values: dict) -> None:
        self.__dict__.update(values)


def _write(store: Store, actor: str, rows: _Rows) -> None:
    with store.session(actor) as s:
        for model in (Person, Case, CategoryEntry, HouseholdMember, Income, Contact, DeadlineEntry, Consent):
            batch = rows.get(model)
            if batch:
                insert_rows(s, model.__table__, batch)
                record_bulk_insert(s, model.__tablename__, [str(r["id"]) for r in batch])
        case_ids = [r["id"] for r in rows[Case]]
        raw = s.connection().connection.dbapi_connection
        people = {p["id"]: p for p in rows[Person]}
        raw.executemany(
            "INSERT INTO search_docs(case_id, sort_key, case_number, status, category, municipality, counsellor) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(c["id"].hex, people[c["person_id"]]["sort_key"], c["case_number"], c["status"], c["current_category"],
              c["municipality"], c["counsellor"]) for c in rows[Case]])
        doc_ids = dict(s.execute(select(SearchDoc.case_id, SearchDoc.id).where(SearchDoc.case_id.in_(case_ids))).all())
        raw.executemany("INSERT INTO search_fts(rowid, body) VALUES (?, ?)",
                        [(doc_ids[cid], rows[("body", cid)][0]) for cid in case_ids])
