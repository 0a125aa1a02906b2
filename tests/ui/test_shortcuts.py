"""Keyboard first in the main window (issue 18 point 3): Ctrl+F searches, Ctrl+N takes in, Enter opens the single
hit or the chosen row in every work list, and the menus show the shortcuts."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import COUNSELLOR, COUNSELLOR_PASSWORD
from tests.core.test_housing import search_data
from tests.ui.conftest import open_window
from tests.ui.test_keyboard_story import CaseView, KeyDriver
from tests.ui.test_landlords_view import site_market  # noqa: F401  (the fixture: a site store with the registry)
from whh_desktop.core.services import casework, fristen, housing_search, intake, login
from whh_desktop.core.services.casework import EvictionData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui.dialogs.housing_search import HousingSearchDialog
from whh_desktop.ui.dialogs.intake import IntakeDialog
from whh_desktop.ui.dialogs.landlord_dialogs import LandlordDetailDialog

TODAY = date.today()


def _case(store, user, family: str, given: str = "Test") -> object:
    return intake.save_intake(store, user, IntakeData(
        family_name=family, given_names=given, birth_date=date(1981, 3, 4), municipality="Löhne",
        category="raeumungsklage", category_since=TODAY - timedelta(days=3)), draft=False,
        today=TODAY - timedelta(days=3))[0]


def open_by(keys: KeyDriver, chord: str) -> list[object]:
    """Press ``chord``; the ids of the cases it opened (as a case file dialog or as a page of the main window)."""
    opened: list[object] = []
    case = CaseView(keys, keys.answers)
    case.expect_opening(lambda c: opened.append(c.case_view().case_id))
    keys.chord(chord)
    case.run_on_page(keys.main)
    return opened


def tab_to(keys: KeyDriver, widget, most: int = 12) -> None:
    """Tab through the window until ``widget`` has the focus, as a user would."""
    for _ in range(most):
        if keys.focused() is widget:
            return
        keys.chord("Tab")
    assert keys.focused() is widget, f"Tab never reached {widget.accessibleName()!r}"


def window_of(qtbot, site_paths, answers):
    win = open_window(qtbot, site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    return win, KeyDriver(qtbot, win, answers)


def test_ctrl_f_finds_and_enter_opens_the_single_hit_else_the_chosen_row(qtbot, site_paths, answers) -> None:
    store, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    brandt = _case(store, user, "Brandt")
    _case(store, user, "Wagner", "Anna")
    wagner_karl = _case(store, user, "Wagner", "Karl")
    store.close()
    win, keys = window_of(qtbot, site_paths, answers)
    try:
        assert win.pages.currentWidget() is win.views["Mein Tag"]
        keys.chord("Ctrl+F")  # from the start page: to Fälle, into the search
        cases = win.views["Fälle"]
        assert win.pages.currentWidget() is cases and keys.focused() is cases.search
        keys.type("brandt")
        assert open_by(keys, "Return") == [brandt]

        keys.chord("Ctrl+F")  # the old text is selected: typing replaces it
        assert cases.search.selectedText() == "brandt"
        keys.type("wagner")
        keys.chord("Return")  # two hits: into the list, nothing opened yet
        assert keys.focused() is cases.table
        keys.chord("Down")
        assert open_by(keys, "Return") == [cases.model.row_at(1).id]
        assert wagner_karl in {cases.model.row_at(r).id for r in (0, 1)}
        assert not answers.pending
    finally:
        win.close()
        win.store.close()


def test_ctrl_n_opens_the_intake_from_anywhere_and_the_menus_show_the_shortcuts(qtbot, site_paths, answers) -> None:
    win, keys = window_of(qtbot, site_paths, answers)
    try:
        win.show_area("Fristen")
        seen: list[bool] = []
        answers.on(IntakeDialog, lambda d: seen.append(d.windowTitle() == "Erstaufnahme"))
        keys.chord("Ctrl+N")
        assert seen == [True]
        file_menu = win.menuBar().actions()[0].menu()
        entries = {a.text().replace("&", ""): a.shortcut().toString() for a in file_menu.actions() if a.text()}
        assert entries["Neue Erstaufnahme…"] == "Ctrl+N"
        view_menu = win.menuBar().actions()[1].menu()
        assert {a.text().replace("&", ""): a.shortcut().toString()
                for a in view_menu.actions() if a.text()}["Suchen"] == "Ctrl+F"
        win.lock()
        assert not win.intake_action.isEnabled() and not win.search_action.isEnabled()
    finally:
        win.close()
        win.store.close()


def test_the_admin_has_no_intake_and_no_case_search(window) -> None:
    assert window.intake_action is None and window.search_action is None
    names = [a.objectName() for a in window.findChildren(type(window.lock_action))]
    assert "action_intake" not in names and "action_search" not in names


def test_enter_in_fristen_opens_the_case_of_the_deadline(qtbot, site_paths, answers) -> None:
    store, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    case_id = _case(store, user, "Brandt")
    casework.save_eviction(store, user, case_id, EvictionData(termination_kind="fristlos_verzug",
                                                              suit_served_on=TODAY - timedelta(days=5)))
    store.close()
    win, keys = window_of(qtbot, site_paths, answers)
    try:
        keys.chord(f"Ctrl+{win.nav_labels().index('Fristen') + 1}")
        view = win.views["Fristen"]
        assert view.table.rowCount() >= 1
        tab_to(keys, view.table)
        assert open_by(keys, "Return") == [case_id]
    finally:
        win.close()
        win.store.close()


def test_enter_in_the_landlords_and_housing_lists_opens_what_double_click_opens(qtbot, site_market,  # noqa: F811
                                                                                 answers) -> None:
    store, user, case_id, landlord_id, _offer = site_market
    housing_search.save_search(store, user, case_id, search_data(household_size=1))
    win = open_window(qtbot, store.paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    keys = KeyDriver(qtbot, win, answers)
    try:
        keys.chord(f"Ctrl+{win.nav_labels().index('Vermieter und Wohnungen') + 1}")
        keys.chord("Ctrl+F")  # the landlord search of that area, not the case search
        landlords = win.views["Vermieter und Wohnungen"].landlords_tab
        assert keys.focused() is landlords.search
        opened: list[object] = []
        answers.on(LandlordDetailDialog, lambda d: opened.append(d.landlord_id))
        tab_to(keys, landlords.table)
        keys.chord("Return")
        assert opened == [landlord_id]

        keys.chord(f"Ctrl+{win.nav_labels().index('Wohnungssuche') + 1}")
        searches = win.views["Wohnungssuche"].searches
        tab_to(keys, searches.searches)
        answers.on(HousingSearchDialog, lambda d: opened.append(d.case_id))
        keys.chord("Return")
        assert opened[-1] == case_id
        keys.chord("Ctrl+F")  # the households' tab has no text search: the case search it is
        assert keys.focused() is win.views["Fälle"].search
    finally:
        win.close()
        win.store.close()


def test_the_handbook_lists_the_keys() -> None:
    from whh_desktop.ui.dialogs.handbook import handbook_text

    keys = handbook_text().split("## Tastatur", 1)[1]
    for key in ("Strg+N", "Strg+F", "Enter im Suchfeld", "Enter in einer Liste", "Enter im Brief", "F1"):
        assert key in keys, key


def test_tab_from_the_navigation_into_mein_tag_and_enter_opens_the_line(qtbot, site_paths, answers) -> None:
    store, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    case_id = _case(store, user, "Brandt")
    fristen.add_follow_up(store, user, case_id, TODAY, "Unterlagen nachfragen")
    store.close()
    win, keys = window_of(qtbot, site_paths, answers)
    try:
        follow_ups = win.views["Mein Tag"].sections["follow_ups"].list
        tab_to(keys, follow_ups)
        assert open_by(keys, "Return") == [case_id]
    finally:
        win.close()
        win.store.close()


def test_a_choice_list_finds_an_entry_by_any_part_of_it(qtbot) -> None:
    from PySide6.QtWidgets import QComboBox

    from whh_desktop.core.domain.enums import Category
    from whh_desktop.ui.widgets.combo_search import TypeToFind

    box = QComboBox()
    qtbot.addWidget(box)
    for c in Category:
        box.addItem(c.label, c.value)
    find = TypeToFind(box)
    assert box.itemData(find.find("räumungsk")) == "raeumungsklage"
    assert box.itemData(find.find("Raeumungstermin")) == "raeumungstermin"  # umlauts folded like the search
    assert box.itemData(find.find("bedroht")) == "kuendigung"  # a beginning wins: the first »bedroht: …«
    assert find.find("gibtesnicht") == -1
    box.show()
    box.setFocus()
    qtbot.keyClicks(box, "Bekannten")
    assert box.currentData() == "bei_bekannten"
