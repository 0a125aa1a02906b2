"""Store benchmarks: demo fill vs plain SQLite insert, unlock, backup, memory at 100 000 persons."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.harness import Result, rss_mb, timed

PASSWORD = "Messlauf-Passwort-2026!"
COUNSELLOR = "beratung"


def make_store(root: Path, persons: int):
    from whh_desktop.core.demo import fill_demo
    from whh_desktop.core.domain.sites import SiteCode, StoreMode
    from whh_desktop.core.services import login
    from whh_desktop.core.services.site_settings import Letterhead
    from whh_desktop.core.services.store_setup import SetupRequest, create_store
    from whh_desktop.paths import DataPaths

    paths = DataPaths(root)
    create_store(paths, SetupRequest(StoreMode.SITE, SiteCode.LOEHNE,
                                     Letterhead("Bench", "Musterstraße 1", "32584", "Löhne"),
                                     "bench", "Bench", PASSWORD))
    store, user = login.unlock(paths, "bench", PASSWORD)
    from whh_desktop.core.services import accounts
    from whh_desktop.core.store.models import Account, Role

    accounts.create_account(store, user, COUNSELLOR, "Bench Beratung", Role.BERATUNG, PASSWORD)
    with store.session("bench") as s:
        s.query(Account).filter_by(username=COUNSELLOR).update({"must_change_password": False})
    start = time.perf_counter()
    fill_demo(store, user.username, persons, seed=1)
    fill_seconds = time.perf_counter() - start
    store.close()
    return paths, fill_seconds


def plain_sqlite_insert(persons: int) -> float:
    """The raw limit: the same number of rows of similar width into plain SQLite, with an index."""
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "plain.db")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE p(id TEXT PRIMARY KEY, family TEXT, given TEXT, birth TEXT, sex TEXT, nat TEXT,"
                     " phone TEXT, email TEXT, street TEXT, plz TEXT, city TEXT, muni TEXT, search TEXT, sort TEXT,"
                     " origin TEXT, owner TEXT, created TEXT, updated TEXT, version INT)")
        conn.execute("CREATE INDEX ix_sort ON p(sort)")
        conn.execute("CREATE TABLE log(seq INTEGER PRIMARY KEY AUTOINCREMENT, entity TEXT, row_id TEXT, v INT)")
        rows = [(f"{i:032x}", "Müller", "Anna", "1970-01-01", "w", "DE", "05221 990000", "a@example.org",
                 "Lindenstraße 5", "32584", "Löhne", "Löhne", "muller anna 01 01 1970", "muller\x1fanna",
                 "loehne", "loehne", "2026-01-01", "2026-01-01", 1) for i in range(persons)]

        def run() -> None:
            with conn:
                conn.executemany("INSERT INTO p VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
                conn.executemany("INSERT INTO log(entity,row_id,v) VALUES ('persons',?,1)",
                                 [(r[0],) for r in rows])
        seconds = timed(run)
        conn.close()
        return seconds


def run(persons: int = 100_000) -> list[Result]:
    from bench import case_open_bench, search_bench, startup_bench
    from whh_desktop.core.services import backups, login

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        paths, fill = make_store(Path(tmp) / "data", persons)
        raw = plain_sqlite_insert(persons)
        results.append(Result(f"demo fill {persons:,} persons with cases, contacts … (+change_log, index)", fill, "s",
                              None, raw, "plain SQLite, persons only"))

        def unlock() -> None:
            store, _ = login.unlock(paths, "bench", PASSWORD)
            store.close()

        unlock_s = timed(unlock, repeat=3)
        raw_open = timed(lambda: sqlite3.connect(paths.store).close(), repeat=3)
        results.append(Result("unlock store (Argon2id 64 MiB + open + checks)", unlock_s, "s", 1.5, raw_open,
                              "plain open"))
        store, user = login.unlock(paths, COUNSELLOR, PASSWORD)  # a case worker: the case bench opens a case
        backup_s = timed(lambda: backups.backup_now(store, user.username))
        size_mb = os.path.getsize(paths.store) / 1_048_576
        results.append(Result(f"backup ({size_mb:.0f} MB store)", backup_s, "s"))
        results.append(Result("full integrity_check", timed(store.integrity_check), "s"))
        results += search_bench.run(store)
        results += case_open_bench.run(store, user)
        store.close()
        results += startup_bench.run(paths.root, COUNSELLOR, PASSWORD)
        results.append(Result(f"peak RSS of the bench process at {persons:,} persons", rss_mb(), "MB", 300))
    return results
