"""Sync (issue 05, DESIGN.md §7): five demo sites × N cases export for the district; the district imports and
merges all five bundles. Each compared with plain SQLite inserting the same rows (the payload's rows, storage form,
one transaction, same schema and indexes, no encryption), measured next to the measured work: the speed of this
shared 2-core machine drifts by a fifth within minutes. The district import runs three times, each in a child
process on a fresh copy of the district store (``sync_import_probe``), next to three plain-SQLite runs; the table
shows the medians and the child's peak RSS.

``python -m bench.sync_bench --cases 20000 --sites 5`` runs it alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Result, report

PASSWORD = "Kiefernzapfen-Ufer-2026"
RUNS = 3             # the district import: median of three (issue 10 point 9)
RSS_LIMIT_MB = 400   # peak RSS of a legitimate 5 × 20 000-case district import


def _make(root: Path, site: str):
    from whh_desktop.core.domain.sites import SiteCode, StoreMode
    from whh_desktop.core.services import login
    from whh_desktop.core.services.site_settings import Letterhead
    from whh_desktop.core.services.store_setup import SetupRequest, create_store
    from whh_desktop.paths import DataPaths

    code = SiteCode(site)
    mode = StoreMode.DISTRICT if code.is_district else StoreMode.SITE
    paths = DataPaths(root / site)
    create_store(paths, SetupRequest(mode, code, Letterhead(name=f"Bench {code.label}", street="Weg 1", plz="32049",
                                                             city="Herford"), "bench", "Bench", PASSWORD))
    return login.unlock(paths, "bench", PASSWORD)


def _pair(site, district) -> None:
    from whh_desktop.core.services import sync_keys
    from whh_desktop.core.services.login import CurrentUser
    from whh_desktop.core.store.models import Role

    admin = CurrentUser("bench", "Bench", Role.ADMIN)
    dfile = sync_keys.public_key_file(district)
    sync_keys.import_public_key(site, admin, dfile, sync_keys.fingerprint(dfile))
    sfile = sync_keys.public_key_file(site)
    sync_keys.import_public_key(district, admin, sfile, sync_keys.fingerprint(sfile))


def _payload_rows(store) -> tuple[dict[str, list[tuple]], list[dict]]:
    """The rows a full export carries, in storage form (what the district inserts)."""
    from whh_desktop.core.services import sync
    from whh_desktop.core.sync import exporter
    from whh_desktop.core.sync import payload as pl

    sync._ensure_secret(store, "bench")
    with store.read_session() as s:
        plan = exporter.build_site_payload(s, site=store.info.site_code, store_id=store.info.store_id,
                                           epoch=store.info.epoch, full=True)
    p = pl.parse(pl.encode(plan.payload), expected_kind=pl.SITE_TO_DISTRICT, sender_site=store.info.site_code,
                 recipient_site="kreis")
    return p.rows, p.pseudonyms


def _plain_insert(root: Path, batches: list[tuple[dict[str, list[tuple]], list[dict]]]) -> float:
    """Plain SQLite (no encryption, no validation): same schema and indexes, the same rows, one transaction."""
    from sqlalchemy import create_engine

    from whh_desktop.core.store.base import Base
    from whh_desktop.core.sync import payload as pl

    path = root / f"plain-{time.monotonic_ns()}.db"
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    start = time.perf_counter()
    for rows, pseudonyms in batches:
        conn.execute("BEGIN IMMEDIATE")
        for entity, values in rows.items():
            cols = pl.column_names(entity)
            quoted = ", ".join(f'"{c}"' for c in cols)
            conn.executemany(f'INSERT INTO "{entity}" ({quoted}) VALUES ({", ".join("?" * len(cols))})',
                             values)
        conn.executemany("INSERT INTO sync_pseudonyms(site, pseudonym, person_pseudonym, identified, case_id, "
                         "person_id, data, rev_epoch, rev_seq, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                         [("x", e["pseudonym"], e["person_pseudonym"], int(e["identified"]), e["case_id"],
                           e["person_id"], str(e["data"]), 1, 1, "2026-01-01 00:00:00.000000") for e in pseudonyms])
        conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def run(cases: int = 20_000, sites: int = 5) -> list[Result]:
    from whh_desktop.core.demo import fill_demo
    from whh_desktop.core.domain.sites import SiteCode
    from whh_desktop.core.services import sync, sync_keys
    from whh_desktop.core.services.login import CurrentUser
    from whh_desktop.core.store.models import Role

    user = CurrentUser("bench", "Bench", Role.ADMIN)
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        district, _ = _make(root, "kreis")
        sync_keys.create_escrow(district, user)
        codes = [s.value for s in SiteCode.counselling_sites()][:sites]
        bundles, batches, export_s = [], [], []
        fill_s = 0.0
        for n, code in enumerate(codes):
            store, _ = _make(root, code)
            _pair(store, district)
            start = time.perf_counter()
            fill_demo(store, "bench", cases, seed=n)
            fill_s += time.perf_counter() - start
            batches.append(_payload_rows(store))
            if n == 0:  # the raw limit around the measured export: this machine's speed drifts within minutes
                raw_before = _plain_insert(root, batches[:1])
            start = time.perf_counter()
            res = sync.export_for_district(store, user, root / "out", full=True)
            export_s.append(time.perf_counter() - start)
            bundles.append(res.path)
            if n == 0:
                counts = res.counts
                size = res.path.stat().st_size / 1_048_576
                raw_one = (raw_before + _plain_insert(root, batches[:1])) / 2
                results.append(Result(f"export for the district, {cases:,} cases (full; {size:.1f} MB bundle; "
                                      f"{counts.get('identified', 0):,} identified, "
                                      f"{counts.get('pseudonymous', 0):,} pseudonymous)", export_s[0], "s",
                                      3 * raw_one, raw_one, "plain SQLite insert of the same rows"))
                # incremental export after 10 changes
                from datetime import date

                from whh_desktop.core.store.models import Case
                with store.session("bench") as s:
                    for case in s.query(Case).limit(10):
                        case.housing_note = f"geändert {date.today():%d.%m.%Y}"
                start = time.perf_counter()
                sync.export_for_district(store, user, root / "out-inc")
                results.append(Result(f"incremental export after 10 changes ({cases:,} cases in store)",
                                      time.perf_counter() - start, "s", 0.5))
            store.close()
        district.close()
        # Median of three: each import in its own child process on a fresh copy of the district store (its peak RSS
        # measured alone), each next to a plain-SQLite run of the same rows (this machine's speed drifts).
        import_runs, raw_runs, rss_runs = [], [], []
        rows = 0
        for run_no in range(RUNS):
            raw_runs.append(_plain_insert(root, batches))
            copy = root / f"kreis-run{run_no}"
            shutil.copytree(root / "kreis", copy)
            seconds, rss, rows = _import_in_child(copy, bundles)
            import_runs.append(seconds)
            rss_runs.append(rss)
            shutil.rmtree(copy, ignore_errors=True)
        import_s, raw_all = statistics.median(import_runs), statistics.median(raw_runs)
        results.append(Result(f"district import + merge of {sites} bundles × {cases:,} cases ({rows:,} rows, incl. "
                              f"backup, search index, quick_check; median of {RUNS}: "
                              f"{', '.join(f'{t:.2f}' for t in import_runs)} s)", import_s, "s", 3 * raw_all,
                              raw_all, "plain SQLite insert of the same rows, median"))
        results.append(Result(f"peak RSS of the district import process ({sites} × {cases:,} cases; max of {RUNS}, "
                              "incl. login)", max(rss_runs), "MB", RSS_LIMIT_MB))
        results.append(Result(f"(info) demo fill of {sites} sites × {cases:,} cases", fill_s, "s"))
    return results


def _import_in_child(data_dir: Path, bundles: list[Path]) -> tuple[float, float, int]:
    """Seconds of ``import_bundles``, peak RSS (MB) of the child process, rows applied."""
    env = {**os.environ, "WHH_PASSWORD": PASSWORD}
    proc = subprocess.run([sys.executable, "-m", "bench.sync_import_probe", str(data_dir), "bench",
                           *map(str, bundles)], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"import probe failed:\n{proc.stderr[-2000:]}")
    result = json.loads(proc.stdout)
    assert all(result["applied"]), result["reasons"]
    return result["seconds"], result["peak_mb"], result["rows"]


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.sync_bench")
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--sites", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("WHH_UNSAFE_TEST_KDF", "1")  # key setup is not what is measured here
    report(run(args.cases, args.sites), Path(__file__).parent / "results-sync.json")


if __name__ == "__main__":
    main()
