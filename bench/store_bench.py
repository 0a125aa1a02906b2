"""Store benchmarks: demo fill vs plain SQLite insert, unlock, backup, memory at 100 000 persons."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.harness import Result, rss_mb, timed

PASSWORD = "Messlauf-Passwort-2026!"
COUNSELLOR = "beratung"


DISTRICT_USER = "kreis"  # role Kreis: the district's clerk, who searches the cases of all sites


def _create(paths, mode, site, server: str | None = None):
    """A new store with the admin "bench" and one working account (Beratung at a site, Kreis at the district),
    all with ``PASSWORD``, opened by the admin."""
    from whh_desktop.core.domain.sites import StoreMode
    from whh_desktop.core.services import accounts, login
    from whh_desktop.core.services.site_settings import Letterhead
    from whh_desktop.core.services.store_setup import SetupRequest, create_store
    from whh_desktop.core.store.models import Account, Role

    create_store(paths, SetupRequest(mode, site, Letterhead("Bench", "Musterstraße 1", "32584", "Löhne"),
                                     "bench", "Bench", PASSWORD), server=server)
    store, user = login.unlock(paths, "bench", PASSWORD)
    worker, role = ((DISTRICT_USER, Role.KREIS) if mode is StoreMode.DISTRICT else (COUNSELLOR, Role.BERATUNG))
    accounts.create_account(store, user, worker, f"Bench {role.value.title()}", role, PASSWORD)
    with store.session("bench") as s:
        s.query(Account).filter_by(username=worker).update({"must_change_password": False})
    return store, user


def _fill(store, user, persons: int, seed: int) -> float:
    from whh_desktop.core.demo import fill_demo

    start = time.perf_counter()
    fill_demo(store, user.username, persons, seed=seed)
    seconds = time.perf_counter() - start
    store.close()
    return seconds


def make_store(root: Path, persons: int, *, seed: int = 1):
    """A site store (Löhne) in ``root`` with ``persons`` demo people; returns (paths, seconds of the fill)."""
    from whh_desktop.core.domain.sites import SiteCode, StoreMode
    from whh_desktop.paths import DataPaths

    paths = DataPaths(root)
    store, user = _create(paths, StoreMode.SITE, SiteCode.LOEHNE)
    return paths, _fill(store, user, persons, seed)


def make_district_store(root_or_url: Path | str, persons: int, backend: str = "sqlite", *,
                        data_root: Path | None = None, seed: int = 1):
    """A district store (Kreis) with ``persons`` demo people of the five sites (``fill_demo``); accounts "bench"
    (admin) and ``DISTRICT_USER`` (role Kreis), password ``PASSWORD``. Returns (paths, seconds of the fill).

    ``backend="sqlite"``: ``root_or_url`` is the data folder of the SQLCipher file. ``backend="postgresql"``:
    ``root_or_url`` is the connection string of an existing, empty database (``postgresql://user@/db?host=/sock``,
    a Unix socket or localhost needs no TLS); the data folder with ``server.json`` is ``data_root`` or a new temp
    folder (``district_store`` below starts a throw-away server and cleans up)."""
    from whh_desktop.core.domain.sites import SiteCode, StoreMode
    from whh_desktop.paths import DataPaths

    if backend == "sqlite":
        paths, server = DataPaths(Path(root_or_url)), None
    elif backend == "postgresql":
        paths = DataPaths(data_root or Path(tempfile.mkdtemp(prefix="whh-bench-district-")) / "data")
        server = str(root_or_url)
    else:
        raise ValueError(f"backend must be 'sqlite' or 'postgresql', not {backend!r}")
    store, user = _create(paths, StoreMode.DISTRICT, SiteCode.KREIS, server)
    return paths, _fill(store, user, persons, seed)


@contextlib.contextmanager
def district_store(persons: int, backend: str = "sqlite", *, seed: int = 1) -> Iterator[tuple[Any, float] | None]:
    """``make_district_store`` in a temp folder (and, for PostgreSQL, on a throw-away server from
    ``tests/pg_server.py``), removed afterwards; yields (paths, fill seconds), or None when PostgreSQL is wanted
    and its server programs are missing."""
    with tempfile.TemporaryDirectory() as tmp:
        if backend == "sqlite":
            yield make_district_store(Path(tmp) / "data", persons, seed=seed)
            return
        from tests.pg_server import start_cluster

        cluster = start_cluster()
        if cluster is None:
            yield None
            return
        try:
            name = cluster.create_database("bench")
            url = f"postgresql://{cluster.superuser}@/{name}?host={cluster.socket_dir}&port={cluster.port}"
            yield make_district_store(url, persons, "postgresql", data_root=Path(tmp) / "data", seed=seed)
        finally:
            cluster.stop()


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
