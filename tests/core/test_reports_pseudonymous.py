"""Pseudonymous records of the sites in the district's reports (DESIGN.md §10, issue 06): the hand-built store of
reports_world plus pseudonymous records written as the importer stores them (``sync_pseudonyms.data`` in the form
of ``pseudonym_records.statistics``). Every figure below is counted by hand: the base figures are those of
test_reports_indicators / test_reports_stichtag, plus the records listed in ``pseudo_world``.

Records (month precision):
- Q1 Löhne, bei_bekannten 03/2025 → ordnungsrechtlich 06/2025, open since 03/2025, woman, band 15–19, EU,
  alleinerziehend, 2 persons, contacts {2: 3, 4: 1} (open: not counted yet).
- Q2 Vlotho, räumungsklage 11/2024 → ehemals 05/2025, closed 05/2025 "Wohnung erhalten", contacts {1: 2, 2: 1}.
- Q3 the link of B's pseudonym (consent given later): identified, with stale statistics left in ``data`` — never
  counted as pseudonymous (B counts once, as identified).
- Q4 Bünde, deleted at the site.
- Q5 Löhne, the same person as B (same person pseudonym as Q3's link), ohne_unterkunft since 01/2025, open.
- Q6a/Q6b Enger-Spenge, one person, two records: einrichtung since 12/2024 (1 person, no municipality) and since
  02/2025 (paar_mit_kind, 3 persons, man, band 30–34).
- Q7 Hiddenhausen, kuendigung 10/2025 → ordnungsrechtlich 01/2026, open, 1 person.
- Q9 Bünde, einrichtung since 01/2025, closed 06/2025 (neue_wohnung), contacts {5: 1}.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.core import reports_world
from whh_desktop.core.reports import stichtag
from whh_desktop.core.services import reports
from whh_desktop.core.store.models import PseudonymEntry

VON, BIS = date(2025, 1, 1), date(2025, 12, 31)


def ps(n: int) -> str:
    return f"{n:02x}" * 32


def data(site: str, municipality: str | None, categories: list[list[str]], *, sex: str = "weiblich",
         band: str = "40-44", nat: str = "deutsch", htype: str = "allein", size: int = 1, opened: str | None = None,
         closed: str | None = None, outcome: str | None = None, contacts: dict[str, int] | None = None,
         deleted: bool = False) -> dict:
    return {"site": site, "municipality": municipality, "categories": categories, "sex": sex, "age_band": band,
            "nationality_group": nat, "household_type": htype, "household_size": size,
            "opened_month": opened or (categories[0][1] if categories else None), "closed_month": closed,
            "outcome": outcome, "contacts_per_baustein": contacts or {}, "deleted": deleted}


@pytest.fixture
def world(district):
    return build(*district)


def build(store, user) -> reports_world.World:
    """reports_world plus the pseudonymous records listed above (also used by test_reports_backends)."""
    w = reports_world.build(store, user)
    with store.session("import") as s:
        def add(n: int, site: str, person: str, d: dict | None, **link) -> None:
            s.add(PseudonymEntry(site=site, pseudonym=ps(n), person_pseudonym=person * 32, data=d, **link))

        add(1, "loehne", "a1", data("loehne", "Löhne", [["bei_bekannten", "2025-03"], ["ordnungsrechtlich", "2025-06"]],
                                    band="15-19", nat="eu", htype="alleinerziehend", size=2,
                                    contacts={"2": 3, "4": 1}))
        add(2, "vlotho", "a2", data("vlotho", "Vlotho", [["raeumungsklage", "2024-11"], ["ehemals", "2025-05"]],
                                    sex="maennlich", closed="2025-05", outcome="wohnung_erhalten",
                                    contacts={"1": 2, "2": 1}))
        add(3, "loehne", "b2", data("loehne", "Löhne", [["bei_bekannten", "2025-02"]], opened="2025-02"),
            identified=True, case_id=w.cases["B"], person_id=w.persons["P2"])
        add(4, "buende", "a4", data("buende", "Bünde", [["ohne_unterkunft", "2025-02"]], deleted=True))
        add(5, "loehne", "b2", data("loehne", "Löhne", [["ohne_unterkunft", "2025-01"]], band="15-19", nat="eu"))
        add(6, "enger-spenge", "a6", data("enger-spenge", None, [["einrichtung", "2024-12"]]))
        add(7, "enger-spenge", "a6", data("enger-spenge", "Enger", [["einrichtung", "2025-02"]], sex="maennlich",
                                          band="30-34", nat="andere", htype="paar_mit_kind", size=3))
        add(8, "hiddenhausen", "a8", data("hiddenhausen", "Hiddenhausen",
                                          [["kuendigung", "2025-10"], ["ordnungsrechtlich", "2026-01"]],
                                          band="60-64"))
        add(9, "buende", "a9", data("buende", "Bünde", [["einrichtung", "2025-01"]], band="50-54", closed="2025-06",
                                    outcome="neue_wohnung", contacts={"5": 1}))
    return w


def indicator_tables(world, sites=None):
    with world.store.read_session() as s:
        return {t.key: t for t in reports.indicators(s, VON, BIS, sites)}


def stichtag_tables(world, day: date, art: str):
    with world.store.read_session() as s:
        return {t.key: t for t in reports.stichtag_on(s, day, art)}


def label(n: int) -> str:
    return f"Pseudonym {ps(n)[:12]}"


# ---- indicators -------------------------------------------------------------------------------------------------
def test_overview_counts_identified_and_pseudonymous(world) -> None:
    t = indicator_tables(world)["overview"]
    got = {r.key: r.cells[1] for r in t.rows}
    # base 7 households + Q1, Q2, Q5, Q6a, Q6b, Q7, Q9 (Q3 linked, Q4 deleted); persons 9 + Q1 2, Q2 1, Q5 0 (P2,
    # counted with B), Q6 1 + 2 members, Q7 1, Q9 1; new cases 5 + Q1, Q5, Q6b, Q7, Q9; contacts 4 + Q2 3 + Q9 1
    assert got == {"households": 14, "persons": 17, "new_cases": 10, "prevented": 2, "placements": 1, "landlords": 1,
                   "referrals_spdi": 1, "referrals_sucht": 1, "contacts": 8}
    assert any("Pseudonyme Datensätze" in n for n in t.footnotes)


def test_pseudonym_identified_later_counts_once(world) -> None:
    t = indicator_tables(world, ["loehne"])
    got = {r.key: r.cells[1] for r in t["overview"].rows}
    # Löhne: A, B identified; Q1, Q5 pseudonymous; Q3 (B's link, stale data) never; P2 (B and Q5) once
    assert got["households"] == 4 and got["persons"] == 4 + 2 + 0
    assert got["new_cases"] == 1 + 2  # B; Q1 (03/2025), Q5 (01/2025)


def test_months_and_breakdowns(world) -> None:
    tables = indicator_tables(world)
    m = tables["by_month"]
    assert m.value("2025-01", "households") == 3 + 4  # A, D, E + Q2, Q5, Q6a, Q9
    assert m.value("2025-06", "households") == 6 + 5  # + Q1, Q5, Q6a, Q6b, Q9 (closed 06/2025: open all June)
    assert m.value("2025-12", "households") == 4 + 5  # + Q1, Q5, Q6a, Q6b, Q7
    assert m.value("2025-03", "new_cases") == 1 + 1 and m.value("2025-10", "new_cases") == 1
    assert m.value("2025-05", "prevented") == 2 and m.value("2025-05", "contacts") == 3  # Q2's on its closing day
    assert m.value("2025-06", "contacts") == 1 + 1 and m.value("total", "contacts") == 8
    site = tables["by_site"]
    assert site.value("enger-spenge", "households") == 1 + 2 and site.value("enger-spenge", "persons") == 2 + 3
    assert site.value("hiddenhausen", "households") == 1 and site.value("total", "persons") == 17
    cat = tables["by_category"]
    assert cat.value("einrichtung", "households") == 2 + 3 and cat.value("ehemals", "prevented") == 2
    assert tables["by_municipality"].value("-", "households") == 1 + 1  # F and Q6a


def test_contacts_per_baustein(world) -> None:
    t = indicator_tables(world)["by_baustein"]
    assert t.value("1", "contacts") == 1 + 2 and t.value("1", "cases") == 1 + 1
    assert t.value("2", "contacts") == 3 + 1 and t.value("2", "cases") == 2 + 1
    assert t.value("5", "contacts") == 1 + 1 and t.value("4", "contacts") == 1  # Q1's Baustein 4: still open
    assert t.value("total", "contacts") == 4 + 4 and t.value("total", "cases") == 3 + 2


def test_drilldown_lists_pseudonyms(world) -> None:
    c = world.cases
    with world.store.read_session() as s:
        def items(key, cell=None):
            return {(i.kind, i.label if i.kind == "pseudonym" else i.id, i.site)
                    for i in reports.drilldown(s, key, VON, BIS, None, cell)}
        assert items("new_cases", ("month", "2025-01")) == {
            ("case", c["D"], "vlotho"), ("pseudonym", label(5), "loehne"), ("pseudonym", label(9), "buende")}
        assert items("prevented") == {("case", c["E"], "buende"), ("pseudonym", label(2), "vlotho")}
        assert items("contacts", ("baustein", "5")) == {("case", c["H"], "enger-spenge"),
                                                        ("pseudonym", label(9), "buende")}
        assert items("households", ("site", "enger-spenge")) == {
            ("case", c["H"], "enger-spenge"), ("pseudonym", label(6), "enger-spenge"),
            ("pseudonym", label(7), "enger-spenge")}
        assert items("households", ("municipality", "Hiddenhausen")) == {("pseudonym", label(8), "hiddenhausen")}
        assert {i.label for i in reports.drilldown(s, "persons", VON, BIS, ["loehne"])} >= {label(1), label(5)}
        assert not any(i.kind == "pseudonym" for i in reports.drilldown(s, "referrals_spdi", VON, BIS))


# ---- Stichtag ---------------------------------------------------------------------------------------------------
def test_nrw_with_pseudonymous_records(world) -> None:
    t = stichtag_tables(world, date(2025, 6, 30), "nrw")
    # base 4 households / 7 persons + Q1 (ordnungsrechtlich since 06/2025: valid on 30.06.) 2 persons + Q6 once
    # (the larger household Q6b) 3 persons; Q5 left out (P2 counts with B), Q9 closed 06/2025, Q7 not yet opened
    assert t["overview"].value("households", "value") == 6 and t["overview"].value("persons", "value") == 12
    acc = t["accommodation"]
    assert acc.value("ordnungsrechtlich", "households") == 2 and acc.value("ordnungsrechtlich", "persons") == 5
    assert acc.value("einrichtung", "households") == 2 and acc.value("einrichtung", "persons") == 5
    sa = t["sex_age"]
    assert sa.value("u18", "weiblich") == 1 + 1  # Q1: band 15–19 opened this year → 17
    assert sa.value("30-39", "maennlich") == 1 + 1  # Q6b: 30–34 → 32
    assert sa.value("-", "ohne_angabe") == 3 and sa.value("total", "total") == 12  # members of Q1 and Q6b
    assert t["nationality"].value("andere", "persons") == 3 + 2 + 3
    assert t["household_type"].value("paar_mit_kind", "households") == 2
    assert t["household_size"].value("3", "households") == 1 + 1
    assert any("Letzten des Monats" in n for n in t["overview"].footnotes)
    assert any("5-Jahres-Altersgruppe" in n for n in t["sex_age"].footnotes)


def test_stichtag_month_precision(world) -> None:
    # 15.06.: Q1's "ordnungsrechtlich since 06/2025" not yet certain → still bei_bekannten (with B)
    mid = stichtag_tables(world, date(2025, 6, 15), "nrw")["accommodation"]
    end = stichtag_tables(world, date(2025, 6, 30), "nrw")["accommodation"]
    assert mid.value("bei_bekannten", "households") == 2 and end.value("bei_bekannten", "households") == 1
    assert mid.value("ordnungsrechtlich", "households") == 1 and end.value("ordnungsrechtlich", "households") == 2
    # Q9 closed 06/2025: counts on 31.05. (closing certainly not before 01.06.), no longer on 30.06.
    may = stichtag_tables(world, date(2025, 5, 31), "nrw")["site"]
    assert may.value("buende", "households") == 1 + 1  # F (A still "Kündigung") and Q9
    assert "buende" not in {r.key for r in stichtag_tables(world, date(2025, 6, 30), "nrw")["site"].rows}


def test_wobericht_with_pseudonymous_records(world) -> None:
    t = stichtag_tables(world, date(2026, 1, 31), "wobericht")
    # base A (3), H (2) + Q1 (2), Q6b (3), Q7 (ordnungsrechtlich since 01/2026: certain on 31.01.) 1
    assert t["overview"].value("households", "value") == 5 and t["overview"].value("persons", "value") == 11
    assert t["since"].value("6-12m", "households") == 2 + 2  # Q1: 7 months, Q6b: 11 months
    assert t["since"].value("u3m", "households") == 1  # Q7: 0 months
    assert t["provider"].value("gemeinde", "persons") == 3 + 2 + 1 and t["provider"].value("frei", "households") == 2
    assert t["municipality"].value("Hiddenhausen", "households") == 1
    assert stichtag_tables(world, date(2026, 1, 15), "wobericht")["municipality"].value(
        "Hiddenhausen", "households") == 0


def test_age_band_moves_on_with_the_years(world) -> None:
    sa = stichtag_tables(world, date(2027, 6, 30), "nrw")["sex_age"]
    # Q1 (15–19 opened 03/2025) and Q5 (15–19 opened 01/2025; B closed, so P2 counts through Q5 now): both 19
    assert sa.value("18-24", "weiblich") == 2 and sa.value("u18", "weiblich") == 1  # H's daughter
    assert stichtag.band_age_group(15, 2025 * 12 + 2, date(2025, 6, 30)) == "u18"
    assert stichtag.band_age_group(15, 2025 * 12 + 2, date(2026, 2, 28)) == "u18"  # 11 months: still 17
    assert stichtag.band_age_group(15, 2025 * 12 + 2, date(2026, 3, 31)) == "18-24"  # 12 months: 18
    assert stichtag.band_age_group(20, 2025 * 12, date(2025, 1, 1)) == "18-24"  # 22
    assert stichtag.band_age_group(60, 2025 * 12, date(2025, 1, 1)) == "60-64"  # 62
    assert stichtag.band_age_group(65, 2025 * 12, date(2025, 1, 1)) == "65+"
    assert stichtag.band_age_group(None, 1, date(2025, 1, 1)) == "-"


# ---- export and data quality ------------------------------------------------------------------------------------
def test_suppression_covers_pseudonymous_figures(world) -> None:
    with world.store.read_session() as s:
        tables = {t.key: t for t in reports.suppress_for_export(reports.indicators(s, VON, BIS))}
        wob = {t.key: t for t in reports.suppress_for_export(reports.stichtag_wobericht(s, 2026))}
    assert tables["by_site"].value("hiddenhausen", "households") == "< 3"  # Q7 alone
    assert tables["overview"].value("households", "value") == 14
    assert wob["municipality"].value("Hiddenhausen", "households") == "< 3"


def test_data_quality_lists_pseudonymous_records(world) -> None:
    c = world.cases
    with world.store.read_session() as s:
        t = reports.data_quality(s)
    rows = {r.key: r.cells for r in t.rows}
    assert set(rows) == {str(c["F"]), str(c["J"]), f"pseudonym:enger-spenge:{ps(6)}"}
    cells = rows[f"pseudonym:enger-spenge:{ps(6)}"]
    assert cells[0] == label(6) and cells[3] == "Gemeinde fehlt (am Standort ergänzen)"
