"""Unlocking a store: password or recovery key, growing delay after failures, migration on open."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from whh_desktop.core.domain.formatting import in_seconds
from whh_desktop.core.domain.passwords import assess, problem_text
from whh_desktop.core.errors import (
    AccountInactive,
    InvalidInput,
    KeyFileDamaged,
    LoginDelayed,
    StoreNotFound,
    WhhError,
    WrongPassword,
    WrongRecoveryKey,
)
from whh_desktop.core.store import audit, permissions, schema
from whh_desktop.core.store.backup import create_backup
from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.engine import Store, open_engine_checked, translate_db_error
from whh_desktop.core.store.keys import KeyFile, default_kdf
from whh_desktop.core.store.models import Account, Role
from whh_desktop.paths import DataPaths


@dataclass(frozen=True)
class CurrentUser:
    username: str
    display_name: str
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


def load_key_file(paths: DataPaths) -> KeyFile:
    if not paths.key_file.exists() and not paths.store.exists():
        raise StoreNotFound(f"In {paths.root} ist noch kein Datenbestand eingerichtet.")
    return KeyFile.load(paths.key_file)


def login_delay(paths: DataPaths, now: datetime | None = None) -> float:
    try:
        return load_key_file(paths).login_delay(now or utcnow())
    except (StoreNotFound, KeyFileDamaged):
        return 0.0


def unlock(paths: DataPaths, username: str, password: str, now: datetime | None = None) -> tuple[Store, CurrentUser]:
    """Open the store for ``username``. Wrong password: counted, delayed, nothing else changes."""
    now = now or utcnow()
    username = username.strip().lower()
    key_file = load_key_file(paths)
    _check_delay(key_file, now)
    try:
        data_key = key_file.unwrap_for_account(username, password)
    except WrongPassword:
        _count_failure(paths, key_file, username, now)
        raise
    store, user = _open(paths, key_file, data_key, username, "login_ok")
    _upgrade_weak_wrap(paths, key_file, username, password, data_key)
    return store, user


def unlock_with_recovery(paths: DataPaths, username: str, recovery_key: str, new_password: str,
                         now: datetime | None = None) -> tuple[Store, CurrentUser]:
    """"Passwort vergessen": open with the recovery key and give ``username`` a new password."""
    now = now or utcnow()
    username = username.strip().lower()
    key_file = load_key_file(paths)
    _check_delay(key_file, now)
    strength = assess(new_password, username)
    if not strength.acceptable:
        raise InvalidInput(problem_text(strength), "password")
    try:
        data_key = key_file.unwrap_with_recovery(recovery_key)
    except WrongRecoveryKey as exc:
        if "Tippfehler" not in str(exc) and "40 Zeichen" not in str(exc):
            _count_failure(paths, key_file, username, now)
        raise
    store, user = _open(paths, key_file, data_key, username, "login_recovery")
    key_file = KeyFile.load(paths.key_file)
    key_file.wrap_for_account(username, new_password, data_key, default_kdf())
    key_file.save(paths.key_file)
    with store.session(username) as s:
        account = s.execute(select(Account).where(Account.username == username)).scalar_one()
        account.password_changed_at = utcnow()
        account.must_change_password = False
        audit.append(s, username, "account_password_changed", object_type="account", object_id=str(account.id),
                     detail="recovery")
    return store, user


def verify_password(paths: DataPaths, username: str, password: str, now: datetime | None = None) -> None:
    """Re-check the password of the signed-in user (unlocking after auto-lock); counts failures too."""
    now = now or utcnow()
    key_file = load_key_file(paths)
    _check_delay(key_file, now)
    try:
        key_file.unwrap_for_account(username, password)
    except WrongPassword:
        _count_failure(paths, key_file, username, now)
        raise WrongPassword("Das Passwort ist falsch.") from None
    if key_file.failed_logins:
        key_file.clear_failed_logins()
        with contextlib.suppress(OSError):
            key_file.save(paths.key_file)


def _check_delay(key_file: KeyFile, now: datetime) -> None:
    delay = key_file.login_delay(now)
    if delay > 0:
        raise LoginDelayed(f"Zu viele Fehlversuche. Nächster Versuch {in_seconds(int(delay + 0.999))} möglich.",
                           delay)


def _count_failure(paths: DataPaths, key_file: KeyFile, username: str, now: datetime) -> None:
    key_file.note_failed_login(username, now)
    # A read-only data dir must not turn a wrong password into a different error.
    with contextlib.suppress(OSError):
        key_file.save(paths.key_file)


def _open(paths: DataPaths, key_file: KeyFile, data_key: bytes, username: str,
          action: str) -> tuple[Store, CurrentUser]:
    engine, info = open_engine_checked(paths.store, data_key, key_file.store_id)
    store = Store(paths, engine, info, data_key)
    try:
        schema.check_version(engine)
        schema.upgrade(engine, before=lambda: create_backup(store, "migration"))
        store.refresh_statistics(only_if_missing=True)
        with store.session(username) as s:
            account = s.execute(select(Account).where(Account.username == username)).scalar_one_or_none()
            if account is None:
                raise WrongPassword("Benutzername oder Passwort ist falsch.")
            if not account.active:
                raise AccountInactive("Dieses Konto ist deaktiviert. Bitte wenden Sie sich an die Administration.")
            for event in key_file.pending_audit:  # failures before this unlock, recorded now
                audit.append(s, event.get("subject", "?"), event.get("action", "login_failed"),
                             at=datetime.fromisoformat(event["at"]))
            account.last_login_at = utcnow()
            audit.append(s, username, action, object_type="account", object_id=str(account.id))
            user = CurrentUser(account.username, account.display_name, Role(account.role))
    except DBAPIError as exc:
        store.engine.dispose()
        raise translate_db_error(exc, paths.store) from exc
    except BaseException:
        store.engine.dispose()
        raise
    if key_file.pending_audit or key_file.failed_logins:
        key_file.pending_audit = []
        key_file.clear_failed_logins()
        with contextlib.suppress(OSError):
            key_file.save(paths.key_file)
    _after_open(store)
    return store, user


def _after_open(store: Store) -> None:
    """Start-up care (issue 10 point 8, 7): user-only file modes, leftovers of a kill removed, and an export that
    was recorded but never put in place written now. None of it may keep anybody from working."""
    from whh_desktop.core.services import sync  # sync's services need CurrentUser from here: a real cycle

    with contextlib.suppress(OSError):
        permissions.secure_data_dir(store.paths)
        permissions.remove_stale(store.paths)
    with contextlib.suppress(WhhError, OSError):
        sync.publish_pending_exports(store)


def _upgrade_weak_wrap(paths: DataPaths, key_file: KeyFile, username: str, password: str, data_key: bytes) -> None:
    """A wrap made with test parameters is re-made with the production ones at the first real login."""
    wanted = default_kdf()
    current = key_file.account_kdf(username)
    if current is not None and current.is_weaker_than(wanted):
        fresh = KeyFile.load(paths.key_file)
        fresh.wrap_for_account(username, password, data_key, wanted)
        with contextlib.suppress(OSError):
            fresh.save(paths.key_file)
