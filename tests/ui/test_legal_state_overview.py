"""The Überblick shows the case's legal state; the eviction form asks for the termination kind and the use of the
Schonfrist (issue 09, point 1)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.ui.conftest import set_text
from whh_desktop.core.services import casework, intake
from whh_desktop.core.services.casework import EvictionData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui.case_file.workspace import CaseWorkspace
from whh_desktop.ui.dialogs.case_forms import EvictionDialog

TODAY = date.today()


def _d(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _case(store, user):
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Kowalczyk", given_names="Jan", birth_date=date(1981, 7, 9), municipality="Vlotho",
        category="raeumungsklage", category_since=TODAY - timedelta(days=400), tenancy_street="Testweg 914",
        tenancy_plz="32602", tenancy_city="Vlotho", cold_rent=38_000, utilities=9_000),
        draft=False, today=TODAY - timedelta(days=400))
    return case_id


def test_overview_shows_the_legal_state_with_a_barred_schonfrist(qtbot, counsellor) -> None:
    store, user = counsellor
    case_id = _case(store, user)
    earlier = TODAY - timedelta(days=200)
    casework.save_eviction(store, user, case_id, EvictionData(
        termination_on=earlier - timedelta(days=80), termination_kind="fristlos_verzug",
        suit_served_on=earlier - timedelta(days=30), cure_used_on=earlier, cure_method="gezahlt"))
    casework.save_eviction(store, user, case_id, EvictionData(
        termination_on=TODAY - timedelta(days=50), termination_kind="fristlos_ordentlich",
        suit_served_on=TODAY - timedelta(days=5)))
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    text = dialog.overview_panel.overview.text()
    assert "Rechtlicher Stand am" in text
    assert "Keine Heilung möglich" in text and _d(earlier) in text
    assert "hilfsweise ordentliche Kündigung bleibt bestehen" in text
    assert "nicht angemessen" in text                      # 470,00 € over the Vlotho limit for one person
    assert "Keine Einwilligung für Sozialamt erfasst." in text
    assert "#b71c1c" in text                               # the barred Schonfrist is marked
    assert "Keine Heilung möglich" in dialog.warning.text()  # and named in the case file's warning line


def test_eviction_form_requires_the_kind_and_records_the_use_of_the_schonfrist(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    case_id = _case(store, user)
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    served = TODAY - timedelta(days=20)

    def eviction(d: EvictionDialog) -> None:
        set_text(d.dates["termination_on"], _d(TODAY - timedelta(days=60)))
        set_text(d.dates["suit_served_on"], _d(served))
        d.accept()
        assert d.isVisible() and "Art der Kündigung" in d.message.text()   # nothing lost, form stays open
        d.kind.setCurrentIndex(d.kind.findData("fristlos_verzug"))
        set_text(d.dates["cure_used_on"], _d(TODAY - timedelta(days=2)))
        d.accept()
        assert d.isVisible() and "wie die Schonfrist genutzt" in d.message.text()
        d.cure_method.setCurrentIndex(d.cure_method.findData("verpflichtung"))
        d.accept()
        assert not d.isVisible(), d.message.text()

    answers.on(EvictionDialog, eviction)
    dialog.tenancy_panel.edit_eviction(None)
    assert dialog.tenancy_panel.proceedings.rowCount() == 1
    text = dialog.overview_panel.overview.text()
    assert f"Schonfrist genutzt am {_d(TODAY - timedelta(days=2))}" in text
    assert "Verpflichtungserklärung" in text


def test_decision_served_by_empfangsbekenntnis_shows_in_the_overview(qtbot, counsellor, answers) -> None:
    from whh_desktop.core.services import applications
    from whh_desktop.core.services.applications import ApplicationData
    from whh_desktop.ui.widgets.applications import DecisionDialog

    store, user = counsellor
    case_id = _case(store, user)
    applications.add_application(store, user, case_id, ApplicationData(
        kind="sgb2_22_8", submitted_on=TODAY - timedelta(days=40), authority="Jobcenter Herford"))
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    decided, served = TODAY - timedelta(days=6), TODAY - timedelta(days=3)

    def reject(form: DecisionDialog) -> None:
        form.decision.setCurrentIndex(form.decision.findData("abgelehnt"))
        set_text(form.decided_on, _d(decided))
        set_text(form.posted_on, _d(decided - timedelta(days=1)))
        form.accept()
        assert form.isVisible() and "zur Post" in form.message.text()
        set_text(form.posted_on, "")
        form.notification.setCurrentIndex(form.notification.findData("eb"))
        form.accept()
        assert form.isVisible() and "Tag der Zustellung" in form.message.text()
        set_text(form.served_on, _d(served))
        form.accept()
        assert not form.isVisible(), form.message.text()

    answers.on(DecisionDialog, reject)
    dialog.applications_tab.table.selectRow(0)
    dialog.applications_tab.buttons["decide"].click()
    text = dialog.overview_panel.overview.text()
    assert f"bekanntgegeben am {_d(served)} (Empfangsbekenntnis)" in text
