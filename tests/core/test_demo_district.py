"""The demo fill of a district store (issue 20): the people of all five sites, as imported bundles leave them, on
SQLCipher and on PostgreSQL — every case searchable, the reports run, ``whh demo`` works there too."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select, text

from tests.conftest import ADMIN, ADMIN_PASSWORD
from whh_desktop.core.demo import DISTRICT_COUNSELLORS, fill_demo
from whh_desktop.core.domain.municipalities import by_name
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.services import cases, reports
from whh_desktop.core.store.models import AuditEntry, Case, ChangeLog, Person
from whh_desktop.core.store.search_index import case_body

TODAY = date(2026, 11, 25)
PERSONS = 500


def count(session, sql: str) -> int:
    return int(session.execute(text(sql)).scalar_one())


@pytest.fixture
def filled_district(district_any):
    store, user = district_any
    assert fill_demo(store, user.username, PERSONS, seed=4, today=TODAY) == PERSONS
    return store, user


def test_district_fill_spreads_people_and_cases_over_the_five_sites(filled_district) -> None:
    store, _user = filled_district
    with store.read_session() as s:
        rows = s.execute(select(Case, Person).join(Person, Person.id == Case.person_id)).all()
        assert len(rows) == PERSONS == count(s, "SELECT count(*) FROM persons")
        owners = Counter(case.owner_site for case, _person in rows)
        assert set(owners) == {site.value for site in SiteCode.counselling_sites()}
        assert owners.most_common(1)[0][0] == SiteCode.BUENDE.value  # Bünde, Kirchlengern, Rödinghausen
        for case, person in rows:
            site = SiteCode(case.owner_site)
            assert case.origin_site == case.owner_site == person.owner_site == person.origin_site
            assert case.case_number.startswith(f"{site.case_prefix}-")
            assert case.counsellor in DISTRICT_COUNSELLORS[site.value]
            default = by_name(person.municipality).default_site
            assert default in (site, None)  # Herford (Stadt): whichever site took the case
        numbers = [case.case_number for case, _person in rows]
        assert len(set(numbers)) == len(numbers)
        # Site rows as an import leaves them: the district logs only what it owns and exports.
        assert s.execute(select(func.count()).select_from(ChangeLog)
                         .where(ChangeLog.entity.in_(("persons", "cases", "contacts")))).scalar_one() == 0
        assert count(s, "SELECT count(*) FROM search_docs") == PERSONS
        assert count(s, "SELECT count(*) FROM search_fts") == PERSONS
        bodies = {str(case_id).replace("-", ""): body for case_id, body in s.execute(text(
            "SELECT d.case_id, f.body FROM search_docs d JOIN search_fts f ON f.rowid = d.id"))}  # uuid on PostgreSQL
        for case, person in rows:
            assert bodies[str(case.id).replace("-", "")] == case_body(person, case)
        last = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
        assert (last.action, last.detail) == ("demo_filled", str(PERSONS))


def test_every_district_case_is_found_by_name_birth_date_and_case_number(filled_district) -> None:
    store, user = filled_district
    everything = cases.CaseFilter(status="all")
    with store.read_session() as s:
        rows = s.execute(select(Case.id, Case.case_number, Person.family_name, Person.birth_date)
                         .join(Person, Person.id == Case.person_id)).all()
    for case_id, number, family, born in rows:
        key = case_id.hex
        assert cases.search_cases(store, user, number, everything).exact == [key]
        found = cases.search_cases(store, user, f"{family} {born:%d.%m.%Y}", everything)
        assert key in found.exact, (number, family)
    one_site = cases.search_cases(store, user, "", cases.CaseFilter(status="all", site=SiteCode.VLOTHO.value))
    assert one_site.exact and all(r.case_number.startswith("VLO-") for r in cases.case_rows(store, user,
                                                                                           one_site.exact))


def test_district_reports_run_on_the_filled_store(filled_district) -> None:
    store, _user = filled_district
    with store.read_session() as s:
        kinds = reports.arbeitskreis(s, date(2023, 1, 1), TODAY)
        reports.indicators(s, date(2026, 1, 1), date(2026, 12, 31))
        reports.stichtag_nrw(s, 2025)
        reports.stichtag_wobericht(s, 2025)
    assert kinds is not None


def test_a_second_district_fill_continues_every_sites_case_numbers(district_any) -> None:
    store, user = district_any
    fill_demo(store, user.username, 150, seed=1, today=TODAY)
    fill_demo(store, user.username, 150, seed=1, today=TODAY)
    with store.read_session() as s:
        numbers = list(s.execute(select(Case.case_number)).scalars())
    assert len(numbers) == 300 == len(set(numbers))


def test_whh_demo_fills_a_district_store(district_paths) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("WHH_PASSWORD", "WHH_USER")}
    env |= {"WHH_USER": ADMIN, "WHH_PASSWORD": ADMIN_PASSWORD}
    r = subprocess.run([sys.executable, "-m", "whh_desktop.cli", "--data-dir", str(district_paths.root), "demo",
                        "--persons", "120", "--offers", "40", "--json"], capture_output=True, text=True, env=env,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert '"persons": 120' in r.stdout and '"searches": 0' in r.stdout and '"accounts": []' in r.stdout
