"""Über WHH Desktop → Systemcheck: what a support call needs, without personal data."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication

from tests.conftest import COUNSELLOR, COUNSELLOR_PASSWORD
from tests.core.letters_fixtures import make_case
from tests.ui.test_forms_and_access import check
from whh_desktop.core.services import about, login, sync_keys
from whh_desktop.core.store import schema
from whh_desktop.ui.dialogs.about import AboutDialog, SystemcheckDialog


@pytest.fixture
def with_case(site_paths):
    """The Löhne store with one case (a name that must never reach the report), opened by the admin."""
    store, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    case_id = make_case(store, user, family_name="Wojciechowska", given_names="Zofia")
    from whh_desktop.core.store.models import Case

    with store.read_session() as s:
        number = s.get(Case, case_id).case_number
    store.close()
    store, _admin = login.unlock(site_paths, "a.becker", "Rotkehlchen-Wiese-42")
    yield store, number
    store.close()


def test_systemcheck_rows_cover_a_support_call(unlocked) -> None:
    store, _user = unlocked
    rows = about.systemcheck(store, extra_versions=[("Qt", "6.x"), ("PySide6", "6.x")])
    labels = {r.label for r in rows}
    for needed in ("Programmversion", "Python", "Qt", "PySide6", "SQLCipher", "SQLAlchemy", "reportlab",
                   "cryptography", "Datenbank", "Größe", "Schemaversion", "Schnellprüfung (quick_check)",
                   "Vollständige Prüfung", "Letzte Sicherung", "Letzter Export", "Letzter Import",
                   "Eigener Fingerabdruck"):
        assert needed in labels, needed
    assert {r.section for r in rows} == set(about.SECTIONS)
    by_label = {r.label: r for r in rows}
    assert by_label["Schnellprüfung (quick_check)"].status == about.OK
    assert by_label["Datenbank"].value == str(store.paths.store)
    assert by_label["Schemaversion"].status == about.OK
    assert by_label["Letzte Sicherung"].status == about.WARNING  # a fresh store has none yet
    own = sync_keys.fingerprint(sync_keys.public_key_file(store))
    assert by_label["Eigener Fingerabdruck"].value == own
    assert not any(r.status == about.ERROR for r in rows), [r for r in rows if r.status == about.ERROR]


def test_a_broken_part_is_shown_not_raised(unlocked, monkeypatch) -> None:
    store, _user = unlocked

    def broken(_store):
        raise RuntimeError("Schlüsselliste kaputt")

    monkeypatch.setattr(sync_keys, "list_keys", broken)
    rows = about.systemcheck(store)
    [keys] = [r for r in rows if r.section == "Schlüssel"]
    assert keys.status == about.ERROR and "Schlüsselliste kaputt" in keys.value
    assert any(r.label == "Letzte Sicherung" for r in rows)  # the other parts are still there


def test_about_opens_systemcheck_runs_full_check_and_copies(qtbot, answers, with_case) -> None:
    store, number = with_case
    seen: dict[str, str] = {}

    def look(dialog: SystemcheckDialog) -> None:
        check(dialog)  # accessible names, mnemonics
        assert dialog.value("Vollständige Prüfung").startswith("noch nicht")
        assert dialog.tree.topLevelItemCount() == len(about.SECTIONS)
        dialog.full_button.click()
        qtbot.waitUntil(lambda: dialog.full_button.isEnabled(), timeout=20_000)
        seen["full"] = dialog.value("Vollständige Prüfung")
        seen["status"] = dialog.status("Vollständige Prüfung")
        dialog.copy_button.click()

    answers.on(SystemcheckDialog, look)
    about_dialog = AboutDialog(store)
    qtbot.addWidget(about_dialog)
    about_dialog.check_button.click()
    assert answers.pending == []
    assert seen == {"full": "in Ordnung", "status": about.OK}
    report = QGuiApplication.clipboard().text()
    assert report.startswith("WHH Desktop – Systemcheck")
    for part in ("[Programm]", "[Datenbestand]", "[Integrität]", "[Sicherung]", "[Austausch]", "[Schlüssel]",
                 "Vollständige Prüfung: in Ordnung", f"Datenbank: {store.paths.store}",
                 f"Schemaversion: {schema.schema_label(schema.head_revision())}", "PySide6: ", "Qt: "):
        assert part in report, part
    # no personal data: neither the client's name, nor the case number, nor account names
    for secret in ("Wojciechowska", "Zofia", number, COUNSELLOR, "a.becker", "Becker"):
        assert secret not in report, secret


def test_systemcheck_dialog_marks_problems_in_words(qtbot, unlocked) -> None:
    store, _user = unlocked
    dialog = SystemcheckDialog(store)
    qtbot.addWidget(dialog)
    assert "Letzte Sicherung (bitte prüfen)" in dialog.summary.text()
    texts = [dialog.tree.topLevelItem(i).child(j).text(2) for i in range(dialog.tree.topLevelItemCount())
             for j in range(dialog.tree.topLevelItem(i).childCount())]
    assert "bitte prüfen" in texts and "in Ordnung" in texts
