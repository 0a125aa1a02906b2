"""Fälle, Fallakte and Fristen as a counsellor uses them (issue 02)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import click
from whh_desktop.core.demo import fill_demo
from whh_desktop.core.services import cases, casework, intake
from whh_desktop.core.services.casework import EvictionData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui.case_file.workspace import CaseWorkspace
from whh_desktop.ui.dialogs.case_file import CloseDialog, ContactDialog
from whh_desktop.ui.views.cases import CasesView
from whh_desktop.ui.views.fristen import FristenView, badge_label

TODAY = date.today()


@pytest.fixture
def filled(counsellor):
    store, user = counsellor
    fill_demo(store, user.username, 300, seed=4)
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Müller", given_names="Łukasz", birth_date=date(1970, 3, 12), municipality="Löhne",
        category="raeumungsklage", category_since=TODAY - timedelta(days=20)), draft=False,
        today=TODAY - timedelta(days=20))
    casework.save_eviction(store, user, case_id, EvictionData(
        termination_kind="fristlos_verzug", suit_served_on=TODAY - timedelta(days=59)))
    return store, user, case_id


def test_search_as_you_type_with_folding_phonetics_and_lazy_rows(qtbot, filled) -> None:
    store, user, _ = filled
    view = CasesView(store, user)
    qtbot.addWidget(view)
    assert view.model.rowCount() > 100 and view.model.pages_loaded == 0  # nothing loaded before it is shown
    view.search.setText("mueller lukasz")
    assert view.model.exact_count == 1
    assert view.model.row_at(0).family_name == "Müller"
    assert view.model.pages_loaded == 1
    view.search.setText("12.3.1970")
    assert view.model.exact_count == 1
    view.search.setText("Möller")
    assert view.model.phonetic_count == 3 and "ähnlich klingende" in view.info.text()
    view.search.setText("")
    view.municipality.setCurrentIndex(view.municipality.findData("Löhne"))
    rows = [view.model.row_at(i) for i in range(view.model.rowCount())]
    assert rows and all(r.municipality == "Löhne" for r in rows)


def test_case_file_shows_tabs_adds_contact_closes_and_reopens(qtbot, filled, answers) -> None:
    store, user, case_id = filled
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    assert "Müller" in dialog.windowTitle()
    assert "Schonfrist" in dialog.warning.text()  # due within a week
    assert "Kategorie-Verlauf" in dialog.overview_panel.overview.text()

    def contact(d: ContactDialog) -> None:
        d.minutes.setValue(45)
        d.kind.setCurrentIndex(d.kind.findData("hausbesuch"))
        d.bausteine["2"].setChecked(True)
        d.note.setPlainText("Hausbesuch mit Jobcenter-Termin")
        d.accept()

    answers.on(ContactDialog, contact)
    dialog.contacts_panel.add_contact()
    contacts = dialog.contacts_panel.contacts
    assert contacts.rowCount() == 1 and contacts.item(0, 1).text() == "Hausbesuch"

    def close(d: CloseDialog) -> None:
        assert "Schonfrist" in d.open_items.text()
        d.outcome.setCurrentIndex(d.outcome.findData("wohnung_erhalten"))
        d.settle.setChecked(True)
        d.accept()

    answers.on(CloseDialog, close)
    dialog.close_case()
    assert not dialog.close_button.isEnabled() and dialog.reopen_button.isEnabled()
    answers.on(QMessageBox, lambda box: click(box, "Wieder öffnen"))
    dialog.reopen()
    assert dialog.close_button.isEnabled()


def test_fristen_view_lists_overdue_first_and_marks_done(qtbot, filled) -> None:
    store, user, _ = filled
    view = FristenView(store, user)
    qtbot.addWidget(view)
    view.show()  # a hidden view only marks itself stale and refreshes when shown (ui/ops.py)
    due = [view.table.item(r, 0).text() for r in range(view.table.rowCount())]
    assert due == sorted(due, key=lambda d: (d[6:], d[3:5], d[:2]))
    row = next(r for r in range(view.table.rowCount()) if "Müller" in view.table.item(r, 4).text())
    view.table.selectRow(row)
    assert "§ 569 Abs. 3 Nr. 2 BGB" in view.rule.text()
    assert badge_label(store, user).startswith("Fristen (")
    before = view.table.rowCount()
    view.mark_done()
    assert view.table.rowCount() == before - 1


def test_large_results_load_in_batches_while_scrolling(qtbot, counsellor, monkeypatch) -> None:
    from whh_desktop.ui.models import case_list

    monkeypatch.setattr(case_list, "KEY_BATCH", 50)
    monkeypatch.setattr("whh_desktop.ui.views.cases.KEY_BATCH", 50)
    store, user = counsellor
    fill_demo(store, user.username, 400, seed=8)
    view = CasesView(store, user)
    qtbot.addWidget(view)
    view.status.setCurrentIndex(view.status.findData("all"))
    assert view.model.rowCount() == 50 and view.model.canFetchMore()
    assert "mehr als 50" in view.info.text()
    while view.model.canFetchMore():
        view.model.fetchMore()
    assert view.model.rowCount() == 400
    numbers = [view.model.row_at(i).case_number for i in range(400)]
    assert len(set(numbers)) == 400  # no case twice, none lost between batches


def test_intake_form_validates_inline_saves_draft_and_warns_of_duplicates(qtbot, counsellor, monkeypatch) -> None:
    from whh_desktop.ui import messages
    from whh_desktop.ui.dialogs.intake import IntakeDialog
    from whh_desktop.ui.forms import load_form

    store, user = counsellor
    assert load_form("intake.ui").findChild(object, "family_name") is not None
    dialog = IntakeDialog(store, user)
    qtbot.addWidget(dialog)
    w = dialog.w
    w["family_name"].setText("Öztürk")
    w["given_names"].setText("Şükrü")
    w["birth_date"].setText("31.02.1975")
    assert not dialog.save(draft=False)
    assert "gibt es nicht" in dialog.message.text() and "border" in w["birth_date"].styleSheet()
    w["birth_date"].setText("02.04.1975")
    w["cold_rent"].setText("-5")
    assert not dialog.save(draft=False)
    assert "negativ" in dialog.message.text()
    w["cold_rent"].setText("350,00")
    assert not dialog.save(draft=False)  # municipality and category still missing
    assert "Kommune" in dialog.message.text()
    assert dialog.save(draft=True)  # a draft needs only the family name
    with store.read_session() as s:
        result = cases.search(s, "oztürk", cases.CaseFilter(status="draft"))
    assert len(result.exact) == 1

    second = IntakeDialog(store, user)
    qtbot.addWidget(second)
    second.w["family_name"].setText("Oeztuerk")
    second.w["given_names"].setText("Sukru")
    second.w["birth_date"].setText("2.4.1975")
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, text, **k: asked.append(text) or False)
    assert not second.save(draft=True)
    assert asked and "Öztürk" in asked[0] and "vielleicht schon erfasst" in asked[0]


def test_row_cache_stays_bounded_while_scrolling_through_many_pages(qtbot, counsellor, monkeypatch) -> None:
    """Issue 20 point 4: the list keeps the pages last shown, not every row it ever showed; a page scrolled back
    to is read again and shows the same cases, also after more keys arrived in between."""
    from whh_desktop.ui.models import case_list

    monkeypatch.setattr(case_list, "KEY_BATCH", 50)
    monkeypatch.setattr("whh_desktop.ui.views.cases.KEY_BATCH", 50)
    monkeypatch.setattr(case_list, "PAGE", 10)
    monkeypatch.setattr(case_list, "MAX_PAGES", 3)
    store, user = counsellor
    fill_demo(store, user.username, 400, seed=8)
    view = CasesView(store, user)
    qtbot.addWidget(view)
    view.status.setCurrentIndex(view.status.findData("all"))
    model = view.model
    first_page = [model.row_at(i).id for i in range(10)]
    seen = []
    row = 0
    while row < model.rowCount() or model.canFetchMore():
        if row == model.rowCount():
            model.fetchMore()  # what the view asks at the end of the list
            continue
        seen.append(model.row_at(row).id)
        assert model.cached_rows <= 3 * 10
        row += 1
    assert model.rowCount() == 400 and len(set(seen)) == 400
    every = cases.search_cases(store, user, "", view.current_filter()).exact
    assert [key.hex for key in seen] == every  # the same order as one read of all keys, nothing lost or doubled
    loaded = model.pages_loaded
    assert [model.row_at(i).id for i in range(10)] == first_page  # evicted long ago: read again, same cases
    assert model.pages_loaded == loaded + 1 and model.cached_rows <= 3 * 10
