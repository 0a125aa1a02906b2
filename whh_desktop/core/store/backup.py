"""Encrypted backups: ``sqlcipher_export()`` into a new file keyed with the same data key (a file copy would miss
the WAL), written to a temp name, fsynced and renamed; the key file is copied beside it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from whh_desktop.core.domain import labels
from whh_desktop.core.errors import BackupFailed, NotAStore, StoreDamaged, WhhError
from whh_desktop.core.store import permissions
from whh_desktop.core.store.backend import PostgresBackend
from whh_desktop.core.store.driver import driver_connection
from whh_desktop.core.store.engine import (
    Store,
    key_pragma,
    open_engine_checked,
    translate_db_error,
    translate_os_error,
)
from whh_desktop.core.store.keys import fsync_dir
from whh_desktop.core.store.schema import check_version
from whh_desktop.paths import DataPaths

SUFFIX = ".whhbak"
REASONS = labels.BACKUP_REASONS  # the German names live in the one label table


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return labels.backup_reason(self.reason)

    @property
    def key_copy(self) -> Path:
        return self.path.with_suffix(".key")


@dataclass(frozen=True)
class Retention:
    keep_last: int = 10
    keep_monthly: int = 12


def _name(now: datetime, reason: str) -> str:
    return f"sicherung-{now:%Y%m%d-%H%M%S-%f}-{reason}{SUFFIX}"


def parse_name(path: Path, suffix: str = SUFFIX) -> tuple[datetime, str] | None:
    parts = path.name.removesuffix(suffix).split("-")
    if len(parts) < 5 or parts[0] != "sicherung":
        return None
    try:
        at = datetime.strptime("-".join(parts[1:4]), "%Y%m%d-%H%M%S-%f").replace(tzinfo=UTC)
    except ValueError:
        return None
    return at, "-".join(parts[4:])


def create_backup(store: Store, reason: str, target_dir: Path | None = None,
                  retention: Retention | None = None) -> BackupInfo:
    """Back up the open store. Any failure removes the partial file and leaves earlier backups alone. A district
    store on PostgreSQL is dumped with ``pg_dump`` (``pg_backup``) under the same names and retention."""
    target_dir = target_dir or store.paths.backups
    if isinstance(store.backend, PostgresBackend):
        from whh_desktop.core.store import pg_backup  # it builds on this module's names and retention

        if target_dir == store.paths.backups:
            permissions.private_dir(target_dir)
        return pg_backup.create_backup(server_url(store), reason, target_dir,
                                       retention if target_dir == store.paths.backups else None)
    now = datetime.now(UTC)
    final = target_dir / _name(now, reason)
    tmp = final.with_name("." + final.name + ".tmp")
    try:
        if target_dir == store.paths.backups:
            permissions.private_dir(target_dir)
        else:  # a folder the user chose (external drive): created user-only, an existing one left as it is
            target_dir.mkdir(parents=True, exist_ok=True, mode=permissions.PRIVATE_DIR)
        permissions.create_private(tmp)  # SQLite fills the empty file and keeps its mode
        _export(store, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        if store.paths.key_file.exists():
            key_tmp = final.with_suffix(".key.tmp")
            permissions.write_private(key_tmp, store.paths.key_file.read_bytes())
            os.replace(key_tmp, final.with_suffix(".key"))
        fsync_dir(target_dir)
    except OSError as exc:
        _remove_partial(tmp, final)
        raise translate_os_error(exc, "Datensicherung fehlgeschlagen") from exc
    except DBAPIError as exc:
        _remove_partial(tmp, final)
        raise translate_db_error(exc, tmp) from exc
    except Exception as exc:  # sqlcipher3 errors outside SQLAlchemy
        _remove_partial(tmp, final)
        if isinstance(exc, WhhError):
            raise
        err = translate_db_error(exc, tmp)
        raise err from exc
    if retention is not None and target_dir == store.paths.backups:
        prune(target_dir, retention)
    return BackupInfo(final, now, reason, final.stat().st_size)


def server_url(store: Store) -> str:
    """The full connection URL of a store on PostgreSQL, for ``pg_dump`` (the password, if any, goes into its
    environment, never onto a command line)."""
    assert isinstance(store.backend, PostgresBackend)
    return store.backend.url.render_as_string(hide_password=False)


def list_store_backups(directory: Path) -> list[BackupInfo]:
    """The backups of either backend in ``directory`` (a store's folder holds one kind), newest first."""
    from whh_desktop.core.store import pg_backup

    found = list_backups(directory) + list_backups(directory, suffix=pg_backup.SUFFIX)
    return sorted(found, key=lambda b: b.created_at, reverse=True)


def _export(store: Store, target: Path) -> None:
    with store.engine.connect() as conn:
        raw = driver_connection(conn)
        # ATTACH and sqlcipher_export must run outside a transaction; the raw connection is in autocommit.
        attach_key = key_pragma(store.data_key).split("= ", 1)[1]
        raw.execute(f"ATTACH DATABASE ? AS whh_backup KEY {attach_key}", (str(target),))
        try:
            raw.execute("SELECT sqlcipher_export('whh_backup')")
        finally:
            raw.execute("DETACH DATABASE whh_backup")


def _remove_partial(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
        with contextlib.suppress(OSError):
            path.with_suffix(".key").unlink()
        with contextlib.suppress(OSError):
            path.with_suffix(".key.tmp").unlink()


def list_backups(directory: Path, suffix: str = SUFFIX) -> list[BackupInfo]:
    """Newest first (``suffix``: ``pg_backup.SUFFIX`` for a district's PostgreSQL dumps)."""
    found = []
    if directory.is_dir():
        for path in directory.glob(f"*{suffix}"):
            parsed = parse_name(path, suffix)
            if parsed:
                found.append(BackupInfo(path, parsed[0], parsed[1], path.stat().st_size))
    return sorted(found, key=lambda b: b.created_at, reverse=True)


def select_kept(backups: list[BackupInfo], retention: Retention) -> set[Path]:
    """The newest ``keep_last`` plus the newest of each of the last ``keep_monthly`` months."""
    newest_first = sorted(backups, key=lambda b: b.created_at, reverse=True)
    kept = {b.path for b in newest_first[: retention.keep_last]}
    months: list[tuple[int, int]] = []
    for b in newest_first:
        month = (b.created_at.year, b.created_at.month)
        if month not in months:
            months.append(month)
            if len(months) > retention.keep_monthly:
                break
            kept.add(b.path)
    return kept


def prune(directory: Path, retention: Retention, suffix: str = SUFFIX) -> list[Path]:
    backups = list_backups(directory, suffix)
    kept = select_kept(backups, retention)
    removed = []
    for b in backups:
        if b.path not in kept:
            with contextlib.suppress(OSError):
                b.path.unlink()
                b.key_copy.unlink(missing_ok=True)
                removed.append(b.path)
    return removed


def verify_backup(backup: Path, data_key: bytes, store_id: str) -> str:
    """Open a backup (a temporary copy, so the original stays untouched) and run integrity_check."""
    probe = backup.with_name("." + backup.name + ".probe")
    try:
        permissions.create_private(probe)  # copyfile keeps the mode of the file it writes into
        shutil.copyfile(backup, probe)
        engine, _ = open_engine_checked(probe, data_key, store_id)
        try:
            check_version(engine)
            with engine.connect() as conn:
                rows = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
            if rows != ["ok"]:
                raise BackupFailed("Die Sicherung ist beschädigt und wird nicht wiederhergestellt.")
        finally:
            engine.dispose()
        return "ok"
    except NotAStore as exc:
        raise NotAStore("Diese Sicherung gehört zu einem anderen Datenbestand oder ist beschädigt.") from exc
    except (DBAPIError, StoreDamaged) as exc:
        raise BackupFailed("Die Sicherung ist beschädigt und wird nicht wiederhergestellt. Bitte eine andere "
                           "Sicherung wählen.") from exc
    except OSError as exc:
        raise translate_os_error(exc, "Sicherung kann nicht gelesen werden") from exc
    finally:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(str(probe) + suffix).unlink()


def replace_store_file(paths: DataPaths, backup: Path) -> None:
    """Put the backup in place of the (closed) store: copy to a temp name, fsync, rename."""
    tmp = paths.store.with_name("." + paths.store.name + ".restore.tmp")
    try:
        permissions.create_private(tmp)
        shutil.copyfile(backup, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        for suffix in ("-wal", "-shm"):
            Path(str(paths.store) + suffix).unlink(missing_ok=True)
        os.replace(tmp, paths.store)
        fsync_dir(paths.root)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise translate_os_error(exc, "Wiederherstellung fehlgeschlagen") from exc
