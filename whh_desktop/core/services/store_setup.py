"""First start: create the encrypted store, the key file, the first admin account and the recovery key."""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from whh_desktop.core.domain.passwords import assess, check_username, problem_text
from whh_desktop.core.domain.sites import SiteCode, StoreMode
from whh_desktop.core.errors import InvalidInput, WhhError
from whh_desktop.core.letters.recovery_sheet import render_recovery_sheet
from whh_desktop.core.services import site_settings, sync_keys
from whh_desktop.core.services.site_settings import Letterhead, Settings
from whh_desktop.core.store import audit, permissions, schema
from whh_desktop.core.store.backend import (
    PostgresBackend,
    check_server_empty,
    drop_store_tables,
    parse_server_url,
    server_error,
)
from whh_desktop.core.store.engine import make_engine, translate_os_error
from whh_desktop.core.store.keys import (
    SEAL_KEY_INFO,
    DatabaseKeyRing,
    KdfParams,
    KeyFile,
    default_kdf,
    new_data_key,
    new_recovery_key,
    seal_key,
)
from whh_desktop.core.store.location import write_server_url
from whh_desktop.core.store.models import Account, Role, StoreMeta
from whh_desktop.paths import DataPaths


@dataclass(frozen=True)
class SetupRequest:
    mode: StoreMode
    site: SiteCode
    letterhead: Letterhead
    admin_username: str
    admin_display_name: str
    admin_password: str
    kdf: KdfParams | None = None


@dataclass(frozen=True)
class SetupResult:
    store_id: str
    recovery_key: str


def validate(request: SetupRequest) -> None:
    if request.mode is StoreMode.DISTRICT and request.site is not SiteCode.KREIS:
        raise InvalidInput("Der Kreis-Datenbestand hat den Standort »Kreis Herford«.", "site")
    if request.mode is StoreMode.SITE and request.site is SiteCode.KREIS:
        raise InvalidInput("Bitte einen der fünf Beratungsstandorte wählen.", "site")
    request.letterhead.validate()
    if msg := check_username(request.admin_username):
        raise InvalidInput(msg, "admin_username")
    if not request.admin_display_name.strip():
        raise InvalidInput("Bitte den Namen der Person angeben, der das Konto gehört.", "admin_display_name")
    strength = assess(request.admin_password, request.admin_username)
    if not strength.acceptable:
        raise InvalidInput(problem_text(strength), "admin_password")


def check_server(connection: str) -> str:
    """The connection string as it will be kept (the wizard checks it before the next page); German errors."""
    if not connection.strip():
        raise InvalidInput("Bitte die Verbindungsangabe des Datenbankservers eintragen.", "db")
    return parse_server_url(connection).set(drivername="postgresql").render_as_string(hide_password=True)


def ensure_writable(directory: Path) -> None:
    """Probe with a real file: permissions alone do not tell (read-only mounts, network shares)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=directory, prefix=".whh-probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise translate_os_error(exc, f"Datenordner {directory}") from exc


def create_store(paths: DataPaths, request: SetupRequest, recovery_key: str | None = None,
                 store_id: str | None = None, server: str | None = None) -> SetupResult:
    """Create everything or nothing: on failure no half-made store is left behind. ``server``: a PostgreSQL
    connection string — the district store then lives in that (existing, empty) database."""
    validate(request)
    if server is not None:
        return _create_on_server(paths, request, server, recovery_key, store_id)
    store_id, data_key, recovery_key, kdf = _new_identity(paths, request, store_id, recovery_key)
    permissions.private_dir(paths.root)
    permissions.create_private(paths.store)  # SQLite keeps this mode and gives it to the WAL and SHM
    engine = make_engine(paths.store, data_key)
    try:
        schema.upgrade(engine)
        with Session(engine) as session, session.begin():
            _first_rows(session, request, store_id)
        _key_file(request, store_id, data_key, recovery_key, kdf).save(paths.key_file)
    except BaseException:
        engine.dispose()
        _remove_store_files(paths)
        raise
    engine.dispose()
    permissions.secure_data_dir(paths)
    return SetupResult(store_id=store_id, recovery_key=recovery_key)


def _new_identity(paths: DataPaths, request: SetupRequest, store_id: str | None, recovery_key: str | None
                  ) -> tuple[str, bytes, str, KdfParams]:
    """What a new store needs on either backend, after checking the folder is free and writable: its id, data key,
    recovery key and the password-hashing parameters."""
    if paths.exists():
        raise WhhError(f"Im Ordner {paths.root} gibt es bereits einen Datenbestand. Er wird nicht überschrieben.")
    ensure_writable(paths.root)
    return (store_id or str(uuid.uuid4()), new_data_key(), recovery_key or new_recovery_key(),
            request.kdf or default_kdf())


def _first_rows(session: Session, request: SetupRequest, store_id: str) -> None:
    role = Role.ADMIN
    session.add(StoreMeta(store_id=store_id, mode=request.mode.value, site_code=request.site.value))
    site_settings.save(session, Settings(letterhead=request.letterhead))
    account = Account(username=request.admin_username, display_name=request.admin_display_name.strip(),
                      role=role.value, password_changed_at=None)
    session.add(account)
    session.flush()
    audit.append(session, request.admin_username, "store_created", detail=request.site.value)
    audit.append(session, request.admin_username, "account_created", object_type="account",
                 object_id=str(account.id), detail=role.value)
    sync_keys.install_keys(session, request.site.value, store_id, request.mode.value, request.admin_username)


def _key_file(request: SetupRequest, store_id: str, data_key: bytes, recovery_key: str, kdf: KdfParams) -> KeyFile:
    key_file = KeyFile(store_id=store_id)
    key_file.wrap_for_account(request.admin_username, request.admin_password, data_key, kdf)
    key_file.wrap_for_recovery(recovery_key, data_key)
    return key_file


def _create_on_server(paths: DataPaths, request: SetupRequest, server: str, recovery_key: str | None,
                      store_id: str | None) -> SetupResult:
    """The district store in an existing PostgreSQL 15+ database: schema through the same migrations, the key ring
    (wraps only) in ``whh_keyring``, the private sync keys sealed; this folder keeps the connection string."""
    if request.mode is not StoreMode.DISTRICT:
        raise InvalidInput("Auf einem Datenbankserver kann nur der Kreis-Datenbestand liegen; die Standorte "
                           "arbeiten mit ihrer verschlüsselten Datei.", "db")
    url = parse_server_url(server)
    store_id, data_key, recovery_key, kdf = _new_identity(paths, request, store_id, recovery_key)
    engine = PostgresBackend(url).make_engine()
    try:
        check_server_empty(engine, url)
        ring = DatabaseKeyRing(engine)
        try:
            schema.upgrade(engine)
            with engine.connect() as conn:
                ring.create(conn)
                with Session(bind=conn, info={SEAL_KEY_INFO: seal_key(data_key)}) as session:
                    _first_rows(session, request, store_id)
                    session.flush()
                ring.save(_key_file(request, store_id, data_key, recovery_key, kdf), conn)
                conn.commit()
            permissions.private_dir(paths.root)
            write_server_url(paths, url)
        except BaseException:
            drop_store_tables(engine)
            with contextlib.suppress(OSError):
                paths.server_config.unlink()
            raise
    except DBAPIError as exc:
        raise server_error(exc, url) from exc
    finally:
        engine.dispose()
    permissions.secure_data_dir(paths)
    return SetupResult(store_id=store_id, recovery_key=recovery_key)


def _remove_store_files(paths: DataPaths) -> None:
    for path in (paths.store, Path(f"{paths.store}-wal"), Path(f"{paths.store}-shm"), paths.key_file,
                 paths.key_file.with_name(paths.key_file.name + ".bak")):
        with contextlib.suppress(OSError):
            path.unlink()


def recovery_sheet_pdf(recovery_key: str, letterhead: Letterhead, site_label: str, store_id: str,
                       created_at: datetime) -> bytes:
    """The "Notfallschlüssel" sheet the wizard offers to save or print (``core/letters/recovery_sheet.py``)."""
    return render_recovery_sheet(recovery_key, letterhead, site_label, store_id, created_at)
