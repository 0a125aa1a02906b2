"""The ``whh`` package itself: one parser per command group, the common options before and after a command, the
case lookup as a service, and the commands that had no test of their own (``init --recovery-pdf``, ``backup --to``,
``restore`` with a lost key file, ``kdu tabellen`` without a store, ``letter empfaenger``)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import COUNSELLOR, COUNSELLOR_PASSWORD
from tests.core.letters_fixtures import make_case
from tests.core.pdf_reading import pdf_text
from tests.core.test_cli import whh
from whh_desktop import __version__, cli
from whh_desktop.core.errors import NotFound, WhhError
from whh_desktop.core.services import backups, cases, kdu_tables, login, rights
from whh_desktop.core.store.changes import tombstone
from whh_desktop.core.store.keys import backup_path
from whh_desktop.core.store.models import Case
from whh_desktop.paths import DataPaths

COMMANDS = ["init", "konto", "notfallschluessel", "backup", "restore", "selftest", "search", "frist", "fall", "demo",
            "kdu", "letter", "keys", "bundle", "export", "import", "report"]


def _commands() -> dict:
    parser = cli.build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    return sub.choices


# ---- the parser --------------------------------------------------------------------------------------------------
def test_every_command_comes_from_its_group_module_in_the_listed_order() -> None:
    commands = _commands()
    assert list(commands) == COMMANDS
    modules = {name: p.get_default("func").__module__ for name, p in commands.items()}
    assert modules == {"init": "whh_desktop.cli.init", "konto": "whh_desktop.cli.konto",
                       "notfallschluessel": "whh_desktop.cli.recovery", "backup": "whh_desktop.cli.backup",
                       "restore": "whh_desktop.cli.backup", "selftest": "whh_desktop.cli.selftest",
                       "search": "whh_desktop.cli.search", "frist": "whh_desktop.cli.frist",
                       "fall": "whh_desktop.cli.fall", "demo": "whh_desktop.cli.demo", "kdu": "whh_desktop.cli.kdu",
                       "letter": "whh_desktop.cli.letter", "keys": "whh_desktop.cli.keys",
                       "bundle": "whh_desktop.cli.bundle", "export": "whh_desktop.cli.sync",
                       "import": "whh_desktop.cli.sync", "report": "whh_desktop.cli.report"}
    assert {name: p.get_default("func").__name__ for name, p in commands.items()} == {
        name: f"run_{name}" for name in COMMANDS}


def test_common_options_count_before_and_after_the_command() -> None:
    parser = cli.build_parser()
    base = ["frist", "schonfrist", "--zugestellt", "30.12.2026"]
    plain = parser.parse_args(base)
    assert (plain.json, plain.user, plain.data_dir, plain.password_stdin) == (False, None, None, False)
    before = parser.parse_args(["--json", "--user", "c.demir", "--data-dir", "/d", *base])
    assert (before.json, before.user, before.data_dir) == (True, "c.demir", "/d")
    after = parser.parse_args([*base, "--json", "--user", "c.demir", "--password-stdin"])
    assert (after.json, after.user, after.password_stdin) == (True, "c.demir", True)
    # given before the command and not after: the subcommand's copy of the option must not reset it
    mixed = parser.parse_args(["--user", "c.demir", *base, "--json"])
    assert (mixed.user, mixed.json) == ("c.demir", True)


def test_version_exits_0_and_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"WHH Desktop {__version__}"
    with pytest.raises(SystemExit) as done:
        cli.main(["frist"])
    assert done.value.code == 2 and "ART" in capsys.readouterr().err
    with pytest.raises(SystemExit) as done:
        cli.main(["report", "sachbericht", "--von", "01.01.2026", "--bis", "31.12.2026", "-o", "x.pdf",
                  "--xlsx", "x.xlsx"])  # the Sachbericht is a PDF: no table files
    assert done.value.code == 2 and "--xlsx" in capsys.readouterr().err


def test_a_refusal_prints_its_german_message_and_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = cli.main(["--data-dir", str(tmp_path), "frist", "widerspruch", "--bescheid-vom", "02.03.2026",
                     "--zugestellt-am", "03.03.2026"])
    err = capsys.readouterr().err
    assert code == 1
    assert err == "Fehler: --zugestellt-am gilt nur mit --bekanntgabe pzu, eb oder hand (förmliche Zustellung).\n"


# ---- the case lookup (a service, no query in the CLI) -----------------------------------------------------------
def test_find_case_id_by_number_or_id_and_only_live_cases(counsellor) -> None:
    store, user = counsellor
    first, second, erased = (make_case(store, user, name, "Anna", minimal=True)
                             for name in ("Aydın", "Brandt", "Claßen"))
    with store.read_session() as s:
        number = s.get(Case, first).case_number
        assert cases.find_case_id(s, number) == first
        assert cases.find_case_id(s, f"  {number}\n") == first
        assert cases.find_case_id(s, str(second)) == second
        assert cases.find_case_id(s, f" {str(second).upper()} ") == second
    with store.session(user.username) as s:
        tombstone(s.get(Case, second))
    rights.erase_case(store, user, erased, "request")
    with store.read_session() as s:
        gone = [str(second), s.get(Case, second).case_number, str(erased), s.get(Case, erased).case_number,
                number.lower(), "LOE-1999-9999", "kein-fall"]
        for text in gone:
            with pytest.raises(NotFound) as refused:
                cases.find_case_id(s, text)
            assert str(refused.value) == f"Einen Fall »{text}« gibt es nicht (Aktenzeichen oder Fall-ID)."
            assert refused.value.field == "case"


def test_letter_recipients_by_case_number_or_id_through_the_cli(site_paths: DataPaths) -> None:
    store, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    try:
        case_id = make_case(store, user)
        with store.read_session() as s:
            number = s.get(Case, case_id).case_number
    finally:
        store.close()
    as_counsellor = {"user": COUNSELLOR, "password": COUNSELLOR_PASSWORD}
    by_number = whh(site_paths.root, "letter", "empfaenger", "jc_mietschulden", "--case", number, "--json",
                    **as_counsellor)
    assert by_number.returncode == 0, by_number.stderr
    listed = json.loads(by_number.stdout)
    assert listed[0]["name"] == "Jobcenter Herford – Geschäftsstelle Löhne"  # the case's municipality first
    by_id = whh(site_paths.root, "letter", "empfaenger", "jc_mietschulden", "--case", str(case_id), "--json",
                **as_counsellor)
    assert json.loads(by_id.stdout) == listed
    unknown = whh(site_paths.root, "letter", "empfaenger", "jc_mietschulden", "--case", "LOE-1999-9999",
                  **as_counsellor)
    assert unknown.returncode == 1
    assert unknown.stderr == "Fehler: Einen Fall »LOE-1999-9999« gibt es nicht (Aktenzeichen oder Fall-ID).\n"


# ---- commands that had no test ----------------------------------------------------------------------------------
def test_init_writes_the_recovery_sheet_user_only(tmp_path: Path) -> None:
    sheet = tmp_path / "notfall.pdf"
    r = whh(tmp_path / "data", "init", "--mode", "site", "--site", "vlotho", "--admin", "a.becker", "--street",
            "Lange Straße 1", "--plz", "32602", "--city", "Vlotho", "--recovery-pdf", str(sheet), "--json")
    assert r.returncode == 0, r.stderr
    key = json.loads(r.stdout)["recovery_key"]
    text = pdf_text(sheet.read_bytes())
    assert "Notfallschlüssel" in text and "Vlotho" in text
    assert all(group in text for group in key.split("-"))
    if os.name == "posix":
        assert stat.S_IMODE(sheet.stat().st_mode) == 0o600


def test_backup_to_an_external_folder_and_a_missing_one(site_paths: DataPaths, tmp_path: Path) -> None:
    drive = tmp_path / "stick"
    drive.mkdir()
    r = whh(site_paths.root, "backup", "--to", str(drive), "--json")
    assert r.returncode == 0, r.stderr
    written = Path(json.loads(r.stdout)["path"])
    assert written.parent == drive and written.is_file() and written.with_suffix(".key").is_file()
    r = whh(site_paths.root, "backup", "--to", str(tmp_path / "abgezogen"))
    assert r.returncode == 1
    assert r.stderr == (f"Fehler: Der Ordner {tmp_path / 'abgezogen'} ist nicht erreichbar. Ist das Laufwerk "
                        "angeschlossen?\n")


def test_restore_brings_back_a_lost_key_file_from_beside_the_backup(site_paths: DataPaths) -> None:
    r = whh(site_paths.root, "backup", "--json")
    backup = Path(json.loads(r.stdout)["path"])
    site_paths.key_file.unlink()
    backup_path(site_paths.key_file).unlink()
    r = whh(site_paths.root, "restore", str(backup), "--yes")
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"Wiederhergestellt aus {backup.name}. Bitte neu anmelden.\n"
    r = whh(site_paths.root, "selftest", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["ok"] is True


def test_restore_key_file_if_lost_keeps_a_good_one_and_names_a_missing_copy(site_paths: DataPaths,
                                                                           tmp_path: Path) -> None:
    backup = tmp_path / "sicherung.whhbak"
    backup.write_bytes(b"not read")
    backup.with_suffix(".key").write_bytes(b"a different key file")
    good = site_paths.key_file.read_bytes()
    backups.restore_key_file_if_lost(site_paths, backup)
    assert site_paths.key_file.read_bytes() == good  # a loadable key file is never replaced
    site_paths.key_file.write_bytes(b"{damaged")
    backups.restore_key_file_if_lost(site_paths, backup)
    repaired = site_paths.key_file.read_bytes()  # from its own .bak, not from beside the backup
    assert repaired != b"a different key file" and json.loads(repaired)["store_id"] == json.loads(good)["store_id"]
    for copy in (site_paths.key_file, backup_path(site_paths.key_file)):
        copy.write_bytes(b"{damaged")  # both copies damaged: the one beside the backup is taken
    backups.restore_key_file_if_lost(site_paths, backup)
    assert site_paths.key_file.read_bytes() == b"a different key file"
    backup.with_suffix(".key").unlink()
    site_paths.key_file.unlink()
    backup_path(site_paths.key_file).unlink()
    with pytest.raises(WhhError, match=r"^Neben der Sicherung liegt keine Schlüsseldatei \(sicherung.key\)\.$"):
        backups.restore_key_file_if_lost(site_paths, backup)


def test_kdu_tables_without_a_store_are_the_shipped_table(tmp_path: Path) -> None:
    r = whh(tmp_path / "nichts", "kdu", "tabellen", "--json", password=None, user=None)
    assert r.returncode == 0, r.stderr
    (table,) = json.loads(r.stdout)
    shipped = kdu_tables.seed_table()
    assert table["id"] is None and table == json.loads(json.dumps(shipped.to_dict(), default=str)) | {"id": None}
    r = whh(tmp_path / "nichts", "kdu", "tabellen", password=None, user=None)
    assert r.stdout.splitlines()[0] == shipped.version + (
        f" bis {shipped.valid_until:%d.%m.%Y}" if shipped.valid_until else "")
    assert len(r.stdout.splitlines()) == 1 + len(shipped.areas)
