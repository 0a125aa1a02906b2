"""District on PostgreSQL (issue 19): the import of 5 sites × N demo cases into a district store on SQLite
(SQLCipher, the store's pragmas) and on PostgreSQL side by side, the yearly reports on both, and the regional merge
of D districts' bundles (5 sites × N cases each) into one PostgreSQL store with the import time per bundle and the
yearly report time on the merged store.

The sites' full exports are built once with the demo generator and decoded as the district decodes them; the
measured part is ``importer.apply_payload`` plus the commit (search index and report facts included), on a schema
made from the models (the store lifecycle — keys, ledger, lock — is the same on both backends and not measured).
The other districts' bundles are the same exports with every id, pseudonym and case number moved into a range of
their own, so they merge like the bundles of another Kreis would.

``python -m bench.district_pg_bench --cases 20000 --districts 20`` runs the full regional merge (5 × 20 000 × 20);
``make bench`` runs the quick default. Without PostgreSQL server binaries the set is skipped with a note.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from bench.harness import Result, report

PASSWORD = "Kiefernzapfen-Ufer-2026"
YEAR = 2026
DEFAULT_CASES = 20_000
DEFAULT_DISTRICTS = 2  # make bench: 2 districts (10 bundles); --districts 20 for the full regional merge


def _site_payload(root: Path, site: str, cases: int, seed: int) -> Any:
    from bench.sync_bench import _make
    from whh_desktop.core.demo import fill_demo
    from whh_desktop.core.services import sync
    from whh_desktop.core.sync import exporter
    from whh_desktop.core.sync import payload as pl

    store, _ = _make(root, site)
    try:
        fill_demo(store, "bench", cases, seed=seed)
        sync._ensure_secret(store, "bench")
        with store.read_session() as s:
            plan = exporter.build_site_payload(s, site=site, store_id=store.info.store_id, epoch=store.info.epoch,
                                               full=True)
        return pl.parse(pl.encode(plan.payload), expected_kind=pl.SITE_TO_DISTRICT, sender_site=site,
                        recipient_site="kreis")
    finally:
        store.close()


class _District:
    """A district schema on one backend with the Store's session hooks (stamping, change log, search index)."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy.orm import sessionmaker

        import whh_desktop.core.store.models  # noqa: F401 - every table on the metadata
        from whh_desktop.core.store import changes, search_index
        from whh_desktop.core.store.base import Base

        self.engine = engine
        Base.metadata.create_all(engine)
        with engine.begin() as conn:
            search_index.create_search_table(conn)
        self._factory = sessionmaker(bind=engine, expire_on_commit=False)
        changes.install(self._factory)

    @contextlib.contextmanager
    def session(self) -> Iterator[Any]:
        with self._factory(info={"site": "kreis", "actor": "bench"}) as s, s.begin():
            yield s

    def apply(self, payload: Any) -> tuple[float, int]:
        """Seconds for one bundle's apply + commit, and the rows it wrote."""
        from whh_desktop.core.sync import importer

        start = time.perf_counter()
        with self.session() as s:
            counts = importer.apply_payload(s, payload).counts
        return time.perf_counter() - start, sum(counts.values())

    def analyze(self) -> None:
        with self.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")  # what refresh_statistics does after an import

    def yearly_reports(self) -> float:
        from whh_desktop.core.services import reports

        von, bis = date(YEAR, 1, 1), date(YEAR, 12, 31)
        start = time.perf_counter()
        with self.session() as s:
            reports.indicators(s, von, bis)
            reports.arbeitskreis(s, von, bis)
            reports.stichtag_nrw(s, YEAR)
            reports.stichtag_wobericht(s, YEAR)
        return time.perf_counter() - start


def _sqlite_district(root: Path) -> _District:
    from whh_desktop.core.store.engine import make_engine

    return _District(make_engine(root / "district-sqlite.db", os.urandom(32)))


def _pg_district(cluster: Any) -> _District:
    from sqlalchemy import create_engine

    return _District(create_engine(cluster.url(cluster.create_database("bench"))))


def moved(payload: Any, district: int) -> Any:
    """The payload as another district's: ids, pseudonyms and case numbers in a range of that district's own (the
    same mapping for every reference, so the bundle stays consistent)."""
    from whh_desktop.core.sync import payload as pl

    mark = f"{0x80 + district:02x}"  # UUIDv7 ids of today start with 01: never clashes with an original

    def move_id(v: Any) -> Any:
        return None if v is None else mark + v[2:]

    rows = {}
    for entity, values in payload.rows.items():
        kinds = [c.kind for c in pl.columns(entity)]
        names = pl.column_names(entity)
        numbered = names.index("case_number") if entity == "cases" else -1
        out = []
        for row in values:
            new = [move_id(v) if k == "uuid" else v for v, k in zip(row, kinds, strict=True)]
            if numbered >= 0 and new[numbered]:
                new[numbered] = f"{new[numbered][:3]}{district:02d}{new[numbered][3:]}"
            out.append(tuple(new))
        rows[entity] = out
    def move_pseudonym(v: str) -> str:  # random hex: a prefix could meet an original, a keyed hash cannot
        return hashlib.sha256(f"{district}:{v}".encode()).hexdigest()[:len(v)]

    pseudonyms = [{**e, "pseudonym": move_pseudonym(e["pseudonym"]),
                   "person_pseudonym": move_pseudonym(e["person_pseudonym"]),
                   "case_id": move_id(e.get("case_id")), "person_id": move_id(e.get("person_id"))}
                  for e in payload.pseudonyms]
    return replace(payload, rows=rows, pseudonyms=pseudonyms, handovers=[])


def run(cases: int = DEFAULT_CASES, sites: int = 5, districts: int = DEFAULT_DISTRICTS) -> list[Result]:
    from tests.pg_server import start_cluster
    from whh_desktop.core.domain.sites import SiteCode

    cluster = start_cluster()
    if cluster is None:
        print("district_pg: übersprungen – keine PostgreSQL-Programme (initdb/pg_ctl) gefunden "
              "(apt-get install postgresql oder WHH_PG_BINDIR setzen).")
        return []
    results: list[Result] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            codes = [s.value for s in SiteCode.counselling_sites()][:sites]
            start = time.perf_counter()
            payloads = [_site_payload(root, code, cases, seed=n) for n, code in enumerate(codes)]
            results.append(Result(f"(info) demo fill + full export of {sites} sites × {cases:,} cases",
                                  time.perf_counter() - start, "s"))
            # one district, 5 bundles, on both backends side by side
            lite, pg = _sqlite_district(root), _pg_district(cluster)
            times: dict[str, list[float]] = {"sqlite": [], "pg": []}
            rows = 0
            for p in payloads:  # alternated: this shared machine's speed drifts within minutes
                seconds, rows_one = lite.apply(p)
                times["sqlite"].append(seconds)
                times["pg"].append(pg.apply(p)[0])
                rows += rows_one
            lite.analyze()
            pg.analyze()
            lite_s, pg_s = sum(times["sqlite"]), sum(times["pg"])
            label = f"district import of {sites} bundles × {cases:,} cases ({rows:,} rows)"
            results.append(Result(f"{label}, SQLite (SQLCipher)", lite_s, "s"))
            results.append(Result(f"{label}, PostgreSQL", pg_s, "s", None, lite_s, "SQLite"))
            lite_r = min(lite.yearly_reports() for _ in range(2))
            pg_r = min(pg.yearly_reports() for _ in range(2))
            results.append(Result(f"yearly reports {YEAR} (indicators, Arbeitskreis, Stichtage), SQLite", lite_r, "s"))
            results.append(Result(f"yearly reports {YEAR}, PostgreSQL", pg_r, "s", None, lite_r, "SQLite"))
            lite.engine.dispose()
            pg.engine.dispose()
            # the regional merge: every district's bundles into one PostgreSQL store
            region = _pg_district(cluster)
            per_bundle: list[float] = []
            merged_rows = 0
            for d in range(districts):
                for p in payloads:
                    bundle = p if d == 0 else moved(p, d)
                    seconds, n = region.apply(bundle)
                    per_bundle.append(seconds)
                    merged_rows += n
            region.analyze()
            bundles = districts * len(payloads)
            results.append(Result(f"regional merge: {districts} districts × {sites} sites × {cases:,} cases into "
                                  f"PostgreSQL ({bundles} bundles, {merged_rows:,} rows), total", sum(per_bundle), "s"))
            results.append(Result(f"regional merge: import per bundle, median (max {max(per_bundle):.1f} s, last "
                                  f"{per_bundle[-1]:.1f} s)", statistics.median(per_bundle), "s"))
            results.append(Result(f"regional merge: yearly reports {YEAR} on the merged store "
                                  f"({districts * sites * cases:,} cases)", region.yearly_reports(), "s"))
            region.engine.dispose()
    finally:
        cluster.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.district_pg_bench")
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES, help="Fälle je Standort")
    parser.add_argument("--sites", type=int, default=5)
    parser.add_argument("--districts", type=int, default=DEFAULT_DISTRICTS, help="Kreise im regionalen Zusammenschluss")
    args = parser.parse_args()
    os.environ.setdefault("WHH_UNSAFE_TEST_KDF", "1")  # key setup is not what is measured here
    report(run(args.cases, args.sites, args.districts), Path(__file__).parent / "results-district_pg.json")


if __name__ == "__main__":
    main()
