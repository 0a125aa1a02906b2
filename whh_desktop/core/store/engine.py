"""The open store: SQLCipher 4 through sqlcipher3, or a district's PostgreSQL database (DESIGN.md §9, §10).

All dialect specifics (key pragma, WAL, BEGIN IMMEDIATE, PostgreSQL session settings, locks) stay in this package
(``backend.py``), so services only see the ``Store`` and its SQLAlchemy sessions.
"""

from __future__ import annotations

import contextlib
import errno
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from whh_desktop.core.errors import AccountInactive, ConcurrentChange, DataDirNotWritable, DiskFull, NotAStore
from whh_desktop.core.store import changes
from whh_desktop.core.store.backend import (
    Backend,
    Notify,
    SqliteBackend,
    key_pragma,
    make_sqlcipher_engine,
    translate_db_error,
)
from whh_desktop.core.store.keys import SEAL_KEY_INFO, FileKeyRing, KeyRing, seal_key
from whh_desktop.core.store.models import Account, StoreMeta
from whh_desktop.paths import DataPaths

__all__ = ["Store", "StoreInfo", "key_pragma", "make_engine", "open_engine_checked", "translate_db_error",
           "translate_os_error"]

# SQLSTATEs of a transaction PostgreSQL aborted because a colleague's transaction touched the same rows.
_CONFLICT_STATES = {"40001", "40P01"}
CONFLICT_MESSAGE = ("Eine Kollegin oder ein Kollege hat dieselben Daten gerade gleichzeitig geändert. Ihre Änderung "
                    "wurde nicht gespeichert; bitte die Ansicht aktualisieren und erneut versuchen.")
DEACTIVATED_MESSAGE = ("Ihr Konto wurde inzwischen deaktiviert. Es wurde nichts geändert; bitte wenden Sie sich an "
                       "die Administration.")


def make_engine(path: Path, data_key: bytes) -> Engine:
    """The SQLCipher engine of a store file (kept here for callers that open backup files)."""
    return make_sqlcipher_engine(path, data_key)


@dataclass(frozen=True)
class StoreInfo:
    store_id: str
    mode: str
    site_code: str
    epoch: int


class Store:
    """An open store. Pass it explicitly; there is no global one."""

    ACCOUNT_CHECK_SECONDS = 2.0

    def __init__(self, paths: DataPaths, engine: Engine, info: StoreInfo, data_key: bytes,
                 backend: Backend | None = None, keyring: KeyRing | None = None) -> None:
        self.paths = paths
        self.engine = engine
        self.info = info
        self._data_key = data_key
        self.backend: Backend = backend or SqliteBackend(paths.store, data_key)
        self.keyring: KeyRing = keyring or FileKeyRing(paths.key_file)
        self.account: str | None = None  # the signed-in account; on a shared store checked at each session
        self._account_checked_at = float("-inf")
        # Rows of a shared server are not encrypted as a whole: secret settings are sealed with a derived key.
        self._base_info: dict[str, object] = {SEAL_KEY_INFO: seal_key(data_key)} if self.backend.shared else {}
        self._factory = sessionmaker(bind=engine, expire_on_commit=False)
        changes.install(self._factory)
        self._read_factory = sessionmaker(bind=engine.execution_options(whh_read_only=True),
                                          expire_on_commit=False)

    @property
    def data_key(self) -> bytes:
        return self._data_key

    @contextlib.contextmanager
    def session(self, actor: str) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE / REPEATABLE READ), committed on success, rolled back on any
        error. On a shared store a conflict with a colleague's transaction becomes ``ConcurrentChange``."""
        session = self._factory(info={**self._base_info, "site": self.info.site_code, "actor": actor})
        try:
            self._check_account(session, write=True)
            yield session
            session.commit()
        except DBAPIError as exc:
            session.rollback()
            if getattr(getattr(exc, "orig", None), "sqlstate", None) in _CONFLICT_STATES:
                raise ConcurrentChange(CONFLICT_MESSAGE) from exc
            if self.backend.shared and exc.connection_invalidated:
                # The server went away mid-transaction: it rolled the transaction back whole.
                raise self.backend.translate_error(exc) from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextlib.contextmanager
    def read_session(self) -> Iterator[Session]:
        session = self._read_factory(info={**self._base_info, "site": self.info.site_code, "actor": None})
        try:
            self._check_account(session, write=False)
            yield session
        finally:
            session.close()  # ends the read transaction; loaded objects stay readable (close does not expire)

    def _check_account(self, session: Session, *, write: bool) -> None:
        """A clerk deactivated by an admin on another machine is refused at the next write and, within
        ``ACCOUNT_CHECK_SECONDS``, at the next read (one indexed row; a view's refresh opens many read sessions)."""
        if self.account is None or not self.backend.shared:
            return
        if not write and time.monotonic() - self._account_checked_at < self.ACCOUNT_CHECK_SECONDS:
            return
        active = session.execute(select(Account.active).where(Account.username == self.account)).scalar()
        if not active:
            raise AccountInactive(DEACTIVATED_MESSAGE)
        self._account_checked_at = time.monotonic()

    @contextlib.contextmanager
    def import_lock(self, waiting: Notify | None = None) -> Iterator[None]:
        """One import at a time per store, across machines on a shared store; a second one waits."""
        with self.backend.import_lock(self.engine, self.info.store_id, waiting):
            yield

    def location(self) -> str:
        """Where the rows live: the file, or the server and database (no password)."""
        return self.backend.describe()

    def versions(self) -> list[tuple[str, str]]:
        return self.backend.versions(self.engine)

    def size_bytes(self) -> int:
        return self.backend.size_bytes(self.engine)

    def quick_check(self) -> str:
        return self.backend.quick_check(self.engine)

    def integrity_check(self) -> str:
        return self.backend.integrity_check(self.engine)

    def checkpoint(self) -> None:
        if isinstance(self.backend, SqliteBackend):
            self.backend.checkpoint(self.engine)

    def refresh_statistics(self, *, only_if_missing: bool = False) -> None:
        self.backend.refresh_statistics(self.engine, only_if_missing=only_if_missing)

    def close(self) -> None:
        self.backend.close(self.engine)


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


def translate_os_error(exc: OSError, what: str) -> Exception:
    if exc.errno == errno.ENOSPC:
        return DiskFull(f"{what}: Der Datenträger ist voll. Es gingen keine Daten verloren; bitte Speicherplatz "
                        "freigeben und erneut versuchen.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return DataDirNotWritable(f"{what}: Keine Schreibrechte für {exc.filename or 'den Zielordner'}.")
    return DataDirNotWritable(f"{what}: {exc.strerror or exc}")
