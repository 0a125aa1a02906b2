"""The case file's tab »Anträge«: enter an application, a rejection with its deadline, a Widerspruch; the
§ 88 SGG hint; the Arbeitskreis tab in Berichte."""

from __future__ import annotations

from datetime import date, timedelta

from tests.ui.conftest import set_text
from whh_desktop.core.services import applications as apps
from whh_desktop.core.services import fristen, intake
from whh_desktop.core.services.applications import ApplicationData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui.case_file.workspace import CaseWorkspace
from whh_desktop.ui.widgets.applications import (
    ApplicationDialog,
    ApplicationsTab,
    DecisionDialog,
    ObjectionDialog,
)

TODAY = date.today()


def _d(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _case(store, user):
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Nowak", given_names="Jan", birth_date=date(1975, 9, 9), municipality="Löhne",
        category="kuendigung", category_since=TODAY - timedelta(days=300), cold_rent=35000, utilities=8000),
        draft=False, today=TODAY - timedelta(days=300))
    return case_id


def test_applications_tab_story(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    case_id = _case(store, user)
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    assert "Anträge" in dialog.part_names()
    tab = dialog.applications_tab
    submitted = TODAY - timedelta(days=60)

    def fill(form: ApplicationDialog) -> None:
        form.kind.setCurrentIndex(form.kind.findData("sgb2_22_8"))
        set_text(form.submitted_on, _d(submitted))
        form.via.setCurrentIndex(form.via.findData("persoenlich"))
        form.accept()

    answers.on(ApplicationDialog, fill)
    tab.buttons["add"].click()
    assert tab.table.rowCount() == 1 and tab.table.cell(0, 3) == "offen"
    assert "Sachstandsanfrage fällig" in tab.table.cell(0, 6)  # 60 days > 4 weeks

    tab.table.selectRow(0)
    decided = TODAY - timedelta(days=10)

    def reject(form: DecisionDialog) -> None:
        form.decision.setCurrentIndex(form.decision.findData("abgelehnt"))
        set_text(form.decided_on, _d(decided))
        form.accept()

    answers.on(DecisionDialog, reject)
    tab.buttons["decide"].click()
    with store.read_session() as s:
        due = fristen.due_list(s, case_id=case_id)
    assert [d.kind.value for d in due] == ["widerspruch"]
    assert tab.table.cell(0, 3) == "abgelehnt" and tab.table.cell(0, 5) == _d(due[0].due_on)
    assert dialog.deadlines_panel.deadlines.rowCount() == 1  # the case file reloaded: the Fristen tab shows it

    tab.table.selectRow(0)

    def lodge(form: ObjectionDialog) -> None:
        set_text(form.lodged_on, _d(TODAY))
        form.accept()

    answers.on(ObjectionDialog, lodge)
    tab.buttons["object"].click()
    assert tab.table.cell(0, 3) == "abgelehnt, Widerspruch offen"
    assert tab.table.cell(0, 5) == "–"  # the Widerspruch deadline is met
    assert answers.pending == []


def test_invalid_input_keeps_the_form_open(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    tab = ApplicationsTab(store, user, _case(store, user))
    qtbot.addWidget(tab)

    def bad(form: ApplicationDialog) -> None:
        set_text(form.submitted_on, _d(TODAY + timedelta(days=3)))
        form.accept()
        assert form.isVisible() and "Zukunft" in form.message.text()

    answers.on(ApplicationDialog, bad)
    tab.buttons["add"].click()
    assert tab.table.rowCount() == 0


def test_untaetigkeitsklage_hint(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    case_id = _case(store, user)
    apps.add_application(store, user, case_id, ApplicationData("wohngeld", TODAY - timedelta(days=200)))
    tab = ApplicationsTab(store, user, case_id)
    qtbot.addWidget(tab)
    assert "Untätigkeitsklage möglich (§ 88 SGG)" in tab.table.cell(0, 6)
    tab.table.selectRow(0)
    assert "§ 88 Abs. 1 SGG" in tab.detail.text()
    late = ApplicationsTab(store, user, case_id, today=TODAY - timedelta(days=100))
    qtbot.addWidget(late)
    assert "Untätigkeitsklage" not in late.table.cell(0, 6)


def test_arbeitskreis_tab_in_reports(qtbot, counsellor, answers) -> None:
    from whh_desktop.ui.views.reports import ReportsView

    store, user = counsellor
    case_id = _case(store, user)
    app_id = apps.add_application(store, user, case_id, ApplicationData("sgb2_22_8", TODAY - timedelta(days=30)))
    apps.record_decision(store, user, app_id, apps.DecisionData("bewilligt", TODAY))
    view = ReportsView(store, user)
    qtbot.addWidget(view)
    labels = [view.tabs.tabText(i).replace("&", "") for i in range(view.tabs.count())]
    tab = view.tabs.widget(labels.index("Arbeitskreis"))
    tab.period_picker.set_year(TODAY.year)
    tab.refresh()
    kinds = {t.key: t for t in tab.result}["ak_kinds"]
    assert kinds.value("sgb2_22_8", "median_days") == "30"


def test_delete_a_wrong_application_with_its_deadline(qtbot, counsellor, answers) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.conftest import click

    store, user = counsellor
    case_id = _case(store, user)
    app_id = apps.add_application(store, user, case_id, ApplicationData("wohngeld", TODAY - timedelta(days=20)))
    apps.record_decision(store, user, app_id, apps.DecisionData("abgelehnt", TODAY - timedelta(days=3)))
    tab = ApplicationsTab(store, user, case_id)
    qtbot.addWidget(tab)
    tab.show()  # a tab on its own re-reads on the broadcast while shown
    assert not tab.buttons["delete"].isEnabled()
    tab.table.selectRow(0)
    answers.on(QMessageBox, lambda box: click(box, "Löschen"))
    tab.buttons["delete"].click()
    assert "Wohngeld" in answers.texts[-1] and tab.table.rowCount() == 0
    with store.read_session() as s:
        assert fristen.due_list(s, case_id=case_id) == []
