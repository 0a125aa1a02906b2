"""Search and duplicate candidates find the same persons on SQLite (FTS5) and PostgreSQL (tsvector + GIN) for the
same fixtures, umlauts and diacritics included (issue 19 point 3; DESIGN.md §10 Search: one fold function)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from tests.core.bare_store import BACKENDS, BareStore, open_bare
from whh_desktop.core.domain.phonetics import name_key
from whh_desktop.core.domain.text import fold, sort_key
from whh_desktop.core.services import cases, duplicates
from whh_desktop.core.services.cases import CaseFilter
from whh_desktop.core.store import search_index
from whh_desktop.core.store.models import Case, Person

PEOPLE = [
    ("Müller", "Anna", date(1970, 3, 12), "05221 990001", "Löhne"),
    ("Mueller", "Bernd", date(1982, 7, 1), None, "Vlotho"),
    ("Maier", "Claudia", date(1990, 1, 5), "0151 000111", "Löhne"),
    ("Meyer", "Claudia", date(1990, 1, 5), None, "Bünde"),
    ("Kowalczyk", "Łukasz", date(1988, 9, 9), None, "Bünde"),
    ("Nguyễn", "Thị Minh Khai", date(1979, 12, 24), None, "Löhne"),
    ("Straßburger", "Jörg", date(1965, 2, 28), None, "Herford"),
    ("Müller-Lüdenscheidt", "Otto", date(1950, 5, 5), None, "Enger"),
]
SITE = {"Löhne": "loehne", "Vlotho": "vlotho", "Bünde": "buende", "Herford": "kreis", "Enger": "enger-spenge"}
QUERIES = ["Müller", "mueller", "Muller", "Lukasz", "łuk", "Nguyen", "nguyễn thi", "strass", "Strassburger",
           "12.3.1970", "1970", "05221 99", "0151 00", "anna mül", "ludenscheidt", "Meier", "Mayer", "Maier clau",
           "xyz", "0042"]


def fill(store: BareStore) -> dict[str, uuid.UUID]:
    ids = {}
    with store.session() as s:
        for n, (family, given, born, phone, muni) in enumerate(PEOPLE, start=1):
            site = SITE[muni]  # imported from the sites: duplicates are looked for across sites
            person = Person(family_name=family, given_names=given, birth_date=born, phone=phone, owner_site=site,
                            origin_site=site, municipality=muni, search_text=fold(f"{family} {given}"),
                            sort_key=sort_key(family, given), phonetic_key=name_key(f"{family} {given}"))
            s.add(person)
            s.flush()
            case = Case(case_number=f"KRS-2026-{n:04d}", person_id=person.id, counsellor="berater", owner_site=site,
                        origin_site=site,
                        opened_on=date(2026, 1, n), municipality=muni, current_category="kuendigung")
            s.add(case)
            s.flush()
            ids[family] = case.id
    return ids


def hits(store: BareStore, query: str) -> tuple[list[str], list[str]]:
    with store.session() as s:
        found = cases.search(s, query, CaseFilter())
        return ([r.family_name for r in cases.rows(s, found.exact)],
                [r.family_name for r in cases.rows(s, found.phonetic)])


def every_hit(store: BareStore) -> dict[str, tuple[list[str], list[str]]]:
    return {q: hits(store, q) for q in QUERIES}


@pytest.mark.parametrize("backend", BACKENDS)
def test_folded_hits_on_each_backend(request, tmp_path, backend: str) -> None:
    store = open_bare(request, backend, tmp_path)
    fill(store)
    assert sorted(hits(store, "Müller")[0]) == ["Mueller", "Müller", "Müller-Lüdenscheidt"]
    assert hits(store, "Lukasz")[0] == ["Kowalczyk"]
    assert hits(store, "łuk")[0] == ["Kowalczyk"]
    assert hits(store, "Nguyen")[0] == ["Nguyễn"]
    assert hits(store, "strass")[0] == ["Straßburger"]
    assert hits(store, "12.3.1970")[0] == ["Müller"]
    assert hits(store, "0151 00")[0] == ["Maier"]
    assert hits(store, "ludenscheidt")[0] == ["Müller-Lüdenscheidt"]
    assert "Meyer" in hits(store, "Maier")[1]  # the phonetic list: same sound, other spelling
    assert hits(store, "xyz") == ([], [])


def test_both_backends_find_the_same_cases(request, tmp_path) -> None:
    lite = open_bare(request, "sqlite", tmp_path)
    pg = open_bare(request, "postgresql", tmp_path)
    fill(lite)
    fill(pg)
    assert every_hit(pg) == every_hit(lite)


def test_both_backends_propose_the_same_duplicates(request, tmp_path) -> None:
    def pairs(store: BareStore) -> list[tuple[str, str, int]]:
        with store.session() as s:
            by_id = {p.id: p.family_name for p in s.query(Person)}
            return sorted((by_id[c.a.id], by_id[c.b.id], c.score) for c in duplicates.candidates(s))

    lite = open_bare(request, "sqlite", tmp_path)
    pg = open_bare(request, "postgresql", tmp_path)
    fill(lite)
    fill(pg)
    found = pairs(lite)
    assert ("Maier", "Meyer") in {(a, b) for a, b, _ in found} | {(b, a) for a, b, _ in found}
    assert pairs(pg) == found


@pytest.mark.parametrize("backend", BACKENDS)
def test_renamed_and_deleted_cases_leave_the_index(request, tmp_path, backend: str) -> None:
    store = open_bare(request, backend, tmp_path)
    ids = fill(store)
    with store.session() as s:
        person = s.get(Person, s.get(Case, ids["Straßburger"]).person_id)  # the district's own record
        person.family_name = "Nowak"
    assert hits(store, "strass")[0] == []
    assert hits(store, "Nowak")[0] == ["Nowak"]
    with store.session() as s:
        search_index.index_cases_bulk(s, [ids["Straßburger"].hex, ids["Maier"].hex])
    assert hits(store, "Nowak")[0] == ["Nowak"]
    with store.session() as s:
        search_index.drop_case(s.connection(), ids["Maier"].hex)
    assert hits(store, "Maier")[0] == []
    with store.session() as s:  # a new case after bulk-written rows gets a fresh search row (no key collision)
        person = Person(family_name="Zander", given_names="Ida", birth_date=date(2000, 1, 1), search_text="zander")
        s.add(person)
        s.flush()
        s.add(Case(case_number="KRS-2026-0099", person_id=person.id, counsellor="berater", opened_on=date(2026, 2, 1)))
    assert hits(store, "Zander")[0] == ["Zander"]


def test_fts5_expressions_become_tsqueries() -> None:
    built = search_index.build_query("anna mül 12.3.1970")
    assert search_index.to_tsquery(built.exact or "") == "g19700312 & anna:* & mul:*"
    assert search_index.to_tsquery('"ph67"') == "ph67"
    assert search_index.to_tsquery("") == "''"
