"""Report benchmarks (issue 06): every report on a district-sized store of 5 × 20 000 cases under 2 s.

The store: one store filled five times with 20 000 demo persons and their cases (fill_demo), each batch then
given to another site (``owner_site``). Then, as at the real district (DESIGN.md §7, §10), 95 % of each site's
cases are turned into pseudonymous records: the statistics JSON the site's exporter would send
(``pseudonym_records.statistics``) is written to ``sync_pseudonyms`` and the identified rows of those cases are removed;
the other 5 % stay identified, each with its pseudonym link (``identified`` true). Then referrals and signed leases
for the identified cases, the demo housing market (landlords won) and 200 "same person" links across sites.
Each report is timed as the app calls it (best of 3) against the raw
limit: a plain SQLite ``GROUP BY`` of the same 100 000 case rows by site, municipality and category.

Measured on the 2-core machine (SQLCipher, 5 × 20 000 cases), all identified (before pseudonymous records were
counted): indicators for a year 1.05 s, drill-down 0.30 s, Stichtag NRW 0.84 s, WoBerichtsG 0.67 s, data quality
0.39 s, Excel export 0.03 s, Sachbericht PDF 1.25 s (the plain GROUP BY: 0.07 s).
95 % pseudonymous, reports counting identified cases only (old code): indicators 0.37 s, drill-down 0.05 s, NRW
0.20 s, WoB 0.19 s, quality 0.03 s, PDF 0.93 s. Counting the pseudonymous records too (first version, machine
shared): indicators 8.4 s, drill-down 6.4 s, NRW 6.9 s, WoB 9.7 s, quality 6.7 s, PDF 12.7 s — OVER the 2 s target;
the cost is reading 95 000 JSON documents per report in Python (json decoding about half of it), see
``core/reports/pseudonymous.py``. Re-measured before the fix (2-core machine): indicators 8.70 s, drill-down 9.58 s,
NRW 7.18 s, WoB 4.35 s, quality 3.83 s, Excel 0.05 s, PDF 9.10 s. After (the importer writes each record's report
facts into plain columns, ``sync_pseudonym_facts`` + category history + contacts per Baustein, and the reports
aggregate them in SQL like the identified cases, no JSON decoding): indicators 1.05 s, drill-down 0.61 s, NRW
0.89 s, WoB 0.65 s, quality 0.14 s, Excel 0.03 s, PDF 1.13 s — all under 2 s (store build 38 → 45 s: the facts
are written with the pseudonym rows). Standalone: ``python -m bench.reports_bench [cases per site]``.

Disclosure control (issue 16; ``disclosure``: complementary suppression + LP audit over all tables of a report),
5 × 20 000 cases (quiet machine, store build 38 s): yearly Sachbericht 0 primary and 0 further cells of 366 non-zero
(every count ≥ 3), 0.002 s; June only 25 primary, 0 further (0.01 s); one site's year (Hiddenhausen) 5 primary,
4 further = 1.3 % of 317 (0.05 s); Stichtag NRW 0/0; WoBerichtsG 2 primary, 2 further = 1.6 % of 129 (0.01 s).
All reports stay under 2 s with it (indicators 0.98 s, NRW 0.80 s, WoB 0.52 s, Excel 0.04 s, Sachbericht PDF
0.89 s). At 5 × 400 cases: yearly Sachbericht 56 primary, 6 further = 2.0 % of 304 (0.12 s), June 30 + 8 = 5.3 %,
Hiddenhausen 57 + 4 = 1.9 %, NRW 9 + 9 = 8.5 %, WoBerichtsG 11 + 7 = 6.1 %.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.harness import Result, timed

SITES = ("vlotho", "buende", "enger-spenge", "hiddenhausen", "loehne")  # the last batch stays at loehne
PER_SITE = 20_000
TARGET = 2.0
SYNCED = ("persons", "cases", "case_categories", "household_members", "incomes", "contacts", "deadlines", "consents")
TODAY = date(2026, 11, 24)


def make_district_store(root: Path, per_site: int = PER_SITE):
    from sqlalchemy import insert, select, text

    from bench.store_bench import COUNSELLOR, PASSWORD
    from whh_desktop.core.demo import fill_demo
    from whh_desktop.core.demo_housing import fill_housing_demo
    from whh_desktop.core.domain.sites import SiteCode, StoreMode
    from whh_desktop.core.services import accounts, login
    from whh_desktop.core.services.site_settings import Letterhead
    from whh_desktop.core.services.store_setup import SetupRequest, create_store
    from whh_desktop.core.store.models import Account, Case, PersonLink, Proposal, Referral, Role
    from whh_desktop.paths import DataPaths

    paths = DataPaths(root)
    create_store(paths, SetupRequest(StoreMode.SITE, SiteCode.LOEHNE,
                                     Letterhead("Bench", "Musterstraße 1", "32584", "Löhne"),
                                     "bench", "Bench", PASSWORD))
    store, user = login.unlock(paths, "bench", PASSWORD)
    accounts.create_account(store, user, COUNSELLOR, "Bench Beratung", Role.BERATUNG, PASSWORD)
    with store.session("bench") as s:
        s.query(Account).filter_by(username=COUNSELLOR).update({"must_change_password": False})
    for n, site in enumerate(SITES):
        fill_demo(store, user.username, per_site, seed=100 + n, today=TODAY)
        if site != "loehne":
            with store.session("bench") as s:
                for table in SYNCED:
                    s.execute(text(f"UPDATE {table} SET owner_site = :site, origin_site = :site "
                                   "WHERE owner_site = 'loehne'"), {"site": site})
    fill_housing_demo(store, user.username, landlords=500, offers=2000, searches=500, seed=1, today=TODAY)
    rng = random.Random(7)
    with store.session("bench") as s:
        pseudonymise(s, rng)
    with store.session("bench") as s:
        cases = s.execute(select(Case.id, Case.person_id, Case.owner_site, Case.opened_on, Case.municipality)).all()
        referrals, proposals = [], []
        for case_id, _person, site, opened, municipality in rng.sample(cases, min(10_000, len(cases))):
            on = opened + timedelta(days=rng.randrange(0, 300))
            referrals.append({"case_id": case_id, "target": rng.choice(("spdi", "suchthilfe", "jobcenter")),
                              "on": min(on, TODAY), "origin_site": site, "owner_site": site})
            if rng.random() < 0.3:
                proposals.append({"case_id": case_id, "offer_id": case_id, "municipality": municipality or "Herford",
                                  "gross_rent": 45000, "proposed_on": min(on, TODAY), "counsellor": COUNSELLOR,
                                  "lease_signed_on": min(on + timedelta(days=30), TODAY),
                                  "origin_site": site, "owner_site": site})
        s.execute(insert(Referral), referrals)
        s.execute(insert(Proposal), proposals)
        by_site: dict[str, list] = {}
        for _case, person, site, *_ in cases:
            by_site.setdefault(site, []).append(person)
        links = []
        for _ in range(200):
            a_site, b_site = rng.sample(SITES, 2)
            a, b = sorted((rng.choice(by_site[a_site]), rng.choice(by_site[b_site])), key=str)
            links.append({"person_a": a, "person_b": b, "decision": "linked", "decided_by": "bench"})
        s.execute(insert(PersonLink), links)
    store.refresh_statistics()
    store.close()
    return paths


IDENTIFIED_SHARE = 0.05


def pseudonymise(session, rng: random.Random, share: float = IDENTIFIED_SHARE) -> None:
    """Turn all but ``share`` of the cases into pseudonymous records as the importer stores them (the exporter's
    own statistics function builds the JSON), remove their identified rows, link the rest."""
    import json

    from whh_desktop.core.store.base import utcnow
    from whh_desktop.core.sync import payload as pl
    from whh_desktop.core.sync import pseudonym_records as records

    conn = session.connection()
    cases = conn.exec_driver_sql("SELECT id, person_id, owner_site, municipality, opened_on, closed_on, outcome, "
                                 "deleted_at FROM cases").fetchall()
    keep = {c[0] for c in cases if rng.random() < share}
    children: dict[str, dict[str, list]] = {}
    for entity, cols in records.STAT_CHILD.items():
        by_case: dict[str, list] = {}
        for r in conn.exec_driver_sql(f"SELECT case_id, {', '.join(cols)} FROM {entity}"):
            by_case.setdefault(r[0], []).append(tuple(r[1:]))
        children[entity] = by_case
    persons = {r[0]: tuple(r[1:]) for r in conn.exec_driver_sql("SELECT id, birth_date, sex, nationality FROM persons")}
    now = utcnow().replace(tzinfo=None).isoformat(sep=" ")
    parsed: dict = {}
    rows = []
    for case_hex, person_hex, site, *stat in cases:
        secret = f"bench-secret-{site}".encode()
        key = (site, records.pseudonym(secret, "case", case_hex), records.pseudonym(secret, "person", person_hex))
        if case_hex in keep:
            rows.append((*key, 1, case_hex, person_hex, None, 1, 1, now))
            continue
        st = records.Stats(tuple(stat))
        for entity in records.STAT_CHILD:
            st.children[entity] = children[entity].get(case_hex, [])
        data = records.statistics(st, persons.get(person_hex), site, parsed)
        rows.append((*key, 0, None, None, json.dumps(data, ensure_ascii=False), 1, 1, now))
    conn.exec_driver_sql("INSERT INTO sync_pseudonyms(site, pseudonym, person_pseudonym, identified, case_id, "
                         "person_id, data, rev_epoch, rev_seq, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    # the report facts, as the importer writes them beside each pseudonym row
    from whh_desktop.core.store.models.sync import write_pseudonym_facts
    write_pseudonym_facts(conn, [r[0] for r in conn.exec_driver_sql("SELECT id FROM sync_pseudonyms").fetchall()],
                          replace=False)
    conn.exec_driver_sql("CREATE TEMP TABLE bench_gone(id PRIMARY KEY)")
    conn.exec_driver_sql("INSERT INTO bench_gone(id) VALUES (?)", [(c[0],) for c in cases if c[0] not in keep])
    for entity in sorted(pl.CHILD_TABLES):
        conn.exec_driver_sql(f'DELETE FROM "{entity}" WHERE case_id IN (SELECT id FROM bench_gone)')
    conn.exec_driver_sql("DELETE FROM cases WHERE id IN (SELECT id FROM bench_gone)")
    conn.exec_driver_sql("DELETE FROM persons WHERE id NOT IN (SELECT person_id FROM cases)")
    conn.exec_driver_sql("DROP TABLE bench_gone")


def plain_group_by(paths, von: date, bis: date) -> float:
    """The raw limit: the same case rows in plain SQLite, one GROUP BY site, municipality, category."""
    from sqlalchemy import select

    from bench.store_bench import PASSWORD
    from whh_desktop.core.services import login
    from whh_desktop.core.store.models import Case

    store, _ = login.unlock(paths, "bench", PASSWORD)
    with store.read_session() as s:
        rows = [(str(r[0]), r[1], r[2], r[3], r[4].isoformat(), r[5].isoformat() if r[5] else None, r[6])
                for r in s.execute(select(Case.id, Case.owner_site, Case.municipality, Case.current_category,
                                          Case.opened_on, Case.closed_on, Case.status))]
    store.close()
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "plain.db")
        conn.execute("CREATE TABLE cases(id TEXT PRIMARY KEY, site TEXT, muni TEXT, cat TEXT, opened TEXT, "
                     "closed TEXT, status TEXT)")
        conn.executemany("INSERT INTO cases VALUES (?,?,?,?,?,?,?)", rows)
        conn.commit()
        query = ("SELECT site, muni, cat, count(*) FROM cases WHERE status != 'draft' AND opened <= ? "
                 "AND (closed IS NULL OR closed >= ?) GROUP BY site, muni, cat")
        seconds = timed(lambda: conn.execute(query, (bis.isoformat(), von.isoformat())).fetchall(), repeat=5)
        conn.close()
    return seconds


def run(per_site: int = PER_SITE) -> list[Result]:
    from bench.store_bench import PASSWORD
    from whh_desktop.core.services import login, reports

    von, bis = date(2025, 1, 1), date(2025, 12, 31)
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        paths = make_district_store(Path(tmp) / "data", per_site)
        build = time.perf_counter() - start
        raw = plain_group_by(paths, von, bis)
        label = "plain SQLite GROUP BY"
        cases = f"{len(SITES)} × {per_site:,} cases"
        results.append(Result(f"reports: build the {cases} store", build, "s"))
        store, user = login.unlock(paths, "bench", PASSWORD)
        try:
            def report(name: str, fn) -> None:
                seconds = timed(fn, repeat=3)
                results.append(Result(f"report {name}, {cases}", seconds, "s", TARGET, raw, label))

            def indicators() -> None:
                with store.read_session() as s:
                    reports.indicators(s, von, bis)

            def drill() -> None:
                with store.read_session() as s:
                    reports.drilldown(s, "persons", von, bis, None, ("month", "2025-06"))

            def nrw() -> None:
                with store.read_session() as s:
                    reports.stichtag_nrw(s, 2025)

            def wob() -> None:
                with store.read_session() as s:
                    reports.stichtag_wobericht(s, 2026)

            def quality() -> None:
                with store.read_session() as s:
                    reports.data_quality(s)

            with store.read_session() as s:
                tables = reports.indicators(s, von, bis)
            xlsx = Path(tmp) / "k.xlsx"

            report("indicators (year, 5 breakdowns + Bausteine)", indicators)
            report("drill-down (persons, one month)", drill)
            report("Stichtag NRW 30.06.", nrw)
            report("Stichtag WoBerichtsG 31.01.", wob)
            report("data quality list", quality)
            report("Excel export of the indicator tables (suppressed)",
                   lambda: reports.export_xlsx(reports.suppress_for_export(tables), xlsx))
            report("Sachbericht PDF (year)", lambda: reports.sachbericht_pdf(store, user, von, bis, {"1": "Text"}))
            results += disclosure(store, tables, cases)
        finally:
            store.close()
    return results


def disclosure(store, tables, cases: str) -> list[Result]:
    """Issue 16: the disclosure control of the yearly Sachbericht (the indicator tables) and the Stichtag reports —
    time of suppression + audit, and the information loss: cells hidden beyond the primary "< 3" ones, as a
    count and as a share of the non-zero count cells."""
    from whh_desktop.core.reports import audit, suppress
    from whh_desktop.core.services import reports

    out: list[Result] = []
    with store.read_session() as s:
        named = {"Sachbericht (year)": tables,
                 "Sachbericht (June)": reports.indicators(s, date(2025, 6, 1), date(2025, 6, 30)),
                 "Sachbericht (year, Hiddenhausen)": reports.indicators(s, date(2025, 1, 1), date(2025, 12, 31),
                                                                        ["hiddenhausen"]),
                 "Stichtag NRW": reports.stichtag_nrw(s, 2025),
                 "Stichtag WoBerichtsG": reports.stichtag_wobericht(s, 2026)}
    for name, report_tables in named.items():
        protection = suppress.protect_report(report_tables)
        seconds = timed(lambda t=report_tables: suppress.protect_report(t), repeat=3)
        result = audit.audit(report_tables, list(protection.tables))
        assert result.ok, result.failures
        out += [Result(f"disclosure control {name}, {cases}: suppression + audit", seconds, "s", TARGET),
                Result(f"disclosure {name}: primary cells (< 3) of {protection.nonzero} non-zero",
                       protection.primary, "cells"),
                Result(f"disclosure {name}: cells hidden beyond the primary ones", protection.secondary, "cells"),
                Result(f"disclosure {name}: share hidden beyond the primary ones",
                       100 * protection.secondary_share, "%")]
    return out


if __name__ == "__main__":
    import os
    import sys

    from bench import harness

    os.environ.pop("WHH_UNSAFE_TEST_KDF", None)
    n = int(sys.argv[1]) if len(sys.argv) > 1 else PER_SITE
    harness.report(run(n), Path(__file__).parent / "results-reports.json")
