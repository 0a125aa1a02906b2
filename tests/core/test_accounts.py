"""Account administration as an admin does it."""

from __future__ import annotations

import pytest

from tests.conftest import ADMIN
from whh_desktop.core.errors import AccountInactive, InvalidInput, PermissionDenied, WrongPassword
from whh_desktop.core.services import accounts, login
from whh_desktop.core.store.models import Role

PW = "Sonnenblume-Feld-2026"


def test_admin_adds_a_counsellor_who_can_log_in(unlocked) -> None:
    store, admin = unlocked
    accounts.create_account(store, admin, "m.yilmaz", "Merve Yılmaz", Role.BERATUNG, PW)
    s2, user = login.unlock(store.paths, "m.yilmaz", PW)
    s2.close()
    assert user.role is Role.BERATUNG and user.display_name == "Merve Yılmaz"
    assert accounts.must_change_password(store, "m.yilmaz")


def test_counsellor_cannot_manage_accounts(unlocked) -> None:
    store, admin = unlocked
    accounts.create_account(store, admin, "m.yilmaz", "Merve Yılmaz", Role.BERATUNG, PW)
    counsellor = login.CurrentUser("m.yilmaz", "Merve Yılmaz", Role.BERATUNG)
    with pytest.raises(PermissionDenied):
        accounts.create_account(store, counsellor, "x.y", "X Y", Role.ADMIN, PW)


def test_reset_password_and_deactivate(unlocked) -> None:
    store, admin = unlocked
    accounts.create_account(store, admin, "m.yilmaz", "Merve Yılmaz", Role.BERATUNG, PW)
    accounts.reset_password(store, admin, "m.yilmaz", "Neues-Start-Passwort-9")
    with pytest.raises(WrongPassword):
        login.unlock(store.paths, "m.yilmaz", PW)
    s2, _ = login.unlock(store.paths, "m.yilmaz", "Neues-Start-Passwort-9")
    s2.close()
    accounts.deactivate(store, admin, "m.yilmaz")
    with pytest.raises(WrongPassword):  # the wrap is gone: the old password opens nothing
        login.unlock(store.paths, "m.yilmaz", "Neues-Start-Passwort-9")
    rows = {r.username: r for r in accounts.list_accounts(store.read_session().__enter__())}
    assert rows["m.yilmaz"].active is False
    accounts.reset_password(store, admin, "m.yilmaz", "Wieder-aktiv-Passwort-3")  # reactivates
    s3, _ = login.unlock(store.paths, "m.yilmaz", "Wieder-aktiv-Passwort-3")
    s3.close()


def test_inactive_account_with_a_stale_wrap_is_refused(unlocked) -> None:
    from sqlalchemy import update

    from whh_desktop.core.store.models import Account

    store, admin = unlocked
    accounts.create_account(store, admin, "m.yilmaz", "Merve Yılmaz", Role.BERATUNG, PW)
    with store.session(ADMIN) as s:  # e.g. a key file restored from an older backup
        s.execute(update(Account).where(Account.username == "m.yilmaz").values(active=False))
    with pytest.raises(AccountInactive, match="deaktiviert"):
        login.unlock(store.paths, "m.yilmaz", PW)


def test_last_admin_and_own_account_are_protected(unlocked) -> None:
    store, admin = unlocked
    with pytest.raises(InvalidInput, match="eigene Konto"):
        accounts.deactivate(store, admin, ADMIN)
    with pytest.raises(InvalidInput, match="Admin"):
        accounts.change_role(store, admin, ADMIN, Role.BERATUNG)


def test_weak_password_and_bad_username_are_refused_in_german(unlocked) -> None:
    store, admin = unlocked
    with pytest.raises(InvalidInput, match="mindestens 12 Zeichen"):
        accounts.create_account(store, admin, "m.yilmaz", "Merve", Role.BERATUNG, "kurz")
    with pytest.raises(InvalidInput, match="häufig benutztes"):
        accounts.create_account(store, admin, "m.yilmaz", "Merve", Role.BERATUNG, "passwort1234")
    with pytest.raises(InvalidInput, match="Benutzername"):
        accounts.create_account(store, admin, "Merve Yılmaz", "Merve", Role.BERATUNG, PW)
    with pytest.raises(InvalidInput, match="gibt es schon"):
        accounts.create_account(store, admin, ADMIN, "Doppelt", Role.BERATUNG, PW)


def test_roles_depend_on_the_store_mode(unlocked) -> None:
    store, admin = unlocked
    assert accounts.roles_for("site") == [Role.BERATUNG, Role.ADMIN]
    assert accounts.roles_for("district") == [Role.KREIS, Role.ADMIN]
    with pytest.raises(InvalidInput, match="Rolle"):
        accounts.create_account(store, admin, "k.kreis", "Kim Kreis", Role.KREIS, PW)


def test_own_password_change_needs_the_old_one(unlocked) -> None:
    store, admin = unlocked
    with pytest.raises(WrongPassword):
        accounts.change_own_password(store, admin, "nicht-das-alte-1", "Ganz-neues-Passwort-5")
    from tests.conftest import ADMIN_PASSWORD

    accounts.change_own_password(store, admin, ADMIN_PASSWORD, "Ganz-neues-Passwort-5")
    s2, _ = login.unlock(store.paths, ADMIN, "Ganz-neues-Passwort-5")
    s2.close()
