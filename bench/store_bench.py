"""Store benchmarks: demo fill vs plain SQLite insert, unlock, backup, memory at 100 000 persons."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.harness import Result, rss_mb, settle, timed

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


def _fill(paths, persons: int, seed: int) -> float:
    """The demo fill, timed, in a child process: its page cache and rows never count against the peak RSS
    of the bench process, which the bench reports for the app's own work."""
    project = str(Path(__file__).resolve().parents[1])
    env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, (project, os.environ.get("PYTHONPATH"))))}
    code = (f"from bench.store_bench import _fill_here; "
            f"print(_fill_here({str(paths.root)!r}, {int(persons)}, {int(seed)}))")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"demo fill failed:\n{done.stderr[-4000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def _fill_here(root: Path | str, persons: int, seed: int) -> float:
    from whh_desktop.core.demo import fill_demo
    from whh_desktop.core.services import login
    from whh_desktop.paths import DataPaths

    store, user = login.unlock(DataPaths(Path(root)), "bench", PASSWORD)
    try:
        start = time.perf_counter()
        fill_demo(store, user.username, persons, seed=seed)
        return time.perf_counter() - start
    finally:
        store.close()


def make_store(root: Path, persons: int, *, seed: int = 1):
    """A site store (Löhne) in ``root`` with ``persons`` demo people; returns (paths, seconds of the fill)."""
    from whh_desktop.core.domain.sites import SiteCode, StoreMode
    from whh_desktop.paths import DataPaths

    paths = DataPaths(root)
    _create(paths, StoreMode.SITE, SiteCode.LOEHNE)[0].close()
    return paths, _fill(paths, persons, seed)


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
    _create(paths, StoreMode.DISTRICT, SiteCode.KREIS, server)[0].close()
    return paths, _fill(paths, persons, seed)


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


def plain_sqlite_insert(persons: int, *, seed: int = 1) -> float:
    """The raw limit of the demo fill at the same scale: the same rows (the fill's own generator and statements,
    change_log and search index included, a transaction per ``COMMIT_EVERY`` persons) into a plain, unencrypted
    SQLite file with the same schema, WAL and default pragmas. Only the inserts and commits are timed: plain SQLite
    makes no rows."""
    from sqlalchemy import create_engine

    import whh_desktop.core.store.models  # noqa: F401 - every table on the metadata
    from whh_desktop.core import demo
    from whh_desktop.core.domain.sites import SiteCode
    from whh_desktop.core.store import search_index
    from whh_desktop.core.store.base import Base
    from whh_desktop.core.store.driver import driver_connection

    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'plain.db'}")
        Base.metadata.create_all(engine)
        with engine.begin() as conn:
            search_index.create_search_table(conn)
        seconds, pending = 0.0, 0
        with engine.connect() as conn:
            driver_connection(conn).execute("PRAGMA journal_mode = WAL")
            for chunk in demo.chunks(persons, seed=seed, site=SiteCode.LOEHNE, counsellors=(COUNSELLOR,)):
                start = time.perf_counter()
                demo.write_chunk(conn, chunk, log_changes=True)
                pending += len(chunk.ids["persons"])
                if pending >= demo.COMMIT_EVERY:
                    conn.commit()
                    pending = 0
                seconds += time.perf_counter() - start
            start = time.perf_counter()
            conn.commit()
            seconds += time.perf_counter() - start
        engine.dispose()
        return seconds


FILL_TARGET_S = 120.0  # issue 20: 1 000 000 persons within two minutes


def run(persons: int = 100_000) -> list[Result]:
    from bench import case_open_bench, search_bench, startup_bench
    from whh_desktop.core.services import backups, login

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        paths, fill = make_store(Path(tmp) / "data", persons)
        raw = plain_sqlite_insert(persons)
        target = FILL_TARGET_S * persons / 1_000_000 if persons >= 1_000_000 else None  # the bound is set at 1 M

        def fill_again() -> tuple[float, float]:
            with tempfile.TemporaryDirectory() as again:
                seconds = make_store(Path(again) / "data", persons)[1]
            return seconds, plain_sqlite_insert(persons)

        results.append(Result(f"demo fill {persons:,} persons with cases, contacts … (+change_log, index)", fill, "s",
                              target, raw, "plain SQLite, the same rows, inserts only", remeasure=fill_again))

        def unlock() -> None:
            store, _ = login.unlock(paths, "bench", PASSWORD)
            store.close()

        unlock_s = timed(unlock, repeat=3)
        raw_open = timed(lambda: sqlite3.connect(paths.store).close(), repeat=3)
        results.append(Result("unlock store (Argon2id 64 MiB + open + checks)", unlock_s, "s", 1.5, raw_open,
                              "plain open", remeasure=lambda: (timed(unlock, repeat=3), None)))
        store, user = login.unlock(paths, COUNSELLOR, PASSWORD)  # a case worker: the case bench opens a case
        backup_s = timed(lambda: backups.backup_now(store, user.username))
        size_mb = os.path.getsize(paths.store) / 1_048_576
        results.append(Result(f"backup ({size_mb:.0f} MB store)", backup_s, "s"))
        results.append(Result("full integrity_check", timed(store.integrity_check), "s"))
        results += search_bench.run(store)
        results += case_open_bench.run(store, user)
        store.close()
        results += startup_bench.run(paths.root, COUNSELLOR, PASSWORD)
        results.append(Result(f"peak RSS of the bench process at {persons:,} persons (the fill ran in a child "
                              "process)", rss_mb(), "MB", 300))
        settle(results)  # near a bound: the median of three runs, while the store still exists
    return results
