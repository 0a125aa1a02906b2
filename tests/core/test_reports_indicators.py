"""Indicators of the Landesinitiative on a hand-built district store (tests/core/reports_world.py)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.core import reports_world
from whh_desktop.core.services import reports

VON, BIS = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def world(district):
    store, user = district
    return reports_world.build(store, user)


def tables_of(world, sites=None):
    with world.store.read_session() as s:
        return {t.key: t for t in reports.indicators(s, VON, BIS, sites)}


def test_overview(world) -> None:
    t = tables_of(world)["overview"]
    got = {r.key: r.cells[1] for r in t.rows}
    assert got == {"households": 7, "persons": 9, "new_cases": 5, "prevented": 1, "placements": 1, "landlords": 1,
                   "referrals_spdi": 1, "referrals_sucht": 1, "contacts": 4}


def test_per_site_persons_total_is_distinct(world) -> None:
    t = tables_of(world)["by_site"]
    assert t.value("loehne", "households") == 2 and t.value("vlotho", "households") == 2
    assert t.value("buende", "households") == 2 and t.value("enger-spenge", "households") == 1
    assert t.value("hiddenhausen", "households") == 0
    # P1 (Löhne) and P6 (Bünde) are linked: one person in the total, once in each site row
    assert t.value("loehne", "persons") == 4 and t.value("buende", "persons") == 2
    assert t.value("total", "persons") == 9 and t.value("total", "households") == 7
    assert t.value("loehne", "landlords") == 1 and t.value("loehne", "placements") == 1


def test_per_month(world) -> None:
    t = tables_of(world)["by_month"]
    assert [r.key for r in t.rows][:2] == ["2025-01", "2025-02"] and len(t.rows) == 12
    assert t.value("2025-01", "households") == 3  # A, D, E
    assert t.value("2025-06", "households") == 6  # A, B, C, D (closed 29.06.), F, H
    assert t.value("2025-12", "households") == 4  # A, C, F, H
    assert t.value("2025-01", "contacts") == 1 and t.value("2025-02", "contacts") == 2
    assert t.value("2025-06", "contacts") == 1 and t.value("total", "contacts") == 4
    assert t.value("2025-09", "placements") == 1 and t.value("2025-03", "landlords") == 1
    assert t.value("2025-05", "prevented") == 1
    assert t.value("total", "households") == 7  # once in the period, not the sum of the months


def test_per_municipality_and_category(world) -> None:
    tables = tables_of(world)
    m = tables["by_municipality"]
    assert m.value("Löhne", "households") == 2 and m.value("Herford", "households") == 1
    assert m.value("-", "households") == 1  # F has no municipality
    assert m.value("Herford", "placements") == 1  # the municipality of the flat
    assert m.row("Löhne").cells[0] == "Löhne (05758024)"
    c = tables["by_category"]
    assert c.value("ordnungsrechtlich", "households") == 2  # A and F (current category)
    assert c.value("ehemals", "households") == 2  # B and E
    assert c.value("ehemals", "prevented") == 1


def test_contacts_per_baustein(world) -> None:
    t = tables_of(world)["by_baustein"]
    assert t.value("1", "contacts") == 1 and t.value("2", "contacts") == 3 and t.value("2", "cases") == 2
    assert t.value("4", "contacts") == 1 and t.value("5", "contacts") == 1 and t.value("3", "contacts") == 0
    assert t.value("total", "contacts") == 4 and t.value("total", "cases") == 3


def test_site_selection(world) -> None:
    t = tables_of(world, ["loehne"])["overview"]
    got = {r.key: r.cells[1] for r in t.rows}
    assert got["households"] == 2 and got["persons"] == 4 and got["new_cases"] == 1 and got["contacts"] == 3
    assert [r.key for r in tables_of(world, ["loehne"])["by_site"].rows] == ["loehne"]


def test_drilldown(world) -> None:
    c = world.cases
    with world.store.read_session() as s:
        def ids(key, cell=None):
            return {i.id for i in reports.drilldown(s, key, VON, BIS, None, cell)}
        assert ids("new_cases") == {c["B"], c["C"], c["D"], c["F"], c["H"]}
        assert ids("households", ("month", "2025-01")) == {c["A"], c["D"], c["E"]}
        assert ids("persons", ("site", "buende")) == {c["E"], c["F"]}
        assert ids("households", ("municipality", "-")) == {c["F"]}
        assert ids("contacts", ("baustein", "2")) == {c["A"], c["B"]}
        assert ids("prevented", ("indicator", "prevented")) == {c["E"]}
        landlords = reports.drilldown(s, "landlords", VON, BIS)
        assert [(i.kind, i.label) for i in landlords] == [("landlord", "Vermieterin Fiktiv")]
        items = reports.drilldown(s, "referrals_spdi", VON, BIS)
        assert [i.label for i in items] == [s.get(reports_world.Case, c["B"]).case_number]


def test_periods() -> None:
    assert reports.quarter(2025, 1).bis == date(2025, 3, 31) and reports.month(2024, 2).bis == date(2024, 2, 29)
    assert reports.year(2025).von == date(2025, 1, 1)
    assert reports.parse_sites(["Bünde", "loehne"]) == ["buende", "loehne"]


def test_data_quality(world) -> None:
    c = world.cases
    with world.store.read_session() as s:
        t = reports.data_quality(s)
    rows = {r.key: r.cells[3] for r in t.rows}
    assert set(rows) == {str(c["F"]), str(c["J"])}
    assert rows[str(c["F"])] == "Gemeinde fehlt"
    assert "Geburtsdatum fehlt" in rows[str(c["J"])] and "Kategorie ohne Datum" in rows[str(c["J"])]


def test_drilldown_is_pseudonymous_where_the_district_holds_no_consent(world) -> None:
    from whh_desktop.core.store.models import PseudonymEntry

    with world.store.session("import") as s:
        s.add(PseudonymEntry(site="loehne", pseudonym="ab" * 32, person_pseudonym="cd" * 32, identified=False,
                             case_id=world.cases["B"]))
    with world.store.read_session() as s:
        items = reports.drilldown(s, "referrals_spdi", VON, BIS)
    assert [i.label for i in items] == ["Pseudonym abababababab"]
