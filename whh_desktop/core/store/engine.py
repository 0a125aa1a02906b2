"""The encrypted store: SQLCipher 4 through sqlcipher3 and SQLAlchemy (DESIGN.md §9, §10).

All SQLite/SQLCipher specifics (key pragma, WAL, BEGIN IMMEDIATE) stay in this package, so services only see
SQLAlchemy sessions.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from whh_desktop.core.errors import DataDirNotWritable, DiskFull, NotAStore, StoreDamaged
from whh_desktop.core.store import changes
from whh_desktop.core.store.models import StoreMeta
from whh_desktop.paths import DataPaths


def key_pragma(data_key: bytes) -> str:
    return f"PRAGMA key = \"x'{data_key.hex()}'\""


def make_engine(path: Path, data_key: bytes) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}", module=sqlcipher3, poolclass=QueuePool, pool_size=2, max_overflow=4,
        connect_args={"check_same_thread": False, "timeout": 10})
    pragma = key_pragma(data_key)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (pysqlite recipe)
        cur = dbapi_conn.cursor()
        cur.execute(pragma)  # must come first
        cur.execute("PRAGMA cipher_log_level = NONE")  # damaged pages are reported to the user, not to stderr
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA busy_timeout = 10000")
        cur.execute("PRAGMA temp_store = MEMORY")
        cur.execute("PRAGMA cache_size = -32768")  # 32 MiB of decrypted pages: SQLCipher decrypts on every miss
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the lock up front so two writers never deadlock on a lock upgrade.
        mode = "DEFERRED" if conn.get_execution_options().get("whh_read_only") else "IMMEDIATE"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


@dataclass(frozen=True)
class StoreInfo:
    store_id: str
    mode: str
    site_code: str
    epoch: int


class Store:
    """An open store. Pass it explicitly; there is no global one."""

    def __init__(self, paths: DataPaths, engine: Engine, info: StoreInfo, data_key: bytes) -> None:
        self.paths = paths
        self.engine = engine
        self.info = info
        self._data_key = data_key
        self._factory = sessionmaker(bind=engine, expire_on_commit=False)
        changes.install(self._factory)
        self._read_factory = sessionmaker(bind=engine.execution_options(whh_read_only=True),
                                          expire_on_commit=False)

    @property
    def data_key(self) -> bytes:
        return self._data_key

    @contextlib.contextmanager
    def session(self, actor: str) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE), committed on success, rolled back on any error."""
        session = self._factory(info={"site": self.info.site_code, "actor": actor})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextlib.contextmanager
    def read_session(self) -> Iterator[Session]:
        session = self._read_factory(info={"site": self.info.site_code, "actor": None})
        try:
            yield session
        finally:
            session.close()  # ends the read transaction; loaded objects stay readable (close does not expire)

    def quick_check(self) -> str:
        with self.engine.connect() as conn:
            return str(conn.exec_driver_sql("PRAGMA quick_check").scalar())

    def integrity_check(self) -> str:
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
        return "ok" if rows == ["ok"] else "; ".join(str(r) for r in rows[:5])

    def checkpoint(self) -> None:
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def refresh_statistics(self, *, only_if_missing: bool = False) -> None:
        """Planner statistics: without them SQLite scans all open cases instead of starting from the FTS hits."""
        with self.engine.connect() as conn:
            if only_if_missing and conn.exec_driver_sql(
                    "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
                return
            conn.exec_driver_sql("PRAGMA analysis_limit = 1000")  # approximate and fast, as SQLite advises
            conn.exec_driver_sql("ANALYZE")
            conn.commit()

    def close(self) -> None:
        with contextlib.suppress(Exception), self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
            conn.exec_driver_sql("PRAGMA optimize")  # refreshes statistics that have drifted
            conn.commit()
        with contextlib.suppress(Exception):
            self.checkpoint()
        self.engine.dispose()


def open_engine_checked(path: Path, data_key: bytes, expected_store_id: str | None) -> tuple[Engine, StoreInfo]:
    """Open and verify that the file is this WHH store; map SQLite failures to German messages."""
    if not path.exists():
        raise NotAStore(f"Die Datenbankdatei fehlt: {path}")
    engine = make_engine(path, data_key)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
            meta = conn.execute(select(StoreMeta.store_id, StoreMeta.mode, StoreMeta.site_code,
                                       StoreMeta.epoch)).first()
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        raise translate_db_error(exc, path) from exc
    if meta is None or (expected_store_id and meta.store_id != expected_store_id):
        engine.dispose()
        raise NotAStore("Die Datenbankdatei gehört nicht zu dieser Schlüsseldatei. Wurde eine Datei aus einem "
                        "anderen Ordner hierher kopiert?")
    return engine, StoreInfo(meta.store_id, meta.mode, meta.site_code, meta.epoch)


def translate_db_error(exc: BaseException, path: Path) -> Exception:
    """Turn a driver error into the German error a user can act on."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "file is not a database" in text or "no such table: store_meta" in text:
        return NotAStore(f"Die Datei {path.name} ist keine WHH-Datenbank oder passt nicht zum Schlüssel.")
    if "disk is full" in text or ("disk i/o" in text and "full" in text):
        return DiskFull("Der Datenträger ist voll. Bitte Speicherplatz freigeben; es gingen keine Daten verloren.")
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return DataDirNotWritable(f"Der Datenordner {path.parent} ist schreibgeschützt oder nicht erreichbar. "
                                  "Bitte die Schreibrechte prüfen.")
    if "malformed" in text or "corrupt" in text or "disk i/o error" in text:
        return StoreDamaged("Die Datenbank ist beschädigt. Bitte eine Datensicherung wiederherstellen "
                            "(Verwaltung → Datensicherung oder »whh restore«).")
    return StoreDamaged(f"Die Datenbank kann nicht geöffnet werden ({text[:120]}).")


def translate_os_error(exc: OSError, what: str) -> Exception:
    if exc.errno == errno.ENOSPC:
        return DiskFull(f"{what}: Der Datenträger ist voll. Es gingen keine Daten verloren; bitte Speicherplatz "
                        "freigeben und erneut versuchen.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return DataDirNotWritable(f"{what}: Keine Schreibrechte für {exc.filename or 'den Zielordner'}.")
    return DataDirNotWritable(f"{what}: {exc.strerror or exc}")
