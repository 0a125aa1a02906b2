"""Matching benchmarks: 10 000 offers × 1 000 housing searches (issue 03: "stays interactive").

Measured three ways, each against the same work done by plain SQLite (an indexed table of the same offers and the
hard filters plus the score written as one SQL query):
- one search against 10 000 offers (the match list a counsellor opens),
- one offer against 1 000 searches (the households list of an offer),
- the full cross product, the best 10 offers for each of the 1 000 searches (the district's overview),
first on the pure functions of ``core/domain/matching.py``, then through the services on an encrypted store
(loading the offers from SQLCipher included).
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path

from bench.harness import Result, timed

OFFERS, SEARCHES, PER_SEARCH = 10_000, 1_000, 10
TODAY = date(2026, 11, 25)
INTERACTIVE_MS = 100.0  # a list that opens within 0.1 s feels immediate
OVERVIEW_S = 10.0       # the district overview runs as background work with a progress dialog


def _facts(seed: int = 1):
    from whh_desktop.core.domain.matching import OfferFacts, SearchFacts
    from whh_desktop.core.domain.municipalities import MUNICIPALITIES
    from whh_desktop.core.services.kdu_tables import seed_table

    table = seed_table()
    rng = random.Random(seed)
    munis = [m.name for m in MUNICIPALITIES]
    offers = []
    for i in range(OFFERS):
        muni = rng.choice(munis)
        size = min(5, 1 + int(rng.expovariate(0.8)))
        gross = int(table.limit(muni, size) * rng.uniform(0.78, 1.18))
        floor = rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4, 5))
        offers.append(OfferFacts(i, muni, gross, rng.choice((1, 1.5, 2, 2.5, 3, 4, 5)), 60.0, floor,
                                 floor >= 3 and rng.random() < 0.5, rng.random() < 0.12, rng.random() < 0.15,
                                 rng.random() < 0.35, TODAY + timedelta(days=rng.choice((0, 0, 14, 30, 61, 92))),
                                 "frei" if rng.random() < 0.8 else "vergeben"))
    searches = []
    for i in range(SEARCHES):
        size = rng.choice((1, 1, 1, 1, 2, 2, 3, 4, 5, 6, 7))
        wanted = frozenset(rng.sample(munis, rng.choice((1, 1, 2, 3))))
        searches.append(SearchFacts(i, size, wanted, None, max(1, size - 1) if rng.random() < 0.6 else None,
                                    rng.random() < 0.08, rng.random() < 0.1, rng.random() < 0.15,
                                    rng.random() < 0.3, TODAY + timedelta(days=rng.randrange(60))))
    return table, offers, searches


# ---- plain SQLite: the same hard filters and score as one query --------------------------------------------
def _plain_db(table, offers, searches) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    area_of = {m: i for i, a in enumerate(table.areas) for m in a.municipalities}
    conn.execute("CREATE TABLE offers(id INTEGER PRIMARY KEY, muni TEXT, area INT, gross INT, rooms REAL, floor INT,"
                 " lift INT, bf INT, wbs INT, pets INT, avail INT, status TEXT)")
    conn.execute("CREATE INDEX ix_offers ON offers(status, area, bf, wbs, pets, gross)")
    conn.executemany("INSERT INTO offers VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [
        (o.id, o.municipality, area_of[o.municipality], o.gross_rent, o.rooms, o.floor, o.lift, o.barrier_free,
         o.wbs_required, o.pets_allowed, o.available_from.toordinal(), o.status) for o in offers])
    conn.execute("CREATE TABLE searches(id INTEGER PRIMARY KEY, min_rooms REAL, bf INT, ground INT, pets INT,"
                 " wbs INT, start INT)")
    conn.executemany("INSERT INTO searches VALUES (?,?,?,?,?,?,?)", [
        (s.id, s.min_rooms or 0, s.barrier_free, s.ground_floor, s.pets, s.has_wbs, s.earliest_move.toordinal())
        for s in searches])
    conn.execute("CREATE TABLE ceilings(search INT, area INT, ceil INT, PRIMARY KEY(search, area))")
    conn.executemany("INSERT INTO ceilings VALUES (?,?,?)", [
        (s.id, i, a.limit(s.household_size)) for s in searches for i, a in enumerate(table.areas)])
    conn.execute("CREATE TABLE wanted(search INT, muni TEXT, PRIMARY KEY(search, muni))")
    conn.executemany("INSERT INTO wanted VALUES (?,?)", [(s.id, m) for s in searches for m in s.wanted_municipalities])
    return conn


_SCORE = """
 (CASE WHEN EXISTS (SELECT 1 FROM wanted w WHERE w.search = s.id AND w.muni = o.muni) THEN 40 ELSE 0 END)
 + (CASE WHEN s.ground THEN (CASE WHEN o.floor <= 0 THEN 25 WHEN o.lift THEN 15 ELSE 0 END)
         WHEN o.floor <= 1 OR o.lift THEN 25 ELSE MAX(5, 25 - 5 * (o.floor - 1)) END)
 + (CASE WHEN o.avail <= s.start THEN 25 ELSE MAX(0, 25 - 5 * ((o.avail - s.start) / 30 + 1)) END)
 + 10 * (c.ceil - o.gross) / c.ceil"""
_FILTER = """o.status = 'frei' AND o.gross <= c.ceil AND o.rooms >= s.min_rooms AND (s.bf = 0 OR o.bf = 1)
 AND (o.wbs = 0 OR s.wbs = 1) AND (s.pets = 0 OR o.pets = 1)"""
ONE_SEARCH_SQL = f"""SELECT o.id, {_SCORE} AS score FROM searches s JOIN ceilings c ON c.search = s.id
 JOIN offers o ON o.area = c.area WHERE s.id = ? AND {_FILTER} ORDER BY score DESC, o.gross LIMIT 50"""
ONE_OFFER_SQL = f"""SELECT s.id, {_SCORE} AS score FROM offers o JOIN ceilings c ON c.area = o.area
 JOIN searches s ON s.id = c.search WHERE o.id = ? AND {_FILTER} ORDER BY score DESC LIMIT 50"""
CROSS_SQL = f"""SELECT search, offer, score FROM (SELECT s.id AS search, o.id AS offer, {_SCORE} AS score,
 ROW_NUMBER() OVER (PARTITION BY s.id ORDER BY {_SCORE} DESC, o.gross) AS rank
 FROM searches s JOIN ceilings c ON c.search = s.id JOIN offers o ON o.area = c.area WHERE {_FILTER})
 WHERE rank <= {PER_SEARCH}"""


def run() -> list[Result]:
    from whh_desktop.core.domain.matching import OfferIndex, match_all, rank_offers, rank_searches

    table, offers, searches = _facts()
    conn = _plain_db(table, offers, searches)
    probe_searches = searches[:20]
    probe_offers = [o for o in offers if o.status == "frei"][:20]
    results = []

    def per_item(fn, items) -> float:
        return timed(lambda: [fn(x) for x in items], repeat=3) / len(items) * 1000

    raw = per_item(lambda s: conn.execute(ONE_SEARCH_SQL, (s.id,)).fetchall(), probe_searches)
    value = per_item(lambda s: rank_offers(s, offers, table, 50, TODAY), probe_searches)
    results.append(Result(f"match 1 search × {OFFERS:,} offers (domain, index built each time)", value, "ms",
                          INTERACTIVE_MS, raw, "plain SQLite query"))
    index = OfferIndex(offers, table)
    value = per_item(lambda s: rank_offers(s, index, table, 50, TODAY), probe_searches)
    results.append(Result(f"match 1 search × {OFFERS:,} offers (domain, index kept)", value, "ms", INTERACTIVE_MS,
                          raw, "plain SQLite query"))
    raw = per_item(lambda o: conn.execute(ONE_OFFER_SQL, (o.id,)).fetchall(), probe_offers)
    value = per_item(lambda o: rank_searches(o, searches, table, 50, TODAY), probe_offers)
    results.append(Result(f"match 1 offer × {SEARCHES:,} searches (domain)", value, "ms", INTERACTIVE_MS, raw,
                          "plain SQLite query"))
    raw = timed(lambda: conn.execute(CROSS_SQL).fetchall())
    value = timed(lambda: match_all(searches, offers, table, PER_SEARCH, TODAY, with_reasons=False))
    results.append(Result(f"cross product {SEARCHES:,} × {OFFERS:,}, best {PER_SEARCH} each (domain)", value, "s",
                          OVERVIEW_S, raw, "plain SQLite window query"))
    value = timed(lambda: match_all(searches, offers, table, PER_SEARCH, TODAY, with_reasons=True))
    results.append(Result(f"cross product {SEARCHES:,} × {OFFERS:,}, best {PER_SEARCH} each, with reasons", value,
                          "s", OVERVIEW_S, raw, "plain SQLite window query"))
    conn.close()
    results += _store_results()
    return results


def _store_results() -> list[Result]:
    """Through the services on a SQLCipher store filled by the demo generators."""
    from bench.store_bench import PASSWORD
    from whh_desktop.core.demo import fill_demo
    from whh_desktop.core.demo_housing import fill_housing_demo
    from whh_desktop.core.domain.sites import SiteCode, StoreMode
    from whh_desktop.core.services import flat_matching, housing_search, login, market, offers
    from whh_desktop.core.services.site_settings import Letterhead
    from whh_desktop.core.services.store_setup import SetupRequest, create_store
    from whh_desktop.paths import DataPaths

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = DataPaths(Path(tmp) / "data")
        create_store(paths, SetupRequest(StoreMode.SITE, SiteCode.LOEHNE,
                                         Letterhead("Bench", "Musterstraße 1", "32584", "Löhne"),
                                         "bench", "Bench", PASSWORD))
        store, user = login.unlock(paths, "bench", PASSWORD)
        try:
            fill_demo(store, user.username, SEARCHES, seed=2, today=TODAY)
            fill = timed(lambda: fill_housing_demo(store, user.username, landlords=1_000, offers=OFFERS,
                                                   searches=SEARCHES, seed=2, today=TODAY))
            results.append(Result(f"demo fill {OFFERS:,} offers, 1,000 landlords, {SEARCHES:,} searches", fill, "s"))
            with store.read_session() as s:
                search_ids = [r.id for r in housing_search.list_searches(s)][:20]
                offer_ids = [r.id for r in offers.list_offers(s, limit=20)]
            with store.read_session() as s:
                load = timed(lambda: offers.offer_facts(s), repeat=3) * 1000

                def cold(search_id: object) -> None:
                    flat_matching._INDEX_CACHE.clear()
                    flat_matching.offers_for_search(s, search_id, 50, TODAY)

                value = timed(lambda: [cold(i) for i in search_ids], repeat=2) / len(search_ids) * 1000
                results.append(Result(f"match list of 1 search (service, SQLCipher, {OFFERS:,} offers loaded)",
                                      value, "ms", INTERACTIVE_MS, load, "loading the offers alone"))
                value = timed(lambda: [flat_matching.offers_for_search(s, i, 50, TODAY) for i in search_ids],
                              repeat=2) / len(search_ids) * 1000
                results.append(Result("match list of the next search (service, offer index cached)", value, "ms",
                                      INTERACTIVE_MS, load, "loading the offers alone"))
                value = timed(lambda: [flat_matching.households_for_offer(s, i, 50, TODAY) for i in offer_ids],
                              repeat=2) / len(offer_ids) * 1000
                results.append(Result(f"households for 1 offer (service, SQLCipher, {SEARCHES:,} searches)", value,
                                      "ms", INTERACTIVE_MS))
                flat_matching._INDEX_CACHE.clear()
                value = timed(lambda: flat_matching.all_matches(s, PER_SEARCH, TODAY))
                results.append(Result(f"cross product through the service ({SEARCHES:,} × {OFFERS:,})", value, "s",
                                      OVERVIEW_S))
                value = timed(lambda: market.overview(s), repeat=3) * 1000
                results.append(Result(f"Wohnungsmarkt overview ({OFFERS:,} offers)", value, "ms", INTERACTIVE_MS))
        finally:
            store.close()
    return results


if __name__ == "__main__":
    from bench import harness

    harness.report(run(), Path(__file__).parent / "matching_results.json")
