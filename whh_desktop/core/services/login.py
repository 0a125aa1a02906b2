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
    ServerUnreachable,
    StoreNotFound,
    WhhError,
    WrongPassword,
    WrongRecoveryKey,
)
from whh_desktop.core.store import audit, permissions, schema
from whh_desktop.core.store.backup import create_backup
from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.keys import KeyFile, KeyRing, default_kdf
from whh_desktop.core.store.location import Location, locate
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
    location = locate(paths)
    try:
        return location.load_keys()[1]
    finally:
        location.dispose()


def login_delay(paths: DataPaths, now: datetime | None = None) -> float:
    try:
        return load_key_file(paths).login_delay(now or utcnow())
    except (StoreNotFound, KeyFileDamaged, ServerUnreachable):
        return 0.0


def unlock(paths: DataPaths, username: str, password: str, now: datetime | None = None) -> tuple[Store, CurrentUser]:
    """Open the store for ``username`` (an SQLCipher file or the district's server, whichever the folder names).
    Wrong password: counted, delayed, nothing else changes."""
    now = now or utcnow()
    username = username.strip().lower()
    location = locate(paths)
    try:
        ring, key_file = location.load_keys()
        _check_delay(key_file, now)
        try:
            data_key = key_file.unwrap_for_account(username, password)
        except WrongPassword:
            _count_failure(ring, key_file, username, now)
            raise
        store, user = _open(location, ring, key_file, data_key, username, "login_ok")
    finally:
        location.dispose()  # the opened store owns the server engine; nothing is left on a failure
    _upgrade_weak_wrap(store.keyring, key_file, username, password, data_key)
    return store, user


def unlock_with_recovery(paths: DataPaths, username: str, recovery_key: str, new_password: str,
                         now: datetime | None = None) -> tuple[Store, CurrentUser]:
    """"Passwort vergessen": open with the recovery key and give ``username`` a new password."""
    now = now or utcnow()
    username = username.strip().lower()
    location = locate(paths)
    try:
        ring, key_file = location.load_keys()
        _check_delay(key_file, now)
        strength = assess(new_password, username)
        if not strength.acceptable:
            raise InvalidInput(problem_text(strength), "password")
        try:
            data_key = key_file.unwrap_with_recovery(recovery_key)
        except WrongRecoveryKey as exc:
            if "Tippfehler" not in str(exc) and "40 Zeichen" not in str(exc):
                _count_failure(ring, key_file, username, now)
            raise
        store, user = _open(location, ring, key_file, data_key, username, "login_recovery")
    finally:
        location.dispose()
    key_file = store.keyring.load()
    key_file.wrap_for_account(username, new_password, data_key, default_kdf())
    store.keyring.save(key_file)
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
    location = locate(paths)
    try:
        ring, key_file = location.load_keys()
        _check_delay(key_file, now)
        try:
            key_file.unwrap_for_account(username, password)
        except WrongPassword:
            _count_failure(ring, key_file, username, now)
            raise WrongPassword("Das Passwort ist falsch.") from None
        if key_file.failed_logins:
            key_file.clear_failed_logins()
            with contextlib.suppress(OSError, DBAPIError):
                ring.save(key_file)
    finally:
        location.dispose()


def _check_delay(key_file: KeyFile, now: datetime) -> None:
    delay = key_file.login_delay(now)
    if delay > 0:
        raise LoginDelayed(f"Zu viele Fehlversuche. Nächster Versuch {in_seconds(int(delay + 0.999))} möglich.",
                           delay)


def _count_failure(ring: KeyRing, key_file: KeyFile, username: str, now: datetime) -> None:
    key_file.note_failed_login(username, now)
    # A read-only data dir or a server gone away must not turn a wrong password into a different error.
    with contextlib.suppress(OSError, DBAPIError):
        ring.save(key_file)


def _open(location: Location, ring: KeyRing, key_file: KeyFile, data_key: bytes, username: str,
          action: str) -> tuple[Store, CurrentUser]:
    store = location.open(data_key, key_file.store_id)
    engine = store.engine
    try:
        schema.check_version(engine)
        # A server rolls a failed migration back as a whole (transactional DDL): no file backup needed first.
        schema.upgrade(engine, before=None if store.backend.transactional_ddl
                       else lambda: create_backup(store, "migration"))
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
        raise store.backend.translate_error(exc) from exc
    except BaseException:
        store.engine.dispose()
        raise
    store.account = username
    if key_file.pending_audit or key_file.failed_logins:
        key_file.pending_audit = []
        key_file.clear_failed_logins()
        with contextlib.suppress(OSError, DBAPIError):
            ring.save(key_file)
    _after_open(store)
    return store, user


def _after_open(store: Store) -> None:
    """Start-up care (issue 10 point 8, 7): user-only file modes, leftovers of a kill removed, and an export that
    was recorded but never put in place written now. None of it may keep anybody from working."""
    from whh_desktop.core.sync import outbox  # the outbox alone: the exchange services load when first used

    with contextlib.suppress(OSError):
        permissions.secure_data_dir(store.paths)
        permissions.remove_stale(store.paths)
    with contextlib.suppress(WhhError, OSError):
        outbox.publish_pending(store.read_session, lambda: store.session("system"))


def _upgrade_weak_wrap(ring: KeyRing, key_file: KeyFile, username: str, password: str, data_key: bytes) -> None:
    """A wrap made with test parameters is re-made with the production ones at the first real login."""
    wanted = default_kdf()
    current = key_file.account_kdf(username)
    if current is not None and current.is_weaker_than(wanted):
        fresh = ring.load()
        fresh.wrap_for_account(username, password, data_key, wanted)
        with contextlib.suppress(OSError, DBAPIError):
            ring.save(fresh)
