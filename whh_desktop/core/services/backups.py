"""Backup use cases: back up now, on close, to an external drive; restore after verification."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.engine import URL

from whh_desktop.core.errors import BackupFailed, InvalidInput, WhhError
from whh_desktop.core.services import site_settings
from whh_desktop.core.store import audit, pg_backup, schema
from whh_desktop.core.store import backup as backup_files
from whh_desktop.core.store.backend import PostgresBackend, parse_server_url, redacted
from whh_desktop.core.store.backup import BackupInfo
from whh_desktop.core.store.engine import Store, open_engine_checked, translate_os_error
from whh_desktop.core.store.keys import KeyFile
from whh_desktop.core.store.location import Location, read_server_url, write_server_url
from whh_desktop.core.store.models import StoreMeta
from whh_desktop.core.store.schema import check_version
from whh_desktop.paths import DataPaths


def backup_now(store: Store, actor: str, reason: str = "manual") -> BackupInfo:
    with store.read_session() as s:
        retention = site_settings.load(s).retention
    info = backup_files.create_backup(store, reason, retention=retention)
    with store.session(actor) as s:
        audit.append(s, actor, "backup", detail=reason)
    return info


def backup_to_external(store: Store, actor: str, directory: Path) -> BackupInfo:
    """"Sicherung auf externes Laufwerk": the same encrypted backup plus the key file, in a chosen folder."""
    if not directory.is_dir():
        raise BackupFailed(f"Der Ordner {directory} ist nicht erreichbar. Ist das Laufwerk angeschlossen?")
    info = backup_files.create_backup(store, "external", target_dir=directory)
    with store.session(actor) as s:
        audit.append(s, actor, "backup", detail="external")
    return info


def list_backups(paths: DataPaths) -> list[BackupInfo]:
    """The store's backups, newest first: encrypted SQLCipher copies, or ``pg_dump`` files of a district store on
    PostgreSQL."""
    return backup_files.list_store_backups(paths.backups)


RESTORE_NEEDS_NEW_DATABASE = (
    "Eine Sicherung des Kreis-Servers wird in eine neue, leere Datenbank wiederhergestellt (die bisherige bleibt "
    "unverändert erhalten). Bitte die Datenbank-Administration eine leere Datenbank anlegen lassen und ihre "
    "Verbindungsangabe angeben (whh restore DATEI --db postgresql://…).")


def restore(store: Store, actor: str, backup: Path, target_server: str | None = None) -> None:
    """Replace the store by ``backup``. The open ``store`` is closed; the caller logs in again afterwards.

    Order: verify the backup opens and is intact → back up the current state → swap the file → raise the epoch
    (a restored store must export everything again) → audit. If anything fails before the swap, the current
    store is untouched. A district store on PostgreSQL is restored into the new, empty database
    ``target_server`` instead (``restore_on_server``).
    """
    if isinstance(store.backend, PostgresBackend):
        if not target_server:
            raise InvalidInput(RESTORE_NEEDS_NEW_DATABASE, "db")
        restore_on_server(store, actor, backup, target_server)
        return
    if target_server:
        raise InvalidInput("Eine Verbindungsangabe (--db) gibt es nur beim Wiederherstellen eines "
                           "Kreis-Datenbestands auf einem PostgreSQL-Server.", "db")
    paths, data_key, store_id = store.paths, store.data_key, store.info.store_id
    backup_files.verify_backup(backup, data_key, store_id)
    backup_now(store, actor, reason="restore")
    current_epoch = store.info.epoch
    store.close()
    backup_files.replace_store_file(paths, backup)
    mark_restored(paths, data_key, store_id, actor, backup.name, current_epoch)


def restore_on_server(store: Store, actor: str, dump: Path, target_server: str) -> None:
    """A district's ``pg_dump`` back into the new, empty database ``target_server``; the data folder then names
    that database. Order: check the dump (readable, this store, a schema this program knows) → dump the current
    state → restore in one transaction → migrate an older schema → raise the epoch, audit → switch the folder.
    Until the switch the folder still names the old database, which stays as it was."""
    assert isinstance(store.backend, PostgresBackend)
    target = parse_server_url(target_server)
    if target.database == store.backend.url.database and set(_hosts(target)) == set(_hosts(store.backend.url)):
        raise InvalidInput("Das ist die Datenbank, die gerade benutzt wird. " + RESTORE_NEEDS_NEW_DATABASE, "db")
    paths, data_key, store_id = store.paths, store.data_key, store.info.store_id
    pg_backup.check_dump(dump, store_id)
    backup_now(store, actor, reason="restore")
    current_epoch = store.info.epoch
    store.close()
    pg_backup.restore_backup(dump, target.render_as_string(hide_password=False), store_id)
    location = Location(paths, target)
    restored = location.open(data_key, store_id)
    try:
        schema.upgrade(restored.engine)
        with restored.session(actor) as s:
            s.execute(update(StoreMeta).values(epoch=max(restored.info.epoch, current_epoch) + 1))
            audit.append(s, actor, "restore", detail=f"{dump.name} → {redacted(target)}")
    finally:
        restored.close()
    write_server_url(paths, target)


def _hosts(url: URL) -> list[str]:
    value = url.query.get("host")
    return [url.host or "", *([value] if isinstance(value, str) else list(value or ()))]


def mark_restored(paths: DataPaths, data_key: bytes, store_id: str, actor: str, source_name: str,
                  current_epoch: int = 0) -> None:
    """The restored store gets an epoch above both its own and the one it replaced, so restoring the same backup
    twice never reuses an epoch the district has already seen."""
    engine, info = open_engine_checked(paths.store, data_key, store_id)
    try:
        check_version(engine)
        store = Store(paths, engine, info, data_key)
        with store.session(actor) as s:
            s.execute(update(StoreMeta).values(epoch=max(info.epoch, current_epoch) + 1))
            audit.append(s, actor, "restore", detail=source_name)
    finally:
        engine.dispose()


def restore_key_file_from_backup(paths: DataPaths, backup: Path) -> None:
    """When the key file itself is lost, the copy beside a backup brings the store back (with the passwords
    valid at backup time)."""
    key_copy = backup.with_suffix(".key")
    if not key_copy.exists():
        raise WhhError(f"Neben der Sicherung liegt keine Schlüsseldatei ({key_copy.name}).")
    try:
        shutil.copyfile(key_copy, paths.key_file)
    except OSError as exc:
        raise translate_os_error(exc, "Schlüsseldatei kann nicht zurückgeschrieben werden") from exc


def restore_key_file_if_lost(paths: DataPaths, backup: Path) -> None:
    """Before a restore: a lost or damaged key file is replaced by the copy beside ``backup`` (passwords as at
    backup time); a key file that still loads is kept. A store on a server keeps its keys in the database (and
    its dumps hold them), so there is no key file to restore."""
    if read_server_url(paths) is not None:
        return
    try:
        KeyFile.load(paths.key_file)
    except WhhError:
        restore_key_file_from_backup(paths, backup)
