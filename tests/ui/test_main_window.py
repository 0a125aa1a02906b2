"""The main window: status bar, navigation per role, menus, overview, about."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.conftest import COUNSELLOR
from whh_desktop.core.store import schema
from whh_desktop.ui import areas
from whh_desktop.ui.dialogs.about import AboutDialog
from whh_desktop.ui.dialogs.change_password import ChangePasswordDialog


def menu_texts(win) -> dict[str, list[str]]:
    return {menu.title().replace("&", ""): [a.text().replace("&", "") for a in menu.actions() if a.text()]
            for menu in (a.menu() for a in win.menuBar().actions())}


def test_admin_sees_overview_and_administration_and_the_status_bar(window) -> None:
    labels = window.nav_labels()  # areas of later issues may be registered too; admins see no case areas
    assert labels[0] == "Übersicht" and labels[-1] == "Verwaltung"
    assert window.user_label.text() == "Angemeldet: Anna Becker (Admin)"
    assert window.site_label.text() == "Löhne · Beratungsstelle"
    assert window.lock_label.text() == "Entsperrt · Sperre nach 5 Min."
    assert window.export_label.toolTip() == "Letzte Sicherung: noch keine"  # the fifth item folded into the export
    menus = menu_texts(window)
    assert menus["Datei"] == ["Sperren", "Eigenes Passwort ändern…", "Datensicherung…", "Abmelden", "Beenden"]
    assert menus["Ansicht"] == labels
    assert menus["Hilfe"] == ["Handbuch", "Über WHH Desktop"]


def test_counsellor_does_not_see_administration(counsellor_window) -> None:
    win = counsellor_window
    assert win.nav_labels()[0] == "Mein Tag" and "Verwaltung" not in win.nav_labels()
    assert "Übersicht" not in win.nav_labels()  # the store statistics (with the Protokoll) are the admin's page
    assert "Datensicherung…" not in menu_texts(win)["Datei"]
    assert win.user_label.text() == "Angemeldet: Birgit Schulz (Beratung)"


def test_counsellor_changes_her_own_password_from_the_menu(qtbot, counsellor_window, answers) -> None:
    from whh_desktop.core.services import login

    def change(dialog: ChangePasswordDialog) -> None:
        assert not dialog.old.isHidden()
        qtbot.keyClicks(dialog.old, "Kastanienallee-Nord-17")
        qtbot.keyClicks(dialog.new1, "Lindenblueten-Tee-2027")
        qtbot.keyClicks(dialog.new2, "Lindenblueten-Tee-2027")
        dialog.submit()

    answers.on(ChangePasswordDialog, change).ok()
    counsellor_window.password_action.trigger()
    assert answers.texts == ["Ihr Passwort wurde geändert."]
    store, _ = login.unlock(counsellor_window.store.paths, COUNSELLOR, "Lindenblueten-Tee-2027")
    store.close()


def test_navigation_by_keyboard_shortcut_and_list(qtbot, window) -> None:
    index = window.nav_labels().index("Verwaltung")
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_{index + 1}"), Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.views["Verwaltung"]
    window.nav.setCurrentRow(1)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Up)
    assert window.pages.currentWidget() is window.views["Übersicht"]
    assert window.area_actions.actions()[0].isChecked()


def test_registry_adds_an_area_without_touching_the_window(qtbot, site_paths) -> None:
    from PySide6.QtWidgets import QLabel

    from tests.ui.conftest import open_window

    areas.register(areas.Area("test_area", "Testbereich", lambda store, user, shell: QLabel("Testbereich"),
                              order=areas.ORDER["cases"] + 1))
    try:
        win = open_window(qtbot, site_paths, "a.becker", "Rotkehlchen-Wiese-42")
        labels = win.nav_labels()
        assert labels.index("Übersicht") < labels.index("Testbereich") < labels.index("Verwaltung")
        win.close()
        win.store.close()
    finally:
        areas.unregister("test_area")


def test_overview_names_site_counts_and_backup(window) -> None:
    overview = window.views["Übersicht"]
    assert overview.title.text().endswith(", Anna Becker")
    assert overview.value("Standort") == "Löhne (Beratungsstelle)"
    assert overview.value("Konten") == "2"
    assert overview.value("Personen im Datenbestand") == "0"
    assert overview.value("Letzte Datensicherung") == "noch keine"
    assert overview.value("Protokoll").startswith("Protokoll unverändert")


def test_about_shows_version_store_path_and_schema(qtbot, window, answers) -> None:
    shown = {}

    def look(dialog: AboutDialog) -> None:
        shown.update(dict(dialog.rows))
        dialog.copy()

    answers.on(AboutDialog, look)
    window.about_action.trigger()
    assert shown["Schemaversion"].startswith(schema.schema_label(schema.head_revision()))
    assert shown["Datenbank"] == str(window.store.paths.store)
    assert shown["Programmversion"] and "/" in shown["Qt / PySide6"]
    from PySide6.QtGui import QGuiApplication

    assert "Schemaversion:" in QGuiApplication.clipboard().text()


def test_unexpected_errors_are_shown_in_german_without_traceback(qtbot, answers) -> None:
    from whh_desktop.ui import messages

    answers.on(QMessageBox, lambda box: box.accept())
    messages.show_error(None, KeyError("secret detail"))
    assert answers.texts == [messages.UNEXPECTED]
