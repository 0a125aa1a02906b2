"""``whh`` as an admin or a script uses it: German messages, no tracebacks, exit codes 0/1/2. ``main()`` runs in the
test process (tests/cli_runner.py); a real subprocess where the process itself is tested."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli_runner import run_cli

PW = "Rotkehlchen-Wiese-42"


def whh(data_dir: Path, *args: str, password: str | None = PW, stdin: str | None = None,
        user: str | None = "a.becker", subprocess_: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("WHH_PASSWORD", "WHH_USER")}
    if password is not None:
        env["WHH_PASSWORD"] = password
    if user is not None:
        env["WHH_USER"] = user
    return run_cli(["--data-dir", str(data_dir), *args], env, input=stdin, subprocess_=subprocess_)


def init(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return whh(data_dir, "init", "--mode", "site", "--site", "buende", "--admin", "a.becker",
               "--admin-name", "Anna Becker", "--street", "Musterweg 3", "--plz", "32257", "--city", "Bünde",
               "--json")


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("cli") / "data"
    result = init(data_dir)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["recovery_key"].split("-")) == 8
    return data_dir


def test_init_backup_selftest(cli_store: Path) -> None:
    r = whh(cli_store, "backup", "--json")
    assert r.returncode == 0, r.stderr
    assert Path(json.loads(r.stdout)["path"]).exists()
    r = whh(cli_store, "selftest", "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["ok"] is True and report["Integritätsprüfung"] == "in Ordnung"
    from whh_desktop.core.store.schema import head_revision, schema_label

    assert report["Schemaversion"].startswith(schema_label(head_revision()) + " ")
    assert "Bünde" in report["Standort"]


def test_password_from_stdin(cli_store: Path) -> None:
    r = whh(cli_store, "selftest", "--password-stdin", password=None, stdin=PW + "\n", subprocess_=True)
    assert r.returncode == 0, r.stderr
    assert "Selbsttest: in Ordnung" in r.stdout


def test_wrong_or_missing_password_gives_german_message_without_traceback(cli_store: Path) -> None:
    r = whh(cli_store, "selftest", password="Voellig-falsch-000", subprocess_=True)  # the exit code of the process
    assert r.returncode == 1
    assert "Benutzername oder Passwort ist falsch" in r.stderr and "Traceback" not in r.stderr
    r = whh(cli_store, "selftest", password=None)
    assert r.returncode == 1 and "WHH_PASSWORD" in r.stderr


def test_init_refuses_bad_input(tmp_path: Path) -> None:
    r = whh(tmp_path / "x", "init", "--mode", "site", "--site", "paderborn", "--admin", "a.becker",
            "--street", "Weg 1", "--plz", "32257", "--city", "Bünde")
    assert r.returncode == 1 and "Unbekannter Standort" in r.stderr
    r = whh(tmp_path / "y", "init", "--mode", "site", "--site", "vlotho", "--admin", "a.becker",
            "--street", "Weg 1", "--plz", "3260", "--city", "Vlotho")
    assert r.returncode == 1 and "Postleitzahl" in r.stderr
    r = whh(tmp_path / "z", "init", "--mode", "district", "--admin", "a.becker", "--street", "Weg 1",
            "--plz", "32051", "--city", "Herford", password="kurz")
    assert r.returncode == 1 and "mindestens 12 Zeichen" in r.stderr
    assert "Traceback" not in r.stderr


def test_restore_needs_confirmation_and_then_works(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert init(data_dir).returncode == 0
    backup = Path(json.loads(whh(data_dir, "backup", "--json").stdout)["path"])
    r = whh(data_dir, "restore", str(backup))
    assert r.returncode == 1 and "--yes" in r.stderr
    r = whh(data_dir, "restore", str(backup), "--yes")
    assert r.returncode == 0, r.stderr
    assert "Wiederhergestellt" in r.stdout
    r = whh(data_dir, "selftest", "--json")
    assert json.loads(r.stdout)["Epoche"] == "2"


def test_a_second_process_is_refused_while_the_store_is_in_use(cli_store: Path) -> None:
    from whh_desktop.core.store.lock import InstanceLock
    from whh_desktop.paths import DataPaths

    with InstanceLock(DataPaths(cli_store).lock_file):
        r = whh(cli_store, "backup", subprocess_=True)
    assert r.returncode == 1 and "bereits geöffnet" in r.stderr


def test_frist_commands_need_no_store_and_answer_in_json(tmp_path: Path) -> None:
    r = whh(tmp_path, "frist", "schonfrist", "--zugestellt", "30.12.2026", "--json", password=None, user=None)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["fristende"] == "01.03.2027"
    r = whh(tmp_path, "frist", "widerspruch", "--bescheid-vom", "02.03.2026", "--json", password=None, user=None)
    assert json.loads(r.stdout)["fristende"] == "07.04.2026"
    r = whh(tmp_path, "frist", "klage", "--bescheid-vom", "02.03.2026", "--ohne-belehrung", password=None, user=None)
    assert "§ 66 SGG" in r.stdout
    r = whh(tmp_path, "frist", "schonfrist", "--zugestellt", "31.02.2026", password=None, user=None)
    assert r.returncode == 1 and "gibt es nicht" in r.stderr


def test_search_finds_folded_and_phonetic(cli_store: Path) -> None:
    from datetime import date

    from whh_desktop.core.services import accounts, intake, login
    from whh_desktop.core.services.intake import IntakeData
    from whh_desktop.core.store.models import Role
    from whh_desktop.paths import DataPaths

    store, admin = login.unlock(DataPaths(cli_store), "a.becker", PW)
    accounts.create_account(store, admin, "c.demir", "Cem Demir", Role.BERATUNG, "Lindenblatt-Sued-2026")
    store.close()
    store, user = login.unlock(DataPaths(cli_store), "c.demir", "Lindenblatt-Sued-2026")
    try:
        intake.save_intake(store, user, IntakeData(family_name="Müller", given_names="Anna",
                                                   birth_date=date(1970, 3, 12)), draft=True)
        intake.save_intake(store, user, IntakeData(family_name="Maier", given_names="Jörg"), draft=True)
    finally:
        store.close()
    r = whh(cli_store, "search", "mueller")
    assert r.returncode == 1 and "nicht Fallinhalte" in r.stderr  # a.becker is an admin
    r = whh(cli_store, "search", "mueller", "--json", user="c.demir", password="Lindenblatt-Sued-2026")
    assert r.returncode == 0, r.stderr
    hits = json.loads(r.stdout)
    assert [(h["family_name"], h["match"]) for h in hits] == [("Müller", "exact")]
    assert hits[0]["case_number"].startswith("BUE-")
    r = whh(cli_store, "search", "Meier", user="c.demir", password="Lindenblatt-Sued-2026")
    assert "Ähnlich klingend" in r.stdout and "Maier" in r.stdout
