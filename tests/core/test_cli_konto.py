"""``whh konto …`` and ``whh notfallschluessel`` as an admin uses them (``main()`` in the test process, a real
subprocess for the environment-only secrets): secrets only from the environment or stdin, German messages, exit
codes 0/1/2."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli_runner import run_cli
from tests.core.test_cli import PW, init, whh

NEW_PW = "Amselgesang-Hecke-77"


def whh_new(data_dir: Path, *args: str, new: str | None = NEW_PW, **kw) -> subprocess.CompletedProcess[str]:
    """``whh`` with the new account's password in WHH_NEW_PASSWORD (the helper in test_cli takes no extra env)."""
    old = os.environ.get("WHH_NEW_PASSWORD")
    try:
        if new is None:
            os.environ.pop("WHH_NEW_PASSWORD", None)
        else:
            os.environ["WHH_NEW_PASSWORD"] = new
        return whh(data_dir, *args, **kw)
    finally:
        if old is None:
            os.environ.pop("WHH_NEW_PASSWORD", None)
        else:
            os.environ["WHH_NEW_PASSWORD"] = old


@pytest.fixture(scope="module")
def store_and_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data_dir = tmp_path_factory.mktemp("konto") / "data"
    result = init(data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir, json.loads(result.stdout)["recovery_key"]


def test_create_list_lock_and_reset(store_and_key: tuple[Path, str]) -> None:
    data_dir, _key = store_and_key
    r = whh_new(data_dir, "konto", "anlegen", "M.Yilmaz", "--name", "Mira Yilmaz", "--rolle", "beratung")
    assert r.returncode == 0, r.stderr
    assert "Konto »m.yilmaz« (Mira Yilmaz, Beratung) angelegt" in r.stdout
    # the start password opens the store, and the account must change it
    r = whh(data_dir, "selftest", user="m.yilmaz", password=NEW_PW)
    assert r.returncode == 0, r.stderr
    r = whh(data_dir, "konto", "liste", "--json")
    rows = {row["benutzername"]: row for row in json.loads(r.stdout)}
    assert rows["m.yilmaz"]["name"] == "Mira Yilmaz" and rows["m.yilmaz"]["rolle"] == "beratung"
    assert rows["m.yilmaz"]["passwort_aendern"] is True and rows["a.becker"]["rolle"] == "admin"
    r = whh(data_dir, "konto", "liste")
    assert "Mira Yilmaz" in r.stdout and "muss geändert werden" in r.stdout

    r = whh(data_dir, "konto", "sperren", "m.yilmaz")
    assert r.returncode == 0, r.stderr
    assert "gesperrt" in r.stdout
    r = whh(data_dir, "selftest", user="m.yilmaz", password=NEW_PW)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert json.loads(whh(data_dir, "konto", "liste", "--json").stdout)[-1]["aktiv"] is False

    # a new start password, from the second stdin line after the admin's own
    second = "Zaunkoenig-Morgen-31"
    r = whh(data_dir, "konto", "passwort", "m.yilmaz", "--password-stdin", "--neues-passwort-stdin",
            password=None, stdin=f"{PW}\n{second}\n")
    assert r.returncode == 0, r.stderr
    assert "muss bei der nächsten Anmeldung geändert werden" in r.stdout
    assert whh(data_dir, "selftest", user="m.yilmaz", password=second).returncode == 0


def test_refusals_are_german_and_exit_1(store_and_key: tuple[Path, str]) -> None:
    data_dir, _key = store_and_key
    r = whh_new(data_dir, "konto", "anlegen", "k.weber", "--name", "Karl Weber", "--rolle", "beratung", new=None)
    assert r.returncode == 1 and "WHH_NEW_PASSWORD" in r.stderr
    r = whh_new(data_dir, "konto", "anlegen", "k.weber", "--name", "Karl Weber", "--rolle", "beratung", new="kurz")
    assert r.returncode == 1 and "mindestens 12 Zeichen" in r.stderr
    r = whh_new(data_dir, "konto", "anlegen", "k.weber", "--name", "Karl Weber", "--rolle", "kreis")
    assert r.returncode == 1 and "Rolle »Kreis« gibt es in diesem Datenbestand nicht" in r.stderr
    r = whh(data_dir, "konto", "sperren", "a.becker")
    assert r.returncode == 1 and "eigene Konto" in r.stderr
    r = whh(data_dir, "konto", "sperren", "niemand")
    assert r.returncode == 1 and "gibt es nicht" in r.stderr
    r = whh(data_dir, "konto", "anlegen", "k.weber", "--rolle", "beratung")
    assert r.returncode == 2  # usage: --name missing
    assert "Traceback" not in r.stderr
    # a counsellor may not manage accounts
    assert whh_new(data_dir, "konto", "anlegen", "l.kaya", "--name", "Lena Kaya", "--rolle",
                   "beratung").returncode == 0
    r = whh(data_dir, "konto", "liste", user="l.kaya", password=NEW_PW)
    assert r.returncode == 1 and "Nur die Administration" in r.stderr


def test_help_names_where_the_passwords_come_from(tmp_path: Path) -> None:
    r = whh(tmp_path, "konto", "anlegen", "--help")
    assert r.returncode == 0 and "WHH_NEW_PASSWORD" in r.stdout and "--neues-passwort-stdin" in r.stdout
    r = whh(tmp_path, "notfallschluessel", "--help")
    assert r.returncode == 0 and "WHH_RECOVERY_KEY" in r.stdout


def test_recovery_key_sets_a_new_password(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = init(data_dir)
    key = json.loads(result.stdout)["recovery_key"]
    forgotten = "Kleiber-Buchenwald-58"
    r = whh(data_dir, "notfallschluessel", "--schluessel-stdin", "--neues-passwort-stdin", password=None,
            stdin=f"{key}\n{forgotten}\n")
    assert r.returncode == 0, r.stderr
    assert "Neues Passwort für »a.becker« gesetzt" in r.stdout
    assert key not in r.stdout and forgotten not in r.stdout
    assert whh(data_dir, "selftest", password=forgotten).returncode == 0
    assert whh(data_dir, "selftest", password=PW).returncode == 1  # the old password no longer opens it
    # a wrong key: German message, nothing changed
    wrong = "-".join(["ABCDE"] * 8)
    r = whh(data_dir, "notfallschluessel", "--schluessel-stdin", "--neues-passwort-stdin", password=None,
            stdin=f"{wrong}\nNoch-ein-Passwort-12\n")
    assert r.returncode == 1 and "Traceback" not in r.stderr and r.stderr.startswith("Fehler: ")
    assert whh(data_dir, "selftest", password=forgotten).returncode == 0
    r = whh(data_dir, "notfallschluessel", password=None)
    assert r.returncode == 1 and "WHH_RECOVERY_KEY" in r.stderr


def test_environment_only_secrets_do_not_need_stdin(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    key = json.loads(init(data_dir).stdout)["recovery_key"]
    env = {k: v for k, v in os.environ.items() if k not in ("WHH_PASSWORD",)}
    env.update(WHH_USER="a.becker", WHH_RECOVERY_KEY=key, WHH_NEW_PASSWORD=NEW_PW)
    r = run_cli(["--data-dir", str(data_dir), "notfallschluessel", "--json"], env, subprocess_=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"benutzername": "a.becker"}


def test_readme_path_init_demo_then_a_counsellor_sees_cases(tmp_path: Path) -> None:
    """init → demo → log in as a counsellor: three counsellor accounts, printed once, the cases spread over them."""
    from sqlalchemy import func, select

    from whh_desktop.core.services import login
    from whh_desktop.core.store.models import Case
    from whh_desktop.paths import resolve_data_dir

    data_dir = tmp_path / "data"
    assert init(data_dir).returncode == 0
    r = whh(data_dir, "demo", "--persons", "60", "--offers", "20", "--searches", "5", "--landlords", "5")
    assert r.returncode == 0, r.stderr
    assert "Drei Beratungskonten" in r.stdout and "Mira Yilmaz" in r.stdout
    r = whh(data_dir, "demo", "--persons", "5", "--offers", "5", "--searches", "1", "--landlords", "1", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["accounts"] == []  # a second fill makes no further accounts
    first = whh(tmp_path / "other", "init", "--mode", "site", "--site", "buende", "--admin", "a.becker",
                "--street", "Musterweg 3", "--plz", "32257", "--city", "Bünde", "--json")
    assert first.returncode == 0
    r = whh(tmp_path / "other", "demo", "--persons", "30", "--offers", "10", "--searches", "2", "--landlords", "2",
            "--json")
    created = json.loads(r.stdout)["accounts"]
    assert [c["benutzername"] for c in created] == ["m.yilmaz", "j.hartmann", "l.kowalski"]
    assert len({c["passwort"] for c in created}) == 3 and all(len(c["passwort"]) >= 12 for c in created)

    # each counsellor logs in with the printed password and finds own cases; none belongs to the admin
    r = whh(tmp_path / "other", "search", "BUE-", "--status", "all", "--json", user="m.yilmaz",
            password=created[0]["passwort"])
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)  # the counsellor finds cases by Aktenzeichen
    store, _user = login.unlock(resolve_data_dir(str(tmp_path / "other")), "m.yilmaz", created[0]["passwort"])
    try:
        with store.read_session() as s:
            owners = dict(s.execute(select(Case.counsellor, func.count()).group_by(Case.counsellor)).all())
    finally:
        store.close()
    assert set(owners) == {"m.yilmaz", "j.hartmann", "l.kowalski"} and sum(owners.values()) == 30
