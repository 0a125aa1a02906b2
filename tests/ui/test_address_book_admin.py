"""Verwaltung → Adressbuch: a site keeps its own entries beside the read-only district list; the district store
edits the district list. Real stores; every modal dialog answered through ``answers``."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from tests.ui.conftest import click, set_text
from whh_desktop.core.services import address_book
from whh_desktop.core.services.address_book import EntryData
from whh_desktop.ui.views.admin.address_book import (
    DISTRICT_LIST,
    SITE_LIST,
    AddressBookController,
    AddressBookTab,
    EntryDialog,
)
from whh_desktop.ui.widgets.fields import is_marked

OWN = EntryData(kind="suchtberatung", name="Suchtberatung Beispiel Löhne", department="Offene Sprechstunde",
                street="Beispielweg 12", plz="32584", city="Löhne", phone="05732 000000",
                municipalities="Löhne", note="Dienstags ohne Termin.")


def make_tab(qtbot, store, user) -> AddressBookTab:
    widget = AddressBookTab(AddressBookController(store, user))
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def tab(qtbot, unlocked) -> AddressBookTab:
    return make_tab(qtbot, *unlocked)


def ok(dialog: EntryDialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def index_of(tab: AddressBookTab, name: str) -> int:
    return next(i for i, r in enumerate(tab.rows) if r.name == name)


def first_district(tab: AddressBookTab) -> int:
    return next(i for i, r in enumerate(tab.rows) if r.district)


def own_entry(tab: AddressBookTab, data: EntryData = OWN):
    entry_id = address_book.save_entry(tab.controller.store, tab.controller.user, data)
    tab.refresh()
    return entry_id


def test_a_site_sees_the_district_list_read_only_and_why(qtbot, tab, answers) -> None:
    assert [tab.table.horizontalHeaderItem(i).text() for i in range(3)] == ["Liste", "Art", "Name"]
    assert tab.rows and all(r.district for r in tab.rows)  # seeded by migration 0005
    assert "nur lesbar" in tab.explain.text() and "Datenbestand des Kreises" in tab.explain.text()
    row = first_district(tab)
    tab.table.selectRow(row)
    assert tab.table.cell(row, 0) == DISTRICT_LIST
    assert not tab.edit_button.isEnabled() and not tab.delete_button.isEnabled()
    assert "Liste des Kreises" in tab.edit_button.toolTip()
    seen = {}

    def look(dialog: EntryDialog) -> None:
        seen["title"] = dialog.windowTitle()
        seen["read_only"] = dialog.name.isReadOnly() and not dialog.kind.isEnabled()
        seen["ok_hidden"] = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).isHidden()
        seen["name"] = dialog.name.text()

    answers.on(EntryDialog, look)
    tab.table.doubleClicked.emit(tab.table.model().index(row, 1))  # double-click: view, not edit
    assert seen["read_only"] and seen["ok_hidden"] and "nur lesbar" in seen["title"]
    assert seen["name"] == tab.rows[row].name


def test_new_entry_refuses_bad_input_in_german_and_keeps_what_was_typed(qtbot, tab, answers) -> None:
    before = len(tab.rows)
    seen = {}

    def fill(dialog: EntryDialog) -> None:
        dialog.kind.setCurrentIndex(dialog.kind.findData("suchtberatung"))
        set_text(dialog.name, OWN.name)
        set_text(dialog.department, OWN.department)
        set_text(dialog.street, OWN.street)
        set_text(dialog.plz, "3258")
        set_text(dialog.city, OWN.city)
        set_text(dialog.phone, OWN.phone)
        set_text(dialog.email, "post@beispiel")
        set_text(dialog.municipalities, OWN.municipalities)
        dialog.note.setPlainText(OWN.note)
        ok(dialog)
        seen["plz"] = (dialog.isVisible(), dialog.message.text(), is_marked(dialog.plz))
        set_text(dialog.plz, OWN.plz)
        ok(dialog)
        seen["email"] = (dialog.isVisible(), dialog.message.text(), is_marked(dialog.email),
                         is_marked(dialog.plz), dialog.name.text())
        set_text(dialog.email, "")
        ok(dialog)
        seen["closed"] = not dialog.isVisible()

    answers.on(EntryDialog, fill)
    tab.new_button.click()
    assert seen["plz"] == (True, "Die Postleitzahl hat fünf Ziffern, z. B. 32052.", True)
    assert seen["email"] == (True, "Die E-Mail-Adresse ist ungültig (Beispiel: post@example.org).", True, False,
                             OWN.name)
    assert seen["closed"] and len(tab.rows) == before + 1
    row = tab.selected()
    assert row is not None and row.name == OWN.name and not row.district
    assert tab.table.cell(tab.rows.index(row), 0) == SITE_LIST
    assert tab.table.cell(tab.rows.index(row), 1) == "Suchtberatung"
    assert tab.edit_button.isEnabled() and tab.delete_button.isEnabled()
    assert row.note == OWN.note and "angelegt" in tab.message.text()


def test_an_entry_without_address_is_refused(qtbot, tab, answers) -> None:
    seen = {}

    def fill(dialog: EntryDialog) -> None:
        ok(dialog)
        seen["empty"] = (dialog.message.text(), is_marked(dialog.name))
        set_text(dialog.name, "Jobcenter Beispiel")
        ok(dialog)
        seen["street"] = (dialog.isVisible(), dialog.message.text(), is_marked(dialog.street))

    answers.on(EntryDialog, fill)
    tab.new_button.click()
    assert seen["empty"] == ("Bitte den Namen der Stelle angeben.", True)
    assert seen["street"][0] and "ohne Anschrift kann kein Brief adressiert werden" in seen["street"][1]
    assert seen["street"][2]
    assert all(r.name != "Jobcenter Beispiel" for r in tab.rows)


def test_edit_changes_the_entry_and_keeps_its_note(qtbot, tab, answers) -> None:
    entry_id = own_entry(tab)
    assert tab.select(entry_id)
    seen = {}

    def change(dialog: EntryDialog) -> None:
        seen["loaded"] = (dialog.windowTitle(), dialog.note.toPlainText(), dialog.kind.currentData(),
                          dialog.department.text())
        set_text(dialog.phone, "05732 111111")
        ok(dialog)

    answers.on(EntryDialog, change)
    tab.edit_button.click()
    assert seen["loaded"] == ("Adressbuch-Eintrag ändern", OWN.note, "suchtberatung", OWN.department)
    row = tab.selected()
    assert row is not None and row.id == entry_id and row.phone == "05732 111111"
    assert row.note == OWN.note and "gespeichert" in tab.message.text()


def test_an_entry_deleted_meanwhile_is_named_in_the_dialog(qtbot, tab, answers) -> None:
    entry_id = own_entry(tab)
    tab.select(entry_id)
    seen = {}

    def change(dialog: EntryDialog) -> None:
        address_book.delete_entry(tab.controller.store, tab.controller.user, entry_id)
        set_text(dialog.phone, "05732 222222")
        ok(dialog)
        seen["message"] = (dialog.isVisible(), dialog.message.text(), dialog.phone.text())

    answers.on(EntryDialog, change)
    tab.edit_button.click()
    assert seen["message"] == (True, "Diesen Adressbuch-Eintrag gibt es nicht (mehr).", "05732 222222")


def test_delete_asks_first(qtbot, tab, answers) -> None:
    entry_id = own_entry(tab)
    tab.select(entry_id)
    answers.on(QMessageBox, lambda box: click(box, "Abbrechen"))
    tab.delete_button.click()
    assert any(r.id == entry_id for r in tab.rows)
    assert f"»{OWN.name}«" in answers.texts[0] and "bleiben unverändert" in answers.texts[0]
    answers.on(QMessageBox, lambda box: click(box, "Löschen"))
    tab.delete_button.click()
    assert all(r.id != entry_id for r in tab.rows) and "gelöscht" in tab.message.text()
    with tab.controller.store.read_session() as s:
        assert all(r.id != entry_id for r in address_book.list_entries(s))


def test_search_and_kind_filter(qtbot, tab) -> None:
    entry_id = own_entry(tab)
    total = len(tab.rows)
    tab.kind_filter.setCurrentIndex(tab.kind_filter.findData("suchtberatung"))
    assert tab.rows and all(r.kind == "suchtberatung" for r in tab.rows) and len(tab.rows) < total
    tab.kind_filter.setCurrentIndex(tab.kind_filter.findData("amtsgericht"))
    assert all(r.id != entry_id for r in tab.rows)
    tab.kind_filter.setCurrentIndex(0)
    qtbot.keyClicks(tab.search, "sprechstunde")  # the department, any case
    assert [r.id for r in tab.rows] == [entry_id] and tab.count.text() == "1 Eintrag"
    set_text(tab.search, "gibt es nicht xyz")
    assert tab.rows == [] and tab.count.text() == "0 Einträge"


def test_the_district_edits_its_list(qtbot, district, answers) -> None:
    widget = make_tab(qtbot, *district)
    assert "Datenbestand des Kreises" in widget.explain.text() and "verteilt" in widget.explain.text()
    row = first_district(widget)
    widget.table.selectRow(row)
    old = widget.rows[row]
    assert widget.edit_button.isEnabled()

    def change(dialog: EntryDialog) -> None:
        set_text(dialog.phone, "05221 000000")
        ok(dialog)

    answers.on(EntryDialog, change)
    widget.edit_button.click()
    changed = next(r for r in widget.rows if r.id == old.id)
    assert changed.phone == "05221 000000" and changed.district


def test_a_counsellor_sees_the_address_book_read_only(qtbot, counsellor) -> None:
    widget = make_tab(qtbot, *counsellor)
    assert not widget.new_button.isEnabled() and "pflegt die Administration" in widget.explain.text()
    widget.table.selectRow(0)
    assert not widget.edit_button.isEnabled() and widget.view_button.isEnabled()
    assert widget.edit_button.toolTip() == "Das Adressbuch pflegt die Administration."
