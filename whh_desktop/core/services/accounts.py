"""Account administration: add, reset password, (de)activate, change own password. Admins only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.passwords import assess, check_username, problem_text
from whh_desktop.core.domain.sites import StoreMode
from whh_desktop.core.errors import InvalidInput, NotFound, PermissionDenied
from whh_desktop.core.services.login import CurrentUser, verify_password
from whh_desktop.core.store import audit
from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.keys import default_kdf
from whh_desktop.core.store.models import Account, Role


@dataclass(frozen=True)
class AccountRow:
    username: str
    display_name: str
    role: Role
    active: bool
    last_login_at: datetime | None
    must_change_password: bool


def roles_for(mode: str) -> list[Role]:
    """Site stores know Beratung and Admin; the district store Kreis and Admin."""
    return [Role.KREIS, Role.ADMIN] if mode == StoreMode.DISTRICT.value else [Role.BERATUNG, Role.ADMIN]


def list_accounts(session: Session) -> list[AccountRow]:
    rows = session.execute(select(Account).order_by(Account.active.desc(), Account.display_name)).scalars()
    return [AccountRow(a.username, a.display_name, Role(a.role), a.active, a.last_login_at,
                       a.must_change_password) for a in rows]


def _require_admin(user: CurrentUser) -> None:
    if not user.is_admin:
        raise PermissionDenied("Nur die Administration darf Konten verwalten.")


def _check_password(password: str, username: str) -> None:
    strength = assess(password, username)
    if not strength.acceptable:
        raise InvalidInput(problem_text(strength), "password")


def _get(session: Session, username: str) -> Account:
    account = session.execute(select(Account).where(Account.username == username)).scalar_one_or_none()
    if account is None:
        raise NotFound(f"Ein Konto »{username}« gibt es nicht.", "username")
    return account


def create_account(store: Store, actor: CurrentUser, username: str, display_name: str, role: Role,
                   password: str) -> None:
    _require_admin(actor)
    username = username.strip().lower()
    if msg := check_username(username):
        raise InvalidInput(msg, "username")
    if not display_name.strip():
        raise InvalidInput("Bitte den Namen der Person angeben.", "display_name")
    if role not in roles_for(store.info.mode):
        raise InvalidInput(f"Die Rolle »{role.label}« gibt es in diesem Datenbestand nicht.", "role")
    _check_password(password, username)
    key_file = store.keyring.load()
    with store.session(actor.username) as s:
        if s.execute(select(Account.id).where(Account.username == username)).first():
            raise InvalidInput(f"Den Benutzernamen »{username}« gibt es schon.", "username")
        account = Account(username=username, display_name=display_name.strip(), role=role.value,
                          must_change_password=True)
        s.add(account)
        s.flush()
        audit.append(s, actor.username, "account_created", object_type="account", object_id=str(account.id),
                     detail=role.value)
        # The key file is written inside the transaction: if it fails, the account is not created either.
        key_file.wrap_for_account(username, password, store.data_key, default_kdf())
        store.keyring.save(key_file)


def reset_password(store: Store, actor: CurrentUser, username: str, new_password: str) -> None:
    """Admin sets a temporary password; the user is asked to change it at the next login."""
    _require_admin(actor)
    _check_password(new_password, username)
    key_file = store.keyring.load()
    with store.session(actor.username) as s:
        account = _get(s, username)
        account.must_change_password = username != actor.username
        account.password_changed_at = utcnow()
        audit.append(s, actor.username, "account_password_reset", object_type="account",
                     object_id=str(account.id))
        key_file.wrap_for_account(username, new_password, store.data_key, default_kdf())
        if account.active is False:
            account.active = True
            audit.append(s, actor.username, "account_activated", object_type="account", object_id=str(account.id))
        store.keyring.save(key_file)


def change_own_password(store: Store, user: CurrentUser, old_password: str, new_password: str) -> None:
    verify_password(store.paths, user.username, old_password)
    if old_password == new_password:
        raise InvalidInput("Das neue Passwort muss sich vom alten unterscheiden.", "password")
    _check_password(new_password, user.username)
    key_file = store.keyring.load()
    with store.session(user.username) as s:
        account = _get(s, user.username)
        account.must_change_password = False
        account.password_changed_at = utcnow()
        audit.append(s, user.username, "account_password_changed", object_type="account",
                     object_id=str(account.id))
        key_file.wrap_for_account(user.username, new_password, store.data_key, default_kdf())
        store.keyring.save(key_file)


def deactivate(store: Store, actor: CurrentUser, username: str) -> None:
    """Remove the account's key wrap, so its password no longer opens the store; reactivation = new password."""
    _require_admin(actor)
    if username == actor.username:
        raise InvalidInput("Das eigene Konto kann nicht deaktiviert werden.", "username")
    key_file = store.keyring.load()
    with store.session(actor.username) as s:
        account = _get(s, username)
        if account.role == Role.ADMIN.value and _active_admins(s) <= 1:
            raise InvalidInput("Das letzte aktive Admin-Konto kann nicht deaktiviert werden.", "username")
        account.active = False
        audit.append(s, actor.username, "account_deactivated", object_type="account", object_id=str(account.id))
        key_file.remove_account(username)
        store.keyring.save(key_file)


def change_role(store: Store, actor: CurrentUser, username: str, role: Role) -> None:
    _require_admin(actor)
    if role not in roles_for(store.info.mode):
        raise InvalidInput(f"Die Rolle »{role.label}« gibt es in diesem Datenbestand nicht.", "role")
    with store.session(actor.username) as s:
        account = _get(s, username)
        if account.role == Role.ADMIN.value and role is not Role.ADMIN and _active_admins(s) <= 1:
            raise InvalidInput("Es muss mindestens ein aktives Admin-Konto bleiben.", "role")
        account.role = role.value
        audit.append(s, actor.username, "account_role_changed", object_type="account", object_id=str(account.id),
                     detail=role.value)


def must_change_password(store: Store, username: str) -> bool:
    with store.read_session() as s:
        return bool(s.execute(select(Account.must_change_password).where(Account.username == username)).scalar())


def _active_admins(session: Session) -> int:
    stmt = select(func.count()).select_from(Account).where(Account.role == Role.ADMIN.value, Account.active)
    return int(session.execute(stmt).scalar_one())


def account_rows(store: Store, user: CurrentUser) -> list[AccountRow]:
    """Verwaltung → Konten: every account as a frozen row."""
    with store.read_session() as s:
        return list_accounts(s)
