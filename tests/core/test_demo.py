"""Demo data: realistic, fictional, consistent, searchable, deterministic and cancellable."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from sqlalchemy import func, select, text

from whh_desktop.core import demo
from whh_desktop.core.demo import fill_demo, origins, uuid7_hex
from whh_desktop.core.domain.municipalities import by_name
from whh_desktop.core.domain.phonetics import name_key
from whh_desktop.core.domain.text import fold, sort_key
from whh_desktop.core.services import cases
from whh_desktop.core.store import audit
from whh_desktop.core.store.models import AuditEntry, Case, ChangeLog, Person
from whh_desktop.core.store.search_index import case_body, list_columns

TODAY = date(2026, 11, 25)
SEXES = {"maennlich", "weiblich", "divers", "ohne_angabe"}
MAIL = re.compile(r"^[a-z0-9.\-]+@example\.(org|com|net)$")
PHONE = re.compile(r"^0\d{3,4} 99\d{4,6}$")


def count(session, model, *where) -> int:
    return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def people(session) -> list[Person]:
    return list(session.execute(select(Person).order_by(Person.id)).scalars())


def content(person: Person) -> tuple:
    return (person.family_name, person.given_names, person.birth_date, person.sex, person.nationality,
            person.language, person.interpreter_needed, person.phone, person.email, person.street, person.plz,
            person.city, person.municipality)


@pytest.fixture
def filled(unlocked):
    store, user = unlocked
    assert fill_demo(store, user.username, 1200, seed=1, today=TODAY) == 1200
    return store, user


def test_demo_people_are_plausible_and_live_in_kreis_herford(filled) -> None:
    store, _user = filled
    with store.read_session() as s:
        persons = people(s)
    assert len(persons) == 1200
    for p in persons:
        municipality = by_name(p.municipality)
        assert municipality is not None and p.plz in municipality.plz and p.city == p.municipality
        assert re.match(r"^\D+ \d{1,3}a?$", p.street)
        assert p.sex in SEXES
        assert p.nationality is None or re.match(r"^[A-Z]{2}$", p.nationality)
        assert date(1940, 1, 1) <= p.birth_date <= date(2007, 12, 31)
        assert p.email is None or MAIL.match(p.email), p.email
        assert p.phone is None or PHONE.match(p.phone), p.phone
        assert not p.interpreter_needed or p.language != "Deutsch"
    names = " ".join(f"{p.family_name} {p.given_names}" for p in persons)
    for letters in ("äöüß", "łżóśąę", "şçğıİ", "ășțâî", "ễịơưạđ", "čćšžđ"):
        assert any(ch in names for ch in letters), letters
    nationalities = {p.nationality for p in persons}
    assert {"DE", "TR", "PL", "SY", "RO", "UA"} <= nationalities
    # Many German citizens with names from elsewhere, as in the district.
    assert any(p.nationality == "DE" and p.family_name in {"Yılmaz", "Kaya", "Demir", "Nowak", "Öztürk"}
               for p in persons) or sum(p.nationality == "DE" for p in persons) > 700
    # Given names fit the recorded sex: Polish women get the feminine family name.
    polish_women = [p for p in persons if p.sex == "weiblich" and p.family_name.endswith(("ska", "cka"))]
    assert polish_women and not any(p.sex == "maennlich" and p.family_name.endswith("ska") for p in persons)


def test_every_row_carries_its_sync_columns_change_log_and_search_entry(filled) -> None:
    store, user = filled
    with store.read_session() as s:
        persons = people(s)
        for p in persons:
            assert p.origin_site == p.owner_site == store.info.site_code
            assert p.version == 1 and p.updated_by == user.username and p.deleted_at is None
            assert p.created_at.tzinfo is not None and uuid.UUID(str(p.id)).version == 7
        assert count(s, ChangeLog, ChangeLog.entity == "persons") == 1200
        logged = set(s.execute(select(ChangeLog.row_id).where(ChangeLog.entity == "persons")).scalars())
        assert logged == {str(p.id) for p in persons}
        total_rows = sum(count(s, m) for m in demo.MODELS)
        assert count(s, ChangeLog) == total_rows  # one change_log row for every synced row written
        assert count(s, Case) == 1200

        by_id = {p.id: p for p in persons}
        docs = {r.case_id: r for r in s.execute(text("SELECT * FROM search_docs")).mappings()}
        bodies = dict(s.execute(text("SELECT d.case_id, f.body FROM search_docs d "
                                     "JOIN search_fts f ON f.rowid = d.id")).all())
        for case in s.execute(select(Case)).scalars():
            person = by_id[case.person_id]
            doc = docs[case.id.hex]
            assert {k: doc[k] for k in list_columns(case, person)} == list_columns(case, person)
            assert bodies[case.id.hex] == case_body(person, case)  # same index as the ORM hook would write
        hits = cases.search(s, persons[0].family_name, cases.CaseFilter(status="all"))
        assert hits.exact
        last = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
        assert (last.action, last.detail) == ("demo_filled", "1200")  # a count, no personal data
        assert audit.verify_chain(s).ok


def test_search_text_folds_names_birth_date_and_phone(filled) -> None:
    store, _user = filled
    with store.read_session() as s:
        persons = people(s)
    for p in persons:
        digits = re.sub(r"\D", "", p.phone or "")
        assert p.search_text == f"{fold(f'{p.family_name} {p.given_names} {p.birth_date:%d.%m.%Y}')} {digits}".strip()
        assert p.sort_key == sort_key(p.family_name, p.given_names)
        assert p.phonetic_key == name_key(f"{p.family_name} {p.given_names}")
    mueller = next(p for p in persons if p.family_name == "Müller")
    assert "muller" in mueller.search_text


def test_persons_only_writes_one_change_log_row_per_person(unlocked) -> None:
    store, user = unlocked
    assert fill_demo(store, user.username, 300, seed=2, cases=False) == 300
    with store.read_session() as s:
        assert count(s, Person) == 300 and count(s, Case) == 0
        assert count(s, ChangeLog) == 300


def test_cancel_stops_between_chunks_and_keeps_what_was_committed(unlocked, monkeypatch) -> None:
    monkeypatch.setattr(demo, "CHUNK", 100)
    store, user = unlocked
    calls: list[tuple[int, int]] = []
    written = fill_demo(store, user.username, 1000, seed=5, progress=lambda d, t: calls.append((d, t)),
                        cancel=lambda: len(calls) >= 2)
    assert written == 200 and calls == [(100, 1000), (200, 1000)]
    with store.read_session() as s:
        assert count(s, Person) == 200 == count(s, Case)
        last = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
        assert last.detail == "200"


def test_the_same_seed_gives_the_same_people(unlocked) -> None:
    store, user = unlocked
    fill_demo(store, user.username, 250, seed=7, today=TODAY)
    fill_demo(store, user.username, 250, seed=7, today=TODAY, cases=False)  # persons do not depend on the cases
    fill_demo(store, user.username, 250, seed=8, today=TODAY)
    with store.read_session() as s:
        persons = people(s)  # UUIDv7: in the order written
    first, again, other = ([content(p) for p in persons[i:i + 250]] for i in (0, 250, 500))
    assert first == again and first != other
    assert len({p.id for p in persons}) == 750  # ids are new every time


def test_word_lists_are_well_formed() -> None:
    loaded = origins()
    assert {o.code for o in loaded} >= {"de", "tr", "pl", "ro", "bg", "sy", "ua", "rd", "vn", "it", "gr", "ku", "er",
                                        "af"}
    for o in loaded:
        assert o.weight > 0 and o.family and o.male and o.female
        assert all(re.match(r"^[A-Z]{2}$", code) and w > 0 for code, w in o.nationalities)
        for name in (*o.family, *o.male, *o.female, *o.middle_male, *o.middle_female):
            assert name == name.strip() and name and not name.startswith("#")
    polish = next(o for o in loaded if o.code == "pl")
    assert polish.feminine_of("Kowalski") == "Kowalska" and polish.feminine_of("Nowak") == "Nowak"
    greek = next(o for o in loaded if o.code == "gr")
    assert greek.feminine_of("Papadopoulos") == "Papadopoulou" and greek.feminine_of("Georgiou") == "Georgiou"


def test_ids_are_increasing_unique_uuid7() -> None:
    ids = uuid7_hex(2000) + uuid7_hex(2000)
    parsed = [uuid.UUID(i) for i in ids]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in parsed)
    assert len(set(ids)) == len(ids)
    assert ids[:2000] == sorted(ids[:2000])


def test_demo_applications_feed_the_arbeitskreis_figures(filled) -> None:
    from whh_desktop.core.reports import arbeitskreis as ak
    from whh_desktop.core.store.models.applications import Application, Objection

    store, _user = filled
    with store.read_session() as s:
        apps = list(s.execute(select(Application)).scalars())
        objections = list(s.execute(select(Objection)).scalars())
        by_id = {a.id: a for a in apps}
        cases_by_id = {c.id: c for c in s.execute(select(Case)).scalars()}
        kinds = ak.kinds_table(s, date(2022, 1, 1), TODAY)
    assert len(apps) > 10 and objections
    for a in apps:
        assert a.case_id in cases_by_id and a.submitted_on >= cases_by_id[a.case_id].opened_on
        assert a.submitted_on < TODAY
        assert (a.decision is None) == (a.decided_on is None)
        if a.decided_on:
            assert a.submitted_on < a.decided_on <= TODAY
    for o in objections:
        app = by_id[o.application_id]
        assert app.decision in ("abgelehnt", "teilweise") and app.decided_on < o.lodged_on < TODAY
        assert o.case_id == app.case_id
    start = date(2022, 1, 1)
    assert sum(r.cells[1] for r in kinds.rows) == len([a for a in apps if a.submitted_on >= start])
    assert sum(r.cells[2] for r in kinds.rows) == len([a for a in apps if a.decided_on and a.decided_on >= start])
    assert kinds.totals is not None and kinds.totals.cells[3] not in ("", None, "–")  # a median of days
