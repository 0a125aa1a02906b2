"""The case file refreshes through the broadcast only: a change made in a tab re-reads the file once, and the
other views that show it (Fristen, a view of the case files) refresh themselves without a hand-written reload."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from tests.ui.conftest import click, set_text
from whh_desktop.core.domain.changes import CASE_FILE
from whh_desktop.core.services import case_file, intake
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui.case_file.workspace import CaseWorkspace
from whh_desktop.ui.dialogs.case_forms import ContactDialog, FollowUpDialog
from whh_desktop.ui.ops import listen, wants
from whh_desktop.ui.views.fristen import FristenView

TODAY = date.today()


@pytest.fixture
def opened(qtbot, counsellor, monkeypatch):
    """A case file and the Fristen view, both shown; ``reads`` counts how often the case file was read."""
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Kowalczyk", given_names="Ewa", birth_date=date(1983, 5, 17), municipality="Enger",
        category="kuendigung", category_since=TODAY - timedelta(days=9)), draft=False,
        today=TODAY - timedelta(days=9))
    reads: list[object] = []
    real = case_file.open_case
    monkeypatch.setattr(case_file, "open_case", lambda *a, **k: reads.append(a) or real(*a, **k))
    dialog = CaseWorkspace(store, user, case_id)
    fristen_view = FristenView(store, user)
    for widget in (dialog, fristen_view):
        qtbot.addWidget(widget)
        widget.show()
    reads.clear()
    return dialog, fristen_view, reads


class CaseFilesWatcher(QWidget):
    """Stands for the case list: it refreshes whenever a case file's content changed."""

    def __init__(self) -> None:
        super().__init__()
        self.refreshed = 0
        listen(self, wants(CASE_FILE), self.refresh)

    def refresh(self) -> None:
        self.refreshed += 1


def test_a_contact_from_the_case_file_refreshes_its_tabs_and_the_case_views_once(qtbot, opened, answers) -> None:
    dialog, _fristen_view, reads = opened
    watcher = CaseFilesWatcher()
    qtbot.addWidget(watcher)
    watcher.show()

    def contact(d: ContactDialog) -> None:
        d.kind.setCurrentIndex(d.kind.findData("telefon"))
        d.note.setPlainText("Rückruf wegen der Mietschuldenübernahme")
        d.accept()

    answers.on(ContactDialog, contact)
    dialog.contacts_panel.add_contact_button.click()
    assert dialog.contacts_panel.contacts.rowCount() == 1 and "Rückruf" in dialog.contacts_panel.contacts.cell(0, 4)
    log = dialog.history_panel.log
    assert any("Rückruf" in log.item(i).text() for i in range(log.count()))  # Verlauf too
    assert len(reads) == 1  # one re-read for the one operation, no double reload
    assert watcher.refreshed == 1


def test_a_follow_up_from_the_case_file_appears_in_the_fristen_view(qtbot, opened, answers) -> None:
    dialog, fristen_view, reads = opened
    before = fristen_view.table.rowCount()
    due = TODAY + timedelta(days=3)

    def follow_up(d: FollowUpDialog) -> None:
        set_text(d.on, due.strftime("%d.%m.%Y"))
        d.note.setText("Unterlagen Jobcenter nachreichen")
        d.accept()

    answers.on(FollowUpDialog, follow_up)
    dialog.deadlines_panel.follow_up_button.click()
    assert fristen_view.table.rowCount() == before + 1
    assert any("Unterlagen Jobcenter" in fristen_view.table.cell(r, 6) for r in range(fristen_view.table.rowCount()))
    assert dialog.deadlines_panel.deadlines.rowCount() == 1
    assert "fällig am" in dialog.warning.text()  # due within a week
    assert len(reads) == 1


def test_a_refused_form_changes_nothing_and_reads_nothing(qtbot, opened, answers) -> None:
    dialog, _fristen_view, reads = opened

    def future(d: ContactDialog) -> None:
        d.on.setDate(d.on.date().addDays(5))
        d.accept()
        assert d.isVisible() and "Zukunft" in d.message.text()
        d.reject()  # typed: asks first
        assert not d.isVisible()

    answers.on(ContactDialog, future)
    answers.on(QMessageBox, lambda box: click(box, "Verwerfen"))
    dialog.contacts_panel.add_contact()
    assert reads == [] and dialog.contacts_panel.contacts.rowCount() == 0
