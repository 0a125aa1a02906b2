"""Stichtag reports on the hand-built store: category changed ON the Stichtag, a person turning 18 on it, a
closed and reopened case, a case closed the day before, linked records counted once."""

from __future__ import annotations

from datetime import date

import pytest

from tests.core import reports_world
from whh_desktop.core.services import reports


@pytest.fixture
def world(district):
    store, user = district
    return reports_world.build(store, user)


def nrw(world, year=2025, sites=None):
    with world.store.read_session() as s:
        return {t.key: t for t in reports.stichtag_nrw(s, year, sites)}


def test_nrw_totals_and_edge_cases(world) -> None:
    t = nrw(world)
    # A (changed to ordnungsrechtlich ON 30.06.: 3 persons), B (1), C reopened (1), H (2); D closed 29.06.,
    # F linked with A (A's larger household kept), G a draft, E not homeless
    assert t["overview"].value("households", "value") == 4
    assert t["overview"].value("persons", "value") == 7
    acc = t["accommodation"]
    assert acc.value("ordnungsrechtlich", "persons") == 3 and acc.value("ordnungsrechtlich", "households") == 1
    assert acc.value("bei_bekannten", "persons") == 1 and acc.value("ohne_unterkunft", "persons") == 1
    assert acc.value("einrichtung", "households") == 1 and acc.value("einrichtung", "persons") == 2


def test_nrw_day_before_the_change(world) -> None:
    with world.store.read_session() as s:
        t = {x.key: x for x in reports.stichtag_on(s, date(2025, 6, 29))}
    # A was still "Kündigung" (not homeless) but F (linked) counts now; D still open; B not yet 18
    acc = t["accommodation"]
    assert acc.value("ordnungsrechtlich", "persons") == 1 and acc.value("einrichtung", "households") == 2
    assert t["sex_age"].value("u18", "weiblich") == 2  # P2 (17) and H's daughter


def test_nrw_age_sex_and_nationality(world) -> None:
    t = nrw(world)
    sa = t["sex_age"]
    assert sa.value("u18", "maennlich") == 1 and sa.value("u18", "weiblich") == 1
    assert sa.value("18-24", "weiblich") == 2  # P2 turns 18 ON the Stichtag; P7 turns 25 the day after
    assert sa.value("30-39", "maennlich") == 1 and sa.value("40-49", "total") == 2
    assert sa.value("total", "total") == 7
    assert t["sex"].value("maennlich", "persons") == 3 and t["sex"].value("weiblich", "persons") == 4
    nat = t["nationality"]
    assert nat.value("deutsch", "persons") == 3 and nat.value("andere", "persons") == 3
    assert nat.value("-", "persons") == 1


def test_nrw_households_and_municipalities(world) -> None:
    t = nrw(world)
    ht = t["household_type"]
    assert ht.value("paar_mit_kind", "households") == 1 and ht.value("paar_mit_kind", "persons") == 3
    assert ht.value("alleinerziehend", "persons") == 2 and ht.value("allein", "households") == 2
    hs = t["household_size"]
    assert hs.value("1", "households") == 2 and hs.value("2", "households") == 1 and hs.value("3", "persons") == 3
    m = t["municipality"]
    assert m.value("Löhne", "persons") == 4 and m.value("Enger", "households") == 1
    assert m.row("Vlotho").cells[0] == "Vlotho (05758036)"
    assert nrw(world, sites=["vlotho"])["overview"].value("persons", "value") == 1


def test_wobericht(world) -> None:
    with world.store.read_session() as s:
        t = {x.key: x for x in reports.stichtag_wobericht(s, 2026)}
    assert t["overview"].value("households", "value") == 2 and t["overview"].value("persons", "value") == 5
    assert t["provider"].value("gemeinde", "persons") == 3 and t["provider"].value("frei", "households") == 1
    assert t["since"].value("6-12m", "households") == 2  # A since 30.06.2025, H since 01.06.2025
    assert set(t["accommodation"].row(k).key for k in ("ordnungsrechtlich", "einrichtung"))
    assert t["overview"].title.startswith("Statistik untergebrachter")


def test_nrw_before_anything(world) -> None:
    t = nrw(world, 2020)
    assert t["overview"].value("persons", "value") == 0
