"""Where a store's rows live: an SQLCipher file (every site, and a district on one PC) or a PostgreSQL database
(a district office where several clerks work at once). Everything dialect-specific about *running* a store —
engine set-up, transactions, checks, statistics, the import lock and where the wrapped keys are kept — is here;
services, sync, reports and the UI only see the ``Store`` and its sessions (DESIGN.md §10 Scale). Dialect-specific
SQL *statements* (upsert, where-in, search) live in ``bulk_sql``/``dialect`` and dispatch on the connection.

PostgreSQL transactions: REPEATABLE READ for every session (a snapshot per transaction). A write that changes a
row a colleague changed since the snapshot fails with a serialization failure, which ``Store.session`` turns into
a German message after rolling back — so the Python-side ``version + 1`` of ``changes.py`` can never lose an update.
Neither option of the brief fits better: READ COMMITTED would need ``FOR UPDATE`` in every service's
read-modify-write (services must not know the backend), and SERIALIZABLE also aborts on mere read/write overlap
(predicate locks), which would refuse long imports whenever a clerk edits any row the import read. The one
multi-row invariant that matters — one import at a time — is held by ``pg_advisory_lock``.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import QueuePool

from whh_desktop.core.errors import (
    DataDirNotWritable,
    DiskFull,
    InvalidInput,
    NotAStore,
    ServerUnreachable,
    StoreDamaged,
    StoreNotFound,
    WhhError,
)

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import fcntl

Notify = Callable[[str], None]

IMPORT_WAIT_MESSAGE = ("Ein anderes Konto liest gerade Pakete ein. Das Einlesen wartet, bis es fertig ist, und "
                       "beginnt dann von selbst.")


class Backend(ABC):
    """One store's database: how to connect, check and lock it."""

    name: str
    shared: bool  # several clerks on several machines at once (account changes must be seen at once)
    transactional_ddl: bool  # a failed migration rolls back whole, so no backup file is needed before it

    @abstractmethod
    def make_engine(self) -> Engine: ...

    @abstractmethod
    def quick_check(self, engine: Engine) -> str: ...

    @abstractmethod
    def integrity_check(self, engine: Engine) -> str: ...

    @abstractmethod
    def refresh_statistics(self, engine: Engine, *, only_if_missing: bool = False) -> None: ...

    @abstractmethod
    def close(self, engine: Engine) -> None: ...

    @abstractmethod
    def import_lock(self, engine: Engine, store_id: str, waiting: Notify | None = None
                    ) -> contextlib.AbstractContextManager[None]:
        """Held for a whole import batch: a second import waits (after ``waiting`` got the German message)."""

    @abstractmethod
    def describe(self) -> str:
        """Where the store lives, for messages and the about box (no secrets)."""

    @abstractmethod
    def translate_error(self, exc: BaseException) -> Exception:
        """A driver error as the German error a user can act on."""

    @abstractmethod
    def versions(self, engine: Engine) -> list[tuple[str, str]]:
        """The database software's versions, for the about box and the Systemcheck."""

    @abstractmethod
    def size_bytes(self, engine: Engine) -> int: ...


# ---- SQLCipher --------------------------------------------------------------------------------------------------
def key_pragma(data_key: bytes) -> str:
    return f"PRAGMA key = \"x'{data_key.hex()}'\""


def make_sqlcipher_engine(path: Path, data_key: bytes) -> Engine:
    # One kept connection: each fills its own 32 MiB page cache, a second one kept open doubled the GUI's SQLite
    # memory at 1 000 000 persons; a worker that reads while the GUI does gets an overflow connection, closed after.
    engine = create_engine(
        f"sqlite:///{path}", module=sqlcipher3, poolclass=QueuePool, pool_size=1, max_overflow=5,
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


class SqliteBackend(Backend):
    """The encrypted file of one laptop: the data key is the SQLCipher key."""

    name = "sqlite"
    shared = False
    transactional_ddl = False  # batch mode recreates tables; the automatic backup comes first

    def __init__(self, path: Path, data_key: bytes) -> None:
        self.path = path
        self._data_key = data_key

    def make_engine(self) -> Engine:
        return make_sqlcipher_engine(self.path, self._data_key)

    def quick_check(self, engine: Engine) -> str:
        with engine.connect() as conn:
            return str(conn.exec_driver_sql("PRAGMA quick_check").scalar())

    def integrity_check(self, engine: Engine) -> str:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
        return "ok" if rows == ["ok"] else "; ".join(str(r) for r in rows[:5])

    def checkpoint(self, engine: Engine) -> None:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def refresh_statistics(self, engine: Engine, *, only_if_missing: bool = False) -> None:
        """Planner statistics: without them SQLite scans all open cases instead of starting from the FTS hits."""
        with engine.connect() as conn:
            if only_if_missing and conn.exec_driver_sql(
                    "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
                return
            conn.exec_driver_sql("PRAGMA analysis_limit = 1000")  # approximate and fast, as SQLite advises
            conn.exec_driver_sql("ANALYZE")
            conn.commit()

    def close(self, engine: Engine) -> None:
        with contextlib.suppress(Exception), engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
            conn.exec_driver_sql("PRAGMA optimize")  # refreshes statistics that have drifted
            conn.commit()
        with contextlib.suppress(Exception):
            self.checkpoint(engine)
        engine.dispose()

    @contextlib.contextmanager
    def import_lock(self, engine: Engine, store_id: str, waiting: Notify | None = None) -> Iterator[None]:
        """A file lock beside the store (the GUI's single-instance lock already keeps other processes out; this
        one also orders two imports of one process, e.g. two windows' workers)."""
        with file_lock(self.path.with_name(self.path.name + ".import.lock"), waiting):
            yield

    def describe(self) -> str:
        return str(self.path)

    def translate_error(self, exc: BaseException) -> Exception:
        return translate_db_error(exc, self.path)

    def versions(self, engine: Engine) -> list[tuple[str, str]]:
        with engine.connect() as conn:
            cipher = conn.exec_driver_sql("PRAGMA cipher_version").scalar() or "?"
            sqlite_version = conn.exec_driver_sql("SELECT sqlite_version()").scalar()
        return [("SQLCipher", str(cipher)), ("SQLite", str(sqlite_version))]

    def files(self) -> list[Path]:
        return [p for p in self.path.parent.glob(self.path.name + "*") if p.is_file()]

    def size_bytes(self, engine: Engine) -> int:
        return sum(p.stat().st_size for p in self.files())


@contextlib.contextmanager
def file_lock(path: Path, waiting: Notify | None = None, poll: float = 0.2) -> Iterator[None]:
    """An exclusive lock on ``path`` that waits (telling ``waiting`` once) instead of failing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        told = False
        while True:
            try:
                if sys.platform == "win32":  # pragma: no cover
                    fh.seek(0)  # "a+" starts at the end; every process must lock the same byte
                    msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
                else:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if not told and waiting is not None:
                    waiting(IMPORT_WAIT_MESSAGE)
                told = True
                time.sleep(poll)
        try:
            yield
        finally:
            if sys.platform == "win32":  # pragma: no cover
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


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


# ---- PostgreSQL -------------------------------------------------------------------------------------------------
_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}
_TLS_MODES = {"require", "verify-ca", "verify-full"}
KEYRING_TABLE = "whh_keyring"
STATEMENT_TIMEOUT_MS = 15 * 60 * 1000  # a runaway query ends; the longest import of the bench takes minutes
IDLE_IN_TRANSACTION_MS = 10 * 60 * 1000  # a crashed clerk's PC does not hold row locks for ever
CONNECT_TIMEOUT_S = 10


def parse_server_url(raw: str) -> URL:
    """The connection string a district admin types (``postgresql://user@host/db?sslmode=verify-full``) as a
    psycopg URL; refused with a German message when it cannot work or would be unsafe."""
    text_ = raw.strip()
    try:
        url = make_url(text_)
    except (ArgumentError, ValueError):
        raise InvalidInput("Die Verbindungsangabe ist keine gültige PostgreSQL-Adresse. Beispiel: "
                           "postgresql://sachbearbeitung@db.kreis-herford.example/whh?sslmode=verify-full",
                           "db") from None
    if url.get_backend_name() not in ("postgresql", "postgres"):
        raise InvalidInput("Die Verbindungsangabe muss mit »postgresql://« beginnen.", "db")
    if url.password or "password" in url.query:
        raise InvalidInput("Das Passwort gehört nicht in die Verbindungsangabe (es stünde sonst im Klartext in der "
                           "Einstellungsdatei). Bitte die Passwortdatei von PostgreSQL benutzen (~/.pgpass bzw. "
                           "%APPDATA%\\postgresql\\pgpass.conf oder PGPASSFILE).", "db")
    if not url.database:
        raise InvalidInput("In der Verbindungsangabe fehlt der Name der Datenbank (…/whh am Ende).", "db")
    remote = remote_hosts(url)
    if remote and url.query.get("sslmode") not in _TLS_MODES:
        raise InvalidInput(
            f"Der Datenbankserver »{remote[0]}« ist nicht auf diesem Rechner: die Verbindung muss verschlüsselt sein. "
            "Bitte »?sslmode=verify-full« (empfohlen) oder »?sslmode=require« an die Verbindungsangabe anhängen.",
            "db")
    return url.set(drivername="postgresql+psycopg")


def remote_hosts(url: URL) -> list[str]:
    """The hosts of the URL that are neither a Unix socket nor this machine (those need TLS); libpq also takes
    ``host``/``hostaddr`` parameters and comma-separated lists."""
    named: list[str] = [url.host] if url.host else []
    for key in ("host", "hostaddr"):
        value = url.query.get(key)
        for item in ([value] if isinstance(value, str) else list(value or ())):
            named += item.split(",")
    return [h for h in (n.strip() for n in named) if not (h.startswith("/") or h.lower() in _LOCAL_HOSTS)]


def is_local(url: URL) -> bool:
    """A Unix socket or this machine: no TLS needed (nothing crosses a network)."""
    return not remote_hosts(url)


def redacted(url: URL) -> str:
    """The URL for messages and the about box."""
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def advisory_key(store_id: str, purpose: str) -> int:
    """A signed 64-bit key for ``pg_advisory_lock``: one per store and purpose, stable across machines."""
    digest = hashlib.sha256(f"whh|{store_id}|{purpose}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresBackend(Backend):
    """A district store in an existing PostgreSQL 15+ database; the keys are wrapped in ``whh_keyring``."""

    name = "postgresql"
    shared = True
    transactional_ddl = True

    def __init__(self, url: str | URL) -> None:
        self.url = parse_server_url(url) if isinstance(url, str) else url

    def make_engine(self) -> Engine:
        engine = create_engine(
            self.url, poolclass=QueuePool, pool_size=4, max_overflow=6, pool_pre_ping=True,
            isolation_level="REPEATABLE READ", connect_args={"connect_timeout": CONNECT_TIMEOUT_S,
                                                            "application_name": "WHH Desktop"})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            autocommit = dbapi_conn.autocommit
            dbapi_conn.autocommit = True  # SET outside any transaction, so it lasts for the session
            with dbapi_conn.cursor() as cur:
                cur.execute("SET search_path TO public")
                cur.execute("SET TIME ZONE 'UTC'")  # UtcDateTime columns hold naive UTC
                cur.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
                cur.execute(f"SET idle_in_transaction_session_timeout = {IDLE_IN_TRANSACTION_MS}")
                cur.execute("SET client_encoding TO 'UTF8'")
            dbapi_conn.autocommit = autocommit

        return engine

    def quick_check(self, engine: Engine) -> str:
        """Cheap sanity checks (PostgreSQL keeps its own pages consistent; ``amcheck`` needs superuser rights)."""
        problems = []
        with engine.connect() as conn:
            if conn.exec_driver_sql("SELECT count(*) FROM store_meta").scalar() != 1:
                problems.append("store_meta hat nicht genau eine Zeile")
            if conn.exec_driver_sql(f"SELECT count(*) FROM {KEYRING_TABLE}").scalar() != 1:
                problems.append("Schlüsselbund fehlt")
        return "ok" if not problems else "; ".join(problems)

    def integrity_check(self, engine: Engine) -> str:
        """Every table of the schema readable to its end, the schema revision known, references intact."""
        from whh_desktop.core.store import schema
        from whh_desktop.core.store.base import Base

        quick = self.quick_check(engine)
        problems = [] if quick == "ok" else [quick]
        with engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                try:
                    conn.exec_driver_sql(f'SELECT count(*) FROM "{table.name}"').scalar()
                except DBAPIError as exc:
                    conn.rollback()
                    problems.append(f"{table.name}: {str(exc.orig).splitlines()[0][:80]}")
        try:
            schema.check_version(engine)
        except Exception as exc:  # a newer or unknown revision is a finding here, not a crash
            problems.append(str(exc))
        return "ok" if not problems else "; ".join(problems[:5])

    def refresh_statistics(self, engine: Engine, *, only_if_missing: bool = False) -> None:
        """Autovacuum keeps PostgreSQL's statistics; a freshly filled store gets them at once."""
        with engine.connect() as conn:
            if only_if_missing and conn.exec_driver_sql(
                    "SELECT 1 FROM pg_stats WHERE schemaname = current_schema() LIMIT 1").first():
                return
            conn.exec_driver_sql("ANALYZE")
            conn.commit()

    def close(self, engine: Engine) -> None:
        engine.dispose()

    @contextlib.contextmanager
    def import_lock(self, engine: Engine, store_id: str, waiting: Notify | None = None) -> Iterator[None]:
        """``pg_advisory_lock`` on a connection of its own, held for the batch: a second clerk's import waits
        (and is told so); a crashed client's lock ends with its connection."""
        key = advisory_key(store_id, "import")
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
            if not got:
                if waiting is not None:
                    waiting(IMPORT_WAIT_MESSAGE)
                conn.execute(text("SET statement_timeout = 0"))  # waiting for a colleague is not a runaway query
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            try:
                yield
            finally:
                with contextlib.suppress(DBAPIError):
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})

    def describe(self) -> str:
        return redacted(self.url)

    def translate_error(self, exc: BaseException) -> Exception:
        return server_error(exc, self.url)

    def versions(self, engine: Engine) -> list[tuple[str, str]]:
        import psycopg

        with engine.connect() as conn:
            server = conn.exec_driver_sql("SHOW server_version").scalar()
        return [("PostgreSQL", str(server)), ("psycopg", psycopg.__version__)]

    def size_bytes(self, engine: Engine) -> int:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar() or 0)


# ---- errors -------------------------------------------------------------------------------------------------------
def server_error(exc: BaseException, url: URL) -> Exception:
    """A driver error while reaching the server, as the German message a clerk or admin can act on."""
    text_ = str(getattr(exc, "orig", exc))
    low = text_.lower()
    where = redacted(url)
    if "password authentication failed" in low or "no password supplied" in low \
            or "authentication failed" in low:
        return ServerUnreachable(f"Der Datenbankserver lehnt die Anmeldung ab ({where}). Bitte Benutzername und "
                                 "Eintrag in der PostgreSQL-Passwortdatei (~/.pgpass) prüfen.")
    if "does not exist" in low and "database" in low:
        return StoreNotFound(f"Die Datenbank »{url.database}« gibt es auf dem Server nicht. Bitte von der "
                             "Datenbank-Administration anlegen lassen.")
    if "ssl" in low or "certificate" in low:
        return ServerUnreachable(f"Die verschlüsselte Verbindung zum Datenbankserver kommt nicht zustande ({where}). "
                           "Bitte das Server-Zertifikat prüfen lassen.")
    return ServerUnreachable(f"Der Datenbankserver ist nicht erreichbar ({where}). Bitte Netzwerk, Servername und Port "
                       "prüfen oder die Datenbank-Administration fragen. Es gingen keine Daten verloren.")


# ---- setting up a store on a server ------------------------------------------------------------------------------
def check_server_empty(engine: Engine, url: URL) -> None:
    with engine.connect() as conn:
        version = int(conn.exec_driver_sql("SHOW server_version_num").scalar() or 0)
        if version < 150000:
            raise WhhError(f"Der Datenbankserver hat PostgreSQL {version // 10000}; WHH Desktop braucht Version 15 "
                           "oder neuer.")
        tables = conn.exec_driver_sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").scalar()
    if tables:
        raise WhhError(f"Die Datenbank »{url.database}« ist nicht leer ({tables} Tabellen). Bitte eine neue, leere "
                       "Datenbank für WHH Desktop anlegen lassen; vorhandene Daten werden nicht überschrieben.")


def drop_store_tables(engine: Engine) -> None:
    """Undo a failed set-up: the database was empty before (``check_server_empty``), so every table goes."""
    with contextlib.suppress(DBAPIError), engine.connect() as conn:
        names = conn.exec_driver_sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").scalars().all()
        for name in names:
            conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}" CASCADE')
        conn.commit()
